/* File locks' calls: flock, and fcntl's F_GETLK, F_SETLK, F_SETLKW and their OFD forms, with
 * Linux's checks, in its order, of the struct flock a program passes. */
#include "fs/lock.h"
#include "mm/as.h"
#include "sys/sys_fs.h"
#include <errno.h>

#define LOCK_SH   1
#define LOCK_EX   2
#define LOCK_NB   4
#define LOCK_UN   8
#define LOCK_MAND 32

#define F_GETLK      5
#define F_SETLK      6
#define F_SETLKW     7
#define F_OFD_GETLK  36
#define F_OFD_SETLKW 38

/* struct flock on x86-64 (struct flock64 is the same). */
struct user_flock {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid;
};

/* flock's operation as a lock type, or -EINVAL. */
static int flock_type(unsigned op)
{
	switch (op) {
	case LOCK_SH:
		return F_RDLCK;
	case LOCK_EX:
		return F_WRLCK;
	case LOCK_UN:
		return F_UNLCK;
	default:
		return -EINVAL;
	}
}

/* flock(fd, op). LOCK_MAND is ignored, as Linux 6.12 ignores it; a lock needs a file open for
 * reading or writing. */
long sys_flock(struct proc *p, const uint64_t a[6])
{
	unsigned op = (unsigned)a[1];

	if (op & LOCK_MAND)
		return 0;

	int type = flock_type(op & ~(unsigned)LOCK_NB);

	if (type < 0)
		return type;

	struct file *f = proc_file(p, (int)a[0]);

	if (!f)
		return -EBADF;
	if (type != F_UNLCK && !file_readable(f) && !file_writable(f))
		return -EBADF;
	return lock_flock(f, type, !(op & LOCK_NB));
}

/* The file offset l_whence counts from, for f. */
static long whence_base(const struct file *f, int whence, int64_t *base)
{
	switch (whence) {
	case SEEK_SET:
		*base = 0;
		return 0;
	case SEEK_CUR:
		*base = (int64_t)f->off;
		return 0;
	case SEEK_END:
		*base = (int64_t)f->inode->size;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The request struct flock u makes on f (Linux's flock64_to_posix_lock()): bytes [start, end],
 * a negative length counting back from the start, 0 to the end of any file; a POSIX lock of
 * p's fd table. 0, -EINVAL or -EOVERFLOW. */
static long to_request(struct proc *p, const struct file *f, const struct user_flock *u,
                       struct lock_req *r)
{
	int64_t start, end;
	long err = whence_base(f, u->l_whence, &start);

	if (err)
		return err;
	if (u->l_start > LOCK_OFFSET_MAX - start)
		return -EOVERFLOW;
	start += u->l_start;
	if (start < 0)
		return -EINVAL;
	if (u->l_len > 0) {
		if (u->l_len - 1 > LOCK_OFFSET_MAX - start)
			return -EOVERFLOW;
		end = start + (u->l_len - 1);
	} else if (u->l_len < 0) {
		if (start + u->l_len < 0)
			return -EINVAL;
		end = start - 1;
		start += u->l_len;
	} else {
		end = LOCK_OFFSET_MAX;
	}
	if (u->l_type != F_RDLCK && u->l_type != F_WRLCK && u->l_type != F_UNLCK)
		return -EINVAL;
	*r = (struct lock_req){
	    .type = u->l_type, .start = start, .end = end, .owner = p->fds, .pid = p->pid};
	return 0;
}

/* F_GETLK and F_OFD_GETLK: u says the first conflicting lock (its holder's pid, -1 for an OFD
 * lock), or only l_type F_UNLCK when none conflicts. */
static long get_lock(struct proc *p, struct file *f, bool ofd, struct user_flock *u)
{
	struct lock_req r;
	long err;

	if (!ofd && u->l_type != F_RDLCK && u->l_type != F_WRLCK)
		return -EINVAL;
	if ((err = to_request(p, f, u, &r)))
		return err;
	if (ofd && u->l_pid)
		return -EINVAL;
	if (ofd)
		r.owner = f, r.ofd = true;
	lock_test(f->inode, &r);
	u->l_type = (int16_t)r.type;
	if (r.type == F_UNLCK)
		return 0;
	u->l_whence = SEEK_SET;
	u->l_start = r.start;
	u->l_len = r.end == LOCK_OFFSET_MAX ? 0 : r.end - r.start + 1;
	u->l_pid = r.pid;
	return 0;
}

/* F_SETLK, F_SETLKW and their OFD forms: a read lock needs f open for reading, a write lock
 * for writing. */
static long set_lock(struct proc *p, struct file *f, bool ofd, bool wait,
                     const struct user_flock *u)
{
	struct lock_req r;
	long err = to_request(p, f, u, &r);

	if (err)
		return err;
	if ((r.type == F_RDLCK && !file_readable(f)) || (r.type == F_WRLCK && !file_writable(f)))
		return -EBADF;
	if (ofd && u->l_pid)
		return -EINVAL;
	if (ofd)
		r.owner = f, r.ofd = true;
	return lock_set(f->inode, &r, wait);
}

long fcntl_lock(struct proc *p, struct file *f, int cmd, vaddr_t arg)
{
	struct user_flock u;
	bool ofd = cmd >= F_OFD_GETLK;

	if (as_copyin(p->as, &u, arg, sizeof(u)))
		return -EFAULT;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		long err = get_lock(p, f, ofd, &u);

		return err ? err : as_copyout(p->as, arg, &u, sizeof(u)) ? -EFAULT : 0;
	}
	return set_lock(p, f, ofd, cmd == F_SETLKW || cmd == F_OFD_SETLKW, &u);
}
