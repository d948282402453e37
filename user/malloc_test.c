/* malloc_test: musl's malloc through the pager — brk-backed small blocks, mmap-backed blocks well
 * beyond 112 KiB, calloc zeroing, realloc growth to 32 MiB. Owned by the user/tests part. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void fact(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "yes" : "no");
	if (!ok)
		failures++;
}

/* The byte at offset i of a block stamped with seed. */
static unsigned char pattern(uint32_t seed, size_t i)
{
	return (unsigned char)(seed * 131u + i * 7u + (i >> 12) * 13u + 1u);
}

/* Stamps p[from..n) with seed. */
static void fill_from(unsigned char *p, size_t from, size_t n, uint32_t seed)
{
	for (size_t i = from; i < n; i++)
		p[i] = pattern(seed, i);
}

static void fill(unsigned char *p, size_t n, uint32_t seed)
{
	fill_from(p, 0, n, seed);
}

/* Returns 1 if p[0..n) still carries the stamp of seed. */
static int verify(const unsigned char *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pattern(seed, i))
			return 0;
	return 1;
}

/* FNV-1a over the block: printed so a wrong page shows up as a different number. */
static uint32_t checksum(uint32_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static const size_t sizes[] = {
    1,      7,      16,     24,     100,    1000,   4095,   4096,   4097,    10000,   65536,
    100000, 114688, 120000, 131052, 131072, 131073, 200000, 500000, 1 << 20, 3 << 20, 5000000,
};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* Many sizes, all live at once, then freed in two interleaved passes. */
static void sizes_test(void)
{
	unsigned char *blk[NSIZES];
	int aligned = 1, stamped = 1;
	uint32_t sum = 2166136261u;
	size_t total = 0;

	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < NSIZES; i++) {
			blk[i] = malloc(sizes[i]);
			if (!blk[i]) {
				printf("malloc(%zu): NULL, errno %d\n", sizes[i], errno);
				exit(1);
			}
			aligned &= ((uintptr_t)blk[i] % 16) == 0;
			fill(blk[i], sizes[i], (uint32_t)(round * 100 + i));
			total += sizes[i];
		}
		for (size_t i = 0; i < NSIZES; i++) {
			stamped &= verify(blk[i], sizes[i], (uint32_t)(round * 100 + i));
			sum = checksum(sum, blk[i], sizes[i]);
		}
		for (size_t i = 0; i < NSIZES; i += 2)
			free(blk[i]);
		for (size_t i = 1; i < NSIZES; i += 2)
			free(blk[i]);
	}
	printf("sizes: %zu blocks of %zu sizes (1 B to %zu B), %zu bytes in all\n", 3 * NSIZES,
	       NSIZES, sizes[NSIZES - 1], total);
	fact("sizes: every block 16-byte aligned", aligned);
	fact("sizes: every block kept its contents", stamped);
	printf("sizes: checksum %08x\n", sum);
}

/* Thousands of small blocks, freed in a scrambled order, the survivors checked each time. */
static void small_test(void)
{
	enum { N = 20000 };
	static unsigned char *p[N];
	static size_t len[N];
	uint32_t rng = 12345, sum = 2166136261u;
	int ok = 1;

	for (int i = 0; i < N; i++) {
		rng = rng * 1103515245u + 12345u;
		len[i] = 1 + (rng >> 16) % 300;
		p[i] = malloc(len[i]);
		if (!p[i]) {
			printf("small: malloc failed at %d\n", i);
			exit(1);
		}
		fill(p[i], len[i], (uint32_t)i);
	}
	/* free every block whose index is picked by a step coprime with N */
	for (int k = 0, i = 0; k < N / 2; k++, i = (i + 7919) % N) {
		ok &= verify(p[i], len[i], (uint32_t)i);
		free(p[i]);
		p[i] = NULL;
	}
	for (int i = 0; i < N; i++) {
		if (!p[i])
			continue;
		ok &= verify(p[i], len[i], (uint32_t)i);
		sum = checksum(sum, p[i], len[i]);
		free(p[i]);
	}
	printf("small: %d blocks of 1..300 bytes\n", N);
	fact("small: every block kept its contents", ok);
	printf("small: checksum %08x\n", sum);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* calloc must give zeros, both fresh (mmap) and reused (dirty brk heap) memory. */
static void calloc_test(void)
{
	static const size_t n[] = {1, 100, 4096, 20000, 131072, 1 << 20, 6 << 20};
	int zero = 1;

	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
			unsigned char *p = calloc(n[i], 1);
			unsigned char *q = calloc(1, n[i]);
			if (!p || !q) {
				printf("calloc(%zu): NULL\n", n[i]);
				exit(1);
			}
			zero &= all_zero(p, n[i]) && all_zero(q, n[i]);
			/* dirty them, so that the next round's calloc reuses dirty memory */
			memset(p, 0xa5, n[i]);
			memset(q, 0x5a, n[i]);
			free(q);
			free(p);
		}
	}
	fact("calloc: zeroed, fresh and reused", zero);
	volatile size_t huge = SIZE_MAX / 2; /* volatile: hide the overflow from the compiler */
	errno = 0;
	void *big = calloc(huge, 4);
	fact("calloc: size overflow gives NULL and ENOMEM", big == NULL && errno == ENOMEM);
}

/* realloc from 16 bytes up to 32 MiB (musl moves big blocks with mremap), then back down. */
static void realloc_test(void)
{
	size_t n = 16, steps = 0;
	unsigned char *p = malloc(n), *q;
	int kept = 1;

	if (!p)
		exit(1);
	fill(p, n, 7);
	while (n < (32u << 20)) {
		size_t m = n * 2 + n / 3; /* odd sizes, not only powers of two */
		if (m > (32u << 20))
			m = 32u << 20;
		q = realloc(p, m);
		if (!q) {
			printf("realloc(%zu): NULL\n", m);
			exit(1);
		}
		p = q;
		kept &= verify(p, n, 7);
		fill_from(p, n, m, 7);
		n = m;
		steps++;
	}
	printf("realloc: %zu steps from 16 B to %zu MiB\n", steps, n >> 20);
	fact("realloc: growth kept the contents", kept);
	printf("realloc: checksum %08x\n", checksum(2166136261u, p, n));
	q = realloc(p, 1000);
	if (!q)
		exit(1);
	p = q;
	fact("realloc: shrink to 1000 B kept the contents", verify(p, 1000, 7));
	free(p);
}

int main(void)
{
	/* line-buffered, so that when SOS kills the program the last line shows how far it got */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sizes_test();
	small_test();
	calloc_test();
	realloc_test();
	printf("malloc_test: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
