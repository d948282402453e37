/* The floor under a demand-zero fault: zeroing 4 KiB pages, streaming through a buffer larger
 * than the caches and hot in cache: musl's memset, rep stosb, rep stosq, non-temporal stores. */
#include <emmintrin.h>
#include <sys/mman.h>

#include "bench.h"

#define ROUNDS   3
#define HOT_REPS 4096

static void zero_memset(char *p)
{
	memset(p, 0, PAGE);
	__asm__ volatile("" : : "r"(p) : "memory"); /* the stores must happen */
}

static void zero_stosb(char *p)
{
	size_t n = PAGE;

	__asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(0) : "memory");
}

static void zero_stosq(char *p)
{
	size_t n = PAGE / 8;

	__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(0) : "memory");
}

static void zero_movnti(char *p)
{
	long long *q = (long long *)p;

	for (size_t i = 0; i < PAGE / sizeof(*q); i += 4) {
		_mm_stream_si64(q + i, 0);
		_mm_stream_si64(q + i + 1, 0);
		_mm_stream_si64(q + i + 2, 0);
		_mm_stream_si64(q + i + 3, 0);
	}
	_mm_sfence();
}

/* Median ns per 4 KiB page of zero over npages pages of buf, ROUNDS passes. */
static double streaming(void (*zero)(char *), char *buf, size_t npages)
{
	double v[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns();

		for (size_t i = 0; i < npages; i++)
			zero(buf + i * PAGE);
		v[r] = (double)(now_ns() - t0) / (double)npages;
	}
	return median(v, ROUNDS);
}

/* Median ns per 4 KiB of zero on the same page HOT_REPS times. */
static double hot(void (*zero)(char *), char *page)
{
	double v[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns();

		for (int i = 0; i < HOT_REPS; i++)
			zero(page);
		v[r] = (double)(now_ns() - t0) / HOT_REPS;
	}
	return median(v, ROUNDS);
}

/* usage: zero [MiB] — the streaming buffer, default 128 (four times this machine's L3) */
int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(char *);
	} ways[] = {{"memset", zero_memset},
	            {"stosb", zero_stosb},
	            {"stosq", zero_stosq},
	            {"movnti", zero_movnti}};
	size_t npages = (size_t)arg_long(argc, argv, 1, 128) * MIB / PAGE;
	char *buf = map_rw(npages * PAGE, 0);
	char name[64];

	clock_warm();
	touch_pages(buf, npages); /* no fault inside the measurement */
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		snprintf(name, sizeof(name), "zero_stream_%s", ways[i].name);
		result(name, streaming(ways[i].fn, buf, npages), "ns/4KiB");
		snprintf(name, sizeof(name), "zero_hot_%s", ways[i].name);
		result(name, hot(ways[i].fn, buf), "ns/4KiB");
	}
	return 0;
}
