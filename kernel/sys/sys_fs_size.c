/* A file's size and its trip to storage: truncate and ftruncate (tmpfs_resize, which unmaps
 * the pages cut off), fallocate, and the sync calls, which have nothing to write back on tmpfs
 * and only check their arguments as Linux does. fadvise64 too: advice tmpfs takes and ignores. */
#include "mm/hal.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

#define SYNC_FILE_RANGE_ALL 7 /* WAIT_BEFORE | WRITE | WAIT_AFTER */
#define FALLOC_KEEP_SIZE    1
#define FALLOC_PUNCH_HOLE   2
#define POSIX_FADV_NOREUSE  5 /* the last advice: NORMAL 0 .. NOREUSE 5 */

/* Linux's do_truncate for a regular file: RLIMIT_FSIZE, then the new size. */
static long resize(struct proc *p, struct inode *ip, uint64_t size)
{
	int err = rlimit_fsize_grow(p, ip->size, size);
	return err ? err : tmpfs_resize(ip, size);
}

/* truncate(path, length): a directory is -EISDIR, any other non-file -EINVAL. mtime and ctime
 * move even when the size does not, as on Linux. */
long sys_truncate(struct proc *p, const uint64_t a[6])
{
	int64_t len = (int64_t)a[1];
	if (len < 0)
		return -EINVAL;
	struct inode *ip;
	int err = at_lookup(p, AT_FDCWD, a[0], LOOKUP_FOLLOW, false, &ip);
	if (err)
		return err;
	if (S_ISDIR(ip->mode))
		err = -EISDIR;
	else if (!S_ISREG(ip->mode))
		err = -EINVAL;
	else if (!(err = inode_get_write(ip))) { /* -ETXTBSY while a program runs from it */
		err = (int)resize(p, ip, (uint64_t)len);
		inode_put_write(ip);
	}
	inode_put(ip);
	return err;
}

/* ftruncate(fd, length): the file must be regular and open for writing (-EINVAL otherwise). */
long sys_ftruncate(struct proc *p, const uint64_t a[6])
{
	int64_t len = (int64_t)a[1];
	if (len < 0)
		return -EINVAL;
	struct file *f = proc_file(p, (int)a[0]);
	if (!f)
		return -EBADF;
	if (!S_ISREG(f->inode->mode) || !file_writable(f))
		return -EINVAL;
	return resize(p, f->inode, (uint64_t)len);
}

/* Give every page of ip's [off, end) a frame (end within the size): a write of one zero byte
 * where a hole is fills it with a zeroed page. 0, -ENOSPC or -ENOMEM. */
static long fill_holes(struct inode *ip, uint64_t off, uint64_t end)
{
	static const char zero;
	for (uint64_t idx = off / PAGE_SIZE; ip->data && idx * PAGE_SIZE < end; idx++) {
		if (shmem_has(ip->data, idx))
			continue;
		long n = tmpfs_write_kernel(ip, &zero, 1, idx * PAGE_SIZE);
		if (n < 0)
			return n;
	}
	return 0;
}

/* Zero ip's bytes in [off, end) (end within the size) where pages hold them; holes read as
 * zeros already. The pages stay (Linux frees whole ones: only st_blocks can tell). */
static void zero_range(struct inode *ip, uint64_t off, uint64_t end)
{
	while (ip->data && off < end) {
		/* from the next page that holds something: a range may be 2^63 bytes of holes */
		uint64_t next =
		    shmem_next_page(ip->data, off / PAGE_SIZE, (end - 1) / PAGE_SIZE + 1);
		if (next * PAGE_SIZE > off)
			off = next * PAGE_SIZE;
		if (off >= end)
			break;
		uint64_t in = off % PAGE_SIZE,
		         len = PAGE_SIZE - in < end - off ? PAGE_SIZE - in : end - off;
		paddr_t pa = 0;
		if (!shmem_find(ip->data, off / PAGE_SIZE, &pa) && pa)
			memset((char *)phys_to_virt(pa) + in, 0, len);
		off += len;
	}
}

/* Linux's vfs_fallocate checks, then shmem_fallocate's: the modes tmpfs has are 0, KEEP_SIZE
 * and PUNCH_HOLE | KEEP_SIZE. 0 or -errno. */
