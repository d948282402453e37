/* Older and rarer directory calls: getdents (the linux_dirent records that came before
 * getdents64) and chroot, which SOS takes only for the root it already has. */
#include "mm/as.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

#define DIRENT64_NAME 19 /* offsetof(struct linux_dirent64, d_name): ino, off, reclen, type */
#define DIRENT_NAME   18 /* offsetof(struct linux_dirent, d_name): ino, off, reclen */
#define GETDENTS_BUF  4096

/* Turn the linux_dirent64 records in buf[0, n) into linux_dirent ones of the same length: the
 * name moves down a byte and the type goes to the record's last byte. */
static void to_old_records(char *buf, size_t n)
{
	for (size_t pos = 0; pos < n;) {
		char *rec = buf + pos;
		uint16_t reclen;
		memcpy(&reclen, rec + 16, sizeof(reclen));
		char type = rec[DIRENT64_NAME - 1];
		memmove(rec + DIRENT_NAME, rec + DIRENT64_NAME, strlen(rec + DIRENT64_NAME) + 1);
		rec[reclen - 1] = type;
		pos += reclen;
	}
}

/* getdents(fd, dirp, count): at most a page of records a call (callers loop until 0). A buffer
 * the program cannot write leaves the position where it was. */
long sys_getdents(struct proc *p, const uint64_t a[6])
{
	char buf[GETDENTS_BUF];
	struct file *f = proc_file(p, (int)a[0]);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode) || f->ops != &tmpfs_dir_ops)
		return -ENOTDIR;
	size_t want = a[2] < sizeof(buf) ? a[2] : sizeof(buf);
	uint64_t off = f->off;
	long n = dir_getdents(f, (struct iobuf){NULL, (uintptr_t)&buf[0]}, want);
	if (n <= 0)
		return n;
	to_old_records(buf, (size_t)n);
	if (as_copyout(p->as, a[1], buf, (size_t)n)) {
		f->off = off;
		return -EFAULT;
	}
	return n;
}

/* chroot(path): the lookup's errors as Linux gives them; the root itself is accepted, any other
 * directory is -EPERM, as path lookup knows one root for everyone. */
long sys_chroot(struct proc *p, const uint64_t a[6])
{
	struct inode *ip;
	int err = at_lookup(p, AT_FDCWD, a[0], LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &ip);
	if (err)
		return err;
	err = ip == vfs_root ? 0 : -EPERM;
	inode_put(ip);
	return err;
}
