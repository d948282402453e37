/* Waiting for children (wait.c): the query wait4 and waitid make, and what they get back. */
#pragma once
#include "proc/proc.h"

#define WNOHANG     0x00000001
#define WSTOPPED    0x00000002 /* WUNTRACED */
#define WEXITED     0x00000004
#define WCONTINUED  0x00000008
#define WNOWAIT     0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL      0x40000000
#define __WCLONE    0x80000000

struct wait_query {
	int pid; /* as wait4's: > 0 that child, 0 the caller's group, -1 any, < -1 a group */
	unsigned options; /* W* above, WEXITED included for wait4 */
};

struct wait_result {
	int pid; /* 0: WNOHANG and nothing to report */
	int wstatus;
	uint64_t uticks, sticks, minflt, majflt, maxrss_kb; /* the child's own, for rusage */
};

/* Wait for a child of p matching q to die, stop or continue: 0 and r, -ECHILD (no such child) or
 * -EINTR (a signal came first). */
int proc_wait(struct proc *p, const struct wait_query *q, struct wait_result *r);
