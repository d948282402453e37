/* Time and the scheduler: sleeping (nanosleep, clock_nanosleep, pause), yielding, the real-time
 * interval timer (alarm, setitimer, getitimer) and times. */
#include "arch/x86_64/platform.h"
#include "proc/sched.h"
#include "sys/sys.h"
#include <errno.h>

#define NSEC 1000000000UL

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define TIMER_ABSTIME   1
#define ITIMER_REAL     0

struct timespec {
	int64_t sec, nsec;
};

struct timeval {
	int64_t sec, usec;
};

struct itimerval {
	struct timeval interval, value;
};

/* Sleep until deadline (monotonic ns): 0, or, when a signal came, the time left at rem (0: none)
 * and -ERESTART_RESTARTBLOCK: a handler makes it EINTR, and with none (a stop and continue)
 * restart_syscall sleeps on to the same deadline, as Linux's restart_block. */
static long sleep_until(struct proc *p, uint64_t deadline, uint64_t rem)
{
	int err;
	while (!(err = sched_sleep(p, deadline)))
		;
	if (err == -ETIMEDOUT)
		return 0;
	uint64_t now = arch_monotonic_ns(), left = deadline > now ? deadline - now : 0;
	struct timespec ts = {(int64_t)(left / NSEC), (int64_t)(left % NSEC)};
	if (rem && as_copyout(p->as, rem, &ts, sizeof(ts)))
		return -EFAULT;
	p->restart_deadline = deadline;
	p->restart_rem = rem;
	return -ERESTART_RESTARTBLOCK;
}

long sys_restart_syscall(struct proc *p, const uint64_t a[6])
{
	(void)a;
	uint64_t deadline = p->restart_deadline;
	p->restart_deadline = 0;
	return deadline ? sleep_until(p, deadline, p->restart_rem) : -EINTR;
}

int user_timespec(struct proc *p, vaddr_t u, uint64_t *ns)
{
	struct timespec ts;
	if (as_copyin(p->as, &ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC)
		return -EINVAL;
	*ns = (uint64_t)ts.sec > UINT64_MAX / NSEC / 2
	          ? UINT64_MAX / 2
	          : (uint64_t)ts.sec * NSEC + (uint64_t)ts.nsec;
	return 0;
}

long sys_nanosleep(struct proc *p, const uint64_t a[6])
{
	uint64_t ns;
	int err = user_timespec(p, a[0], &ns);
	return err ? err : sleep_until(p, arch_monotonic_ns() + ns, a[1]);
}

long sys_clock_nanosleep(struct proc *p, const uint64_t a[6])
{
	uint64_t ns, now = arch_monotonic_ns();
	if (a[0] != CLOCK_REALTIME && a[0] != CLOCK_MONOTONIC && a[0] != 7 /* BOOTTIME */)
		return -EINVAL;
	int err = user_timespec(p, a[2], &ns);
	if (err)
		return err;
	if (!(a[1] & TIMER_ABSTIME))
		return sleep_until(p, now + ns, a[3]);
	uint64_t clock_now = a[0] == CLOCK_REALTIME ? arch_realtime_ns() : now;
	return sleep_until(p, ns > clock_now ? now + (ns - clock_now) : now, 0);
}

long sys_pause(struct proc *p, const uint64_t a[6])
{
	(void)a;
	while (!sched_sleep(p, 0))
		;
	return -ERESTARTNOHAND;
}

long sys_sched_yield(struct proc *p, const uint64_t a[6])
{
	(void)p;
	(void)a;
	sched_yield();
	return 0;
}

/* ITIMER_REAL now: the time left and the interval. */
static struct itimerval real_timer(const struct proc *p)
{
	uint64_t now = arch_monotonic_ns();
	uint64_t left = p->alarm_at > now ? p->alarm_at - now : p->alarm_at ? 1000 : 0;
	uint64_t iv = p->alarm_interval;
	return (struct itimerval){{(int64_t)(iv / NSEC), (int64_t)(iv % NSEC / 1000)},
	                          {(int64_t)(left / NSEC), (int64_t)(left % NSEC / 1000)}};
}

long sys_alarm(struct proc *p, const uint64_t a[6])
{
	struct itimerval old = real_timer(p);
	uint64_t secs = (uint32_t)a[0];
	p->alarm_at = secs ? arch_monotonic_ns() + secs * NSEC : 0;
	p->alarm_interval = 0;
	/* the seconds left, rounded to the nearest, and at least 1 while it runs (Linux's) */
	long left = old.value.sec;
	if ((!left && old.value.usec) || old.value.usec >= 500000)
		left++;
	return left;
}

long sys_getitimer(struct proc *p, const uint64_t a[6])
{
	if (a[0] != ITIMER_REAL)
		return a[0] <= 2 ? -ENOSYS : -EINVAL;
	struct itimerval v = real_timer(p);
	return as_copyout(p->as, a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_setitimer(struct proc *p, const uint64_t a[6])
{
	struct itimerval v, old = real_timer(p);
	if (a[0] != ITIMER_REAL)
		return a[0] <= 2 ? -ENOSYS : -EINVAL;
	if (a[1] && as_copyin(p->as, &v, a[1], sizeof(v)))
		return -EFAULT;
	if (a[1] && (v.value.usec < 0 || v.value.usec >= 1000000 || v.interval.usec < 0 ||
	             v.interval.usec >= 1000000 || v.value.sec < 0 || v.interval.sec < 0))
		return -EINVAL;
	if (a[1]) {
		uint64_t value = (uint64_t)v.value.sec * NSEC + (uint64_t)v.value.usec * 1000;
		p->alarm_at = value ? arch_monotonic_ns() + value : 0;
		p->alarm_interval =
		    (uint64_t)v.interval.sec * NSEC + (uint64_t)v.interval.usec * 1000;
	}
	return a[2] && as_copyout(p->as, a[2], &old, sizeof(old)) ? -EFAULT : 0;
}

struct tms {
	int64_t utime, stime, cutime, cstime;
};

/* Ticks of the timer (HZ) as clock ticks (USER_HZ, 100 a second). */
static int64_t clock_ticks(uint64_t ticks)
{
	return (int64_t)(ticks * 100 / HZ);
}

long sys_times(struct proc *p, const uint64_t a[6])
{
	struct tms t = {clock_ticks(p->uticks), clock_ticks(p->sticks), clock_ticks(p->cuticks),
	                clock_ticks(p->csticks)};
	if (a[0] && as_copyout(p->as, a[0], &t, sizeof(t)))
		return -EFAULT;
	return (long)(arch_monotonic_ns() / 10000000); /* clock ticks since boot */
}
