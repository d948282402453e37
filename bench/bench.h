/* What every benchmark program shares: the clock (CLOCK_MONOTONIC, the TSC on SOS), medians and
 * the machine-readable output line "RESULT name value unit" that bench/run.sh collects. */
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE 4096UL
#define MIB  (1UL << 20)

/* Nanoseconds on CLOCK_MONOTONIC. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* SOS calibrates its TSC on the first clock read (10 ms): pay that before measuring anything. */
static inline void clock_warm(void)
{
	(void)now_ns();
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n) (sorts v). */
static inline double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One line for bench/run.sh; the output is flushed so nothing is lost if the program dies. */
static inline void result(const char *name, double value, const char *unit)
{
	printf("RESULT %s %.6g %s\n", name, value, unit);
	fflush(stdout);
}

/* Write one byte into each of the npages pages from p: one demand-zero fault per page. */
static inline void touch_pages(volatile char *p, size_t npages)
{
	for (size_t i = 0; i < npages; i++)
		p[i * PAGE] = 1;
}

/* A fresh private anonymous read-write mapping of size bytes, with extra MAP_* flags; without
 * its memory a benchmark measures nothing, so the program exits when there is none. */
static inline char *map_rw(size_t size, int extra)
{
	char *p =
	    mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

/* The integer argument i of argv, or def when it is absent. */
static inline long arg_long(int argc, char **argv, int i, long def)
{
	return argc > i ? strtol(argv[i], NULL, 0) : def;
}
