/* exec_busy: ETXTBSY both ways, as Linux gives it. A running program's file cannot be opened for
 * writing or truncated (its own, a child's, a script's interpreter's), and a file open for writing
 * (through a dup too; a memfd is none) cannot be executed; each lasts until the last such file
 * closes or the program exits, before it is reaped. SOS once let a program truncate itself. Owned
 * by kernel/fs (i_writecount) and kernel/proc (exec). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/check.h"

#define COPY   "/tmp/exec_busy"
#define SCRIPT "/tmp/exec_busy.sh"

/* The status a child gets from exec (argv[1] says which mode the new program runs in). */
enum { RAN_PLAIN = 5, RAN_SCRIPT = 7, EXEC_BUSY = 3, EXEC_OTHER = 4 };

/* Copy this program's bytes to fd. */
static void copy_self(int fd)
{
	char buf[4096];
	int in = open("/proc/self/exe", O_RDONLY);
	for (ssize_t n; in >= 0 && (n = read(in, buf, sizeof(buf))) > 0;)
		if (write(fd, buf, (size_t)n) != n)
			break;
	if (in >= 0)
		close(in);
}

/* The result of open(path, flags): the fd is closed at once. */
static long try_open(const char *path, int flags)
{
	long fd = neg_errno(open(path, flags));
	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? fd : 0;
}

/* Run path (fd >= 0: execveat of fd with AT_EMPTY_PATH) in a child with mode as argv[1]: its
 * exit status, EXEC_BUSY when exec said ETXTBSY. */
static int run(const char *path, int fd, const char *mode)
{
	char *argv[] = {(char *)path, (char *)mode, NULL}, *envp[] = {NULL};
	pid_t pid = fork();
	if (pid == 0) {
		if (fd >= 0)
			syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		else
			execve(path, argv, envp);
		_exit(errno == ETXTBSY ? EXEC_BUSY : EXEC_OTHER);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Its own file, running: no open for writing, no truncation; reading is fine. */
static void own_file(void)
{
	struct stat before, after;
	stat("/proc/self/exe", &before);
	show_result("self O_WRONLY", try_open("/proc/self/exe", O_WRONLY), -ETXTBSY);
	show_result("self O_RDWR", try_open("/proc/self/exe", O_RDWR), -ETXTBSY);
	show_result("self O_WRONLY|O_TRUNC", try_open("/proc/self/exe", O_WRONLY | O_TRUNC),
	            -ETXTBSY);
	show_result("self truncate", neg_errno(truncate("/proc/self/exe", 0)), -ETXTBSY);
	show_result("self O_RDONLY", try_open("/proc/self/exe", O_RDONLY), 0);
	show_result("self O_PATH", try_open("/proc/self/exe", O_PATH), 0);
	stat("/proc/self/exe", &after);
	fact("self size kept", before.st_size == after.st_size && before.st_size > 0);
}

/* A copy open for writing, through a dup too, cannot run until the last such file closes. */
static void writer_blocks_exec(void)
{
	int w = open(COPY, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	copy_self(w);
	int w2 = dup(w);
	close(w);
	printf("exec while a dup writes: %d\n", run(COPY, -1, "plain"));
	close(w2);
	printf("exec after the last close: %d\n", run(COPY, -1, "plain"));
}

/* A child running the copy keeps it from writers until it exits, zombie or not. */
static void runner_blocks_writers(void)
{
	int go[2], ready[2];
	char c = 0, fdarg[16];
	if (pipe(go) || pipe(ready))
		return;
	snprintf(fdarg, sizeof(fdarg), "wait%d,%d", go[0], ready[1]);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {COPY, fdarg, NULL}, *envp[] = {NULL};
		close(go[1]);
		close(ready[0]);
		execve(COPY, argv, envp);
		_exit(EXEC_OTHER);
	}
	close(go[0]);
	close(ready[1]);
	fact("child running the copy", read(ready[0], &c, 1) == 1);
	show_result("copy O_WRONLY while it runs", try_open(COPY, O_WRONLY), -ETXTBSY);
	show_result("copy O_RDWR while it runs", try_open(COPY, O_RDWR), -ETXTBSY);
	show_result("copy truncate while it runs", neg_errno(truncate(COPY, 10)), -ETXTBSY);
	show_result("copy O_RDONLY while it runs", try_open(COPY, O_RDONLY), 0);
	close(go[1]); /* the child's read ends: it exits */
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT);
	fact("child a zombie", si.si_pid == pid && si.si_status == 0);
	show_result("copy O_WRONLY once it exited", try_open(COPY, O_WRONLY), 0);
	waitpid(pid, NULL, 0);
	close(ready[0]);
}

/* A script open for writing, or its interpreter, cannot run. */
static void scripts(void)
{
	int s = open(SCRIPT, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	const char line[] = "#!" COPY " script\n";
	fact("script written", write(s, line, strlen(line)) == (ssize_t)strlen(line));
	printf("exec of a script open for writing: %d\n", run(SCRIPT, -1, "x"));
	close(s);
	int w = open(COPY, O_WRONLY);
	printf("exec of a script whose interpreter is open for writing: %d\n",
	       run(SCRIPT, -1, "x"));
	close(w);
	printf("exec of the script: %d\n", run(SCRIPT, -1, "x"));
}

/* memfd_create's own file, open for reading and writing, is no writer: Linux makes it without
 * do_dentry_open(), so a memfd runs. Opened again for writing through /proc/self/fd, it has one. */
static void memfds(void)
{
	char path[64];
	int m = memfd_create("exec_busy", 0);
	copy_self(m);
	printf("exec of a memfd: %d\n", run("", m, "plain"));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", m);
	int w = open(path, O_RDWR);
	printf("exec of a memfd opened again for writing: %d\n", run("", m, "plain"));
	close(w);
	printf("exec once that file closed: %d\n", run("", m, "plain"));
	close(m);
}

/* The modes the copy runs in: "plain", "script" (under the script), "waitR,W" (tell the
 * parent through W, then wait for R's end). */
static int child_mode(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "plain"))
		return RAN_PLAIN;
	if (argc > 1 && !strcmp(argv[1], "script"))
		return RAN_SCRIPT;
	int go, ready;
	char c = 1;
	if (argc > 1 && sscanf(argv[1], "wait%d,%d", &go, &ready) == 2) {
		if (write(ready, &c, 1) != 1)
			return 1;
		while (read(go, &c, 1) > 0)
			;
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	int mode = child_mode(argc, argv);
	if (mode >= 0)
		return mode;
	own_file();
	writer_blocks_exec();
	runner_blocks_writers();
	scripts();
	memfds();
	show_result("copy truncate after all", neg_errno(truncate(COPY, 0)), 0);
	unlink(SCRIPT);
	unlink(COPY);
	fflush(stdout);
	return failures != 0;
}
