/* Copy on write at fork, in the spirit of xv6's cowtest, contents checked by checksum:
 *   cow basic        private pages, data, bss and stack copied on either side's write, shared
 *                    mappings still shared, the last holder writing in place
 *   cow big MIB      a fork with MIB MiB written (2/3 of the guest's RAM): fits only if shared
 *   cow three MIB    three processes each writing all of MIB MiB (a quarter of RAM)
 *   cow pipe         read() from a pipe into a page the child shares with its parent
 *   cow files        file mappings: MAP_SHARED stays shared, MAP_PRIVATE copies on write, a
 *                    private copy made before the fork is shared copy-on-write in its turn
 */
#include "include/proc.h"
#include <fcntl.h>
#include <sys/mman.h>

#define PAGE 4096ul

static int data_var = 1;    /* .data */
static int bss_var;         /* .bss */
static char bss_page[PAGE]; /* a page of .bss */

/* A private anonymous mapping of n bytes, or the test ends. */
static unsigned char *anon(unsigned long n, int flags)
{
	unsigned char *m = mmap(NULL, n, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		printf("mmap %lu MiB: %s\n", n >> 20, ename(errno));
		exit(1);
	}
	return m;
}

/* Fill n bytes with a pattern of seed: a different word on every page. */
static void fill(unsigned char *m, unsigned long n, unsigned seed)
{
	for (unsigned long i = 0; i < n; i += PAGE) {
		memset(m + i, (int)(seed + i / PAGE), PAGE);
		*(unsigned long *)(m + i) = i ^ seed;
	}
}

/* Both sides write after the fork; each sees only its own writes. */
static void basic(void)
{
	unsigned long n = 4 << 20;
	unsigned char *m = anon(n, MAP_PRIVATE), *sh = anon(PAGE, MAP_SHARED);
	int stack_var = 5, fds[2];
	char c;

	fill(m, n, 1);
	unsigned long sum = checksum(m, n);
	bss_var = 2;
	memset(bss_page, 'b', PAGE);
	if (pipe(fds))
		return;
	pid_t p = xfork();
	if (p == 0) {
		fact("child sees the parent's pages", checksum(m, n) == sum);
		for (unsigned long i = 0; i < n; i += 2 * PAGE)
			m[i + 100] ^= 0xff;
		data_var = 10, bss_var = 20, stack_var = 50;
		bss_page[7] = 'c';
		sh[0] = 'S';
		read(fds[0], &c, 1); /* the parent has written */
		fact("child's every other page changed", checksum(m, n) != sum);
		for (unsigned long i = 0; i < n; i += 2 * PAGE)
			m[i + 100] ^= 0xff;
		fact("child's pages back to the pattern, parent's writes not seen",
		     checksum(m, n) == sum);
		fact("child's data, bss, stack",
		     data_var == 10 && bss_var == 20 && stack_var == 50);
		_exit(failures);
	}
	m[PAGE * 3 + 5] ^= 1; /* the parent writes a page the child still shares */
	data_var = 3;
	write(fds[1], "x", 1);
	reap_ok("child", p);
	m[PAGE * 3 + 5] ^= 1;
	fact("parent's pages unchanged by the child", checksum(m, n) == sum);
	fact("parent's data, bss, stack", data_var == 3 && bss_var == 2 && stack_var == 5);
	fact("parent's bss page", bss_page[7] == 'b');
	fact("the shared page shows the child's write", sh[0] == 'S');
	fill(m, n, 7); /* now the only holder: written in place */
	fact("parent rewrote its pages alone", checksum(m, n) != sum);
	munmap(m, n);
	munmap(sh, PAGE);
}

/* A fork with mib MiB written: without sharing the two copies would not fit. */
static void big(unsigned long mib)
{
	unsigned long n = mib << 20;
	unsigned char *m = anon(n, MAP_PRIVATE);

	fill(m, n, 3);
	unsigned long sum = checksum(m, n);
	printf("parent wrote %lu MiB\n", mib);
	for (int round = 0; round < 3; round++) {
		pid_t p = xfork();
		if (p == 0) {
			int ok = checksum(m, n) == sum;

			for (unsigned long i = 0; i < 64 * PAGE; i += PAGE)
				m[i] = 0x55; /* a few copies */
			_exit(ok ? 0 : 1);
		}
		reap_ok("child read it all and wrote 64 pages", p);
	}
	fact("parent's pages intact", checksum(m, n) == sum);
	munmap(m, n);
}

