/* poll and ppoll: pipes answer as Linux's pipe_poll; other files are always ready (Linux's
 * DEFAULT_POLLMASK), fd 0 too: a read then waits for the host's input, as a poller would. */
#include "fs/pipe.h"
#include "mm/as.h"
#include "sys/sys_fs.h"
#include <errno.h>

#define POLLIN           0x001
#define POLLOUT          0x004
#define POLLERR          0x008
#define POLLHUP          0x010
#define POLLNVAL         0x020
#define POLLRDNORM       0x040
#define POLLWRNORM       0x100
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

#define POLL_STACK 64 /* pollfds copied at a time */

struct pollfd {
	int fd;
	int16_t events, revents;
};

/* Linux's pipe_poll: the read end is readable with bytes queued and hung up without writers;
 * the write end is writable with a buffer free and in error without readers. */
static int pipe_mask(const struct file *f)
{
	struct pipe_state s = pipe_state_of(f);
	int mask = 0;
	if (file_readable(f) && s.queued)
		mask |= POLLIN | POLLRDNORM;
	if (file_readable(f) && !s.writers)
		mask |= POLLHUP;
	if (file_writable(f) && !s.full)
		mask |= POLLOUT | POLLWRNORM;
	if (file_writable(f) && !s.readers)
		mask |= POLLERR;
	return mask;
}

/* What fd reports for the events asked. */
static int16_t revents_of(struct proc *p, const struct pollfd *pf)
{
	if (pf->fd < 0)
		return 0;
	struct file *f = proc_file(p, pf->fd);
	if (!f)
		return POLLNVAL;
	int mask = pipe_is(f) ? pipe_mask(f) : DEFAULT_POLLMASK;
	return (int16_t)(mask & (pf->events | POLLERR | POLLHUP));
}

/* Fill in the revents of nfds pollfds at upfds. The count of fds with events, or -errno. */
static long do_poll(struct proc *p, vaddr_t upfds, uint64_t nfds)
{
	struct pollfd v[POLL_STACK];
	if (nfds > p->rlim[RLIMIT_NOFILE].cur)
		return -EINVAL;
	long ready = 0;
	for (uint64_t i = 0; i < nfds; i += POLL_STACK) {
		size_t n = nfds - i < POLL_STACK ? (size_t)(nfds - i) : POLL_STACK;
		vaddr_t at = upfds + i * sizeof(struct pollfd);
		if (as_copyin(p->as, v, at, n * sizeof(v[0])))
			return -EFAULT;
		for (size_t k = 0; k < n; k++) {
			v[k].revents = revents_of(p, &v[k]);
			ready += v[k].revents != 0;
		}
		if (as_copyout(p->as, at, v, n * sizeof(v[0])))
			return -EFAULT;
	}
	return ready;
}

long sys_poll(struct proc *p, const uint64_t a[6])
{
	return do_poll(p, a[0], (unsigned)a[1]);
}

long sys_ppoll(struct proc *p, const uint64_t a[6])
{
	if (a[3] && a[4] != 8)
		return -EINVAL; /* the signal mask's size */
	return do_poll(p, a[0], (unsigned)a[1]);
}
