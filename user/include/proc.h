/* What the process test programs (user/proc_*.c, cow_*.c) share: fork and wait that say what
 * happened, wait statuses and signals by name, and output flushed line by line so that a parent
 * and its children print in the order the test makes them. Never prints a pid. Header-only.
 */
#pragma once
#include "check.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The name of signal s ("SIGTERM"), or "SIG<number>". */
static inline const char *signame(int s)
{
	static const char *const names[] = {
	    [SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",      [SIGQUIT] = "SIGQUIT",
	    [SIGILL] = "SIGILL",   [SIGTRAP] = "SIGTRAP",    [SIGABRT] = "SIGABRT",
	    [SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",      [SIGKILL] = "SIGKILL",
	    [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",    [SIGUSR2] = "SIGUSR2",
	    [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",    [SIGTERM] = "SIGTERM",
	    [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",    [SIGSTOP] = "SIGSTOP",
	    [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",    [SIGTTOU] = "SIGTTOU",
	    [SIGXCPU] = "SIGXCPU", [SIGVTALRM] = "SIGVTALRM"};
	static char buf[16];

	if (s > 0 && s < (int)(sizeof(names) / sizeof(names[0])) && names[s])
		return names[s];
	snprintf(buf, sizeof(buf), "SIG%d", s);
	return buf;
}

/* Line-buffered stdout: each line is one write, and nothing is left in a buffer at a fork. */
static inline void proc_setup(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* fork(), or the test ends here saying why (SOS without fork: "fork: ENOSYS"). */
static inline pid_t xfork(void)
{
	pid_t p = fork();

	if (p < 0) {
		printf("fork: %s\n", ename(errno));
		exit(1);
	}
	return p;
}

/* What wait status st says, e.g. "exited 3 (0x0300)", "killed by SIGTERM (0x000f)". */
static inline const char *status_text(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by %s%s", signame(WTERMSIG(st)),
		         WCOREDUMP(st) ? " (core)" : "");
	else if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped by %s", signame(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof(buf), "continued");
	else
		snprintf(buf, sizeof(buf), "unknown");
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " (0x%04x)", st & 0xffff);
	return buf;
}

/* Wait for child p and print "what: STATUS"; the status, or -1 when waitpid failed (printed). */
static inline int reap(const char *what, pid_t p)
{
	int st = 0;

	if (waitpid(p, &st, 0) != p) {
		printf("%s: waitpid: %s\n", what, ename(errno));
		failures++;
		return -1;
	}
	printf("%s: %s\n", what, status_text(st));
	return st;
}

/* reap(), counting a failure unless the child exited 0. */
static inline void reap_ok(const char *what, pid_t p)
{
	if (reap(what, p) != 0)
		failures++;
}

/* Read exactly n bytes from fd (less at end of file): the count read. */
static inline long readn(int fd, void *buf, long n)
{
	long got = 0;

	while (got < n) {
		long r = read(fd, (char *)buf + got, n - got);

		if (r <= 0)
			break;
		got += r;
	}
	return got;
}

/* Write all n bytes to fd: the count written. */
static inline long writen(int fd, const void *buf, long n)
{
	long put = 0;

	while (put < n) {
		long r = write(fd, (const char *)buf + put, n - put);

		if (r <= 0)
			break;
		put += r;
	}
	return put;
}

/* A checksum of n bytes (FNV-1a), to compare memory contents without printing them. */
static inline unsigned long checksum(const void *p, unsigned long n)
{
	const unsigned char *b = p;
	unsigned long h = 1469598103934665603ul;

	for (unsigned long i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ul;
	return h;
}
