/* mm_merge: 20,000 mappings made page by page merge into one (mremap grows them in place); 20,000
 * regions of alternating rights fault and change quickly, and merge back. Owned by kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

#define N      20000
#define BUDGET 20.0 /* seconds for everything: quadratic work would take far longer */

static double now(void)
{
	struct timespec t;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* True when [page, page + n) is one mapping: it grows in place by a page (then shrinks back). */
static int one_mapping(long page, long n)
{
	long r = syscall(SYS_mremap, at(page), n * (long)PG, (n + 1) * (long)PG, 0, 0);

	if (r != (long)at(page))
		return 0;
	return syscall(SYS_mremap, at(page), (n + 1) * (long)PG, n * (long)PG, 0, 0) == r;
}

static int map_pages(long first, long step, int prot)
{
	int ok = 1;

	for (long i = 0; i < N; i++) {
		long p = first + i * step;

		ok &= mmap(at(p), PG, prot, FIX, -1, 0) == at(p);
	}
	return ok;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	double t0 = now();

	fact("20,000 pages mapped one by one, upwards", map_pages(0, 1, RW));
	fact("they are one mapping", one_mapping(0, N));
	fact("unmapped", munmap(at(0), N * PG) == 0);
	fact("20,000 pages mapped one by one, downwards", map_pages(N - 1, -1, RW));
	fact("they are one mapping", one_mapping(0, N));

	int ok = 1;

	for (long i = 0; i < N; i += 2)
		ok &= mprotect(at(i), PG, PROT_READ) == 0;
	fact("every other page made read-only: 20,000 regions", ok);
	fact("no longer one mapping", !one_mapping(0, N));

	long sum = 0;

	for (long i = 0; i < N; i++)
		sum += ((volatile char *)at(i))[i % PG];
	fact("every page read (a fault each)", sum == 0);
	ok = 1;
	for (long i = 1; i < N; i += 97)
		ok &= mprotect(at(i), PG, PROT_NONE) == 0 && mprotect(at(i), PG, RW) == 0;
	fact("rights changed here and there among them", ok);
	fact("all made read-write in one call", mprotect(at(0), N * PG, RW) == 0);
	fact("one mapping again (pages only read never split it for good)", one_mapping(0, N));
	for (long i = 0; i < N; i += 50)
		at(i)[1] = 1;
	sum = 0;
	for (long i = 0; i < N; i += 50)
		sum += at(i)[1];
	fact("written and read back", sum == N / 50);
	fact("unmapped", munmap(at(0), (N + 1) * PG) == 0);
	fact("all of it fast enough", now() - t0 < BUDGET);
	printf("mm_merge: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
