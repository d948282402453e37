/* Demand-zero faults: fresh anonymous memory through mmap and through malloc, touched once per
 * page and given back; ns per page for the touches alone and for the whole cycle. */
#include <sys/mman.h>

#include "bench.h"

#define MAX_ROUNDS 32

/* One round through mmap: returns touch and whole-cycle ns for npages pages. */
static void round_mmap(size_t npages, double *touch, double *cycle)
{
	uint64_t t0 = now_ns();
	char *p = map_rw(npages * PAGE, 0);
	uint64_t t1 = now_ns();
	touch_pages(p, npages);
	uint64_t t2 = now_ns();
	munmap(p, npages * PAGE);
	uint64_t t3 = now_ns();
	*touch = (double)(t2 - t1) / (double)npages;
	*cycle = (double)(t3 - t0) / (double)npages;
}

/* The same through one malloc() (musl serves a block this large with its own mmap). */
static void round_malloc(size_t npages, double *touch, double *cycle)
{
	uint64_t t0 = now_ns();
	char *p = malloc(npages * PAGE);

	if (!p) {
		perror("malloc");
		exit(1);
	}
	uint64_t t1 = now_ns();
	touch_pages(p, npages);
	uint64_t t2 = now_ns();
	free(p);
	uint64_t t3 = now_ns();
	*touch = (double)(t2 - t1) / (double)npages;
	*cycle = (double)(t3 - t0) / (double)npages;
}

/* usage: dzero [MiB [rounds]] — defaults 64 MiB, 5 rounds */
int main(int argc, char **argv)
{
	size_t npages = (size_t)arg_long(argc, argv, 1, 64) * MIB / PAGE;
	int rounds = (int)arg_long(argc, argv, 2, 5);
	double touch[MAX_ROUNDS], cycle[MAX_ROUNDS];

	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 5;
	clock_warm();
	/* A round not counted: the first touch of memory that the machine under the system measured
	 * never used costs the host (or hypervisor) its own faults, which are not the pager's. */
	round_mmap(npages, &touch[0], &cycle[0]);
	for (int i = 0; i < rounds; i++)
		round_mmap(npages, &touch[i], &cycle[i]);
	result("dzero_mmap_touch", median(touch, rounds), "ns/page");
	result("dzero_mmap_cycle", median(cycle, rounds), "ns/page");
	for (int i = 0; i < rounds; i++)
		round_malloc(npages, &touch[i], &cycle[i]);
	result("dzero_malloc_touch", median(touch, rounds), "ns/page");
	result("dzero_malloc_cycle", median(cycle, rounds), "ns/page");
	return 0;
}