/* Parent and two children each write all of mib MiB: three copies in the end. */
static void three(unsigned long mib)
{
	unsigned long n = mib << 20;
	unsigned char *m = anon(n, MAP_PRIVATE);
	pid_t kids[2];
	int go[2];
	char c;

	fill(m, n, 5);
	unsigned long sum = checksum(m, n);
	if (pipe(go))
		return;
	for (int k = 0; k < 2; k++) {
		kids[k] = xfork();
		if (kids[k] == 0) {
			close(go[1]);
			fill(m, n, 100 + k);
			unsigned long mine = checksum(m, n);
			read(go[0], &c, 1); /* until all three have written */
			_exit(checksum(m, n) == mine && mine != sum ? 0 : 1);
		}
	}
	close(go[0]);
	fill(m, n, 9);
	unsigned long mine = checksum(m, n);
	fill(m, n, 5);
	fact("parent rewrote its own copy", checksum(m, n) == sum && mine != sum);
	close(go[1]);
	reap_ok("child 1 wrote all of it", kids[0]);
	reap_ok("child 2 wrote all of it", kids[1]);
	fact("parent's pages intact", checksum(m, n) == sum);
	munmap(m, n);
}

/* The kernel writes (read() from a pipe) into a page shared copy-on-write with the parent. */
static void pipe_into_shared(void)
{
	unsigned char *m = anon(4 * PAGE, MAP_PRIVATE);
	int fds[2];

	fill(m, 4 * PAGE, 11);
	unsigned long sum = checksum(m, 4 * PAGE);
	for (int k = 0; k < 4; k++) {
		if (pipe(fds))
			return;
		pid_t p = xfork();
		if (p == 0) {
			close(fds[1]);
			long r = readn(fds[0], m + PAGE + 1000, 5000); /* across two pages */
			int ok = r == 5000 && m[PAGE + 1000] == 'p' && m[PAGE + 5999] == 'p';
			_exit(ok && checksum(m, 4 * PAGE) != sum ? 0 : 1);
		}
		close(fds[0]);
		static char text[5000];
		memset(text, 'p', sizeof(text));
		writen(fds[1], text, sizeof(text));
		close(fds[1]);
		reap_ok("child read 5000 bytes into shared pages", p);
		fact("parent's pages unchanged", checksum(m, 4 * PAGE) == sum);
	}
	munmap(m, 4 * PAGE);
}

/* A file of 4 pages mapped shared and privately; the child writes through both. */
static void files(void)
{
	int fd = open("/tmp/cow-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char c = 0;

	if (fd < 0 || ftruncate(fd, 4 * PAGE))
		return;
	unsigned char *sh = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char *pv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (sh == MAP_FAILED || pv == MAP_FAILED)
		return;
	memset(sh, 'f', 4 * PAGE);
	pv[PAGE] = 'p'; /* the parent's private copy of page 1, before the fork */
	pid_t p = xfork();
	if (p == 0) {
		int ok = pv[0] == 'f' && pv[PAGE] == 'p' && pv[PAGE + 1] == 'f';

		sh[10] = 'S';
		pv[20] = 'P';
		pv[PAGE + 2] = 'Q';
		_exit(ok ? 0 : 1);
	}
	reap_ok("child saw the file and the parent's private copy, then wrote", p);
	fact("the shared mapping shows the child's write", sh[10] == 'S');
	pread(fd, &c, 1, 10);
	fact("so does the file", c == 'S');
	fact("the private mapping does not", pv[20] == 'f' && pv[PAGE + 2] == 'f');
	pread(fd, &c, 1, 20);
	fact("nor the file", c == 'f');
	fact("the parent's private copy is its own", pv[PAGE] == 'p');
	munmap(sh, 4 * PAGE);
	munmap(pv, 4 * PAGE);
	close(fd);
}

int main(int argc, char **argv)
{
	proc_setup();
	const char *mode = argc > 1 ? argv[1] : "basic";
	unsigned long mib = argc > 2 ? strtoul(argv[2], NULL, 0) : 64;

	if (!strcmp(mode, "basic"))
		basic();
	else if (!strcmp(mode, "big"))
		big(mib);
	else if (!strcmp(mode, "three"))
		three(mib);
	else if (!strcmp(mode, "pipe"))
		pipe_into_shared();
	else if (!strcmp(mode, "files"))
		files();
	else
		return printf("usage: cow basic|big MIB|three MIB|pipe|files\n"), 2;
	printf("failures: %d\n", failures);
	return failures != 0;
}
