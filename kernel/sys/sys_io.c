/* ioctl: no file SOS has is a terminal, so every request but the generic close-on-exec ones is
 * -ENOTTY, as Linux answers on a regular file or a pipe. */
#include "sys/sys_fs.h"
#include <errno.h>

#define FIONCLEX 0x5450
#define FIOCLEX  0x5451

long sys_ioctl(struct proc *p, const uint64_t a[6])
{
	int fd = (int)a[0];
	if (!proc_file(p, fd))
		return -EBADF;
	switch ((unsigned)a[1]) {
	case FIOCLEX:
		return fd_set_flags(p->fds, fd, FD_CLOEXEC);
	case FIONCLEX:
		return fd_set_flags(p->fds, fd, 0);
	default:
		return -ENOTTY; /* TCGETS, TIOCGWINSZ and the rest */
	}
}
