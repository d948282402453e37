/* Directories and names: getdents64, mkdir(at), rmdir, unlink(at), rename(at, at2), link(at),
 * symlink(at) and readlink(at), with the errno Linux gives for each kind of bad name. */
#include "mm/as.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

/* The parent of a *at call's path: *dir with a reference, the last name, a slash after it. */
struct parent {
	struct inode *dir;
	char name[NAME_MAX + 1];
	bool slash;
};

/* Copy the user path and find its parent. */
static int user_parent(struct proc *p, int dirfd, vaddr_t upath, struct parent *pa)
{
	char path[PATH_MAX];
	struct inode *start;
	int err = user_path(p, upath, path, false);
	if (!err)
		err = at_start(p, dirfd, path, &start);
	if (err)
		return err;
	err = path_parent(start, path, &pa->dir, pa->name, &pa->slash);
	inode_put(start);
	return err;
}

/* The last name is ".", ".." or none (a path of slashes): Linux's LAST_DOT, LAST_DOTDOT,
 * LAST_ROOT. */
static bool special(const char *name)
{
	return !name[0] || !strcmp(name, ".") || !strcmp(name, "..");
}

long sys_getdents64(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode) || f->ops != &tmpfs_dir_ops)
		return -ENOTDIR;
	size_t n = a[2] > 0x7fffffff ? 0x7fffffff : a[2];
	return dir_getdents(f, (struct iobuf){p->as, a[1]}, n);
}

/* Whether dir is /proc's: its names are the kernel's (Linux: EPERM to remove one, ENOENT to
 * make one, as its lookup finds no such name). */
static bool in_proc(const struct inode *dir)
{
	return dir->dev == FS_DEV_PROC;
}

/* filename_create(): the parent of a name to make, which must not exist yet. */
static int create_parent(struct proc *p, int dirfd, vaddr_t upath, struct parent *pa, bool want_dir)
{
	int err = user_parent(p, dirfd, upath, pa);
	if (err)
		return err;
	if (special(pa->name))
		err = -EEXIST;
	else if (dir_lookup(pa->dir, pa->name, strlen(pa->name)))
		err = -EEXIST;
	else if (pa->slash && !want_dir)
		err = -ENOENT;
	else if (pa->dir->nlink == 0 || in_proc(pa->dir))
		err = -ENOENT;
	if (err)
		inode_put(pa->dir);
	return err;
}

static long do_mkdir(struct proc *p, int dirfd, vaddr_t upath, uint32_t mode)
{
	struct parent pa;
	struct inode *ip;
	int err = create_parent(p, dirfd, upath, &pa, true);
	if (err)
		return err;
	mode &= 07777 & ~p->umask;
	err = dir_create(pa.dir, pa.name, strlen(pa.name), S_IFDIR | (mode & 01777), NULL, 0, &ip);
	inode_put(pa.dir);
	if (!err)
		inode_put(ip);
	return err;
}

