/* The host side of the swap benchmark: regenerates a workload's reference string (bench/swapref.h)
 * and prints the page-ins of Belady's OPT, LRU and kernel/mm's policies on it, simulated
 * (tests/unit/refsim.c) with a given number of frames. Built for the host, not for the guests. */
#include <stdio.h>
#include <stdlib.h>

#include "../bench/swapref.h"
#include "refsim.h"

/* The string of workload name for mem pages of RAM, in a new array; *n its length. */
static uint32_t *string_of(const char *name, uint32_t mem, size_t *n, uint32_t *pages)
{
	struct swapref g;
	int64_t p;

	if (swapref_init(&g, name, mem) != 0)
		return NULL;
	uint32_t *refs = malloc(g.n * sizeof(uint32_t));
	if (!refs)
		return NULL;
	*n = 0;
	while ((p = swapref_next(&g)) >= 0)
		refs[(*n)++] = (uint32_t)p;
	*pages = g.pages;
	return refs;
}

/* Each page's rarity for refsim_irm (the workload's reads are independent draws), in a new
 * array; NULL when they are not. */
static uint32_t *rarity_of(const char *name, uint32_t mem)
{
	struct swapref g;

	if (swapref_init(&g, name, mem) != 0 || swapref_rarity(&g, 0) == 0)
		return NULL;
	uint32_t *rarity = malloc(g.pages * sizeof(uint32_t));
	for (uint32_t r = 0; rarity && r < g.pages; r++)
		rarity[g.kind == SWAPREF_ZIPF ? swapref_zipf_page(&g, r) : r] =
		    swapref_rarity(&g, r);
	return rarity;
}

/* usage: refsim_main WORKLOAD MEM_PAGES FRAMES: lines "NAME PAGE-INS" for opt, lru and every
 * policy of kernel/mm/evict.c, page-ins being faults less the first touch of each page (a
 * demand-zero fault, not a read from swap); "a0 N" too where the reads are independent draws (the
 * fewest page-ins a policy can expect without knowing the future); and "refs N", "pages N". */
int main(int argc, char **argv)
{
	static const char *const policies[] = {"clock", "fifo", "random", "2q"};
	size_t n;
	uint32_t pages;

	if (argc != 4) {
		fprintf(stderr, "usage: %s WORKLOAD MEM_PAGES FRAMES\n", argv[0]);
		return 2;
	}
	uint32_t mem = (uint32_t)strtoul(argv[2], NULL, 0);
	uint32_t frames = (uint32_t)strtoul(argv[3], NULL, 0);
	uint32_t *refs = string_of(argv[1], mem, &n, &pages);
	if (!refs || frames == 0) {
		fprintf(stderr, "%s: no workload %s, or no frames\n", argv[0], argv[1]);
		return 2;
	}
	printf("refs %zu\npages %u\n", n, pages);
	printf("opt %llu\n", (unsigned long long)(refsim_opt(refs, n, frames) - pages));
	printf("lru %llu\n", (unsigned long long)(refsim_lru(refs, n, frames) - pages));
	uint32_t *rarity = rarity_of(argv[1], mem);
	if (rarity)
		printf("a0 %llu\n",
		       (unsigned long long)(refsim_irm(refs, n, frames, rarity) - pages));
	free(rarity);
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		const struct evict_policy *p = evict_policy_named(policies[i]);
		printf("%s %llu\n", policies[i],
		       (unsigned long long)(refsim_policy(p, refs, n, frames, 1) - pages));
	}
	free(refs);
	return 0;
}
