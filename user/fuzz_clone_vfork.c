/* Fuzzer reproducer: clone with CLONE_VFORK but not CLONE_VM. The parent sleeps until the child
 * exits or execs, as for vfork, though the child has a copy of its memory (SOS's parent never
 * woke: it waited for a borrowed address space to come back). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Clone with flags (no new stack: the child runs on a copy of this one); the child naps, then
 * does what is asked: exit 7, or exec path. Prints what the parent sees when it resumes. */
static void one(const char *what, const char *path)
{
	long pid = syscall(SYS_clone, (long)(CLONE_VFORK | SIGCHLD), 0L, 0L, 0L, 0L);
	if (pid == 0) {
		struct timespec t = {0, 50000000};
		nanosleep(&t, NULL);
		if (path)
			execl(path, path, "done", (char *)NULL);
		_exit(7);
	}
	int st = 0;
	/* resumed: the child has exited or exec'd (Linux wakes the parent before the child is a
	 * zombie, so whether a WNOHANG wait finds it is a race) */
	printf("%s: clone %s, parent resumed\n", what, pid > 0 ? "ok" : "failed");
	waitpid((pid_t)pid, &st, 0);
	printf("%s: child status %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return 3; /* the exec'd child */
	alarm(20);        /* a parent that never wakes ends the test, not the suite */
	one("exit", NULL);
	one("exec", argv[0]);
	return 0;
}
