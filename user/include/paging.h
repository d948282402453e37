/* What the paging test programs (page_*.c, swap_*.c, thrash.c) share: memory bigger than RAM,
 * a page pattern any process can recompute, and checks by checksum. Sizes come from the command
 * line, never from the machine, so that Linux and SOS print the same. Header-only. */
#pragma once
#include "proc.h"
#include <sys/mman.h>

#define PAGE       4096ul
#define PAGE_WORDS (PAGE / sizeof(unsigned long))
#define MIB        (1ul << 20)

/* A private anonymous mapping of n bytes, or the test ends saying why. */
static inline unsigned long *anon_map(unsigned long n)
{
	void *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		printf("mmap %lu MiB: %s\n", n / MIB, ename(errno));
		exit(1);
	}
	return m;
}

/* Argument i as a count (MiB, processes, passes), or fallback when absent; the test ends on a
 * malformed one rather than run with a size nobody asked for. */
static inline unsigned long arg_count(int argc, char **argv, int i, unsigned long fallback)
{
	char *end;
	unsigned long v;

	if (i >= argc)
		return fallback;
	v = strtoul(argv[i], &end, 10);
	if (*end || end == argv[i] || v == 0) {
		printf("bad argument '%s'\n", argv[i]);
		exit(2);
	}
	return v;
}

/* splitmix64's finalizer: neighbouring inputs give unrelated outputs. */
static inline unsigned long mix64(unsigned long x)
{
	x += 0x9e3779b97f4a7c15ul;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ul;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebul;
	return x ^ (x >> 31);
}

/* The first word of page pg of the pattern of seed; word i of the page is key + i * odd, so
 * a page that lands at another index, another process's page or a zero page all differ. */
static inline unsigned long page_key(unsigned long seed, unsigned long pg)
{
	return mix64(seed * 0x100000001b3ul ^ pg);
}

/* Write the pattern of seed into pages first..first+n-1 of m. */
static inline void fill_pages(unsigned long *m, unsigned long first, unsigned long n,
                              unsigned long seed)
{
	for (unsigned long pg = first; pg < first + n; pg++) {
		unsigned long key = page_key(seed, pg), *w = m + pg * PAGE_WORDS;

		for (unsigned long i = 0; i < PAGE_WORDS; i++)
			w[i] = key + i * 0xd6e8feb86659fd93ul;
	}
}

/* Whether page pg of m holds the pattern of seed; its words go into checksum *sum as they are
 * read (FNV-1a a word at a time), so one pass both checks and sums. */
static inline int page_check(const unsigned long *m, unsigned long pg, unsigned long seed,
                             unsigned long *sum)
{
	unsigned long key = page_key(seed, pg), diff = 0, h = *sum;
	const unsigned long *w = m + pg * PAGE_WORDS;

	for (unsigned long i = 0; i < PAGE_WORDS; i++) {
		diff |= w[i] ^ (key + i * 0xd6e8feb86659fd93ul);
		h = (h ^ w[i]) * 1099511628211ul;
	}
	*sum = h;
	return diff == 0;
}

/* How many of pages first..first+n-1 of m do not hold the pattern of seed, checksumming them
 * into *sum. */
static inline unsigned long bad_pages(const unsigned long *m, unsigned long first, unsigned long n,
                                      unsigned long seed, unsigned long *sum)
{
	unsigned long bad = 0;

	for (unsigned long pg = first; pg < first + n; pg++)
		bad += !page_check(m, pg, seed, sum);
	return bad;
}

#define SUM_START 1469598103934665603ul /* FNV-1a's offset basis: where every checksum starts */

/* xorshift64: the fixed-seed generator of the tests that need chance (never 0 from seed != 0). */
static inline unsigned long rng_next(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}
