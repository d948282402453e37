/* tmpfs regular files: their bytes live in one shared memory object (the page cache), read and
 * written a page at a time through the kernel's view of the frames; holes read as zeros. */
#include "fs/vfs.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include <errno.h>
#include <string.h>

#define MAX_FILE_SIZE INT64_MAX /* Linux's MAX_LFS_FILESIZE */

/* Data pages added since the last exact count: an upper bound on what files hold, since pages
 * also come through shared mappings' faults and go without telling tmpfs. Near the limit it is
 * replaced by the exact count. */
static uint64_t pages_used;

uint64_t tmpfs_pages_used(void)
{
	pages_used = fs_data_pages();
	return pages_used;
}

uint64_t tmpfs_pages_limit(void)
{
	return frames_total() / 2;
}

/* Pages of a file of size bytes. */
static uint64_t size_pages(uint64_t size)
{
	return size / PAGE_SIZE + (size % PAGE_SIZE != 0);
}

struct shmem *tmpfs_object(struct inode *ip)
{
	if (!ip->data)
		ip->data = shmem_create(size_pages(ip->size));
	return ip->data;
}

void tmpfs_release_data(struct inode *ip)
{
	shmem_put(ip->data);
	ip->data = NULL;
}

/* Give ip's object room for size bytes (an object exists once the file has a page). */
static int grow_object(struct inode *ip, uint64_t size)
{
	uint64_t pages = size_pages(size);
	if (!ip->data) {
		if (pages == 0)
			return 0;
		ip->data = shmem_create(pages);
		return ip->data ? 0 : -ENOMEM;
	}
	return pages > ip->data->pages ? shmem_resize(ip->data, pages) : 0;
}

int tmpfs_resize(struct inode *ip, uint64_t size)
{
	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	if (size >= ip->size) {
		int err = grow_object(ip, size);
		if (err)
			return err;
	} else if (ip->data) {
		/* the partial last page keeps its bytes before size; those after it must read 0 */
		uint64_t tail = size % PAGE_SIZE;
		paddr_t pa = 0;
		if (tail && shmem_find(ip->data, size / PAGE_SIZE, &pa))
			return -EIO;
		if (pa)
			memset((char *)phys_to_virt(pa) + tail, 0, PAGE_SIZE - tail);
		int err = shmem_resize(ip->data, size_pages(size));
		if (err)
			return err;
	}
	ip->size = size;
	ip->mtime = ip->ctime = fs_now();
	return 0;
}

/* The frame for page idx of ip, added (zeroed) when absent: 0 and -ENOSPC past the tmpfs size,
 * -ENOMEM without a frame. */
static long page_for_write(struct inode *ip, uint64_t idx, paddr_t *pa)
{
	int err = shmem_find(ip->data, idx, pa);
	if (err || *pa)
		return err;
	if (pages_used >= tmpfs_pages_limit() && tmpfs_pages_used() >= tmpfs_pages_limit())
		return -ENOSPC;
	*pa = shmem_page(ip->data, idx);
	if (!*pa)
		return -ENOMEM;
	pages_used++;
	return 0;
}

/* Write n bytes from src at off into ip, growing it. Bytes written, or -errno when none were. */
static long write_bytes(struct inode *ip, struct iobuf src, size_t n, uint64_t off)
{
	if (off >= MAX_FILE_SIZE)
		return n ? -EFBIG : 0;
	if (n > MAX_FILE_SIZE - off)
		n = MAX_FILE_SIZE - off;
	if (n == 0)
		return 0;
	long err = off + n > ip->size ? grow_object(ip, off + n) : 0;
	size_t done = 0;
	while (!err && done < n) {
		uint64_t pos = off + done, in = pos % PAGE_SIZE;
		size_t len = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
		paddr_t pa;
		err = page_for_write(ip, pos / PAGE_SIZE, &pa);
		if (err)
			break;
		frame_ref(pa); /* reclaim keeps the page while the copy may fault (reclaim.h) */
		size_t got = iobuf_in(src, done, (char *)phys_to_virt(pa) + in, len);
		frame_unref(pa);
		done += got;
		if (got < len)
			err = -EFAULT;
	}
	if (off + done > ip->size)
		ip->size = off + done;
	if (done) {
		ip->mtime = ip->ctime = fs_now();
		return (long)done;
	}
	/* nothing written: the object keeps its grown page count, which the size still covers */
	return err;
}

