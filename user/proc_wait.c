/* fork and the wait calls: exit codes and deaths by signal as wait4 and waitid encode them,
 * WNOHANG, WNOWAIT, __WALL, ECHILD, the parent relation and an orphan's new parent, SIGCHLD
 * (its siginfo; ignored, no zombies).
 */
#include "include/proc.h"
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

/* A child that exits with code c: its status through wait4. */
static void exit_codes(void)
{
	static const int codes[] = {0, 1, 42, 255, 256 + 7};

	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t p = xfork();
		char what[32];

		if (p == 0)
			_exit(codes[i]);
		snprintf(what, sizeof(what), "_exit(%d)", codes[i]);
		reap(what, p);
	}
}

/* Children killed by a signal: their own raise, the parent's kill, abort, a fault. */
static void deaths(void)
{
	static const int sigs[] = {SIGTERM, SIGKILL, SIGUSR1, SIGHUP, SIGPIPE};
	pid_t p;

	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		p = xfork();
		if (p == 0) {
			kill(getpid(), sigs[i]);
			_exit(99);
		}
		printf("kill(self, %s): ", signame(sigs[i]));
		reap("child", p);
	}
	p = xfork();
	if (p == 0) {
		int *volatile bad = (int *)16;
		*bad = 1;
		_exit(99);
	}
	reap("write to address 16", p);
	p = xfork();
	if (p == 0)
		abort();
	reap("abort()", p);
}

/* WNOHANG on a running child is 0; on none left, ECHILD; wait for a pid not a child, ECHILD. */
static void nohang(void)
{
	int fds[2], st = 0;
	char c;

	if (pipe(fds)) {
		printf("pipe: %s\n", ename(errno));
		failures++;
		return;
	}
	pid_t p = xfork();
	if (p == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 1 ? 5 : 6);
	}
	close(fds[0]);
	show_result("waitpid(child, WNOHANG) while it runs", neg_errno(waitpid(p, &st, WNOHANG)),
	            0);
	write(fds[1], "x", 1);
	close(fds[1]);
	fact("waitpid(child, 0) returns its pid", waitpid(p, &st, 0) == p);
	printf("status: %s\n", status_text(st));
	show_result("waitpid(-1, WNOHANG) with no child", neg_errno(waitpid(-1, &st, WNOHANG)),
	            -ECHILD);
	show_result("wait(NULL) with no child", neg_errno(wait(NULL)), -ECHILD);
	show_result("waitpid(1, 0) (not a child)", neg_errno(waitpid(1, &st, 0)), -ECHILD);
	show_result("waitpid(child, 0) again", neg_errno(waitpid(p, &st, 0)), -ECHILD);
	show_result("waitpid(-1, WNOWAIT) (waitid's only)", neg_errno(waitpid(-1, &st, WNOWAIT)),
	            -EINVAL);
}

/* waitid: siginfo of an exit and a kill, WNOWAIT leaves the zombie, P_ALL and P_PID. */
static void waitid_info(void)
{
	siginfo_t si;
	pid_t p = xfork();

	if (p == 0)
		_exit(17);
	memset(&si, 0, sizeof(si));
	show_result("waitid(P_PID, WEXITED|WNOWAIT)",
	            neg_errno(waitid(P_PID, p, &si, WEXITED | WNOWAIT)), 0);
	fact("si_pid is the child", si.si_pid == p);
	printf("si_signo %s si_code %s si_status %d\n", signame(si.si_signo),
	       si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_status);
	memset(&si, 0, sizeof(si));
	show_result("waitid(P_ALL, WEXITED) after WNOWAIT",
	            neg_errno(waitid(P_ALL, 0, &si, WEXITED)), 0);
	fact("the same child again", si.si_pid == p);
	p = xfork();
	if (p == 0) {
		kill(getpid(), SIGTERM);
		_exit(1);
	}
	memset(&si, 0, sizeof(si));
	show_result("waitid(P_PID, WEXITED) of a killed child",
	            neg_errno(waitid(P_PID, p, &si, WEXITED)), 0);
	printf("si_code %s si_status %s\n", si.si_code == CLD_KILLED ? "CLD_KILLED" : "other",
	       signame(si.si_status));
	memset(&si, 0, sizeof(si));
	show_result("waitid(P_ALL, WEXITED|WNOHANG) with none",
	            neg_errno(waitid(P_ALL, 0, &si, WEXITED | WNOHANG)), -ECHILD);
	show_result("waitid with no WEXITED/WSTOPPED/WCONTINUED",
	            neg_errno(waitid(P_ALL, 0, &si, WNOHANG)), -EINVAL);
	show_result("waitid(bad idtype)", neg_errno(syscall(SYS_waitid, 7, 0, &si, WEXITED, NULL)),
	            -EINVAL);
}

