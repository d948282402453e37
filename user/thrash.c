/* thrash MIB PASSES: a loop over a working set a little bigger than RAM, PASSES times in the same
 * order (the reference string that defeats LRU-like replacement). Every pass checks each page and
 * its sum, and bumps the write count kept in word 0 of every fourth page (a different quarter
 * each pass), so that evicted pages are dirty or clean by turns. Owned by kernel/mm (swap). */
#include "include/paging.h"

/* Times page pg has been written after pass passes (each pass bumps a quarter of the pages). */
static unsigned long writes(unsigned long pg, unsigned long passes)
{
	unsigned long n = 0;

	for (unsigned long p = 0; p < passes; p++)
		n += (pg + p) % 4 == 0;
	return n;
}

/* Whether page pg holds the pattern of seed 1 with count in word 0 instead; the page's words
 * go into *sum. */
static int page_right(const unsigned long *m, unsigned long pg, unsigned long count,
                      unsigned long *sum)
{
	const unsigned long *w = m + pg * PAGE_WORDS;
	unsigned long key = page_key(1, pg), diff = w[0] ^ count, h = *sum;

	for (unsigned long i = 1; i < PAGE_WORDS; i++)
		diff |= w[i] ^ (key + i * 0xd6e8feb86659fd93ul);
	for (unsigned long i = 0; i < PAGE_WORDS; i++)
		h = (h ^ w[i]) * 1099511628211ul;
	*sum = h;
	return diff == 0;
}

int main(int argc, char **argv)
{
	unsigned long mib = arg_count(argc, argv, 1, 80), passes = arg_count(argc, argv, 2, 3);
	unsigned long pages = mib * MIB / PAGE, *m = anon_map(mib * MIB);

	proc_setup();
	fill_pages(m, 0, pages, 1);
	for (unsigned long pg = 0; pg < pages; pg++)
		m[pg * PAGE_WORDS] = 0;
	printf("%lu MiB, %lu passes\n", mib, passes);
	for (unsigned long p = 0; p <= passes; p++) {
		unsigned long bad = 0, sum = SUM_START;

		for (unsigned long pg = 0; pg < pages; pg++) {
			bad += !page_right(m, pg, writes(pg, p), &sum);
			if (p < passes && (pg + p) % 4 == 0)
				m[pg * PAGE_WORDS]++;
		}
		printf("pass %lu: %lu bad pages, checksum %016lx\n", p, bad, sum);
		failures += bad != 0;
	}
	return failures != 0;
}