long tmpfs_write_kernel(struct inode *ip, const void *src, size_t n, uint64_t off)
{
	return write_bytes(ip, (struct iobuf){NULL, (uintptr_t)src}, n, off);
}

/* Linux's relatime: a read moves atime only when it is not newer than mtime and ctime. */
static void touch_atime(struct inode *ip)
{
	struct fs_time a = ip->atime, m = ip->mtime, c = ip->ctime;
	bool before_m = a.sec < m.sec || (a.sec == m.sec && a.nsec <= m.nsec);
	bool before_c = a.sec < c.sec || (a.sec == c.sec && a.nsec <= c.nsec);
	if (before_m || before_c)
		ip->atime = fs_now();
}

/* Read up to n bytes at *off into dst: holes read as zeros, nothing past the end. */
static long file_read(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	static const char zeros[PAGE_SIZE];
	struct inode *ip = f->inode;
	if (*off >= ip->size || n == 0)
		return 0;
	if (n > ip->size - *off)
		n = ip->size - *off;
	size_t done = 0;
	long err = -EFAULT;
	while (done < n) {
		uint64_t pos = *off + done, in = pos % PAGE_SIZE;
		size_t len = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
		paddr_t pa = 0;
		if (ip->data && (err = shmem_find(ip->data, pos / PAGE_SIZE, &pa)))
			break; /* on swap, and it cannot come back */
		const char *from = pa ? (const char *)phys_to_virt(pa) + in : zeros;
		if (pa)
			frame_ref(pa); /* reclaim keeps the page while the copy may fault */
		size_t got = iobuf_out(dst, done, from, len);
		if (pa)
			frame_unref(pa);
		done += got;
		if (got < len)
			break;
	}
	*off += done;
	if (done)
		touch_atime(ip);
	return done ? (long)done : err ? err : -EFAULT;
}

static long file_write(struct file *f, struct iobuf src, size_t n, uint64_t *off)
{
	if (f->flags & O_APPEND)
		*off = f->inode->size;
	long r = write_bytes(f->inode, src, n, *off);
	if (r > 0)
		*off += (uint64_t)r;
	return r;
}

/* The first page at or after idx that holds data (want_data) or is a hole, before end. Data is
 * found by skipping empty subtrees (a file may be 2^63 bytes of holes); a hole lies at most as
 * many pages on as the file holds. */
static uint64_t seek_page(const struct inode *ip, uint64_t idx, uint64_t end, bool want_data)
{
	if (want_data)
		return ip->data ? shmem_next_page(ip->data, idx, end) : end;
	while (idx < end && ip->data && shmem_has(ip->data, idx))
		idx++;
	return idx;
}

/* SEEK_DATA and SEEK_HOLE at page granularity, as Linux's tmpfs answers them. */
static long seek_data_hole(struct file *f, int64_t off, int whence)
{
	uint64_t size = f->inode->size;
	if (off < 0 || (uint64_t)off >= size)
		return -ENXIO;
	uint64_t end = size_pages(size);
	uint64_t idx = seek_page(f->inode, (uint64_t)off / PAGE_SIZE, end, whence == SEEK_DATA);
	if (idx >= end)
		return whence == SEEK_DATA ? -ENXIO : (long)size;
	uint64_t pos = idx * PAGE_SIZE;
	if (pos < (uint64_t)off)
		pos = (uint64_t)off;
	f->off = pos;
	return (long)pos;
}

static long file_lseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_DATA || whence == SEEK_HOLE)
		return seek_data_hole(f, off, whence);
	return file_lseek_default(f, off, whence, f->inode->size);
}

const struct file_ops tmpfs_file_ops = {
    .read = file_read,
    .write = file_write,
    .lseek = file_lseek,
};

static long dir_read(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	(void)f, (void)dst, (void)n, (void)off;
	return -EISDIR;
}

/* A directory's position is an entry offset: SEEK_SET and SEEK_CUR only (offset_dir_llseek). */
static long dir_lseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_CUR)
		off += (int64_t)f->off;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	f->off = (uint64_t)off;
	return off;
}

const struct file_ops tmpfs_dir_ops = {
    .read = dir_read,
    .lseek = dir_lseek,
};
