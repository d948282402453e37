/* Fuzzer reproducer: a clone child whose exit signal is SIGUSR1 outlives its parent. Linux gives
 * an orphan to init with its exit signal reset to SIGCHLD, so the exit signal never reaches the
 * new parent (SOS's first process is that init: it was killed by SIGRTMIN this way). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

/* Sleep ms milliseconds, through signals. */
static void nap(long ms)
{
	struct timespec t = {0, ms * 1000000}, rem;
	while (nanosleep(&t, &rem))
		t = rem;
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	pid_t mid = fork();
	if (mid == 0) {
		/* the middle process: a child with exit signal SIGUSR1, then gone before it */
		long c = syscall(SYS_clone, (long)SIGUSR1, 0L, 0L, 0L, 0L);
		if (c == 0) {
			nap(100);
			_exit(0);
		}
		printf("clone with exit signal SIGUSR1: %s\n", c > 0 ? "ok" : "failed");
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(mid, &st, 0);
	printf("middle exited: %d\n", WEXITSTATUS(st));
	nap(400);
	printf("SIGUSR1 after the orphan's exit: %d\n", (int)usr1);
	return 0;
}
