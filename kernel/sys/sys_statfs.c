/* statfs and fstatfs: what the one file system says of itself, as Linux's tmpfs does with its
 * default size (half of RAM, in blocks of a page, and as many inodes as blocks). */
#include "sys/sys_fs.h"
#include <errno.h>

#define TMPFS_MAGIC 0x01021994
#define PROC_MAGIC  0x9fa0 /* PROC_SUPER_MAGIC */
#define ST_VALID    0x0020 /* f_flags holds the mount flags (none: read-write, no options) */

/* Linux's struct statfs on x86-64 (120 bytes). */
struct statfs {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};

/* Fill st for the file system of ip: /proc, which has no blocks (Linux's simple_statfs()), or
 * the tmpfs every other inode belongs to. */
static void fill_statfs(const struct inode *ip, struct statfs *st)
{
	if (ip->dev == FS_DEV_PROC) {
		*st = (struct statfs){.type = PROC_MAGIC,
		                      .bsize = PAGE_SIZE,
		                      .namelen = NAME_MAX,
		                      .frsize = PAGE_SIZE,
		                      .flags = ST_VALID};
		return;
	}
	uint64_t limit = tmpfs_pages_limit(), used = tmpfs_pages_used();
	uint64_t inodes = inodes_live();
	*st = (struct statfs){
	    .type = TMPFS_MAGIC,
	    .bsize = PAGE_SIZE,
	    .blocks = limit,
	    .bfree = used < limit ? limit - used : 0,
	    .bavail = used < limit ? limit - used : 0,
	    .files = limit,
	    .ffree = inodes < limit ? limit - inodes : 0,
	    .namelen = NAME_MAX,
	    .frsize = PAGE_SIZE,
	    .flags = ST_VALID,
	};
}

/* statfs(path, buf): the path is looked up (following a last symlink) before buf is written. */
long sys_statfs(struct proc *p, const uint64_t a[6])
{
	struct inode *ip;
	int err = at_lookup(p, AT_FDCWD, a[0], LOOKUP_FOLLOW, false, &ip);
	if (err)
		return err;
	struct statfs st;
	fill_statfs(ip, &st);
	inode_put(ip);
	return as_copyout(p->as, a[1], &st, sizeof(st)) ? -EFAULT : 0;
}

/* fstatfs(fd, buf): any open file, O_PATH ones too. */
long sys_fstatfs(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file_any(p, (int)a[0]);
	if (!f)
		return -EBADF;
	struct statfs st;
	fill_statfs(f->inode, &st);
	return as_copyout(p->as, a[1], &st, sizeof(st)) ? -EFAULT : 0;
}
