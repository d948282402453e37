/* Copies between open files inside the kernel: sendfile and copy_file_range. Both move the
 * bytes a page at a time through the files' own read and write operations, so any readable
 * file feeds sendfile; copy_file_range is for regular files of one file system only. */
#include "fs/pipe.h"
#include "sys/sys_fs.h"
#include <errno.h>

/* Linux's rw_verify_area for a position and count: neither negative nor wrapping past
 * INT64_MAX. 0 or -EINVAL. */
static int verify_area(int64_t pos, uint64_t count)
{
	if (pos < 0 || (int64_t)((uint64_t)pos + count) < 0)
		return -EINVAL;
	return 0;
}

/* Whether the bytes of in can move to out inside the kernel (Linux: in has splice_read). */
static bool can_move(const struct file *in, const struct file *out)
{
	return in->ops->read && !in->ops->no_splice && out->ops->write;
}

/* Move up to n bytes from in at *ipos to out at *opos, advancing both. The bytes moved, or
 * -errno when none were: a short read (the end of in) or a short write ends the copy. */
static long move_bytes(struct file *in, uint64_t *ipos, struct file *out, uint64_t *opos, size_t n)
{
	char buf[PAGE_SIZE];
	struct iobuf kbuf = {.as = NULL, .addr = (uintptr_t)&buf[0]}; /* kernel memory */
	size_t done = 0;
	while (done < n) {
		size_t want = n - done < sizeof(buf) ? n - done : sizeof(buf);
		long r = in->ops->read(in, kbuf, want, ipos);
		if (r <= 0)
			return done ? (long)done : r;
		long w = out->ops->write(out, kbuf, (size_t)r, opos);
		if (w < 0)
			return done ? (long)done : w;
		done += (size_t)w;
		if (w < r || (size_t)r < want)
			break;
	}
	return (long)done;
}

/* Linux's do_sendfile with the input position at *pos: the checks on in, then on out. */
static long do_sendfile(struct proc *p, int out_fd, int in_fd, uint64_t *pos, bool own_pos,
                        uint64_t count)
{
	struct file *in = proc_file(p, in_fd);
	if (!in || !file_readable(in))
		return -EBADF;
	if (own_pos && !in->ops->lseek)
		return -ESPIPE; /* a stream has no positions to read at */
	if (!own_pos)
		*pos = in->off;
	int err = verify_area((int64_t)*pos, count);
	if (err)
		return err;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	struct file *out = proc_file(p, out_fd);
	if (!out || !file_writable(out))
		return -EBADF;
	uint64_t opos = out->off;
	if (out->flags & O_APPEND)
		return -EINVAL;
	err = verify_area((int64_t)opos, count);
	if (err)
		return err;
	if (S_ISDIR(in->inode->mode) || !can_move(in, out))
		return -EINVAL;
	long n = move_bytes(in, pos, out, &opos, count);
	if (n > 0)
		out->off = opos;
	if (!own_pos)
		in->off = *pos;
	return n;
}

/* sendfile(out_fd, in_fd, offset, count): with offset, in is read there and its own position
 * stays; the new offset is written back. */
long sys_sendfile(struct proc *p, const uint64_t a[6])
{
	uint64_t pos = 0;
	if (!a[2])
		return pipe_outcome(p, do_sendfile(p, (int)a[0], (int)a[1], &pos, false, a[3]));
	if (as_copyin(p->as, &pos, a[2], sizeof(pos)))
		return -EFAULT;
	long n = pipe_outcome(p, do_sendfile(p, (int)a[0], (int)a[1], &pos, true, a[3]));
	if (as_copyout(p->as, a[2], &pos, sizeof(pos)))
		return -EFAULT;
	return n;
}

/* Linux's generic_copy_file_checks: the kinds and modes of the two files, one file system (st_dev
 * tells: memfds are not on /tmp's), no wrap, the count cut at in's end and at RLIMIT_FSIZE, and
 * no overlap within one file. 0 or -errno. */
static int copy_checks(struct proc *p, struct file *in, int64_t ipos, struct file *out,
                       int64_t opos, uint64_t *count)
{
	if (S_ISDIR(in->inode->mode) || S_ISDIR(out->inode->mode))
		return -EISDIR;
	if (!S_ISREG(in->inode->mode) || !S_ISREG(out->inode->mode))
		return -EINVAL;
	if (!file_readable(in) || !file_writable(out) || (out->flags & O_APPEND))
		return -EBADF;
	if (in->inode->dev != out->inode->dev)
		return -EXDEV;
	if ((uint64_t)ipos + *count < (uint64_t)ipos || (uint64_t)opos + *count < (uint64_t)opos)
		return -EOVERFLOW;
	int64_t size = (int64_t)in->inode->size;
	*count = ipos >= size
	             ? 0
	             : (*count < (uint64_t)(size - ipos) ? *count : (uint64_t)(size - ipos));
	if (opos >= 0 && rlimit_fsize_write(p, (uint64_t)opos, count))
		return -EFBIG;
	if (opos >= 0 && *count > (uint64_t)(INT64_MAX - opos))
		*count = (uint64_t)(INT64_MAX - opos);
	if (in->inode == out->inode && opos + (int64_t)*count > ipos &&
	    opos < ipos + (int64_t)*count)
		return -EINVAL;
	return 0;
}

/* Read a position argument: from user memory at uaddr, or the file's own when uaddr is 0. */
static int get_pos(struct proc *p, vaddr_t uaddr, const struct file *f, int64_t *pos)
{
	if (!uaddr) {
		*pos = (int64_t)f->off;
		return 0;
	}
	return as_copyin(p->as, pos, uaddr, sizeof(*pos)) ? -EFAULT : 0;
}

/* Store a position back where get_pos found it. 0 or -EFAULT. */
static int put_pos(struct proc *p, vaddr_t uaddr, struct file *f, int64_t pos)
{
	if (!uaddr) {
		f->off = (uint64_t)pos;
		return 0;
	}
	return as_copyout(p->as, uaddr, &pos, sizeof(pos)) ? -EFAULT : 0;
}

/* copy_file_range(fd_in, off_in, fd_out, off_out, len, flags): flags must be 0. */
long sys_copy_file_range(struct proc *p, const uint64_t a[6])
{
	struct file *in = proc_file(p, (int)a[0]), *out = in ? proc_file(p, (int)a[2]) : NULL;
	int64_t ipos, opos;
	uint64_t count = a[4];
	if (!in || !out)
		return -EBADF;
	int err = get_pos(p, a[1], in, &ipos);
	if (!err)
		err = get_pos(p, a[3], out, &opos);
	if (!err && (unsigned)a[5])
		err = -EINVAL;
	if (!err)
		err = copy_checks(p, in, ipos, out, opos, &count);
	if (!err)
		err = verify_area(ipos, count);
	if (!err)
		err = verify_area(opos, count);
	if (err || count == 0)
		return err;
	if (!can_move(in, out))
		return -EINVAL;
	uint64_t ip = (uint64_t)ipos, op = (uint64_t)opos;
	long n = move_bytes(in, &ip, out, &op, count < MAX_RW_COUNT ? count : MAX_RW_COUNT);
	if (n > 0 && (put_pos(p, a[1], in, (int64_t)ip) | put_pos(p, a[3], out, (int64_t)op)))
		return -EFAULT;
	return n;
}
