/* poll, ppoll, select and pselect6: each file answers what it has ready (file_poll: pipes and
 * the console know, other files are always ready); with nothing ready the caller sleeps until a
 * pipe moves, a tick passes (the console is polled), the timeout, or a signal. */
#include "arch/x86_64/platform.h"
#include "fs/pipe.h"
#include "lib/wait.h"
#include "mm/as.h"
#include "sys/sys_fs.h"
#include <errno.h>

#define POLL_STACK 64 /* pollfds copied at a time */
#define NSEC       1000000000UL

/* select's sets (Linux's POLLIN_SET, POLLOUT_SET, POLLEX_SET). */
#define IN_SET  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define OUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define EX_SET  POLLPRI

struct pollfd {
	int fd;
	int16_t events, revents;
};

/* What fd reports for the events asked. */
static int16_t revents_of(struct proc *p, const struct pollfd *pf)
{
	if (pf->fd < 0)
		return 0;
	struct file *f = proc_file(p, pf->fd);
	if (!f)
		return POLLNVAL;
	return (int16_t)(file_poll(f) & (pf->events | POLLERR | POLLHUP));
}

/* One pass: fill in the revents of nfds pollfds at upfds. The count ready, or -EFAULT. */
static long poll_pass(struct proc *p, vaddr_t upfds, uint64_t nfds)
{
	struct pollfd v[POLL_STACK];
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

/* Run pass until it finds something ready, the deadline passes (0: none; ~0: do not wait), or a
 * signal comes (-EINTR). */
static long wait_ready(struct proc *p, long (*pass)(struct proc *, void *), void *arg,
                       uint64_t deadline)
{
	for (;;) {
		long ready = pass(p, arg);
		if (ready || deadline == ~0UL)
			return ready;
		int err = sched_sleep(poll_chan, deadline);
		if (err == -ETIMEDOUT)
			return pass(p, arg);
		if (err)
			return -ERESTARTNOHAND; /* a handler makes it EINTR, a stop restarts it */
	}
}

struct poll_args {
	vaddr_t fds;
	uint64_t nfds;
};

static long poll_step(struct proc *p, void *arg)
{
	struct poll_args *a = arg;
	return poll_pass(p, a->fds, a->nfds);
}

/* The deadline of a relative timeout of ns (~0: none, do not wait at all when 0). */
static uint64_t deadline_in(uint64_t ns)
{
	return ns ? arch_monotonic_ns() + ns : ~0UL;
}

static long do_poll(struct proc *p, vaddr_t fds, uint64_t nfds, uint64_t deadline)
{
	struct poll_args a = {fds, nfds};
	if (nfds > p->rlim[RLIMIT_NOFILE].cur)
		return -EINVAL;
	return wait_ready(p, poll_step, &a, deadline);
}

long sys_poll(struct proc *p, const uint64_t a[6])
{
	int ms = (int)a[2];
	return do_poll(p, a[0], (unsigned)a[1], ms < 0 ? 0 : deadline_in((uint64_t)ms * 1000000));
}

struct timespec {
	int64_t sec, nsec;
};

/* A timespec timeout at u as a deadline (u 0: none). 0, -EFAULT or -EINVAL. */
static int timespec_deadline(struct proc *p, vaddr_t u, uint64_t *deadline)
{
	uint64_t ns;
	*deadline = 0;
	int err = u ? user_timespec(p, u, &ns) : 0;
	if (u && !err)
		*deadline = deadline_in(ns);
	return err;
}

/* Block the signals of the user mask at u (size n) for the call (u 0: none), as Linux's
 * set_user_sigmask(): the old mask comes back after the call, or after the handler a signal
 * that ended it runs (restore_mask). */
static int swap_mask(struct proc *p, vaddr_t u, uint64_t n)
{
	uint64_t set;
	if (!u)
		return 0;
	if (n != sizeof(set))
		return -EINVAL;
	if (as_copyin(p->as, &set, u, sizeof(set)))
		return -EFAULT;
	p->sig.saved_mask = p->sig.blocked;
	p->sig.restore_mask = true;
	signal_set_blocked(p, set);
	return 0;
}

/* The end of a call that swapped the mask: an interrupted one leaves it for the delivery. */
static long restore_mask(struct proc *p, long r)
{
	if (p->sig.restore_mask && r != -ERESTARTNOHAND) {
		p->sig.restore_mask = false;
		signal_set_blocked(p, p->sig.saved_mask);
	}
	return r;
}

long sys_ppoll(struct proc *p, const uint64_t a[6])
{
	uint64_t deadline;
	int err = timespec_deadline(p, a[2], &deadline);
	if (!err)
		err = swap_mask(p, a[3], a[4]);
	if (err)
		return err;
	return restore_mask(p, do_poll(p, a[0], (unsigned)a[1], deadline));
}

/* ---- select ---- */

struct select_args {
	int n;
	vaddr_t sets[3]; /* read, write, except (0: none) */
	bool write;      /* the last pass: write the ready fds back over the sets */
};

/* The ready bits of word w of the sets in s, in out (three words); the count, or -errno. */
static long select_word(struct proc *p, const struct select_args *s, size_t w, uint64_t out[3])
{
	static const int want[3] = {IN_SET, OUT_SET, EX_SET};
	uint64_t in[3] = {0, 0, 0};
	long ready = 0;
	for (int k = 0; k < 3; k++)
		if (s->sets[k] && as_copyin(p->as, &in[k], s->sets[k] + w * 8, 8))
			return -EFAULT;
	for (int b = 0; b < 64 && (int)(w * 64) + b < s->n; b++) {
		uint64_t bit = 1UL << b;
		if (!((in[0] | in[1] | in[2]) & bit))
			continue;
		struct file *f = proc_file_any(p, (int)(w * 64) + b);
		if (!f)
			return -EBADF;
		int mask = file_poll(f);
		for (int k = 0; k < 3; k++)
			if ((in[k] & bit) && (mask & want[k])) {
				out[k] |= bit;
				ready++;
			}
	}
	return ready;
}

/* One pass over the sets: the count of ready bits (the sets rewritten with them when s->write),
 * or -EBADF or -EFAULT. The sets stay as they are until the last pass, as the next one reads
 * them again. */
static long select_pass(struct proc *p, void *arg)
{
	struct select_args *s = arg;
	long ready = 0;
	for (size_t w = 0; w < ((size_t)s->n + 63) / 64; w++) {
		uint64_t out[3] = {0, 0, 0};
		long r = select_word(p, s, w, out);
		if (r < 0)
			return r;
		ready += r;
		for (int k = 0; k < 3 && s->write; k++)
			if (s->sets[k] && as_copyout(p->as, s->sets[k] + w * 8, &out[k], 8))
				return -EFAULT;
	}
	return ready;
}

/* select's wait, then the pass that writes the sets. */
static long do_select(struct proc *p, struct select_args *s, uint64_t deadline)
{
	if (s->n < 0)
		return -EINVAL;
	if (s->n > fd_table_size(p->fds))
		s->n = fd_table_size(p->fds); /* Linux looks no further than its table */
	s->write = false;
	long r = wait_ready(p, select_pass, s, deadline);
	if (r < 0)
		return r;
	s->write = true;
	return select_pass(p, s);
}

struct timeval {
	int64_t sec, usec;
};

/* What is left of a timeout to deadline, for select to write back. */
static struct timeval time_left(uint64_t deadline)
{
	uint64_t now = arch_monotonic_ns();
	uint64_t left = deadline == ~0UL || deadline <= now ? 0 : deadline - now;
	return (struct timeval){(int64_t)(left / NSEC), (int64_t)(left % NSEC / 1000)};
}

long sys_select(struct proc *p, const uint64_t a[6])
{
	struct select_args s = {(int)a[0], {a[1], a[2], a[3]}, false};
	struct timeval tv;
	uint64_t deadline = 0;
	if (a[4]) {
		if (as_copyin(p->as, &tv, a[4], sizeof(tv)))
			return -EFAULT;
		if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1000000)
			return -EINVAL;
		deadline = deadline_in((uint64_t)tv.sec * NSEC + (uint64_t)tv.usec * 1000);
	}
	long r = do_select(p, &s, deadline);
	tv = time_left(deadline);
	if (a[4] && r != -EFAULT && as_copyout(p->as, a[4], &tv, sizeof(tv)))
		return r < 0 ? r : -EFAULT;
	return r;
}

/* pselect6(n, in, out, ex, timespec, {sigset *, size}). */
long sys_pselect6(struct proc *p, const uint64_t a[6])
{
	struct select_args s = {(int)a[0], {a[1], a[2], a[3]}, false};
	uint64_t deadline, sig[2] = {0, 0};
	int err = timespec_deadline(p, a[4], &deadline);
	if (!err && a[5] && as_copyin(p->as, sig, a[5], sizeof(sig)))
		err = -EFAULT;
	if (!err)
		err = swap_mask(p, sig[0], sig[0] ? sig[1] : 8);
	if (err)
		return err;
	long r = restore_mask(p, do_select(p, &s, deadline));
	if (a[4] && r != -EFAULT) {
		struct timeval tv = time_left(deadline);
		struct timespec ts = {tv.sec, tv.usec * 1000};
		if (as_copyout(p->as, a[4], &ts, sizeof(ts)))
			return r < 0 ? r : -EFAULT;
	}
	return r;
}
