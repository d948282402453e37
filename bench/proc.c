/* Processes (issue 11), one benchmark per argument, each the median of rounds:
 *   proc fork N         fork + _exit + waitpid, us a round
 *   proc fork256 N      the same after the parent touched 256 MiB: fork() alone, and the round
 *   proc exec N         fork + execve of this program ("proc exit") + waitpid, us a round
 *   proc pipe MIB       MIB MiB from a child through a pipe in 64 KiB writes, MB/s
 *   proc pingpong N     one byte there and back between two processes over two pipes, us
 *   proc appel N        Appel and Li's TRAP+PROT1+UNPROT: protect one page, touch it, and the
 *                       SIGSEGV handler unprotects it, us a page; and PROTN+TRAP+UNPROT (all N
 *                       pages protected by one call first)
 * A failed call (SOS without fork: ENOSYS) ends the program with status 1 and no RESULT.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 5

static char self[256]; /* this program, from /proc/self/exe */

/* Stop the benchmark: the call what failed. */
static void die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(1);
}

/* fork(), or the benchmark ends. */
static pid_t xfork(void)
{
	pid_t p = fork();

	if (p < 0)
		die("fork");
	return p;
}

/* us per fork+exit+wait over n rounds, median of ROUNDS; also us of the fork() call alone in
 * *fork_only when not NULL. */
static double fork_rounds(long n, int exec, double *fork_only)
{
	double v[ROUNDS], f[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t in_fork = 0, t0 = now_ns();

		for (long i = 0; i < n; i++) {
			uint64_t a = now_ns();
			pid_t p = xfork();

			if (p == 0) {
				if (exec)
					execl(self, self, "exit", (char *)NULL);
				_exit(0);
			}
			in_fork += now_ns() - a;
			if (waitpid(p, NULL, 0) != p)
				die("waitpid");
		}
		v[r] = (double)(now_ns() - t0) / (double)n / 1e3;
		f[r] = (double)in_fork / (double)n / 1e3;
	}
	if (fork_only)
		*fork_only = median(f, ROUNDS);
	return median(v, ROUNDS);
}

/* MB/s of mib MiB through a pipe from a child, 64 KiB a write, median of ROUNDS. */
static double pipe_rate(long mib)
{
	static char buf[65536];
	double v[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		int fd[2];
		long total = 0, got;

		if (pipe(fd))
			die("pipe");
		uint64_t t0 = now_ns();
		pid_t p = xfork();
		if (p == 0) {
			close(fd[0]);
			memset(buf, 'x', sizeof(buf));
			for (long i = 0; i < mib * 16; i++)
				if (write(fd[1], buf, sizeof(buf)) != sizeof(buf))
					_exit(1);
			_exit(0);
		}
		close(fd[1]);
		while ((got = read(fd[0], buf, sizeof(buf))) > 0)
			total += got;
		waitpid(p, NULL, 0);
		v[r] = (double)total / ((double)(now_ns() - t0) / 1e9) / 1e6;
		close(fd[0]);
		if (total != mib * (long)MIB)
			die("short pipe transfer");
	}
	return median(v, ROUNDS);
}

/* us per one-byte round trip between two processes over two pipes, n trips, median. */
static double pingpong(long n)
{
	double v[ROUNDS];
	int there[2], back[2];
	char c = 'x';

	if (pipe(there) || pipe(back))
		die("pipe");
	pid_t p = xfork();
	if (p == 0) {
		close(there[1]);
		close(back[0]);
		while (read(there[0], &c, 1) == 1)
			if (write(back[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns();

		for (long i = 0; i < n; i++)
			if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
				die("ping-pong");
		v[r] = (double)(now_ns() - t0) / (double)n / 1e3;
	}
	close(there[1]);
	waitpid(p, NULL, 0);
	return median(v, ROUNDS);
}

static char *region; /* the pages the Appel-Li handler unprotects */
static long unprots; /* faults the handler took */

/* SIGSEGV: unprotect the page of the faulting address (UNPROT). */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	char *page = (char *)((uintptr_t)si->si_addr & ~(PAGE - 1));

	if (mprotect(page, PAGE, PROT_READ | PROT_WRITE))
		_exit(3);
	unprots++;
}

/* us per page of TRAP+PROT1+UNPROT (protect_all 0) or PROTN+TRAP+UNPROT (1), n pages. */
static double appel(long n, int protect_all)
{
	double v[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns();

		if (protect_all && mprotect(region, (size_t)n * PAGE, PROT_NONE))
			die("mprotect");
		for (long i = 0; i < n; i++) {
			if (!protect_all && mprotect(region + i * PAGE, PAGE, PROT_NONE))
				die("mprotect");
			((volatile char *)region)[i * PAGE]++;
		}
		v[r] = (double)(now_ns() - t0) / (double)n / 1e3;
	}
	if (unprots != ROUNDS * n)
		die("handler count");
	unprots = 0;
	return median(v, ROUNDS);
}

/* Set up Appel-Li's handler and n touched pages. */
static void appel_setup(long n)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSEGV, &sa, NULL))
		die("sigaction");
	region = map_rw((size_t)n * PAGE, 0);
	touch_pages(region, (size_t)n);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	long n = arg_long(argc, argv, 2, 200);
	double alone;

	if (!strcmp(what, "exit"))
		return 0;
	clock_warm();
	long len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		die("readlink /proc/self/exe");
	self[len] = 0;
	if (!strcmp(what, "fork")) {
		fork_rounds(n / 10 + 1, 0, NULL); /* warm-up */
		result("fork_exit_wait", fork_rounds(n, 0, NULL), "us");
	} else if (!strcmp(what, "fork256")) {
		char *m = map_rw(256 * MIB, 0);
		touch_pages(m, 256 * MIB / PAGE);
		double round = fork_rounds(n, 0, &alone);
		result("fork_256m_fork", alone, "us");
		result("fork_256m_round", round, "us");
	} else if (!strcmp(what, "exec")) {
		fork_rounds(n / 10 + 1, 1, NULL);
		result("fork_exec_wait", fork_rounds(n, 1, NULL), "us");
	} else if (!strcmp(what, "pipe")) {
		pipe_rate(n / 4 + 1);
		result("pipe_throughput", pipe_rate(n), "MB/s");
	} else if (!strcmp(what, "pingpong")) {
		result("pipe_pingpong", pingpong(n), "us");
	} else if (!strcmp(what, "appel")) {
		appel_setup(n);
		appel(n, 0);
		result("appel_prot1", appel(n, 0), "us/page");
		result("appel_protn", appel(n, 1), "us/page");
	} else {
		printf("usage: proc fork|fork256|exec|pipe|pingpong|appel N\n");
		return 2;
	}
	return 0;
}
