/* What the file-call test programs (user/t_*.c) share: the name of every errno a file call gives,
 * and one way to print a call and its result, so that a run compares with the oracle's line by
 * line. Header-only: each program is one file. Programs print values, never inode numbers or times
 * of now.
 */
#pragma once
#include "check.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The symbolic name of errno value e (check.h's table), or "E<number>" for one no test expects. */
static inline const char *errname(int e)
{
	return ename(e);
}

/* Print "what = R" for a result R >= 0, or "what = ENAME" for -1 and its errno; return r with
 * errno kept, so a test can go on with it. */
static inline long show(const char *what, long r)
{
	int e = errno;

	if (r == -1)
		printf("%s = %s\n", what, errname(e));
	else
		printf("%s = %ld\n", what, r);
	fflush(stdout);
	errno = e;
	return r;
}

/* A call and its result, labelled by the call's own text. */
#define T(call) show(#call, (long)(call))

/* Print a line, flushed at once: a run killed later still shows what it printed before. */
__attribute__((format(printf, 1, 2))) static inline void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* The fields of a stat that SOS and the oracle can agree on: type and mode, links, owner, size
 * and blocks (no inode, device or times: a test that sets a time prints it itself). */
static inline void show_stat(const char *what, const struct stat *st)
{
	say("%s: mode %o nlink %lu uid %u gid %u size %lld blocks %lld\n", what,
	    (unsigned)st->st_mode, (unsigned long)st->st_nlink, (unsigned)st->st_uid,
	    (unsigned)st->st_gid, (long long)st->st_size, (long long)st->st_blocks);
}

/* stat path and show it (or its error). */
static inline void stat_of(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		show_stat(path, &st);
	else
		say("%s: %s\n", path, errname(errno));
}

/* Write a whole string to a new file path (created 0644, truncated); -1 on error. */
static inline int put_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(s, f);
	return fclose(f) == 0 ? 0 : -1;
}

/* The first n bytes of file path, as a printable string in buf; "-" on error. */
static inline const char *head_of(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t k = f ? fread(buf, 1, n - 1, f) : 0;

	if (!f)
		return "-";
	fclose(f);
	buf[k] = '\0';
	for (size_t i = 0; i < k; i++)
		if (buf[i] == '\n')
			buf[i] = '|';
	return buf;
}
