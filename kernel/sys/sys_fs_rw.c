/* Reading and writing: read, write, pread64, pwrite64, readv, writev, preadv, pwritev, preadv2,
 * pwritev2 and lseek, over any open file through its operations. Every call is a list of user
 * buffers (one for read and write), checked as Linux's import_iovec() checks them. */
#include "fs/pipe.h"
#include "mm/layout.h"
#include "sys/sys_fs.h"
#include <errno.h>

#define IOV_MAX 1024

struct iovec {
	uint64_t base, len;
};

/* One user buffer is a valid range (Linux's access_ok()). */
static bool range_ok(uint64_t base, uint64_t len)
{
	return base < USER_END && len <= USER_END - base;
}

/* Fetch and check cnt iovecs from the user array at uiov into v: -EINVAL for a length that is
 * negative as a ssize_t, -EFAULT for an unreadable array or a bad range. Lengths past
 * MAX_RW_COUNT in total are cut, as Linux cuts them. */
static int get_iovecs(struct proc *p, vaddr_t uiov, int cnt, struct iovec *v)
{
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	if (cnt && as_copyin(p->as, v, uiov, (size_t)cnt * sizeof(*v)))
		return -EFAULT;
	uint64_t total = 0;
	for (int i = 0; i < cnt; i++) {
		if ((int64_t)v[i].len < 0)
			return -EINVAL;
		if (!range_ok(v[i].base, v[i].len))
			return -EFAULT;
		if (v[i].len > MAX_RW_COUNT - total)
			v[i].len = MAX_RW_COUNT - total;
		total += v[i].len;
	}
	return 0;
}

/* The checks of vfs_read() / vfs_write() on the file itself. */
static int rw_allowed(struct file *f, bool write)
{
	if (!f)
		return -EBADF;
	if (write ? !file_writable(f) : !file_readable(f))
		return -EBADF;
	if (write ? !f->ops->write : !f->ops->read)
		return -EINVAL;
	return 0;
}

/* Move the bytes of the buffers v[0..cnt) at *off: the count, short at the first short
 * transfer, or -errno when nothing moved. Vectored calls of no bytes in all do nothing. */
static long transfer(struct proc *p, struct file *f, const struct iovec *v, int cnt, uint64_t *off,
                     bool write)
{
	long done = 0;
	for (int i = 0; i < cnt; i++) {
		if (!v[i].len && cnt > 1)
			continue; /* read and write of 0 bytes reach the file (/dev/full says
			             ENOSPC) */
		struct iobuf b = {p->as, v[i].base};
		long r =
		    write ? f->ops->write(f, b, v[i].len, off) : f->ops->read(f, b, v[i].len, off);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((uint64_t)r < v[i].len)
			break;
	}
	return done;
}

long pipe_outcome(struct proc *p, long r)
{
	if (r == -EPIPE)
		signal_send(p, SIGPIPE, NULL);
	return r;
}

/* A vectored call on fd at *off (NULL: the file's own position). */
static long do_rw(struct proc *p, int fd, struct iovec *v, int cnt, const int64_t *pos, bool write)
{
	struct file *f = proc_file(p, fd);
	int err = rw_allowed(f, write);
	if (err)
		return err;
	if (pos && !f->ops->lseek)
		return -ESPIPE; /* no pread or pwrite on a stream */
	uint64_t at = pos ? (uint64_t)*pos : f->off;
	long r = transfer(p, f, v, cnt, &at, write);
	if (!pos)
		f->off = at;
	return pipe_outcome(p, r);
}

/* The iovec array of a vectored call, fetched and checked; then do_rw. */
static long do_rwv(struct proc *p, const uint64_t a[6], const int64_t *pos, bool write)
{
	static struct iovec v[IOV_MAX]; /* one system call at a time */
	int fd = (int)a[0];
	struct file *f = proc_file(p, fd);
	if (!f)
		return -EBADF;
	int err = rw_allowed(f, write);
	if (err)
		return err;
	err = get_iovecs(p, a[1], (int)a[2], v);
	if (err)
		return err;
	uint64_t total = 0;
	for (int i = 0; i < (int)a[2]; i++)
		total += v[i].len;
	if (!total)
		return 0;
	return do_rw(p, fd, v, (int)a[2], pos, write);
}

/* read and write: one buffer. */
static long do_rw1(struct proc *p, int fd, uint64_t buf, uint64_t n, const int64_t *pos, bool write)
{
	struct file *f = proc_file(p, fd);
	int err = rw_allowed(f, write);
	if (err)
		return err;
	if (!range_ok(buf, n))
		return -EFAULT;
	struct iovec v = {buf, n > MAX_RW_COUNT ? MAX_RW_COUNT : n};
	return do_rw(p, fd, &v, 1, pos, write);
}

long sys_read(struct proc *p, const uint64_t a[6])
{
	return do_rw1(p, (int)a[0], a[1], a[2], NULL, false);
}

long sys_write(struct proc *p, const uint64_t a[6])
{
	return do_rw1(p, (int)a[0], a[1], a[2], NULL, true);
}

long sys_pread64(struct proc *p, const uint64_t a[6])
{
	int64_t pos = (int64_t)a[3];
	if (pos < 0)
		return -EINVAL;
	return do_rw1(p, (int)a[0], a[1], a[2], &pos, false);
}

long sys_pwrite64(struct proc *p, const uint64_t a[6])
{
	int64_t pos = (int64_t)a[3];
	if (pos < 0)
		return -EINVAL;
	return do_rw1(p, (int)a[0], a[1], a[2], &pos, true);
}

long sys_readv(struct proc *p, const uint64_t a[6])
{
	return do_rwv(p, a, NULL, false);
}

long sys_writev(struct proc *p, const uint64_t a[6])
{
	return do_rwv(p, a, NULL, true);
}

long sys_preadv(struct proc *p, const uint64_t a[6])
{
	int64_t pos = (int64_t)a[3];
	if (pos < 0)
		return -EINVAL;
	return do_rwv(p, a, &pos, false);
}

long sys_pwritev(struct proc *p, const uint64_t a[6])
{
	int64_t pos = (int64_t)a[3];
	if (pos < 0)
		return -EINVAL;
	return do_rwv(p, a, &pos, true);
}

/* preadv2 and pwritev2: position -1 is the file's own; RWF_ flags SOS accepts without effect
 * (hipri, dsync, sync, nowait, append are hints or already true of tmpfs). */
static long do_rwv2(struct proc *p, const uint64_t a[6], bool write)
{
	int64_t pos = (int64_t)a[3];
	if (a[5] & ~(uint64_t)0x7f)
		return -EOPNOTSUPP;
	if (pos < -1)
		return -EINVAL;
	return do_rwv(p, a, pos == -1 ? NULL : &pos, write);
}

long sys_preadv2(struct proc *p, const uint64_t a[6])
{
	return do_rwv2(p, a, false);
}

long sys_pwritev2(struct proc *p, const uint64_t a[6])
{
	return do_rwv2(p, a, true);
}

long sys_lseek(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	int whence = (int)a[2];
	if (!f)
		return -EBADF;
	if ((unsigned)whence > SEEK_HOLE)
		return -EINVAL;
	if (!f->ops->lseek)
		return -ESPIPE;
	return f->ops->lseek(f, (int64_t)a[1], whence);
}
