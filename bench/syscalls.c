/* Memory system calls per second: mmap/munmap pairs of one page, and mprotect flipping one page
 * inside a touched mapping (a split and a merge each time); plus a bare system-call round trip. */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 5
#define BATCH  256 /* calls between two clock reads */

/* Calls per second of op over about ms milliseconds, median of ROUNDS. */
static double rate(void (*op)(long i), long ms)
{
	double v[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns(), t = t0, limit = (uint64_t)ms * 1000000 / ROUNDS;
		long n = 0;

		while (t - t0 < limit) {
			for (int i = 0; i < BATCH; i++)
				op(n++);
			t = now_ns();
		}
		v[r] = (double)n * 1e9 / (double)(t - t0);
	}
	return median(v, ROUNDS);
}

static void mmap_pair(long i)
{
	(void)i;
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, PAGE)) {
		perror("mmap/munmap");
		exit(1);
	}
}

static char *area; /* 16 touched pages; page 8 flips between read-only and read-write */

static void mprotect_flip(long i)
{
	int prot = i % 2 ? PROT_READ | PROT_WRITE : PROT_READ;

	if (mprotect(area + 8 * PAGE, PAGE, prot)) {
		perror("mprotect");
		exit(1);
	}
}

static void getpid_call(long i)
{
	(void)i;
	syscall(SYS_getpid);
}

/* usage: syscalls [ms] — time spent on each measurement, default 500 */
int main(int argc, char **argv)
{
	long ms = arg_long(argc, argv, 1, 500);

	clock_warm();
	result("mmap_munmap", rate(mmap_pair, ms), "pairs/s");
	area = map_rw(16 * PAGE, 0);
	touch_pages(area, 16);
	result("mprotect", rate(mprotect_flip, ms), "calls/s");
	result("syscall", 1e9 / rate(getpid_call, ms), "ns");
	return 0;
}
