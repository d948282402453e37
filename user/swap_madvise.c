/* swap_madvise: advice on anonymous memory that has swap behind it, and what mincore says.
 *   swap_madvise          MADV_PAGEOUT (given until mincore sees no page resident: Linux keeps a
 *                         page in the swap cache while its write is in flight), MADV_COLD (evicts
 *                         nothing), MADV_WILLNEED (brings them all back), MADV_DONTNEED on
 *                         swapped pages (zero), swapped pages across fork, shared anonymous
 *                         memory, untouched memory: contents after each, by checksum
 *   swap_madvise counters MIB   what the counters say of it: /proc/vmstat's pswpout and pswpin,
 *                         getrusage's and /proc/self/stat's majflt; then MIB MiB (more than RAM)
 *                         written and read back, with mincore seeing no more than RAM resident
 * Owned by kernel/mm (swap). */
#include "include/paging.h"
#include "include/vmstat.h"
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <time.h>

#define N     64ul /* pages the advice is given on */
#define TRIES 200  /* times MADV_PAGEOUT is given or mincore polled, 10 ms apart */

/* Pages of n from m that mincore says are resident, or -errno. */
static long resident(const void *m, unsigned long n)
{
	unsigned char v[N];
	long c = 0;

	if (n > N || mincore((void *)m, n * PAGE, v))
		return n > N ? -EINVAL : -errno;
	for (unsigned long i = 0; i < n; i++)
		c += v[i] & 1;
	return c;
}

static void nap(void)
{
	struct timespec t = {0, 10 * 1000 * 1000};

	nanosleep(&t, NULL);
}

/* Read a word of each of n pages of m (mapping them again, from the swap cache if there). */
static void touch(const unsigned long *m, unsigned long n)
{
	volatile unsigned long x = 0;

	for (unsigned long pg = 0; pg < n; pg++)
		x += m[pg * PAGE_WORDS];
	(void)x;
}

/* Give MADV_PAGEOUT on n pages of m until none is resident, TRIES times at most; prints the
 * advice's result and the pages left resident. Linux writes dirty pages out but keeps them in
 * its swap cache (mincore: resident) until reclaim takes them; mapped again, clean, the next
 * MADV_PAGEOUT frees them. */
static void page_out(const char *what, void *m, unsigned long n)
{
	long r = 0, left = 0;

	for (int k = 0; k < TRIES; k++) {
		r = madvise(m, n * PAGE, MADV_PAGEOUT) ? -errno : 0;
		left = resident(m, n);
		if (r || left <= 0)
			break;
		nap();
		touch(m, n);
	}
	printf("%s: MADV_PAGEOUT %s, %ld resident after\n", what, r ? ename(-r) : "0", left);
	failures += r != 0 || left != 0;
}

/* Give advice on n pages of m, printing its result. */
static void advise(const char *what, void *m, unsigned long n, int advice, const char *name)
{
	long r = madvise(m, n * PAGE, advice) ? -errno : 0;

	printf("%s: %s %s\n", what, name, r ? ename(-r) : "0");
	failures += r != 0;
}

/* Print the checksum of pages first..first+n-1 of m and whether they hold seed's pattern. */
static void contents(const char *what, const unsigned long *m, unsigned long first, unsigned long n,
                     unsigned long seed)
{
	unsigned long sum = SUM_START, bad = bad_pages(m, first, n, seed, &sum);

	printf("%s: %lu bad pages, checksum %016lx\n", what, bad, sum);
	failures += bad != 0;
}

/* Pages of first..first+n-1 of m that are not all zero. */
static unsigned long nonzero_pages(const unsigned long *m, unsigned long first, unsigned long n)
{
	unsigned long c = 0;

	for (unsigned long pg = first; pg < first + n; pg++) {
		unsigned long any = 0;

		for (unsigned long i = 0; i < PAGE_WORDS; i++)
			any |= m[pg * PAGE_WORDS + i];
		c += any != 0;
	}
	return c;
}

/* Poll mincore until all n pages of m are resident (TRIES times at most): how many are. */
static long wait_resident(const void *m, unsigned long n)
{
	long c = resident(m, n);

	for (int k = 0; k < TRIES && c >= 0 && (unsigned long)c < n; k++) {
		nap();
		c = resident(m, n);
	}
	return c;
}

