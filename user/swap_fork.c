/* swap_fork MIB: MIB MiB written (more than RAM, so much of it is swapped out), then a fork; the
 * child and the parent at once read every page back and check it, each writing its own quarter
 * of the pages as it goes (copy on write of pages brought back from swap). The child then checks
 * its quarter again; the parent, once the child is gone, checks all its pages once more: its own
 * writes there, the child's nowhere. As Pintos' swap-fork. Owned by kernel/mm (swap). */
#include "include/paging.h"

/* What page pg of a side that wrote every 4th page from page mine with seed holds. */
static unsigned long seed_of(unsigned long pg, unsigned long mine, unsigned long seed)
{
	return pg % 4 == mine ? seed : 1;
}

/* Check every page (written with seed 1) and write pages mine, mine+4, ... with seed just after
 * checking each; the pages that were wrong. */
static unsigned long check_and_write(unsigned long *m, unsigned long pages, unsigned long mine,
                                     unsigned long seed, unsigned long *sum)
{
	unsigned long bad = 0;

	for (unsigned long pg = 0; pg < pages; pg++) {
		bad += !page_check(m, pg, 1, sum);
		if (pg % 4 == mine)
			fill_pages(m, pg, 1, seed);
	}
	return bad;
}

/* Check pages first, first+step, ... as a side that wrote quarter mine with seed left them. */
static unsigned long check_after(const unsigned long *m, unsigned long pages, unsigned long first,
                                 unsigned long step, unsigned long mine, unsigned long seed,
                                 unsigned long *sum)
{
	unsigned long bad = 0;

	for (unsigned long pg = first; pg < pages; pg += step)
		bad += !page_check(m, pg, seed_of(pg, mine, seed), sum);
	return bad;
}

/* What one side saw, in a page the two share, printed by the parent at the end. */
struct seen {
	unsigned long bad1, sum1, bad2, sum2;
};

/* Print side what's findings and count a failure for any bad page. */
static void report(const char *what, const struct seen *s)
{
	printf("%s: %lu bad pages before writing, checksum %016lx\n", what, s->bad1, s->sum1);
	printf("%s: %lu bad pages after, checksum %016lx\n", what, s->bad2, s->sum2);
	failures += s->bad1 != 0 || s->bad2 != 0;
}

int main(int argc, char **argv)
{
	unsigned long mib = arg_count(argc, argv, 1, 80), pages = mib * MIB / PAGE;
	unsigned long *m = anon_map(mib * MIB);
	struct seen *s =
	    mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	proc_setup();
	if (s == MAP_FAILED)
		return 2;
	fill_pages(m, 0, pages, 1);
	printf("wrote %lu MiB\n", mib);
	pid_t p = xfork();
	struct seen *me = p == 0 ? &s[0] : &s[1];
	unsigned long mine = p == 0 ? 1 : 3, seed = p == 0 ? 2 : 3;

	me->sum1 = me->sum2 = SUM_START;
	me->bad1 = check_and_write(m, pages, mine, seed, &me->sum1);
	if (p == 0) {
		me->bad2 = check_after(m, pages, mine, 4, mine, seed, &me->sum2);
		_exit(0);
	}
	reap_ok("child", p);
	me->bad2 = check_after(m, pages, 0, 1, mine, seed, &me->sum2);
	report("child", &s[0]);
	report("parent", &s[1]);
	return failures != 0;
}
