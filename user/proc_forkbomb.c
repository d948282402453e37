/* Fork bombs, and the runner staying alive:
 *   proc_forkbomb tree D   a bounded bomb: a binary tree of processes D levels deep, each
 *                          waiting for its two children; prints how many ran (2^(D+1) - 1)
 *   proc_forkbomb          an unbounded one in a group of its own: every bomber forks until a
 *                          fork fails (the root's rlimits do not bind it on Linux: threads-max,
 *                          memory, or SOS's process table), then waits; the runner hears of the
 *                          first failure, kills the group, reaps them all (a subreaper), and
 *                          forks again.
 */
#include "include/proc.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <time.h>

/* The processes of a tree of depth d below this one, this one included: 2^(d+1) - 1. */
static long tree(int d)
{
	int fds[2];
	long total = 1, n;

	if (d == 0)
		return 1;
	if (pipe(fds))
		return -1000000;
	for (int k = 0; k < 2; k++) {
		pid_t p = fork();
		if (p < 0)
			return -1000000;
		if (p == 0) {
			close(fds[0]);
			n = tree(d - 1);
			write(fds[1], &n, sizeof(n));
			_exit(0);
		}
	}
	close(fds[1]);
	while (readn(fds[0], &n, sizeof(n)) == sizeof(n))
		total += n;
	close(fds[0]);
	while (wait(NULL) > 0)
		;
	return total;
}

/* A bomber: fork until a fork fails, report its errno once on fd report, then wait forever. */
static void bomber(int report, int hold)
{
	char c;

	for (;;) {
		pid_t p = fork();
		if (p < 0) {
			c = (char)errno;
			write(report, &c, 1);
			close(report);
			read(hold, &c, 1); /* never written: until killed */
			_exit(0);
		}
	}
}

/* Sleep ms milliseconds. */
static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* The unbounded bomb, and what the runner sees. */
static void unbounded(void)
{
	int rep[2], hold[2];
	char e = 0;

	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	if (fd >= 0) {
		write(fd, "-1000", 5); /* Linux: its OOM killer picks a bomber, never the runner */
		close(fd);
	}
	/* The bombers' orphans come to the runner, which reaps them all (on SOS the runner is the
	 * first process: they come to it anyway); else the oracle's init would hold their zombies
	 * until the job ends, and with them the process count. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(rep) || pipe(hold))
		return;
	pid_t root = xfork();
	if (root == 0) {
		setpgid(0, 0);
		close(rep[0]);
		close(hold[1]);
		fd = open("/proc/self/oom_score_adj", O_WRONLY);
		if (fd >= 0) {
			write(fd, "0", 1);
			close(fd);
		}
		bomber(rep[1], hold[0]);
	}
	setpgid(root, root);
	close(rep[1]);
	struct pollfd pf = {rep[0], POLLIN, 0};
	int r = poll(&pf, 1, 120000);
	fact("a bomber reported within 120 s", r == 1 && read(rep[0], &e, 1) == 1);
	fact("the first failed fork says EAGAIN or ENOMEM", e == EAGAIN || e == ENOMEM);
	show_result("kill(-bomb group, SIGKILL)", neg_errno(kill(-root, SIGKILL)), 0);
	int st = 0, reaped = 0;
	pid_t p;
	while ((p = waitpid(-1, &st, 0)) > 0)
		if (p == root)
			reaped = 1, printf("bomb root: %s\n", status_text(st));
	fact("the bomb root was reaped", reaped);
	close(rep[0]);
	close(hold[0]);
	close(hold[1]);
	int forked = 0;
	for (int tries = 0; tries < 200 && !forked; tries++) {
		p = fork();
		if (p == 0)
			_exit(0);
		if (p > 0)
			forked = waitpid(p, &st, 0) == p && st == 0;
		else
			nap(50);
	}
	fact("the runner forks again within 10 s", forked);
}

int main(int argc, char **argv)
{
	proc_setup();
	if (argc > 2 && !strcmp(argv[1], "tree")) {
		int d = atoi(argv[2]);
		long n = tree(d);
		printf("a tree %d deep: %ld processes\n", d, n);
		return n != (2l << d) - 1;
	}
	unbounded();
	printf("failures: %d\n", failures);
	return failures != 0;
}