static void advice(void)
{
	unsigned long *m = anon_map(N * PAGE);

	printf("untouched: %ld resident\n", resident(m, N));
	page_out("untouched", m, N);
	fill_pages(m, 0, N, 1);
	printf("written: %ld resident\n", resident(m, N));
	page_out("written", m, N);
	contents("read back", m, 0, N, 1);
	printf("read back: %ld resident\n", resident(m, N));
	advise("read back", m, N, MADV_COLD, "MADV_COLD");
	printf("cold: %ld resident\n", resident(m, N));
	contents("cold", m, 0, N, 1);

	page_out("again", m, N);
	advise("out", m, N, MADV_WILLNEED, "MADV_WILLNEED");
	printf("willneed: %ld resident once the reads are done\n", wait_resident(m, N));
	contents("willneed", m, 0, N, 1);

	page_out("again", m, N);
	advise("out", m, N / 2, MADV_DONTNEED, "MADV_DONTNEED on the first half");
	printf("dontneed: %ld of the first half resident\n", resident(m, N / 2));
	printf("dontneed: %lu of the first half not zero\n", nonzero_pages(m, 0, N / 2));
	contents("dontneed: the second half", m, N / 2, N / 2, 1);

	fill_pages(m, 0, N, 2);
	page_out("rewritten", m, N);
	pid_t p = xfork();
	if (p == 0) {
		failures = 0;
		contents("child", m, 0, N, 2);
		fill_pages(m, 0, N / 4, 3);
		contents("child after writing a quarter", m, 0, N / 4, 3);
		_exit(failures != 0);
	}
	reap_ok("child", p);
	contents("parent", m, 0, N, 2);
	munmap(m, N * PAGE);

	unsigned long *sh =
	    mmap(NULL, N * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("shared mapping: %s\n", ename(errno));
		failures++;
		return;
	}
	fill_pages(sh, 0, N, 4);
	/* shmem pages come back from swap dirty on Linux: each MADV_PAGEOUT writes them again */
	advise("shared", sh, N, MADV_PAGEOUT, "MADV_PAGEOUT");
	contents("shared", sh, 0, N, 4);
	munmap(sh, N * PAGE);
}

/* This process's major faults, as getrusage says, and whether /proc/self/stat says the same. */
static long majflt(int *stat_agrees)
{
	struct rusage ru;
	char buf[1024], *p;
	long v = -1;
	FILE *f = fopen("/proc/self/stat", "r");

	getrusage(RUSAGE_SELF, &ru);
	if (f && fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		/* after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt */
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %ld", &v);
	if (f)
		fclose(f);
	*stat_agrees = v == ru.ru_majflt;
	return ru.ru_majflt;
}

static void counters(unsigned long mib)
{
	unsigned long *m = anon_map(N * PAGE), pages = mib * MIB / PAGE;
	long out0 = vmstat("pswpout"), in0, flt0, flt1;
	int agrees;
	struct sysinfo si;

	fact("/proc/vmstat has pswpout and pswpin", out0 >= 0 && vmstat("pswpin") >= 0);
	fill_pages(m, 0, N, 1);
	page_out("written", m, N);
	fact("pswpout grew by every page written out", vmstat("pswpout") - out0 >= (long)N);
	flt0 = majflt(&agrees);
	contents("read back", m, 0, N, 1);
	flt1 = majflt(&agrees);
	fact("reading them back took major faults", flt1 > flt0 && flt1 - flt0 <= (long)N);
	fact("/proc/self/stat's majflt is getrusage's", agrees);
	page_out("again", m, N);
	in0 = vmstat("pswpin");
	advise("out", m, N, MADV_WILLNEED, "MADV_WILLNEED");
	printf("willneed: %ld resident once the reads are done\n", wait_resident(m, N));
	fact("pswpin grew by every page", vmstat("pswpin") - in0 >= (long)N);
	flt0 = majflt(&agrees);
	contents("willneed", m, 0, N, 1);
	fact("reading them took no major fault", majflt(&agrees) == flt0);
	munmap(m, N * PAGE);

	unsigned long *big = anon_map(mib * MIB);
	unsigned char *vec = malloc(pages);
	unsigned long in = 0;

	sysinfo(&si);
	fill_pages(big, 0, pages, 5);
	if (!vec || mincore(big, mib * MIB, vec))
		failures++;
	for (unsigned long i = 0; vec && i < pages; i++)
		in += vec[i] & 1;
	printf("wrote %lu MiB\n", mib);
	fact("mincore: no more resident than RAM", in * PAGE <= si.totalram * si.mem_unit);
	fact("mincore: some resident", in > 0);
	flt0 = majflt(&agrees);
	contents("read back", big, 0, pages, 5);
	fact("reading it back took major faults", majflt(&agrees) > flt0);
}

int main(int argc, char **argv)
{
	proc_setup();
	if (argc > 1 && !strcmp(argv[1], "counters"))
		counters(arg_count(argc, argv, 2, 96));
	else
		advice();
	return failures != 0;
}
