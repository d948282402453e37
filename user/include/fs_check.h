/* What the fs_*.c test programs share: every call printed with its result (a value or the errno's
 * name), so that a run compares with the oracle's line by line. Header-only: each program is one
 * file. Programs print values and names, never inode numbers, times or fd numbers of their own.
 */
#pragma once
#include "check.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The name of errno value e (check.h's table), or "E<number>". */
static inline const char *errno_name(int e)
{
	return ename(e);
}

/* Up to n - 1 bytes read from fd as a string ("" at end of file, the errno's name for an error). */
static inline const char *read_str(int fd, char *buf, size_t n)
{
	ssize_t r = read(fd, buf, n - 1);
	if (r < 0)
		return errno_name(errno);
	buf[r] = '\0';
	return buf;
}

/* Print "what = result" (the errno's name when the call failed) and return the result. */
static inline long say_result(const char *what, long r)
{
	if (r < 0)
		printf("%s = %s\n", what, errno_name(errno));
	else
		printf("%s = %ld\n", what, r);
	fflush(stdout);
	return r;
}

/* Run a call that returns -1 and sets errno on failure, and print it. */
#define R(call) (errno = 0, say_result(#call, (long)(call)))

/* The same for a call whose success value varies (an fd): print 0 or the errno's name. */
#define OK(call) (errno = 0, say_ok(#call, (long)(call)))

static inline long say_ok(const char *what, long r)
{
	if (r < 0)
		printf("%s = %s\n", what, errno_name(errno));
	else
		printf("%s = ok\n", what);
	fflush(stdout);
	return r;
}
