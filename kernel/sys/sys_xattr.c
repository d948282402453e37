/* Extended attributes: the twelve get/set/list/remove calls (path, symlink and fd forms). SOS's
 * tmpfs keeps none, so it answers as Linux's tmpfs does for a file that has none: reads find no
 * data, lists are empty, and a write that would create one is -EOPNOTSUPP (on the oracle it
 * succeeds). Names, flags and values are checked in Linux's order, with its errnos. */
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_CREATE   1
#define XATTR_REPLACE  2

enum form { BY_PATH, BY_LINK, BY_FD }; /* getxattr, lgetxattr, fgetxattr and so on */

/* What a name is to tmpfs's handlers (Linux's xattr_resolve_name). */
enum kind {
	NO_HANDLER, /* an unknown namespace: -EOPNOTSUPP */
	BARE,       /* a namespace prefix alone ("user."): -EINVAL */
	USER,       /* user.*: only regular files and directories may have them */
	OTHER,      /* trusted.*, security.* */
	ACL,        /* system.posix_acl_access, system.posix_acl_default */
};

static const char *const prefixes[] = {"user.", "trusted.", "security."};

static enum kind name_kind(const char *name)
{
	if (!strcmp(name, "system.posix_acl_access") || !strcmp(name, "system.posix_acl_default"))
		return ACL;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t len = strlen(prefixes[i]);
		if (!strncmp(name, prefixes[i], len))
			return !name[len] ? BARE : i == 0 ? USER : OTHER;
	}
	return NO_HANDLER;
}

/* Copy the name at uname into name: -EFAULT, or -ERANGE when empty or longer than
 * XATTR_NAME_MAX (Linux's strncpy_from_user into 256 bytes). */
static int get_name(struct proc *p, vaddr_t uname, char name[XATTR_NAME_MAX + 1])
{
	for (size_t i = 0; i <= XATTR_NAME_MAX; i++) {
		if (as_copyin(p->as, &name[i], uname + i, 1))
			return -EFAULT;
		if (!name[i])
			return i ? 0 : -ERANGE;
	}
	return -ERANGE;
}

/* Whether the size bytes of a value at uvalue can be read (Linux copies them in). */
static bool value_readable(struct proc *p, vaddr_t uvalue, size_t size)
{
	char chunk[256];
	for (size_t done = 0; done < size; done += sizeof(chunk)) {
		size_t n = size - done < sizeof(chunk) ? size - done : sizeof(chunk);
		if (as_copyin(p->as, chunk, uvalue + done, n))
			return false;
	}
	return true;
}

/* The inode a call names: a path (followed or not) or an fd (not O_PATH). *ip with a
 * reference. 0 or -errno. */
static int target(struct proc *p, enum form form, uint64_t arg, struct inode **ip)
{
	if (form != BY_FD)
		return at_lookup(p, AT_FDCWD, arg, form == BY_PATH ? LOOKUP_FOLLOW : 0, false, ip);
	struct file *f = proc_file(p, (int)arg);
	if (!f)
		return -EBADF;
	inode_get(f->inode);
	*ip = f->inode;
	return 0;
}

/* Linux's xattr_permission for a write: user.* only on regular files and directories. */
static bool may_write(const struct inode *ip, enum kind kind)
{
	return kind != USER || S_ISREG(ip->mode) || S_ISDIR(ip->mode);
}

/* What a lookup of an absent attribute gives for kind. */
static long absent(enum kind kind)
{
	return kind == NO_HANDLER ? -EOPNOTSUPP : kind == BARE ? -EINVAL : -ENODATA;
}

/* getxattr(target, name, value, size): the file is found first, then the name is read. */
static long do_get(struct proc *p, enum form form, const uint64_t a[6])
{
	char name[XATTR_NAME_MAX + 1];
	struct inode *ip;
	int err = target(p, form, a[0], &ip);
	if (err)
		return err;
	inode_put(ip);
	err = get_name(p, a[1], name);
	return err ? err : absent(name_kind(name));
}

/* listxattr(target, list, size): no names, so nothing is written and the size is 0. */
static long do_list(struct proc *p, enum form form, const uint64_t a[6])
{
	struct inode *ip;
	int err = target(p, form, a[0], &ip);
	if (err)
		return err;
	inode_put(ip);
	return 0;
}

/* removexattr(target, name): removing an absent ACL is fine; anything else absent is -ENODATA
 * once the write is allowed. */
static long do_remove(struct proc *p, enum form form, const uint64_t a[6])
{
	char name[XATTR_NAME_MAX + 1];
	struct inode *ip;
	int err = target(p, form, a[0], &ip);
	if (err)
		return err;
	err = get_name(p, a[1], name);
	enum kind kind = err ? NO_HANDLER : name_kind(name);
	if (!err && kind == ACL)
		err = 0;
	else if (!err)
		err = may_write(ip, kind) ? (int)absent(kind) : -EPERM;
	inode_put(ip);
	return err;
}

/* setxattr(target, name, value, size, flags): flags, name and value are checked before the
 * file is looked up. Replacing an absent attribute is -ENODATA; making one, -EOPNOTSUPP. */
static long do_set(struct proc *p, enum form form, const uint64_t a[6])
{
	char name[XATTR_NAME_MAX + 1];
	if ((unsigned)a[4] & ~(unsigned)(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	int err = get_name(p, a[1], name);
	if (err)
		return err;
	if (a[3] > XATTR_SIZE_MAX)
		return -E2BIG;
	if (!value_readable(p, a[2], a[3]))
		return -EFAULT;
	struct inode *ip;
	err = target(p, form, a[0], &ip);
	if (err)
		return err;
	enum kind kind = name_kind(name);
	if (!may_write(ip, kind))
		err = -EPERM;
	else if (kind == NO_HANDLER || kind == BARE)
		err = (int)absent(kind);
	else
		err = ((unsigned)a[4] & XATTR_REPLACE) ? -ENODATA : -EOPNOTSUPP;
	inode_put(ip);
	return err;
}

long sys_getxattr(struct proc *p, const uint64_t a[6])
{
	return do_get(p, BY_PATH, a);
}

long sys_lgetxattr(struct proc *p, const uint64_t a[6])
{
	return do_get(p, BY_LINK, a);
}

long sys_fgetxattr(struct proc *p, const uint64_t a[6])
{
	return do_get(p, BY_FD, a);
}

long sys_listxattr(struct proc *p, const uint64_t a[6])
{
	return do_list(p, BY_PATH, a);
}

long sys_llistxattr(struct proc *p, const uint64_t a[6])
{
	return do_list(p, BY_LINK, a);
}

long sys_flistxattr(struct proc *p, const uint64_t a[6])
{
	return do_list(p, BY_FD, a);
}

long sys_removexattr(struct proc *p, const uint64_t a[6])
{
	return do_remove(p, BY_PATH, a);
}

long sys_lremovexattr(struct proc *p, const uint64_t a[6])
{
	return do_remove(p, BY_LINK, a);
}

long sys_fremovexattr(struct proc *p, const uint64_t a[6])
{
	return do_remove(p, BY_FD, a);
}

long sys_setxattr(struct proc *p, const uint64_t a[6])
{
	return do_set(p, BY_PATH, a);
}

long sys_lsetxattr(struct proc *p, const uint64_t a[6])
{
	return do_set(p, BY_LINK, a);
}

long sys_fsetxattr(struct proc *p, const uint64_t a[6])
{
	return do_set(p, BY_FD, a);
}
