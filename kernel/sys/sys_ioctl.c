/* ioctl: the requests Linux's VFS answers for every file (close-on-exec, non-blocking mode,
 * bytes left to read, block size, size) and ENOTTY for the rest: no file of SOS is a terminal,
 * so TCGETS, TIOCGWINSZ and every other terminal request fail as on the oracle, whose standard
 * files are plain files. */
#include "fs/pipe.h"
#include "sys/sys_fs.h"
#include <errno.h>

#define FIONCLEX 0x5450
#define FIOCLEX  0x5451
#define FIOASYNC 0x5452
#define FIONBIO  0x5421
#define FIONREAD 0x541b
#define FIOQSIZE 0x5460
#define FIGETBSZ 2

/* FIONBIO: set or clear O_NONBLOCK on f from the int at arg. */
static long set_nonblock(struct proc *p, struct file *f, vaddr_t arg)
{
	int on;
	if (as_copyin(p->as, &on, arg, sizeof(on)))
		return -EFAULT;
	f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(uint32_t)O_NONBLOCK;
	return 0;
}

/* FIOASYNC: asking for what f has is fine; a change needs signal-driven I/O, which no file of
 * SOS has (Linux: no fasync operation, -ENOTTY). */
static long set_async(struct proc *p, struct file *f, vaddr_t arg)
{
	int on;
	if (as_copyin(p->as, &on, arg, sizeof(on)))
		return -EFAULT;
	return !on == !(f->flags & O_ASYNC) ? 0 : -ENOTTY;
}

/* FIOQSIZE: the bytes the file's pages take (Linux's inode_get_bytes: st_blocks * 512). */
static long qsize(struct proc *p, const struct inode *ip, vaddr_t arg)
{
	if (!S_ISREG(ip->mode) && !S_ISDIR(ip->mode) && !S_ISLNK(ip->mode))
		return -ENOTTY;
	uint64_t bytes = ip->data ? (ip->data->resident + ip->data->swapped) * PAGE_SIZE : 0;
	return as_copyout(p->as, arg, &bytes, sizeof(bytes)) ? -EFAULT : 0;
}

/* Put an int result at arg. */
static long put_int(struct proc *p, vaddr_t arg, int v)
{
	return as_copyout(p->as, arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* ioctl(fd, request, arg) */
long sys_ioctl(struct proc *p, const uint64_t a[6])
{
	int fd = (int)a[0];
	struct file *f = proc_file(p, fd);
	if (!f)
		return -EBADF;
	struct inode *ip = f->inode;
	switch ((uint32_t)a[1]) {
	case FIOCLEX:
		return fd_set_flags(p->fds, fd, FD_CLOEXEC);
	case FIONCLEX:
		return fd_set_flags(p->fds, fd, 0);
	case FIONBIO:
		return set_nonblock(p, f, a[2]);
	case FIOASYNC:
		return set_async(p, f, a[2]);
	case FIOQSIZE:
		return qsize(p, ip, a[2]);
	case FIGETBSZ:
		return put_int(p, a[2], PAGE_SIZE);
	case FIONREAD:
		if (pipe_is(f))
			return put_int(p, a[2], (int)pipe_state_of(f).queued);
		if (!S_ISREG(ip->mode))
			return -ENOTTY;
		return put_int(p, a[2], (int)(ip->size - f->off));
	default:
		return -ENOTTY;
	}
}