static long fallocate_checks(struct proc *p, struct file *f, unsigned mode, int64_t off,
                             int64_t len)
{
	if (off < 0 || len <= 0)
		return -EINVAL;
	if (mode != 0 && mode != FALLOC_KEEP_SIZE && mode != (FALLOC_PUNCH_HOLE | FALLOC_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (!file_writable(f))
		return -EBADF;
	uint32_t type = f->inode->mode & S_IFMT;
	if (type == S_IFIFO)
		return -ESPIPE;
	if (type == S_IFDIR)
		return -EISDIR;
	if (type != S_IFREG)
		return -ENODEV;
	if ((int64_t)((uint64_t)off + (uint64_t)len) < 0)
		return -EFBIG;
	uint64_t end = (uint64_t)(off + len);
	if (mode & FALLOC_PUNCH_HOLE)
		return 0;
	if (rlimit_fsize_grow(p, f->inode->size, end))
		return -EFBIG;
	uint64_t pages = PAGE_UP(end) / PAGE_SIZE - (uint64_t)off / PAGE_SIZE;
	return pages > tmpfs_pages_limit() ? -ENOSPC : 0;
}

/* fallocate(fd, mode, offset, len): mode 0 gives the range pages and grows the file over it;
 * KEEP_SIZE gives pages only inside the file (SOS's files hold none past their end);
 * PUNCH_HOLE zeroes the range. */
long sys_fallocate(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	int64_t off = (int64_t)a[2], len = (int64_t)a[3];
	if (!f)
		return -EBADF;
	long err = fallocate_checks(p, f, (unsigned)a[1], off, len);
	if (err)
		return err;
	struct inode *ip = f->inode;
	uint64_t end = (uint64_t)(off + len), inside = end < ip->size ? end : ip->size;
	if ((unsigned)a[1] & FALLOC_PUNCH_HOLE) {
		zero_range(ip, (uint64_t)off, inside);
		ip->mtime = ip->ctime = fs_now();
		return 0;
	}
	if (!a[1] && end > ip->size && (err = tmpfs_resize(ip, end)))
		return err;
	return fill_holes(ip, (uint64_t)off, a[1] ? inside : end);
}

/* Whether a file's kind has an fsync: tmpfs files and directories (nothing to write back);
 * devices, pipes, the console and /proc's files (regular, with file ops of their own) do not. */
static bool can_sync(const struct inode *ip)
{
	return (S_ISREG(ip->mode) && !ip->fops) || S_ISDIR(ip->mode);
}

/* fsync(fd) and fdatasync(fd) */
long sys_fsync(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	if (!f)
		return -EBADF;
	return can_sync(f->inode) ? 0 : -EINVAL;
}

/* syncfs(fd): any file; its file system is always clean. */
long sys_syncfs(struct proc *p, const uint64_t a[6])
{
	return proc_file(p, (int)a[0]) ? 0 : -EBADF;
}

/* sync(): nothing waits to be written. */
long sys_sync(struct proc *p, const uint64_t a[6])
{
	(void)p, (void)a;
	return 0;
}

/* sync_file_range(fd, offset, nbytes, flags): a range that does not wrap, on a file kind that
 * has pages (-ESPIPE for the others). */
long sys_sync_file_range(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	int64_t off = (int64_t)a[1], n = (int64_t)a[2];
	if (!f)
		return -EBADF;
	if ((unsigned)a[3] & ~(unsigned)SYNC_FILE_RANGE_ALL)
		return -EINVAL;
	uint64_t end = (uint64_t)off + (uint64_t)n;
	if (off < 0 || (int64_t)end < 0 || end < (uint64_t)off)
		return -EINVAL;
	uint32_t type = f->inode->mode & S_IFMT;
	return type == S_IFREG || type == S_IFDIR || type == S_IFLNK || type == S_IFBLK ? 0
	                                                                                : -ESPIPE;
}

/* fadvise64(fd, offset, len, advice): tmpfs takes every known advice and does nothing with it
 * (Linux's no-backing-device case); a pipe is -ESPIPE, a negative length or unknown advice
 * -EINVAL. */
long sys_fadvise64(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	if (!f)
		return -EBADF;
	if ((f->inode->mode & S_IFMT) == S_IFIFO)
		return -ESPIPE;
	if ((int64_t)a[2] < 0 || (int)a[3] < 0 || (int)a[3] > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}
