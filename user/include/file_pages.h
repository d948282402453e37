/* What the file-mapping test programs share (mm_file, mm_truncate): a page is shown by its first
 * byte, through a mapping, through pread or through mincore, printed and checked. */
#pragma once
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
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

/* Make the file name with three pages starting 'a', 'b', 'c', and map it whole shared (*s) and
 * private (*p); the fd, with "mapped: yes" printed and checked. */
static inline int three_pages(const char *name, char **s, char **p)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char page[PG];

	for (long i = 0; i < 3; i++) {
		memset(page, 0, sizeof(page));
		page[0] = (char)('a' + i);
		if (pwrite(fd, page, PG, i * PG) != PG)
			fact("pwrite", 0);
	}
	*s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	*p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	fact("mapped", *s != MAP_FAILED && *p != MAP_FAILED);
	return fd;
}
