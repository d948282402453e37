/* The reference strings of the swap benchmark's workloads (bench/swap.c), generated step by step
 * from a fixed seed, the same on SOS, on Linux and on the host (bench/refsim_main.c). */
#pragma once
#include <stdint.h>
#include <string.h>

/* A workload's string: page numbers 0..pages-1 of one region. The first `pages` references write
 * every page once, in order (each a demand-zero fault, never a page-in); the rest read. Sizes
 * are in pages of RAM (mem, the guest's --mem): every region is larger than RAM. */
struct swapref {
	int kind;
	uint32_t mem, pages;
	uint32_t hot, scan; /* scanhot: hot pages 0..hot-1, scan pages hot..hot+scan-1 */
	uint32_t mult;      /* zipf: rank -> page, (rank * mult) % pages, mult prime to pages */
	uint64_t step, n;   /* references made, references in all */
	uint64_t rng;       /* xorshift64* state */
	uint64_t scan_next; /* scanhot: scan references made */
};

enum { SWAPREF_SEQ, SWAPREF_LOOP, SWAPREF_RANDOM, SWAPREF_ZIPF, SWAPREF_SCANHOT, SWAPREF_KINDS };

static const char *const swapref_names[SWAPREF_KINDS] = {"seq", "loop", "random", "zipf",
                                                         "scanhot"};

/* The scanhot workload's rounds: a hot phase of 4 * hot references to random hot pages, then a
 * scan burst of mem scan pages, with one hot reference after every 4th scan page. Each scan page
 * is read once (after its write): every policy, OPT too, reads it back from swap once. */
#define SWAPREF_ROUNDS 3

/* xorshift64*: the next pseudo-random number of g. */
static inline uint64_t swapref_rand(struct swapref *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 2685821657736338717ULL;
}

static inline uint32_t swapref_gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Set g to the start of the workload called name for mem pages of RAM; 0, or -1 for no such
 * workload. seq: 1.5x RAM, read twice in order; loop: 1.125x RAM, read 4 times in order;
 * random: 1.5x RAM, 2 references per page, uniform; zipf: 2x RAM, 8 references per page, page
 * of rank r (scattered) with probability about 1/r; scanhot: RAM/4 hot pages and SWAPREF_ROUNDS
 * times RAM of scan pages, SWAPREF_ROUNDS rounds. */
static inline int swapref_init(struct swapref *g, const char *name, uint32_t mem)
{
	int k;

	for (k = 0; k < SWAPREF_KINDS && strcmp(name, swapref_names[k]) != 0; k++)
		;
	if (k == SWAPREF_KINDS || mem < 16)
		return -1;
	memset(g, 0, sizeof(*g));
	g->kind = k;
	g->mem = mem;
	g->rng = 0x5eed0000ULL + (uint64_t)k;
	switch (k) {
	case SWAPREF_SEQ:
		g->pages = mem / 2 * 3;
		g->n = 3ULL * g->pages;
		break;
	case SWAPREF_LOOP:
		g->pages = mem + mem / 8;
		g->n = 5ULL * g->pages;
		break;
	case SWAPREF_RANDOM:
		g->pages = mem / 2 * 3;
		g->n = 3ULL * g->pages;
		break;
	case SWAPREF_ZIPF:
		g->pages = 2 * mem;
		g->n = 9ULL * g->pages;
		for (g->mult = 7919; swapref_gcd(g->mult, g->pages) != 1; g->mult += 2)
			;
		break;
	default:
		g->hot = mem / 4;
		g->scan = SWAPREF_ROUNDS * mem;
		g->pages = g->hot + g->scan;
		g->n = g->pages + SWAPREF_ROUNDS * (4ULL * g->hot + mem + mem / 4);
		break;
	}
	return 0;
}

/* The page of zipf's rank r. */
static inline uint32_t swapref_zipf_page(const struct swapref *g, uint32_t r)
{
	return (uint32_t)((uint64_t)r * g->mult % g->pages);
}

/* For the workloads whose reads are independent draws from a fixed distribution (random, zipf):
 * how unlikely a read of the page of zipf rank r (random: page r) is, as the number of pages
 * sharing its chance (more pages, a smaller chance each; UINT32_MAX: never read). 0 for the
 * other workloads, whose reads depend on the ones before. */
static inline uint32_t swapref_rarity(const struct swapref *g, uint32_t r)
{
	uint32_t levels = 0;

	if (g->kind == SWAPREF_RANDOM)
		return g->pages;
	if (g->kind != SWAPREF_ZIPF)
		return 0;
	while ((2ULL << levels) - 1 <= g->pages)
		levels++;
	for (uint32_t l = 0; l < levels; l++)
		if (r <
		    (2ULL << l) - 1) /* level l: ranks 2^l-1 .. 2^(l+1)-2, drawn as swapref_zipf */
			return 1U << l;
	return UINT32_MAX;
}

/* zipf: a rank whose level l (ranks 2^l-1 .. 2^(l+1)-2) is uniform over the levels, so that
 * each rank is drawn with probability about 1/(rank+1) (Zipf's law, exponent 1). */
static inline uint32_t swapref_zipf(struct swapref *g)
{
	uint32_t levels = 0;

	while ((2ULL << levels) - 1 <= g->pages)
		levels++;
	uint32_t l = (uint32_t)(swapref_rand(g) % levels);
	uint64_t lo = (1ULL << l) - 1, hi = (2ULL << l) - 1;
	if (hi > g->pages)
		hi = g->pages;
	return swapref_zipf_page(g, (uint32_t)(lo + swapref_rand(g) % (hi - lo)));
}

/* scanhot after the writes: step i of the rounds. */
static inline uint32_t swapref_scanhot(struct swapref *g, uint64_t i)
{
	uint64_t round = 4ULL * g->hot + g->mem + g->mem / 4, j = i % round;

	if (j < 4ULL * g->hot || (j - 4ULL * g->hot) % 5 == 4)
		return (uint32_t)(swapref_rand(g) % g->hot);
	return g->hot + (uint32_t)(g->scan_next++ % g->scan);
}

/* The next page of g's string, or -1 after the last. */
static inline int64_t swapref_next(struct swapref *g)
{
	if (g->step >= g->n)
		return -1;
	uint64_t i = g->step++;
	if (i < g->pages)
		return (int64_t)i;
	i -= g->pages;
	switch (g->kind) {
	case SWAPREF_SEQ:
	case SWAPREF_LOOP:
		return (int64_t)(i % g->pages);
	case SWAPREF_RANDOM:
		return (int64_t)(swapref_rand(g) % g->pages);
	case SWAPREF_ZIPF:
		return swapref_zipf(g);
	default:
		return swapref_scanhot(g, i);
	}
}