/* mknod(at): regular files, devices, FIFOs and sockets (which SOS can name but not open). */
static long do_mknod(struct proc *p, int dirfd, vaddr_t upath, uint32_t mode, uint32_t dev)
{
	uint32_t type = mode & S_IFMT;
	if (type == S_IFDIR)
		return -EPERM;
	if (type && type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	struct parent pa;
	struct inode *ip;
	int err = create_parent(p, dirfd, upath, &pa, false);
	if (err)
		return err;
	bool device = type == S_IFCHR || type == S_IFBLK;
	mode = (type ? type : S_IFREG) | (mode & 07777 & ~p->umask);
	err = dir_create(pa.dir, pa.name, strlen(pa.name), mode, NULL, device ? dev : 0, &ip);
	inode_put(pa.dir);
	if (!err)
		inode_put(ip);
	return err;
}

long sys_mknod(struct proc *p, const uint64_t a[6])
{
	return do_mknod(p, AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_mknodat(struct proc *p, const uint64_t a[6])
{
	return do_mknod(p, (int)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3]);
}

long sys_mkdir(struct proc *p, const uint64_t a[6])
{
	return do_mkdir(p, AT_FDCWD, a[0], (uint32_t)a[1]);
}

long sys_mkdirat(struct proc *p, const uint64_t a[6])
{
	return do_mkdir(p, (int)a[0], a[1], (uint32_t)a[2]);
}

static long do_rmdir(struct proc *p, int dirfd, vaddr_t upath)
{
	struct parent pa;
	int err = user_parent(p, dirfd, upath, &pa);
	if (err)
		return err;
	struct inode *ip = dir_lookup(pa.dir, pa.name, strlen(pa.name));
	if (!pa.name[0])
		err = -EBUSY;
	else if (!strcmp(pa.name, "."))
		err = -EINVAL;
	else if (!strcmp(pa.name, ".."))
		err = -ENOTEMPTY;
	else if (!ip)
		err = -ENOENT;
	else if (!S_ISDIR(ip->mode))
		err = -ENOTDIR;
	else if (in_proc(pa.dir))
		err = -EPERM;
	else if (!dir_empty(ip))
		err = -ENOTEMPTY;
	else
		err = dir_unlink(pa.dir, pa.name, strlen(pa.name));
	inode_put(pa.dir);
	return err;
}

static long do_unlink(struct proc *p, int dirfd, vaddr_t upath)
{
	struct parent pa;
	int err = user_parent(p, dirfd, upath, &pa);
	if (err)
		return err;
	struct inode *ip = special(pa.name) ? NULL : dir_lookup(pa.dir, pa.name, strlen(pa.name));
	if (special(pa.name))
		err = -EISDIR;
	else if (!ip)
		err = -ENOENT;
	else if (S_ISDIR(ip->mode))
		err = -EISDIR;
	else if (pa.slash)
		err = -ENOTDIR;
	else if (in_proc(pa.dir))
		err = -EPERM;
	else
		err = dir_unlink(pa.dir, pa.name, strlen(pa.name));
	inode_put(pa.dir);
	return err;
}

long sys_rmdir(struct proc *p, const uint64_t a[6])
{
	return do_rmdir(p, AT_FDCWD, a[0]);
}

long sys_unlink(struct proc *p, const uint64_t a[6])
{
	return do_unlink(p, AT_FDCWD, a[0]);
}

long sys_unlinkat(struct proc *p, const uint64_t a[6])
{
	int flags = (int)a[2];
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return flags ? do_rmdir(p, (int)a[0], a[1]) : do_unlink(p, (int)a[0], a[1]);
}

/* A rename within /proc, which has no rename: ENOENT for a name its lookup cannot find (a
 * missing target too), 0 for a name onto itself, EEXIST for RENAME_NOREPLACE, else EPERM. */
static int proc_rename(const struct parent *from, const struct parent *to, unsigned flags)
{
	struct inode *old = dir_lookup(from->dir, from->name, strlen(from->name));
	struct inode *new = dir_lookup(to->dir, to->name, strlen(to->name));
	if (!old || !new)
		return -ENOENT;
	if (old == new)
		return 0;
	return (flags & RENAME_NOREPLACE) ? -EEXIST : -EPERM;
}

static long do_rename(struct proc *p, int olddfd, vaddr_t oldp, int newdfd, vaddr_t newp,
                      unsigned flags)
{
	static struct parent from, to; /* one system call at a time */
	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	int err = user_parent(p, olddfd, oldp, &from);
	if (err)
		return err;
	err = user_parent(p, newdfd, newp, &to);
	if (err) {
		inode_put(from.dir);
		return err;
	}
	if (from.dir->dev != to.dir->dev)
		err = -EXDEV; /* another mount */
	else if (special(from.name))
		err = -EBUSY;
	else if (special(to.name))
		err = (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	else if (flags & RENAME_WHITEOUT)
		err = -EINVAL; /* no whiteouts: SOS has no overlay file system */
	else if (in_proc(from.dir))
		err = proc_rename(&from, &to, flags);
	else
		err = dir_rename(from.dir, from.name, from.slash, to.dir, to.name, to.slash, flags);
	inode_put(from.dir);
	inode_put(to.dir);
	return err;
}

long sys_rename(struct proc *p, const uint64_t a[6])
{
	return do_rename(p, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

long sys_renameat(struct proc *p, const uint64_t a[6])
{
	return do_rename(p, (int)a[0], a[1], (int)a[2], a[3], 0);
}

long sys_renameat2(struct proc *p, const uint64_t a[6])
{
	return do_rename(p, (int)a[0], a[1], (int)a[2], a[3], (unsigned)a[4]);
}

static long do_link(struct proc *p, int olddfd, vaddr_t oldp, int newdfd, vaddr_t newp, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *ip;
	unsigned lf = (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0;
	int err = at_lookup(p, olddfd, oldp, lf, flags & AT_EMPTY_PATH, &ip);
	if (err)
		return err;
	struct parent pa;
	err = create_parent(p, newdfd, newp, &pa, false);
	if (!err) {
		if (ip->dev != pa.dir->dev)
			err = -EXDEV;
		else if (S_ISDIR(ip->mode))
			err = -EPERM;
		else if (ip->nlink == 0 && !ip->linkable)
			err = -ENOENT; /* removed, or an O_TMPFILE file opened with O_EXCL */
		else if (!(err = dir_link(pa.dir, pa.name, strlen(pa.name), ip)))
			ip->linkable = false;
		inode_put(pa.dir);
	}
	inode_put(ip);
	return err;
}

long sys_link(struct proc *p, const uint64_t a[6])
{
	return do_link(p, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

long sys_linkat(struct proc *p, const uint64_t a[6])
{
	return do_link(p, (int)a[0], a[1], (int)a[2], a[3], (int)a[4]);
}

static long do_symlink(struct proc *p, vaddr_t utarget, int newdfd, vaddr_t newp)
{
	static char target[PATH_MAX];
	int err = user_path(p, utarget, target, false);
	if (err)
		return err;
	struct parent pa;
	struct inode *ip;
	err = create_parent(p, newdfd, newp, &pa, false);
	if (err)
		return err;
	err = dir_create(pa.dir, pa.name, strlen(pa.name), S_IFLNK | 0777, target, 0, &ip);
	inode_put(pa.dir);
	if (!err)
		inode_put(ip);
	return err;
}

long sys_symlink(struct proc *p, const uint64_t a[6])
{
	return do_symlink(p, a[0], AT_FDCWD, a[1]);
}

long sys_symlinkat(struct proc *p, const uint64_t a[6])
{
	return do_symlink(p, a[0], (int)a[1], a[2]);
}

static long do_readlink(struct proc *p, int dirfd, vaddr_t upath, vaddr_t buf, int64_t size)
{
	static char path[PATH_MAX];
	struct inode *start, *ip;
	if (size <= 0)
		return -EINVAL;
	int err = user_path(p, upath, path, true);
	if (!err)
		err = at_start(p, dirfd, path, &start);
	if (err)
		return err;
	if (path[0]) {
		err = path_lookup(start, path, 0, &ip);
		inode_put(start);
		if (err)
			return err;
	} else {
		ip = start; /* an empty path: the fd's own inode */
	}
	long n = path[0] ? -EINVAL : -ENOENT;
	if (S_ISLNK(ip->mode)) {
		n = (long)ip->size < size ? (long)ip->size : (long)size;
		if (as_copyout(p->as, buf, ip->target, (size_t)n))
			n = -EFAULT;
	}
	inode_put(ip);
	return n;
}

long sys_readlink(struct proc *p, const uint64_t a[6])
{
	return do_readlink(p, AT_FDCWD, a[0], a[1], (int64_t)(int)a[2]);
}

long sys_readlinkat(struct proc *p, const uint64_t a[6])
{
	return do_readlink(p, (int)a[0], a[1], a[2], (int64_t)(int)a[3]);
}
