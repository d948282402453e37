/* rlimits: the resource limits a program starts with on Linux 6.12 (the oracle's job, set up by
 * its init) and on SOS alike, and what getrlimit, setrlimit and prlimit64 accept and refuse.
 * RLIMIT_NPROC and RLIMIT_SIGPENDING follow the RAM size, so only their shape is printed.
 * Owned by kernel/sys (sys_limits.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "include/check.h"

#define NLIMITS 16
#define NR_OPEN 1048576

struct lim {
	unsigned long cur, max;
};

static const char *const names[NLIMITS] = {
    "CPU",     "FSIZE", "DATA",  "STACK",      "CORE",     "RSS",  "NPROC",  "NOFILE",
    "MEMLOCK", "AS",    "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME",
};

/* A limit value: "inf" or the number. */
static void print_value(unsigned long v)
{
	if (v == RLIM_INFINITY)
		printf(" inf");
	else
		printf(" %lu", v);
}

static long get(int res, struct lim *l)
{
	return neg_errno(syscall(SYS_getrlimit, res, l));
}

static long set(int res, unsigned long cur, unsigned long max)
{
	struct lim l = {cur, max};
	return neg_errno(syscall(SYS_setrlimit, res, &l));
}

static long prlim(long pid, int res, const struct lim *new, struct lim *old)
{
	return neg_errno(syscall(SYS_prlimit64, pid, res, new, old));
}

/* Every limit a program starts with; the two that scale with RAM by their relation to it. */
static void defaults_test(void)
{
	struct lim l[NLIMITS];
	struct sysinfo si;

	for (int r = 0; r < NLIMITS; r++) {
		if (get(r, &l[r])) {
			fact(names[r], 0);
			continue;
		}
		if (r == RLIMIT_NPROC || r == RLIMIT_SIGPENDING)
			continue;
		printf("RLIMIT_%s:", names[r]);
		print_value(l[r].cur);
		print_value(l[r].max);
		printf("\n");
	}
	fact("NPROC: soft is hard", l[RLIMIT_NPROC].cur == l[RLIMIT_NPROC].max);
	fact("SIGPENDING is NPROC", l[RLIMIT_SIGPENDING].cur == l[RLIMIT_NPROC].cur &&
	                                l[RLIMIT_SIGPENDING].max == l[RLIMIT_NPROC].max);
	if (sysinfo(&si)) {
		fact("sysinfo", 0);
		return;
	}
	double per = (double)si.totalram * si.mem_unit / 262144; /* a process per 256 KiB */
	fact("NPROC is within 10% of RAM / 256 KiB",
	     l[RLIMIT_NPROC].cur > per * 0.9 && l[RLIMIT_NPROC].cur < per * 1.1);
}

static void errors_test(void)
{
	struct lim l, bad = {10, 5};

	show_result("getrlimit(16)", get(16, &l), -EINVAL);
	show_result("getrlimit(-1)", get(-1, &l), -EINVAL);
	show_result("getrlimit(0, NULL)", get(0, NULL), -EFAULT);
	show_result("getrlimit(16, NULL)", get(16, NULL), -EINVAL);
	show_result("setrlimit(16, NULL)", neg_errno(syscall(SYS_setrlimit, 16, NULL)), -EFAULT);
	show_result("setrlimit(0, bad)", neg_errno(syscall(SYS_setrlimit, 0, (void *)16)), -EFAULT);
	show_result("setrlimit(16, ok)", set(16, 1, 1), -EINVAL);
	show_result("setrlimit soft above hard", set(RLIMIT_NOFILE, 10, 5), -EINVAL);
	show_result("prlimit64(99999)", prlim(99999, 0, NULL, &l), -ESRCH);
	show_result("prlimit64(-1)", prlim(-1, 0, NULL, &l), -ESRCH);
	show_result("prlimit64(self, 16)", prlim(0, 16, NULL, &l), -EINVAL);
	show_result("prlimit64(99999, 16)", prlim(99999, 16, NULL, &l), -ESRCH);
	show_result("prlimit64(99999, bad new)", prlim(99999, 0, (void *)16, NULL), -EFAULT);
	show_result("prlimit64(self, 0, NULL, NULL)", prlim(0, 0, NULL, NULL), 0);
	show_result("prlimit64(self, 0, NULL, bad)", prlim(0, 0, NULL, (void *)16), -EFAULT);
	show_result("prlimit64(self, 0, bad, NULL)", prlim(0, 0, (void *)16, NULL), -EFAULT);
	show_result("prlimit64 soft above hard, bad old", prlim(0, 7, &bad, (void *)16), -EINVAL);
	show_result("prlimit64(getpid())", prlim(getpid(), RLIMIT_NOFILE, NULL, &l), 0);
	printf("  NOFILE:");
	print_value(l.cur);
	print_value(l.max);
	printf("\n");
}

