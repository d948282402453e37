/* Opening and closing: open, openat, creat and close, with open's flag rules (Linux's
 * build_open_flags()) and the lowest free fd below RLIMIT_NOFILE. */
#include "sys/sys_fs.h"
#include <errno.h>

#define VALID_OPEN_FLAGS                                                                           \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |     \
	 O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |     \
	 O_SYNC | O_PATH | O_TMPFILE)
#define O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* open's flags as Linux keeps them, or -EINVAL. */
static long open_flags(uint32_t flags)
{
	flags = (flags & VALID_OPEN_FLAGS) | O_LARGEFILE;
	if (flags & O_PATH)
		flags &= O_PATH_FLAGS; /* O_LARGEFILE too */
	uint32_t acc = flags & O_ACCMODE;
	bool writes = acc == O_WRONLY || acc == O_RDWR || acc == O_ACCMODE;
	if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT))
		return -EINVAL;
	if ((flags & __O_TMPFILE) && ((flags & O_TMPFILE) != O_TMPFILE || !writes))
		return -EINVAL;
	return flags;
}

/* openat(dirfd, upath, flags, mode): the new fd, or -errno. */
static long do_open(struct proc *p, int dirfd, vaddr_t upath, uint32_t flags, uint32_t mode)
{
	char path[PATH_MAX];
	long fl = open_flags(flags);
	if (fl < 0)
		return fl;
	int err = user_path(p, upath, path, false);
	if (err)
		return err;
	int fd = fd_find(p->fds, 0, p->rlim[RLIMIT_NOFILE].cur);
	if (fd < 0)
		return fd;
	struct inode *dir;
	err = at_start(p, dirfd, path, &dir);
	if (err)
		return err;
	struct file *f;
	err = vfs_open(dir, path, (uint32_t)fl, mode & 07777 & ~p->umask, &f);
	inode_put(dir);
	if (err)
		return err;
	fd = fd_alloc(p->fds, f, fd, fd + 1, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(struct proc *p, const uint64_t a[6])
{
	return do_open(p, AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_openat(struct proc *p, const uint64_t a[6])
{
	return do_open(p, (int)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3]);
}

long sys_creat(struct proc *p, const uint64_t a[6])
{
	return do_open(p, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a[1]);
}

long sys_close(struct proc *p, const uint64_t a[6])
{
	return fd_close(p->fds, (int)a[0]);
}
