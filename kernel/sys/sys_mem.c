/* The memory system calls: argument registers in, kernel/mm's address-space operations out.
 * All of Linux's rules live in kernel/mm (as.h), where the host tests can reach them. */
#include "mm/as.h"
#include "mm/uapi.h"
#include "sys/sys_fs.h"
#include <errno.h>

long sys_brk(struct proc *p, const uint64_t a[6])
{
	return (long)as_brk(p->as, a[0]);
}

/* mmap of an open file: Linux's do_mmap() checks of the file against the mapping's type and
 * rights. /dev/zero maps anonymous memory; regular files wait for mm's object mappings
 * (as_mmap_object), so they are -ENODEV for now, as other files without an mmap are. */
static long mmap_file(struct proc *p, const uint64_t a[6], struct file *f)
{
	int prot = (int)a[2], flags = (int)a[3];
	if (a[1] == 0)
		return -EINVAL;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if ((prot & PROT_WRITE) && !file_writable(f))
			return -EACCES;
		/* fall through */
	case MAP_PRIVATE:
		if (!file_readable(f))
			return -EACCES;
		break;
	default:
		return -EINVAL;
	}
	if (S_ISCHR(f->inode->mode) && !f->inode->fops && chrdev_is_zero(f->inode->rdev))
		return as_mmap(p->as, a[0], a[1], prot, flags | MAP_ANONYMOUS, -1, 0);
	return -ENODEV;
}

long sys_mmap(struct proc *p, const uint64_t a[6])
{
	int flags = (int)a[3];
	if (flags & MAP_ANONYMOUS)
		return as_mmap(p->as, a[0], a[1], (int)a[2], flags, (int)a[4], (long)a[5]);
	if (a[5] & PAGE_MASK)
		return -EINVAL;
	struct file *f = proc_file(p, (int)a[4]);
	return f ? mmap_file(p, a, f) : -EBADF;
}

long sys_munmap(struct proc *p, const uint64_t a[6])
{
	return as_munmap(p->as, a[0], a[1]);
}

long sys_msync(struct proc *p, const uint64_t a[6])
{
	return as_msync(p->as, a[0], a[1], (int)a[2]);
}

long sys_mincore(struct proc *p, const uint64_t a[6])
{
	return as_mincore(p->as, a[0], a[1], a[2]);
}

long sys_mprotect(struct proc *p, const uint64_t a[6])
{
	return as_mprotect(p->as, a[0], a[1], (int)a[2]);
}

long sys_mremap(struct proc *p, const uint64_t a[6])
{
	return as_mremap(p->as, a[0], a[1], a[2], (int)a[3], a[4]);
}

long sys_madvise(struct proc *p, const uint64_t a[6])
{
	long r = as_madvise(p->as, a[0], a[1], (int)a[2]);

	/* Linux's memory_failure() kills a process mapping the page it poisoned, at once */
	if (r == -EHWPOISON)
		proc_kill(p, SIGBUS, "a page of 0x%lx + 0x%lx poisoned (MADV_HWPOISON)", a[0],
		          a[1]);
	return r;
}

long sys_mlock(struct proc *p, const uint64_t a[6])
{
	return as_mlock(p->as, a[0], a[1], 0);
}

long sys_mlock2(struct proc *p, const uint64_t a[6])
{
	return as_mlock(p->as, a[0], a[1], (int)a[2]);
}

long sys_munlock(struct proc *p, const uint64_t a[6])
{
	return as_munlock(p->as, a[0], a[1]);
}

long sys_mlockall(struct proc *p, const uint64_t a[6])
{
	return as_mlockall(p->as, (int)a[0]);
}

long sys_munlockall(struct proc *p, const uint64_t a[6])
{
	(void)a;
	return as_munlockall(p->as);
}
