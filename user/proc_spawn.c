/* vfork (the parent waits, the child borrows its memory until _exit or exec), posix_spawn with
 * file actions and attributes, and "proc_spawn rounds N": N rounds of fork, exec of a tiny
 * program (this one, "proc_spawn exit K") and wait, every status checked.
 */
#define _GNU_SOURCE
#include "include/proc.h"
#include <fcntl.h>
#include <spawn.h>

extern char **environ;

static char self[256]; /* this program's path, from /proc/self/exe */

/* vfork: the child's writes land in the parent's memory; the parent runs after _exit or exec. */
static void vforks(void)
{
	volatile int shared = 1;

	pid_t p = vfork();
	if (p == 0) {
		shared = 2;
		_exit(4);
	}
	if (p < 0) {
		printf("vfork: %s\n", ename(errno));
		failures++;
		return;
	}
	reap("vfork child", p);
	printf("parent sees the vfork child's write: %s\n", shared == 2 ? "yes" : "no");
	p = vfork();
	if (p == 0) {
		execve(self, (char *[]){self, "exit", "6", NULL}, environ);
		_exit(127);
	}
	reap("vfork, then exec of exit 6", p);
	p = vfork();
	if (p == 0) {
		execve("/nothing", (char *[]){"x", NULL}, environ);
		shared = errno;
		_exit(127);
	}
	reap("vfork, then a failed exec", p);
	printf("the child's errno in the parent: %s\n", ename(shared));
}

/* posix_spawn: status, a file action that redirects stdout, setpgroup, a missing program. */
static void spawns(void)
{
	pid_t p;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;

	int r = posix_spawn(&p, self, NULL, NULL, (char *[]){self, "exit", "9", NULL}, environ);
	show_result("posix_spawn(exit 9)", -r, 0);
	if (r == 0)
		reap("  status", p);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/tmp/spawn-out", O_WRONLY | O_CREAT | O_TRUNC,
	                                 0644);
	r = posix_spawn(&p, self, &fa, NULL, (char *[]){self, "say", "redirected", NULL}, environ);
	show_result("posix_spawn(say) with stdout to a file", -r, 0);
	if (r == 0)
		reap("  status", p);
	posix_spawn_file_actions_destroy(&fa);
	char buf[64] = "";
	int fd = open("/tmp/spawn-out", O_RDONLY);
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("  the file holds: %s", buf);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	r = posix_spawn(&p, self, NULL, &at, (char *[]){self, "pgrp", NULL}, environ);
	show_result("posix_spawn(pgrp) with POSIX_SPAWN_SETPGROUP", -r, 0);
	if (r == 0)
		reap("  status (0: it leads its own group)", p);
	posix_spawnattr_destroy(&at);
	r = posix_spawn(&p, "/nothing", NULL, NULL, (char *[]){"x", NULL}, environ);
	show_result("posix_spawn(/nothing)", -r, -ENOENT);
	r = posix_spawnp(&p, "nothing-in-path", NULL, NULL, (char *[]){"x", NULL}, environ);
	show_result("posix_spawnp(nothing-in-path)", -r, -ENOENT);
}

/* n rounds of fork, exec of this program's "exit K" and wait: every status as asked. */
static int rounds(long n)
{
	long good = 0;

	for (long i = 0; i < n; i++) {
		char k[8];
		int st;

		snprintf(k, sizeof(k), "%ld", i % 7);
		pid_t p = xfork();
		if (p == 0) {
			execve(self, (char *[]){self, "exit", k, NULL}, environ);
			_exit(127);
		}
		if (waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == i % 7)
			good++;
	}
	printf("%ld rounds of fork, exec, wait: %ld as expected\n", n, good);
	return good != n;
}

int main(int argc, char **argv)
{
	proc_setup();
	if (argc > 2 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc > 2 && !strcmp(argv[1], "say"))
		return printf("%s\n", argv[2]) < 0;
	if (argc > 1 && !strcmp(argv[1], "pgrp"))
		return getpgid(0) != getpid();
	long n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return printf("readlink /proc/self/exe: %s\n", ename(errno)), 1;
	self[n] = 0;
	if (argc > 2 && !strcmp(argv[1], "rounds"))
		return rounds(atol(argv[2]));
	vforks();
	spawns();
	printf("failures: %d\n", failures);
	return failures != 0;
}
