/* File attributes: permission bits (umask, chmod and its fd and *at forms), owners (chown and
 * its forms). SOS's program is root, so every change is allowed and recorded, and the rules are
 * those Linux applies to root: a symlink's mode cannot change, and a chown of a non-directory
 * drops set-user-ID and (with group execute) set-group-ID. */
#include "proc/procfs.h"
#include "sys/sys_fs.h"
#include <errno.h>

#define S_IALLUGO 07777 /* the bits chmod sets */
#define S_IXGRP   00010
#define UID_NONE  0xffffffffu /* chown's "leave it": (uid_t)-1 */

/* umask(mask): set the creation mask's permission bits; the old mask. */
long sys_umask(struct proc *p, const uint64_t a[6])
{
	unsigned old = p->umask;
	p->umask = (unsigned)a[0] & 0777;
	return old;
}

/* Linux's chmod_common: the permission bits of ip become mode's. 0, -EOPNOTSUPP (symlink) or
 * -EPERM (a /proc/PID entry). */
static int set_mode(struct inode *ip, uint32_t mode)
{
	if (S_ISLNK(ip->mode))
		return -EOPNOTSUPP;
	if (procfs_pid_entry(ip))
		return -EPERM;
	ip->mode = (ip->mode & ~(uint32_t)S_IALLUGO) | (mode & S_IALLUGO);
	ip->ctime = fs_now();
	return 0;
}

/* Linux's chown_common: the owners that are not UID_NONE change; ctime always does. */
static int set_owner(struct inode *ip, uint32_t uid, uint32_t gid)
{
	if (uid != UID_NONE)
		ip->uid = uid;
	if (gid != UID_NONE)
		ip->gid = gid;
	if (!S_ISDIR(ip->mode)) {
		ip->mode &= ~(uint32_t)S_ISUID;
		if ((ip->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			ip->mode &= ~(uint32_t)S_ISGID;
	}
	ip->ctime = fs_now();
	return 0;
}

/* The inode of a *at call's path with Linux's flag rules: only AT_SYMLINK_NOFOLLOW and
 * AT_EMPTY_PATH (else -EINVAL). *out with a reference. */
static int attr_lookup(struct proc *p, int dirfd, vaddr_t path, unsigned flags, struct inode **out)
{
	if (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	return at_lookup(p, dirfd, path, lookup, flags & AT_EMPTY_PATH, out);
}

/* chmod of a path (fchmodat2's form; chmod and fchmodat have flags 0). */
static long chmod_at(struct proc *p, int dirfd, vaddr_t path, uint32_t mode, unsigned flags)
{
	struct inode *ip;
	int err = attr_lookup(p, dirfd, path, flags, &ip);
	if (err)
		return err;
	err = set_mode(ip, mode);
	inode_put(ip);
	return err;
}

/* chown of a path (fchownat's form). */
static long chown_at(struct proc *p, int dirfd, vaddr_t path, uint32_t uid, uint32_t gid,
                     unsigned flags)
{
	struct inode *ip;
	int err = attr_lookup(p, dirfd, path, flags, &ip);
	if (err)
		return err;
	err = set_owner(ip, uid, gid);
	inode_put(ip);
	return err;
}

/* chmod(path, mode) */
long sys_chmod(struct proc *p, const uint64_t a[6])
{
	return chmod_at(p, AT_FDCWD, a[0], (uint32_t)a[1], 0);
}

/* fchmod(fd, mode): not on an O_PATH file (musl then retries through /proc/self/fd). */
long sys_fchmod(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	return f ? set_mode(f->inode, (uint32_t)a[1]) : -EBADF;
}

/* fchmodat(dirfd, path, mode): the old call has no flags argument. */
long sys_fchmodat(struct proc *p, const uint64_t a[6])
{
	return chmod_at(p, (int)a[0], a[1], (uint32_t)a[2], 0);
}

/* fchmodat2(dirfd, path, mode, flags) */
long sys_fchmodat2(struct proc *p, const uint64_t a[6])
{
	return chmod_at(p, (int)a[0], a[1], (uint32_t)a[2], (unsigned)a[3]);
}

/* chown(path, uid, gid) */
long sys_chown(struct proc *p, const uint64_t a[6])
{
	return chown_at(p, AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2], 0);
}

/* lchown(path, uid, gid): the symlink itself. */
long sys_lchown(struct proc *p, const uint64_t a[6])
{
	return chown_at(p, AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2], AT_SYMLINK_NOFOLLOW);
}

/* fchown(fd, uid, gid) */
long sys_fchown(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file(p, (int)a[0]);
	return f ? set_owner(f->inode, (uint32_t)a[1], (uint32_t)a[2]) : -EBADF;
}

/* fchownat(dirfd, path, uid, gid, flags) */
long sys_fchownat(struct proc *p, const uint64_t a[6])
{
	return chown_at(p, (int)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3], (unsigned)a[4]);
}
