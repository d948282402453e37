/* What fork does and does not pass on: MADV_DONTFORK regions are absent in the child,
 * MADV_WIPEONFORK ones read zero, locks (VmLck) are not inherited, nor pending signals or an
 * alarm, while the signal mask and ignored signals are; getrusage(RUSAGE_CHILDREN) counts the
 * reaped children's faults and time (relations only).
 */
#include "include/proc.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#define PAGE 4096ul

/* The kB of a /proc/self/status line "name:", or -1. */
static long status_kb(const char *name)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, strlen(name)))
			v = atol(line + strlen(name) + 1);
	fclose(f);
	return v;
}

/* MADV_DONTFORK: the child has no such region (a touch is SIGSEGV); MADV_WIPEONFORK: zeros. */
static void madvise_fork(void)
{
	unsigned char *gone =
	    mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *wipe =
	    mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(gone, 1, 4 * PAGE);
	memset(wipe, 2, 4 * PAGE);
	show_result("madvise(MADV_DONTFORK)", neg_errno(madvise(gone, 4 * PAGE, MADV_DONTFORK)), 0);
	show_result("madvise(MADV_WIPEONFORK)", neg_errno(madvise(wipe, 2 * PAGE, MADV_WIPEONFORK)),
	            0);
	pid_t p = xfork();
	if (p == 0) {
		printf("child: wiped pages read %d %d, the rest %d %d\n", wipe[0], wipe[PAGE + 9],
		       wipe[2 * PAGE], wipe[4 * PAGE - 1]);
		printf("child: mincore of the DONTFORK range: %s\n",
		       mincore(gone, PAGE, (unsigned char[1]){0}) ? ename(errno) : "mapped");
		fflush(stdout);
		return (void)(gone[0] = 3), _exit(0); /* SIGSEGV */
	}
	reap("child touching the DONTFORK range", p);
	fact("parent keeps both", gone[0] == 1 && wipe[0] == 2 && wipe[PAGE] == 2);
	show_result("madvise(MADV_DOFORK)", neg_errno(madvise(gone, 4 * PAGE, MADV_DOFORK)), 0);
	p = xfork();
	if (p == 0)
		_exit(gone[5] == 1 ? 0 : 1);
	reap("child after MADV_DOFORK reads the parent's byte (0: yes)", p);
	show_result(
	    "MADV_WIPEONFORK on a shared mapping",
	    neg_errno(madvise(mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0), PAGE,
	                      MADV_WIPEONFORK)),
	    -EINVAL);
	munmap(gone, 4 * PAGE);
	munmap(wipe, 4 * PAGE);
}

/* mlock: the parent's VmLck counts it, the child's is 0. */
static void locks(void)
{
	unsigned char *m =
	    mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_result("mlock 32 KiB", neg_errno(mlock(m, 8 * PAGE)), 0);
	printf("parent VmLck: %ld kB\n", status_kb("VmLck"));
	pid_t p = xfork();
	if (p == 0) {
		printf("child VmLck: %ld kB\n", status_kb("VmLck"));
		_exit(m[0]);
	}
	reap("child", p);
	printf("parent VmLck after: %ld kB\n", status_kb("VmLck"));
	munmap(m, 8 * PAGE);
}

/* Signals: the mask and SIG_IGN pass on; pending signals and an alarm do not. */
static void signals(void)
{
	sigset_t set, pend;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	kill(getpid(), SIGUSR1);
	alarm(100);
	pid_t p = xfork();
	if (p == 0) {
		sigset_t m;

		sigpending(&pend);
		sigprocmask(SIG_BLOCK, NULL, &m);
		printf("child: SIGUSR1 pending %d, blocked %d\n", sigismember(&pend, SIGUSR1),
		       sigismember(&m, SIGUSR1));
		printf("child: alarm(0) returns %u\n", alarm(0));
		kill(getpid(), SIGUSR2); /* ignored */
		_exit(0);
	}
	reap("child", p);
	printf("parent: alarm left %s\n", alarm(0) > 90 ? "over 90 s" : "less");
	sigpending(&pend);
	printf("parent: SIGUSR1 pending %d\n", sigismember(&pend, SIGUSR1));
	signal(SIGUSR1, SIG_IGN); /* discards it */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* Spin on the CPU for ms milliseconds. */
static void spin(long ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

/* getrusage(RUSAGE_CHILDREN): nothing before a child is reaped; then its faults and time. */
static void rusage(void)
{
	struct rusage before, after, self;

	getrusage(RUSAGE_CHILDREN, &before);
	getrusage(RUSAGE_SELF, &self);
	pid_t p = xfork();
	if (p == 0) {
		unsigned char *m = mmap(NULL, 2000 * PAGE, PROT_READ | PROT_WRITE,
		                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (unsigned long i = 0; i < 2000 * PAGE; i += PAGE)
			m[i] = 1;
		spin(200);
		_exit(0);
	}
	show_result(
	    "getrusage(RUSAGE_CHILDREN) while it runs: minflt unchanged",
	    getrusage(RUSAGE_CHILDREN, &after) == 0 && after.ru_minflt == before.ru_minflt ? 0 : -1,
	    0);
	reap("child touched 2000 pages and spun 200 ms", p);
	getrusage(RUSAGE_CHILDREN, &after);
	long flt = after.ru_minflt - before.ru_minflt;
	fact("children's minflt grew by at least 2000 / 16 (fault-around)", flt >= 2000 / 16);
	fact("children's majflt did not grow", after.ru_majflt == before.ru_majflt);
	fact("children's maxrss >= 7000 kB", after.ru_maxrss >= 7000);
	long us = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1000000 +
	          (after.ru_utime.tv_usec - before.ru_utime.tv_usec) +
	          (after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1000000 +
	          (after.ru_stime.tv_usec - before.ru_stime.tv_usec);
	fact("children's CPU time at least 150 ms", us >= 150000);
	struct rusage self2;
	getrusage(RUSAGE_SELF, &self2);
	fact("the parent's own minflt did not take the child's",
	     self2.ru_minflt - self.ru_minflt < 2000 / 16);
	show_result("getrusage(99)", neg_errno(getrusage(99, &after)), -EINVAL);
}

int main(void)
{
	proc_setup();
	madvise_fork();
	locks();
	signals();
	rusage();
	printf("failures: %d\n", failures);
	return failures != 0;
}
