/* What the file-mapping test programs share (mm_file, mm_truncate): a page is shown by its first
 * byte, through a mapping, through pread or through mincore, printed and checked. */
#pragma once
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#define PG 4096L

/* Print a call's result, "0"/"ok" or its errno name, checked against want (0 or an errno). */
static inline void res(const char *what, long r, int want)
{
	int e = errno;

	printf("%s: %s\n", what, r != -1 ? "ok" : ename(e));
	if (want ? !(r == -1 && e == want) : r == -1)
		failures++;
}

/* The first byte of each of n pages from p ('.' for zero), printed and checked. */
static inline void show(const char *what, const char *p, long n, const char *want)
{
	char got[16];

	for (long i = 0; i < n; i++) {
		char c = ((const volatile char *)p)[i * PG];

		got[i] = c ? c : '.';
	}
	got[n] = 0;
	printf("%s: %s\n", what, got);
	if (strcmp(got, want))
		failures++;
}

/* The file's first byte of each of n pages, read with pread. */
static inline void file(const char *what, int fd, long n, const char *want)
{
	char got[16];

	for (long i = 0; i < n; i++) {
		char c = 0;

		if (pread(fd, &c, 1, i * PG) != 1)
			c = '-';
		got[i] = c ? c : '.';
	}
	got[n] = 0;
	printf("%s: %s\n", what, got);
	if (strcmp(got, want))
		failures++;
}

/* mincore of n pages from p as "0101" (or the errno), checked. */
static inline void core(const char *what, void *p, long n, const char *want)
{
	unsigned char v[16];
	char got[32];

	if (mincore(p, (size_t)(n * PG), v)) {
		snprintf(got, sizeof(got), "%s", ename(errno));
	} else {
		for (long i = 0; i < n; i++)
			got[i] = (char)('0' + v[i]);
		got[n] = 0;
	}
	printf("%s: %s\n", what, got);
	if (strcmp(got, want))
		failures++;
}
