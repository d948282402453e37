/* Status: fstat, stat, lstat, newfstatat and statx fill Linux's records from an inode; access,
 * faccessat and faccessat2 answer as they answer root (only X_OK can fail). */
#include "mm/as.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

#define STATX_BASIC_STATS  0x7ff
#define STATX_BTIME        0x800
#define STATX_MNT_ID       0x1000
#define STATX__RESERVED    0x80000000U
#define AT_STATX_SYNC_TYPE 0x6000

#define F_OK 0
#define X_OK 1

struct stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	struct fs_time atime, mtime, ctime;
	int64_t unused[3];
};

struct statx_time {
	int64_t sec;
	uint32_t nsec;
	int32_t reserved;
};

struct statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_time atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint32_t dio_mem_align, dio_offset_align;
	uint64_t spare[12];
};

/* 512-byte blocks ip holds: its pages, or a long symlink's page (Linux keeps short ones in the
 * inode). */
static int64_t blocks_of(const struct inode *ip)
{
	if (ip->data)
		return (int64_t)(ip->data->resident + ip->data->swapped) * (PAGE_SIZE / 512);
	if (ip->target && ip->size >= 128)
		return PAGE_SIZE / 512;
	return 0;
}

static void fill_stat(const struct inode *ip, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = ip->dev;
	st->ino = ip->ino;
	st->nlink = ip->nlink;
	st->mode = ip->mode;
	st->uid = ip->uid;
	st->gid = ip->gid;
	st->rdev = ip->rdev;
	st->size = (int64_t)ip->size;
	st->blksize = PAGE_SIZE;
	st->blocks = blocks_of(ip);
	st->atime = ip->atime;
	st->mtime = ip->mtime;
	st->ctime = ip->ctime;
}

static struct statx_time xtime(struct fs_time t)
{
	return (struct statx_time){t.sec, (uint32_t)t.nsec, 0};
}

static void fill_statx(const struct inode *ip, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->mask = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
	sx->blksize = PAGE_SIZE;
	sx->nlink = ip->nlink;
	sx->uid = ip->uid;
	sx->gid = ip->gid;
	sx->mode = (uint16_t)ip->mode;
	sx->ino = ip->ino;
	sx->size = ip->size;
	sx->blocks = (uint64_t)blocks_of(ip);
	sx->attributes_mask =
	    0x20 | 0x10 | 0x40 | 0x2000; /* append, immutable, nodump, mount root */
	sx->atime = xtime(ip->atime);
	sx->btime = xtime(ip->btime);
	sx->ctime = xtime(ip->ctime);
	sx->mtime = xtime(ip->mtime);
	sx->rdev_major = ip->rdev >> 8;
	sx->rdev_minor = ip->rdev & 0xff;
	sx->dev_minor = ip->dev;
	sx->mnt_id = 1;
}

/* Copy ip's stat record to user memory at ust and drop the reference. */
static long put_stat(struct proc *p, struct inode *ip, vaddr_t ust)
{
	struct stat st;
	fill_stat(ip, &st);
	inode_put(ip);
	return as_copyout(p->as, ust, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_fstat(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file_any(p, (int)a[0]);
	if (!f)
		return -EBADF;
	inode_get(f->inode);
	return put_stat(p, f->inode, a[1]);
}

/* stat, lstat and newfstatat. */
static long do_stat(struct proc *p, int dirfd, vaddr_t upath, vaddr_t ust, int flags)
{
	struct inode *ip;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err = at_lookup(p, dirfd, upath, lf, flags & AT_EMPTY_PATH, &ip);
	return err ? err : put_stat(p, ip, ust);
}

long sys_stat(struct proc *p, const uint64_t a[6])
{
	return do_stat(p, AT_FDCWD, a[0], a[1], 0);
}

long sys_lstat(struct proc *p, const uint64_t a[6])
{
	return do_stat(p, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(struct proc *p, const uint64_t a[6])
{
	return do_stat(p, (int)a[0], a[1], a[2], (int)a[3]);
}

long sys_statx(struct proc *p, const uint64_t a[6])
{
	int flags = (int)a[2];
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (a[3] & STATX__RESERVED))
		return -EINVAL;
	struct inode *ip;
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err = at_lookup(p, (int)a[0], a[1], lf, flags & AT_EMPTY_PATH, &ip);
	if (err)
		return err;
	struct statx sx;
	fill_statx(ip, &sx);
	inode_put(ip);
	return as_copyout(p->as, a[4], &sx, sizeof(sx)) ? -EFAULT : 0;
}

/* access for root: existence, and for X_OK an execute bit on a file that is not a directory. */
static long do_access(struct proc *p, int dirfd, vaddr_t upath, int mode, int flags)
{
	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *ip;
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err = at_lookup(p, dirfd, upath, lf, flags & AT_EMPTY_PATH, &ip);
	if (err)
		return err;
	bool denied = (mode & X_OK) && !S_ISDIR(ip->mode) && !(ip->mode & 0111);
	inode_put(ip);
	return denied ? -EACCES : 0;
}

long sys_access(struct proc *p, const uint64_t a[6])
{
	return do_access(p, AT_FDCWD, a[0], (int)a[1], 0);
}

long sys_faccessat(struct proc *p, const uint64_t a[6])
{
	return do_access(p, (int)a[0], a[1], (int)a[2], 0);
}

long sys_faccessat2(struct proc *p, const uint64_t a[6])
{
	return do_access(p, (int)a[0], a[1], (int)a[2], (int)a[3]);
}
