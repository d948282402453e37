/* File times: utimensat (and so futimens), utime, utimes and futimesat. Each sets atime and
 * mtime to given values, to now (UTIME_NOW, or no times at all), or leaves one (UTIME_OMIT);
 * ctime becomes now whenever anything is done. Checks in Linux's order (fs/utimes.c). */
#include "sys/sys_fs.h"
#include <errno.h>

#define UTIME_NOW  ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)
#define NSEC_MAX   999999999L

struct timespec64 {
	int64_t sec, nsec;
};

struct timeval64 {
	int64_t sec, usec;
};

/* A nanosecond field utimensat accepts: a real one or one of the two markers. */
static bool nsec_valid(int64_t nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec <= NSEC_MAX);
}

/* Linux's vfs_utimes: t NULL is "both now". 0 or -EINVAL. */
static int set_times(struct inode *ip, const struct timespec64 *t)
{
	if (t && (!nsec_valid(t[0].nsec) || !nsec_valid(t[1].nsec)))
		return -EINVAL;
	struct fs_time now = fs_now();
	struct fs_time *field[2] = {&ip->atime, &ip->mtime};
	for (int i = 0; i < 2; i++) {
		if (!t || t[i].nsec == UTIME_NOW)
			*field[i] = now;
		else if (t[i].nsec != UTIME_OMIT)
			*field[i] = (struct fs_time){t[i].sec, t[i].nsec};
	}
	ip->ctime = now;
	return 0;
}

/* Linux's do_utimes: a NULL path with a real dirfd is that fd's file (flags must be 0);
 * otherwise the path from dirfd, with AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH allowed. */
static long do_utimes(struct proc *p, int dirfd, vaddr_t path, const struct timespec64 *t,
                      unsigned flags)
{
	if (!path && dirfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		struct file *f = proc_file(p, dirfd);
		return f ? set_times(f->inode, t) : -EBADF;
	}
	if (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *ip;
	unsigned lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err = at_lookup(p, dirfd, path, lookup, flags & AT_EMPTY_PATH, &ip);
	if (err)
		return err;
	err = set_times(ip, t);
	inode_put(ip);
	return err;
}

/* utimensat(dirfd, path, times, flags): with both times UTIME_OMIT nothing is looked at. */
long sys_utimensat(struct proc *p, const uint64_t a[6])
{
	struct timespec64 t[2];
	if (!a[2])
		return do_utimes(p, (int)a[0], a[1], NULL, (unsigned)a[3]);
	if (as_copyin(p->as, t, a[2], sizeof(t)))
		return -EFAULT;
	if (t[0].nsec == UTIME_OMIT && t[1].nsec == UTIME_OMIT)
		return 0;
	return do_utimes(p, (int)a[0], a[1], t, (unsigned)a[3]);
}

/* utime(path, times): whole seconds, access then modification. */
long sys_utime(struct proc *p, const uint64_t a[6])
{
	int64_t secs[2];
	if (!a[1])
		return do_utimes(p, AT_FDCWD, a[0], NULL, 0);
	if (as_copyin(p->as, secs, a[1], sizeof(secs)))
		return -EFAULT;
	struct timespec64 t[2] = {{secs[0], 0}, {secs[1], 0}};
	return do_utimes(p, AT_FDCWD, a[0], t, 0);
}

/* futimesat(dirfd, path, times) in microseconds; utimes is its AT_FDCWD form. The markers of
 * utimensat are not microsecond values, so they are refused here too. */
long sys_futimesat(struct proc *p, const uint64_t a[6])
{
	struct timeval64 tv[2];
	if (!a[2])
		return do_utimes(p, (int)a[0], a[1], NULL, 0);
	if (as_copyin(p->as, tv, a[2], sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++)
		if (tv[i].usec < 0 || tv[i].usec > NSEC_MAX / 1000)
			return -EINVAL;
	struct timespec64 t[2] = {{tv[0].sec, tv[0].usec * 1000}, {tv[1].sec, tv[1].usec * 1000}};
	return do_utimes(p, (int)a[0], a[1], t, 0);
}

/* utimes(path, times) */
long sys_utimes(struct proc *p, const uint64_t a[6])
{
	const uint64_t b[6] = {(uint64_t)(int64_t)AT_FDCWD, a[0], a[1]};
	return sys_futimesat(p, b);
}
