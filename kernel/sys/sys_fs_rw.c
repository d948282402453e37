/* Reading and writing: read, write, pread64, pwrite64, readv, writev, preadv, pwritev, preadv2,
 * pwritev2 and lseek, over any open file through its operations. Every call is a list of user
 * buffers (one for read and write), checked as Linux's import_iovec() checks them. */
#include "fs/pipe.h"
#include "mm/frame.h"
#include "mm/hal.h"
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

#define IOV_FAST     8 /* Linux's UIO_FASTIOV: iovecs a call keeps on its stack */
#define IOV_PER_PAGE (PAGE_SIZE / sizeof(struct iovec))

/* The iovecs of one call: on its stack when few, else in frames of its own. Never shared: the
 * call may sleep (on a pipe) while another process makes a vectored call. */
struct iovecs {
	int cnt;
	struct iovec fast[IOV_FAST];
	paddr_t page[IOV_MAX / IOV_PER_PAGE];
};

/* The ith iovec of s. */
static struct iovec *iov(struct iovecs *s, int i)
{
	if (s->cnt <= IOV_FAST)
		return &s->fast[i];
	return (struct iovec *)phys_to_virt(s->page[i / IOV_PER_PAGE]) + i % IOV_PER_PAGE;
}

/* Give back the frames of s. */
static void put_iovecs(struct iovecs *s)
{
	for (int k = 0; s->cnt > IOV_FAST && k * (int)IOV_PER_PAGE < s->cnt; k++)
		if (s->page[k])
			frame_free(s->page[k]);
}

/* Copy user iovecs [from, from + n) of the array at uiov into s. */
static int copy_iovecs(struct proc *p, vaddr_t uiov, struct iovecs *s, int from, int n)
{
	return as_copyin(p->as, iov(s, from), uiov + (vaddr_t)from * sizeof(struct iovec),
	                 (size_t)n * sizeof(struct iovec))
	           ? -EFAULT
	           : 0;
}

/* Fetch and check cnt iovecs from the user array at uiov into s (put_iovecs() after, whatever
 * the result): -EINVAL for a count past IOV_MAX or a length that is negative as a ssize_t,
 * -ENOMEM, -EFAULT for an unreadable array or a bad range. Lengths past MAX_RW_COUNT in total are
 * cut, as Linux's import_iovec() cuts them. */
static int get_iovecs(struct proc *p, vaddr_t uiov, int cnt, struct iovecs *s)
{
	s->cnt = 0;
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	s->cnt = cnt;
	int err = 0;
	for (int k = 0; !err && cnt > IOV_FAST && k * (int)IOV_PER_PAGE < cnt; k++)
		err = (s->page[k] = frame_alloc(FRAME_KERNEL)) ? 0 : -ENOMEM;
	for (int i = 0; !err && i < cnt; i += (int)IOV_PER_PAGE)
		err = copy_iovecs(p, uiov, s, i,
		                  cnt - i < (int)IOV_PER_PAGE ? cnt - i : (int)IOV_PER_PAGE);
	uint64_t total = 0;
	for (int i = 0; !err && i < cnt; i++) {
		struct iovec *v = iov(s, i);
		if ((int64_t)v->len < 0)
			err = -EINVAL;
		else if (!range_ok(v->base, v->len))
			err = -EFAULT;
		else if (v->len > MAX_RW_COUNT - total)
			v->len = MAX_RW_COUNT - total;
		total += v->len;
	}
	return err;
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

/* Move the bytes of the buffers of s at *off: the count, short at the first short transfer, or
 * -errno when nothing moved. Vectored calls of no bytes in all do nothing. */
static long transfer(struct proc *p, struct file *f, struct iovecs *s, uint64_t *off, bool write)
{
	long done = 0;
	for (int i = 0; i < s->cnt; i++) {
		const struct iovec *v = iov(s, i);
		if (!v->len && s->cnt > 1)
			continue; /* read and write of 0 bytes reach the file (/dev/full says
			             ENOSPC) */
		struct iobuf b = {p->as, v->base};
		long r = write ? f->ops->write(f, b, v->len, off) : f->ops->read(f, b, v->len, off);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((uint64_t)r < v->len)
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
static long do_rw(struct proc *p, int fd, struct iovecs *s, const int64_t *pos, bool write)
{
	struct file *f = proc_file(p, fd);
	int err = rw_allowed(f, write);
	if (err)
		return err;
	if (pos && !f->ops->lseek)
		return -ESPIPE; /* no pread or pwrite on a stream */
	uint64_t at = pos ? (uint64_t)*pos : f->off;
	long r = transfer(p, f, s, &at, write);
	if (!pos)
		f->off = at;
	return pipe_outcome(p, r);
}

/* The iovec array of a vectored call, fetched and checked; then do_rw. */
static long do_rwv(struct proc *p, const uint64_t a[6], const int64_t *pos, bool write)
{
	struct iovecs s = {.cnt = 0}; /* page[] zero: put_iovecs() frees only what was taken */
	int fd = (int)a[0];
	struct file *f = proc_file(p, fd);
	if (!f)
		return -EBADF;
	long r = rw_allowed(f, write);
	if (!r)
		r = get_iovecs(p, a[1], (int)a[2], &s);
	uint64_t total = 0;
	for (int i = 0; !r && i < s.cnt; i++)
		total += iov(&s, i)->len;
	if (!r && total)
		r = do_rw(p, fd, &s, pos, write);
	put_iovecs(&s);
	return r;
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
	struct iovecs one = {.cnt = 1, .fast = {{buf, n > MAX_RW_COUNT ? MAX_RW_COUNT : n}}};
	return do_rw(p, fd, &one, pos, write);
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