/* __WALL and __WCLONE with an ordinary (SIGCHLD) child, and wait4's rusage. */
static void wall(void)
{
	struct rusage ru;
	int st = 0;
	pid_t p = xfork();

	if (p == 0)
		_exit(3);
	show_result("wait4(child, __WCLONE) of a SIGCHLD child",
	            neg_errno(wait4(p, &st, __WCLONE | WNOHANG, NULL)), -ECHILD);
	memset(&ru, 0xff, sizeof(ru));
	fact("wait4(child, __WALL) reaps it", wait4(p, &st, __WALL, &ru) == p);
	printf("status: %s\n", status_text(st));
	fact("its rusage: minflt >= 0 and below 10000", ru.ru_minflt >= 0 && ru.ru_minflt < 10000);
	fact("its rusage: majflt is 0", ru.ru_majflt == 0);
}

/* getppid relations: the child's parent is this process; a grandchild whose parent died is
 * reparented (to the init on Linux: pid 1; on SOS the first process, also pid 1). */
static void parents(void)
{
	int fds[2];
	char r[2] = "?";

	pid_t self = getpid();
	pid_t p = xfork();
	if (p == 0)
		_exit(getppid() == self ? 0 : 1);
	fact("child's getppid() is the parent", (reap("child", p) & 0xffff) == 0);
	if (pipe(fds))
		return;
	p = xfork();
	if (p == 0) {
		pid_t mid = getpid();
		if (xfork() == 0) {
			while (getppid() == mid)
				usleep(1000);
			r[0] = getppid() == 1 ? 'y' : 'n';
			write(fds[1], r, 1);
			_exit(0);
		}
		_exit(0);
	}
	reap("middle process", p);
	close(fds[1]);
	fact("orphan read its new parent", readn(fds[0], r, 1) == 1);
	printf("orphan's new parent is pid 1: %s\n", r[0] == 'y' ? "yes" : "no");
	close(fds[0]);
}

/* SIGCHLD: sent to the parent at a child's exit with its siginfo; ignored, children are
 * reaped by the kernel and wait finds none. */
static void sigchld(void)
{
	sigset_t set;
	siginfo_t si;
	struct timespec ts = {5, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t p = xfork();
	if (p == 0)
		_exit(3);
	memset(&si, 0, sizeof(si));
	show_result("sigtimedwait(SIGCHLD)", neg_errno(sigtimedwait(&set, &si, &ts)), SIGCHLD);
	printf("si_code %s si_status %d, si_pid is the child: %s\n",
	       si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_status,
	       si.si_pid == p ? "yes" : "no");
	reap("child", p);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGCHLD, SIG_IGN);
	p = xfork();
	if (p == 0)
		_exit(4);
	show_result("SIGCHLD ignored: waitpid(child) once it has gone",
	            neg_errno(waitpid(p, NULL, 0)), -ECHILD);
	signal(SIGCHLD, SIG_DFL);
}

int main(void)
{
	proc_setup();
	exit_codes();
	deaths();
	nohang();
	waitid_info();
	wall();
	sigchld();
	parents(); /* last: on SOS the orphan becomes this process's child */
	printf("failures: %d\n", failures);
	return failures != 0;
}
