/* page_shuffle MIB RECORD: a random permutation (Fisher-Yates, a fixed-seed generator) of an
 * array of MIB MiB (more than RAM) of RECORD-byte records, each holding its first index and a
 * pattern of it, so that nearly every swap touches a page far from the last; then every record
 * is checked to be whole and present once, and the order's checksum printed. As Pintos'
 * page-shuffle, on an array that does not fit. Owned by kernel/mm (swap). */
#include "include/paging.h"

#define SEED 0x9e3779b97f4a7c15ul

/* Word j of the record first at index i (word 0 is i itself). */
static unsigned long rec_word(unsigned long i, unsigned long j)
{
	return j ? page_key(5, i) + j * 0xd6e8feb86659fd93ul : i;
}

/* Swap records a and b of w words each. */
static void swap_records(unsigned long *m, unsigned long a, unsigned long b, unsigned long w)
{
	unsigned long *x = m + a * w, *y = m + b * w;

	for (unsigned long j = 0; j < w; j++) {
		unsigned long t = x[j];

		x[j] = y[j];
		y[j] = t;
	}
}

/* Records of m (n of w words) not whole, or not the only one of their index; the order's
 * checksum into *sum. */
static unsigned long bad_records(const unsigned long *m, unsigned long n, unsigned long w,
                                 unsigned long *sum)
{
	unsigned char *seen = calloc(n / 8 + 1, 1);
	unsigned long bad = 0;

	if (!seen)
		return n;
	for (unsigned long p = 0; p < n; p++) {
		const unsigned long *r = m + p * w;
		unsigned long i = r[0], diff = 0;

		for (unsigned long j = 1; j < w && i < n; j++)
			diff |= r[j] ^ rec_word(i, j);
		if (i >= n || diff || (seen[i / 8] >> (i % 8) & 1))
			bad++;
		else
			seen[i / 8] |= (unsigned char)(1 << (i % 8));
		*sum = (*sum ^ i) * 1099511628211ul;
	}
	free(seen);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long mib = arg_count(argc, argv, 1, 80), rec = arg_count(argc, argv, 2, 4096);
	unsigned long w = rec / sizeof(unsigned long), n = mib * MIB / rec, rng = SEED,
	              sum = SUM_START;

	proc_setup();
	if (rec % sizeof(unsigned long) || PAGE % rec)
		return 2;
	unsigned long *m = anon_map(mib * MIB);
	for (unsigned long i = 0; i < n; i++)
		for (unsigned long j = 0; j < w; j++)
			m[i * w + j] = rec_word(i, j);
	for (unsigned long i = n - 1; i > 0; i--)
		swap_records(m, i, rng_next(&rng) % (i + 1), w);
	printf("shuffled %lu records of %lu bytes\n", n, rec);
	fact("every record whole and there once", bad_records(m, n, w, &sum) == 0);
	printf("checksum of the order %016lx\n", sum);
	return failures != 0;
}