/* Root may raise a hard limit; RLIMIT_NOFILE stops at fs.nr_open. */
static void setting_test(void)
{
	struct lim l, old = {7, 7}, new = {50, 60};

	show_result("NOFILE hard above nr_open", set(RLIMIT_NOFILE, 100, NR_OPEN + 1), -EPERM);
	show_result("NOFILE unlimited", set(RLIMIT_NOFILE, RLIM_INFINITY, RLIM_INFINITY), -EPERM);
	show_result("NOFILE at nr_open", set(RLIMIT_NOFILE, NR_OPEN, NR_OPEN), 0);
	show_result("NOFILE 100/200", set(RLIMIT_NOFILE, 100, 200), 0);
	show_result("NOFILE hard raised to 300", set(RLIMIT_NOFILE, 100, 300), 0);
	show_result("prlimit64 new and old", prlim(0, RLIMIT_NOFILE, &new, &old), 0);
	printf("  old:");
	print_value(old.cur);
	print_value(old.max);
	printf("\n");
	show_result("getrlimit(NOFILE)", get(RLIMIT_NOFILE, &l), 0);
	printf("  now:");
	print_value(l.cur);
	print_value(l.max);
	printf("\n");
	new = (struct lim){40, 45};
	show_result("prlimit64 new, bad old", prlim(0, RLIMIT_NOFILE, &new, (void *)16), -EFAULT);
	get(RLIMIT_NOFILE, &l);
	fact("the new limit is set all the same", l.cur == 40 && l.max == 45);
	show_result("STACK unlimited", set(RLIMIT_STACK, RLIM_INFINITY, RLIM_INFINITY), 0);
	show_result("FSIZE 1 MiB", set(RLIMIT_FSIZE, 1 << 20, RLIM_INFINITY), 0);
	show_result("CORE back up", set(RLIMIT_CORE, 4096, RLIM_INFINITY), 0);
	show_result("NICE to 40", set(RLIMIT_NICE, 40, 40), 0);
	get(RLIMIT_NICE, &l);
	fact("NICE reads back", l.cur == 40 && l.max == 40);
}

/* RLIMIT_NOFILE bounds the fd numbers open, dup2 and F_DUPFD may give; fds above it stay. */
static void nofile_test(void)
{
	int fds[16], n = 0, high = open("/dev/null", O_RDONLY);
	long last = 0;

	show_result("dup2 to fd 20", neg_errno(dup2(high, 20)), 20);
	show_result("NOFILE 8/8", set(RLIMIT_NOFILE, 8, 8), 0);
	while (n < 16 && (last = neg_errno(open("/dev/null", O_RDONLY))) >= 0)
		fds[n++] = (int)last;
	printf("opened up to fd %d, then %s\n", n ? fds[n - 1] : -1, ename(-last));
	if (last != -EMFILE)
		failures++;
	show_result("dup2 to fd 8", neg_errno(dup2(0, 8)), -EBADF);
	show_result("F_DUPFD from 8", neg_errno(fcntl(0, F_DUPFD, 8)), -EINVAL);
	show_result("fd 20 is still open", neg_errno(fcntl(20, F_GETFD)), 0);
	close(fds[0]);
	show_result("a closed fd is free again", neg_errno(open("/dev/null", O_RDONLY)), fds[0]);
	show_result("NOFILE 0", set(RLIMIT_NOFILE, 0, 8), 0);
	show_result("open with no fd allowed", neg_errno(open("/dev/null", O_RDONLY)), -EMFILE);
	show_result("NOFILE back to 1024/4096", set(RLIMIT_NOFILE, 1024, 4096), 0);
	for (int i = 1; i < n; i++)
		close(fds[i]);
	close(fds[0]);
	close(high);
	close(20);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	defaults_test();
	errors_test();
	setting_test();
	nofile_test();
	printf("rlimits: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
