/* The time calls with processes: nanosleep and clock_nanosleep sleep at least as asked, alarm
 * and setitimer(ITIMER_REAL) kill with SIGALRM at their default, a handler interrupts pause and
 * nanosleep (EINTR, the time left) while a stop and continue do not end it, times() and
 * CLOCK_PROCESS_CPUTIME_ID count CPU time.
 * Prints relations, never times.
 */
#include "include/proc.h"
#include <sys/time.h>
#include <sys/times.h>
#include <sched.h>
#include <time.h>

/* Nanoseconds on clock c. */
static long long now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Spin on the CPU for ms milliseconds of the monotonic clock. */
static void spin(long ms)
{
	long long end = now(CLOCK_MONOTONIC) + ms * 1000000ll;

	while (now(CLOCK_MONOTONIC) < end)
		;
}

static void on_alarm(int s)
{
	(void)s;
}

/* Sleeping: relative, absolute, and sched_yield. */
static void sleeps(void)
{
	struct timespec ts = {0, 100 * 1000000}, rem = {9, 9};
	long long t0 = now(CLOCK_MONOTONIC);

	show_result("nanosleep(100 ms)", neg_errno(nanosleep(&ts, &rem)), 0);
	fact("slept at least 100 ms", now(CLOCK_MONOTONIC) - t0 >= 100000000);
	fact("and less than 5 s", now(CLOCK_MONOTONIC) - t0 < 5000000000ll);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	long long want = ts.tv_sec * 1000000000ll + ts.tv_nsec;
	show_result("clock_nanosleep(TIMER_ABSTIME, +50 ms)",
	            -clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL), 0);
	fact("woke at or after the deadline", now(CLOCK_MONOTONIC) >= want);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000;
	show_result("nanosleep(tv_nsec 10^9)", neg_errno(nanosleep(&ts, NULL)), -EINVAL);
	show_result("sched_yield", neg_errno(sched_yield()), 0);
}

/* alarm and setitimer at SIGALRM's default action kill the child that set them. */
static void timers_kill(void)
{
	pid_t p = xfork();
	if (p == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	reap("alarm(1), then pause()", p);
	p = xfork();
	if (p == 0) {
		struct itimerval it = {{0, 0}, {0, 200000}}, old;

		setitimer(ITIMER_REAL, &it, NULL);
		getitimer(ITIMER_REAL, &old);
		printf("child: timer armed, left <= 200 ms: %s\n",
		       old.it_value.tv_sec == 0 && old.it_value.tv_usec <= 200000 ? "yes" : "no");
		spin(5000);
		_exit(0);
	}
	reap("setitimer(ITIMER_REAL, 200 ms), then a 5 s spin", p);
	unsigned first = alarm(5);
	printf("alarm(5) returns %u, then alarm(0) returns %u\n", first, alarm(0));
}

/* With a handler: pause() and nanosleep() return EINTR; the sleep's time left is reported. */
static void interrupted(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL)) {
		printf("sigaction: %s\n", ename(errno));
		failures++;
		return;
	}
	struct itimerval it = {{0, 0}, {0, 50000}};
	setitimer(ITIMER_REAL, &it, NULL);
	show_result("pause() until SIGALRM", neg_errno(pause()), -EINTR);
	struct timespec ts = {3, 0}, rem = {0, 0};
	setitimer(ITIMER_REAL, &it, NULL);
	show_result("nanosleep(3 s), SIGALRM after 50 ms", neg_errno(nanosleep(&ts, &rem)), -EINTR);
	fact("time left between 2 s and 3 s", rem.tv_sec == 2 || (rem.tv_sec == 3 && !rem.tv_nsec));
	signal(SIGALRM, SIG_DFL);
}

/* A stop and a continue with no handler to run: the child's nanosleep goes on to its end and
 * returns 0 (Linux restarts it through restart_syscall with the time left). */
static void stopped_sleep(void)
{
	pid_t p = xfork();
	if (p == 0) {
		struct timespec ts = {0, 400 * 1000000};
		long long t0 = now(CLOCK_MONOTONIC);
		int r = nanosleep(&ts, NULL);
		_exit(r == 0 && now(CLOCK_MONOTONIC) - t0 >= 400000000ll ? 0 : 1);
	}
	struct timespec pause_ = {0, 100 * 1000000};
	nanosleep(&pause_, NULL);
	kill(p, SIGSTOP);
	nanosleep(&pause_, NULL);
	kill(p, SIGCONT);
	reap_ok("nanosleep(400 ms) across SIGSTOP and SIGCONT (0: it slept it all)", p);
}

/* CPU time: a child that spins 300 ms shows in times() and in its own CPU clock. */
static void cpu_time(void)
{
	struct tms before, after;
	long hz = sysconf(_SC_CLK_TCK);

	times(&before);
	pid_t p = xfork();
	if (p == 0) {
		long long c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		spin(300);
		long long used = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		_exit(used >= 200000000 && used <= 3000000000ll ? 0 : 1);
	}
	reap("child spun 300 ms (0: its CPU clock says 200 ms to 3 s)", p);
	clock_t t = times(&after);
	fact("times() returns a clock", t != (clock_t)-1);
	long ticks = after.tms_cutime + after.tms_cstime - before.tms_cutime - before.tms_cstime;
	printf("clock ticks per second: %ld\n", hz);
	fact("children's CPU time at least 0.2 s", ticks >= hz / 5);
	fact("parent's own CPU time over the child's run less than the child's",
	     after.tms_utime + after.tms_stime - before.tms_utime - before.tms_stime < ticks);
}

int main(void)
{
	proc_setup();
	sleeps();
	timers_kill();
	interrupted();
	stopped_sleep();
	cpu_time();
	printf("failures: %d\n", failures);
	return failures != 0;
}
