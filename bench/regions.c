/* Region scaling: demand-zero fault cost while 10, 1,000 and 20,000 other regions are live
 * (one-page mappings alternating PROT_READ and PROT_READ|PROT_WRITE, so none merge). */
#include <sys/mman.h>

#include "bench.h"

#define ROUNDS 5

static long live; /* one-page regions created so far */

/* Add one-page mappings until n are live. */
static void grow_to(long n)
{
	for (; live < n; live++) {
		int prot = live % 2 ? PROT_READ | PROT_WRITE : PROT_READ;

		if (mmap(NULL, PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
	}
}

/* Median ns per demand-zero fault over ROUNDS fresh mappings of npages. */
static double fault_cost(size_t npages)
{
	double v[ROUNDS];

	for (int i = 0; i < ROUNDS; i++) {
		char *p = map_rw(npages * PAGE, 0);
		uint64_t t0 = now_ns();
		touch_pages(p, npages);
		uint64_t t1 = now_ns();
		munmap(p, npages * PAGE);
		v[i] = (double)(t1 - t0) / (double)npages;
	}
	return median(v, ROUNDS);
}

/* usage: regions [MiB] — MiB touched per round, default 16 */
int main(int argc, char **argv)
{
	static const long counts[] = {10, 1000, 20000};
	size_t npages = (size_t)arg_long(argc, argv, 1, 16) * MIB / PAGE;
	char name[64];

	clock_warm();
	(void)fault_cost(npages); /* not counted: warms the memory, as in dzero.c */
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		grow_to(counts[i]);
		snprintf(name, sizeof(name), "regions_%ld_touch", counts[i]);
		result(name, fault_cost(npages), "ns/page");
	}
	return 0;
}
