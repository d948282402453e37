/* The working directory: chdir, fchdir and getcwd. */
#include "mm/as.h"
#include "sys/sys_fs.h"
#include <errno.h>

/* Make ip (a reference the process takes over) the working directory. */
static long set_cwd(struct proc *p, struct inode *ip)
{
	inode_put(p->cwd);
	p->cwd = ip;
	return 0;
}

long sys_chdir(struct proc *p, const uint64_t a[6])
{
	struct inode *ip;
	int err = at_lookup(p, AT_FDCWD, a[0], LOOKUP_FOLLOW | LOOKUP_DIRECTORY, false, &ip);
	return err ? err : set_cwd(p, ip);
}

long sys_fchdir(struct proc *p, const uint64_t a[6])
{
	struct file *f = proc_file_any(p, (int)a[0]);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	inode_get(f->inode);
	return set_cwd(p, f->inode);
}

long sys_getcwd(struct proc *p, const uint64_t a[6])
{
	static char buf[PATH_MAX];
	long n = path_of(p->cwd, buf, sizeof(buf));
	if (n < 0)
		return n;
	if ((uint64_t)n > a[1])
		return -ERANGE;
	return as_copyout(p->as, a[0], buf, (size_t)n) ? -EFAULT : n;
}
