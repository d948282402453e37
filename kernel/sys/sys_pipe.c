/* pipe and pipe2: a new pipe's two ends on the two lowest free fds, written to the user's array
 * as Linux does (EMFILE before EFAULT, and no fd left behind by either). */
#include "fs/fdtable.h"
#include "fs/pipe.h"
#include "sys/sys_fs.h"
#include <errno.h>

/* The two ends of a new pipe on fds written to ufds[2]. 0 or -errno. */
static long do_pipe(struct proc *p, vaddr_t ufds, uint32_t flags)
{
	struct file *ends[2];
	int fds[2] = {-1, -1};
	if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL; /* O_DIRECT (packet mode) and O_NOTIFICATION_PIPE: not in SOS */
	int err = pipe_create(flags, ends);
	if (err)
		return err;
	for (int i = 0; i < 2 && !err; i++) {
		fds[i] =
		    fd_alloc(p->fds, ends[i], 0, p->rlim[RLIMIT_NOFILE].cur, flags & O_CLOEXEC);
		err = fds[i] < 0 ? fds[i] : 0;
	}
	if (!err && as_copyout(p->as, ufds, fds, sizeof(fds)))
		err = -EFAULT;
	if (!err)
		return 0;
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			fd_close(p->fds, fds[i]);
		else
			file_put(ends[i]);
	}
	return err;
}

long sys_pipe(struct proc *p, const uint64_t a[6])
{
	return do_pipe(p, a[0], 0);
}

long sys_pipe2(struct proc *p, const uint64_t a[6])
{
	return do_pipe(p, a[0], (uint32_t)a[1]);
}
