/* Descriptors: dup, dup2, dup3, fcntl (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL,
 * F_SETFL, F_GETPIPE_SZ; the lock commands in sys_fs_lock.c) and close_range, with Linux's
 * answers at RLIMIT_NOFILE. */
#include "fs/pipe.h"
#include "sys/sys_fs.h"
#include <errno.h>

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_GETLK         5
#define F_SETLK         6
#define F_SETLKW        7
#define F_OFD_GETLK     36
#define F_OFD_SETLK     37
#define F_OFD_SETLKW    38
#define F_DUPFD_CLOEXEC 1030
#define F_GETPIPE_SZ    1032

/* The flags F_SETFL may change (Linux's SETFL_MASK). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

/* A new fd for f at or above min, below the process's limit. */
static long dup_from(struct proc *p, struct file *f, int min, bool cloexec)
{
	file_get(f);
	int fd = fd_alloc(p->fds, f, min, p->rlim[RLIMIT_NOFILE].cur, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_dup(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file_any(p, (int)a[0]);
	return f ? dup_from(p, f, 0, false) : -EBADF;
}

/* dup3's work: newfd becomes a copy of oldfd. */
static long dup_to(struct proc *p, int oldfd, uint64_t newfd, bool cloexec)
{
	if (newfd >= p->rlim[RLIMIT_NOFILE].cur || newfd >= FD_SETSIZE_MAX)
		return -EBADF;
	struct file *f = proc_file_any(p, oldfd);
	if (!f)
		return -EBADF;
	int err = fd_install(p->fds, (int)newfd, f, cloexec);
	return err ? err : (long)newfd;
}

long sys_dup2(struct proc *p, const uint64_t a[6])
{
	int oldfd = (int)a[0];
	if ((uint64_t)(unsigned)oldfd == (a[1] & 0xffffffff))
		return proc_file_any(p, oldfd) ? oldfd : -EBADF;
	return dup_to(p, oldfd, (unsigned)a[1], false);
}

long sys_dup3(struct proc *p, const uint64_t a[6])
{
	int flags = (int)a[2];
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if ((unsigned)a[0] == (unsigned)a[1])
		return -EINVAL;
	return dup_to(p, (int)a[0], (unsigned)a[1], flags & O_CLOEXEC);
}

/* F_SETFL: only SETFL_MASK's flags change; O_APPEND stays on an append-only file (none). */
static long set_fl(struct file *f, uint32_t flags)
{
	f->flags = (f->flags & ~(uint32_t)SETFL_MASK) | (flags & SETFL_MASK);
	return 0;
}

long sys_fcntl(struct proc *p, const uint64_t a[6])
{
	int fd = (int)a[0], cmd = (int)a[1];
	struct file *f = proc_file_any(p, fd);
	if (!f)
		return -EBADF;
	bool path = f->flags & O_PATH;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((unsigned)a[2] >= p->rlim[RLIMIT_NOFILE].cur) /* the argument is an unsigned */
			return -EINVAL;
		return dup_from(p, f, (int)(unsigned)a[2], cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_get_flags(p->fds, fd);
	case F_SETFD:
		return fd_set_flags(p->fds, fd, (int)a[2]);
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		return path ? -EBADF : set_fl(f, (uint32_t)a[2]);
	case F_GETPIPE_SZ:
		return pipe_is(f) ? (long)PIPE_SIZE : -EBADF;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return path ? -EBADF : fcntl_lock(p, f, cmd, a[2]);
	default:
		return path ? -EBADF : -EINVAL;
	}
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

/* close_range(first, last, flags): close, or mark close-on-exec, every open fd in the range
 * (unsharing is moot: one process holds its table). */
long sys_close_range(struct proc *p, const uint64_t a[6])
{
	unsigned first = (unsigned)a[0], last = (unsigned)a[1], flags = (unsigned)a[2];
	if (flags & ~(unsigned)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last)
		return -EINVAL;
	if (last >= FD_SETSIZE_MAX)
		last = FD_SETSIZE_MAX - 1;
	for (unsigned fd = first; fd <= last && first < FD_SETSIZE_MAX; fd++) {
		if (!fd_get(p->fds, (int)fd))
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_flags(p->fds, (int)fd, FD_CLOEXEC);
		else
			fd_close(p->fds, (int)fd);
	}
	return 0;
}
