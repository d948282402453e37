/* proc_pipe_writers: two writers of a full pipe wait for room while the reader sleeps, then the
 * reader drains it. SOS once woke the writers of a full pipe on one channel with its readers: the
 * two woke each other for ever inside the kernel, where no tick comes, and the reader's sleep
 * never ended (fuzz-sys, a hang). Owned by kernel/fs (pipe.c) and kernel/proc (sched.c). */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EACH (128 * 1024) /* twice what the pipe holds */

/* A child writing EACH bytes of c to fd, then exiting 0 when all went. */
static pid_t writer(int fd, int rd, char c)
{
	static char buf[EACH];
	pid_t pid = fork();
	if (pid == 0) {
		close(rd);
		memset(buf, c, sizeof(buf));
		_exit(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) ? 0 : 1);
	}
	return pid;
}

int main(void)
{
	int p[2], st[2];
	static char buf[65536];
	long total = 0, as = 0;

	if (pipe(p))
		return 1;
	pid_t a = writer(p[1], p[0], 'a'), b = writer(p[1], p[0], 'b');
	close(p[1]);
	usleep(300000); /* both block on the full pipe meanwhile */
	for (ssize_t n; (n = read(p[0], buf, sizeof(buf))) > 0; total += n)
		for (ssize_t i = 0; i < n; i++)
			as += buf[i] == 'a';
	waitpid(a, &st[0], 0);
	waitpid(b, &st[1], 0);
	printf("read %ld bytes, %ld of them a's; writers exited %d %d\n", total, as,
	       WEXITSTATUS(st[0]), WEXITSTATUS(st[1]));
	return 0;
}
