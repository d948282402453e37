/* Time: clock_gettime for every Linux clock id, gettimeofday and time. Real time from the
 * machine's clocks, never a counter of calls; CPU time as the scheduler measured it. */
#include "arch/x86_64/platform.h"
#include "proc/sched.h"
#include "sys/sys.h"
#include <errno.h>

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7

struct timespec64 {
	int64_t sec, nsec;
};

static bool is_realtime(int64_t clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE;
}

long sys_clock_gettime(struct proc *p, const uint64_t a[6])
{
	int64_t clk = (int32_t)a[0];
	uint64_t ns;
	if (is_realtime(clk))
		ns = arch_realtime_ns();
	else if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID)
		ns = sched_cputime(p); /* one thread a process: the two are the same */
	else if (clk >= CLOCK_MONOTONIC && clk <= CLOCK_BOOTTIME)
		ns = arch_monotonic_ns();
	else
		return -EINVAL;
	struct timespec64 ts = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000)};
	return as_copyout(p->as, a[1], &ts, sizeof(ts));
}

long sys_gettimeofday(struct proc *p, const uint64_t a[6])
{
	if (!a[0])
		return 0;
	uint64_t ns = arch_realtime_ns();
	struct timespec64 tv = {(int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000 / 1000)};
	return as_copyout(p->as, a[0], &tv, sizeof(tv));
}

long sys_time(struct proc *p, const uint64_t a[6])
{
	int64_t t = (int64_t)(arch_realtime_ns() / 1000000000);
	if (a[0] && as_copyout(p->as, a[0], &t, sizeof(t)))
		return -EFAULT;
	return t;
}
