/* page_parallel PROCS MIB: PROCS processes at once (4 by default), each writing MIB MiB of its
 * own pattern (more than half of RAM each), all holding their memory together before each reads
 * it back and checks it, as Pintos' page-parallel. The parent prints how each child ended and
 * the checksum it found. Owned by kernel/mm (swap). */
#include "include/paging.h"

#define MAX_PROCS 16

/* What a child leaves for the parent, in a page they share. */
struct result {
	unsigned long bad, sum;
};

/* Child k: write its pages, say so on ready, wait for go to close (every child has written),
 * then check them all. */
static void child(int k, unsigned long mib, int ready, int go, struct result *out)
{
	unsigned long pages = mib * MIB / PAGE, sum = SUM_START;
	unsigned long *m = anon_map(mib * MIB);
	char c = 'r';

	fill_pages(m, 0, pages, (unsigned long)k + 1);
	if (write(ready, &c, 1) != 1)
		_exit(3);
	while (read(go, &c, 1) > 0)
		;
	out->bad = bad_pages(m, 0, pages, (unsigned long)k + 1, &sum);
	out->sum = sum;
	_exit(out->bad != 0);
}

int main(int argc, char **argv)
{
	unsigned long procs = arg_count(argc, argv, 1, 4), mib = arg_count(argc, argv, 2, 40);
	int ready[2], go[2], n = 0;
	pid_t kids[MAX_PROCS];
	char c;

	proc_setup();
	if (procs > MAX_PROCS || pipe(ready) || pipe(go))
		return 2;
	struct result *res =
	    mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		return 2;
	printf("%lu processes of %lu MiB each\n", procs, mib);
	for (unsigned long k = 0; k < procs; k++) {
		kids[k] = xfork();
		if (kids[k] == 0) {
			close(ready[0]);
			close(go[1]);
			child((int)k, mib, ready[1], go[0], &res[k]);
		}
	}
	close(ready[1]);
	close(go[0]);
	while (n < (int)procs && read(ready[0], &c, 1) == 1)
		n++;
	printf("%d wrote their pages\n", n);
	close(go[1]);
	for (unsigned long k = 0; k < procs; k++) {
		char what[32];

		snprintf(what, sizeof(what), "child %lu", k);
		reap_ok(what, kids[k]);
		printf("child %lu: %lu bad pages, checksum %016lx\n", k, res[k].bad, res[k].sum);
	}
	return failures != 0;
}
