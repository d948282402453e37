/* What the user test programs share: Linux errno names and a checked fact that counts failures,
 * so every program reports the same way on Linux and on SOS. Header-only: each program is one file.
 */
#pragma once
#include <errno.h>
#include <stdio.h>

static int failures; /* facts that did not hold */

/* The name of errno value e ("EINVAL"), or "E<number>" for one no test expects. */
static inline const char *ename(long e)
{
	static char buf[24];

	switch (e) {
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EIO:
		return "EIO";
	case EBADF:
		return "EBADF";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	case EACCES:
		return "EACCES";
	case EFAULT:
		return "EFAULT";
	case EBUSY:
		return "EBUSY";
	case EEXIST:
		return "EEXIST";
	case EINVAL:
		return "EINVAL";
	case ENOSYS:
		return "ENOSYS";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EOVERFLOW:
		return "EOVERFLOW";
	case ESRCH:
		return "ESRCH";
	case ENOTTY:
		return "ENOTTY";
	case ENODATA:
		return "ENODATA";
	case EXDEV:
		return "EXDEV";
	case EISDIR:
		return "EISDIR";
	case ENOTDIR:
		return "ENOTDIR";
	case EFBIG:
		return "EFBIG";
	case ENOSPC:
		return "ENOSPC";
	case ESPIPE:
		return "ESPIPE";
	case EROFS:
		return "EROFS";
	case EMFILE:
		return "EMFILE";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	case ELOOP:
		return "ELOOP";
	case ENOTEMPTY:
		return "ENOTEMPTY";
	case ETXTBSY:
		return "ETXTBSY";
	case ENFILE:
		return "ENFILE";
	case ERANGE:
		return "ERANGE";
	case E2BIG:
		return "E2BIG";
	case ENXIO:
		return "ENXIO";
	case EDQUOT:
		return "EDQUOT";
	case EMLINK:
		return "EMLINK";
	case ENODEV:
		return "ENODEV";
	case EBADFD:
		return "EBADFD";
	case ECHILD:
		return "ECHILD";
	case EINTR:
		return "EINTR";
	case ENOEXEC:
		return "ENOEXEC";
	case EPIPE:
		return "EPIPE";
	case ESTALE:
		return "ESTALE";
	case EDEADLK:
		return "EDEADLK";
	case ENOLCK:
		return "ENOLCK";
	}
	snprintf(buf, sizeof(buf), "E%ld", e);
	return buf;
}

/* Print "what: yes" or "what: no", counting a failure for no. */
static inline void fact(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "yes" : "no");
	if (!ok)
		failures++;
}

/* A raw system call's result (syscall() or a libc wrapper): the value, or -errno. */
static inline long neg_errno(long r)
{
	return r == -1 ? -errno : r;
}

/* Print a result, its value or its errno name, counting a failure unless it is want. */
static inline void show_result(const char *what, long r, long want)
{
	if (r < 0)
		printf("%s: %s\n", what, ename(-r));
	else
		printf("%s: %ld\n", what, r);
	if (r != want)
		failures++;
}
