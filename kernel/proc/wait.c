/* wait4 and waitid: finding a child that matches, collecting its death, stop or continue as
 * Linux encodes them, and sleeping until one comes. */
#include "proc/wait.h"
#include "proc/sched.h"
#include <errno.h>

/* True when child c is one the waiter asked for (pid as wait4 takes it; __WCLONE and __WALL
 * choose between children that send SIGCHLD at death and those that do not). */
static bool matches(const struct proc *p, const struct proc *c, const struct wait_query *q)
{
	if (c->parent != p)
		return false;
	if (q->pid > 0 && c->pid != q->pid)
		return false;
	if (q->pid == 0 && c->pgid != p->pgid)
		return false;
	if (q->pid < -1 && c->pgid != -q->pid)
		return false;
	if (q->options & __WALL)
		return true;
	return ((q->options & __WCLONE) != 0) == (c->exit_signal != SIGCHLD);
}

/* What c has to report to this query: its wait status in *ws, or false. */
static bool ready(struct proc *c, const struct wait_query *q, int *ws)
{
	if (c->state == PS_ZOMBIE && (q->options & WEXITED)) {
		*ws = c->wstatus;
		return true;
	}
	if (c->report && c->report != 0xffff && (q->options & WSTOPPED) && c->state == PS_STOPPED) {
		*ws = c->report;
		return true;
	}
	if (c->report == 0xffff && (q->options & WCONTINUED)) {
		*ws = c->report;
		return true;
	}
	return false;
}

/* The child's times and faults for wait4's rusage, as getrusage(RUSAGE_SELF) gives them. */
static void child_usage(const struct proc *c, struct wait_result *r)
{
	r->uticks = c->uticks;
	r->sticks = c->sticks;
	r->minflt = c->minflt;
	r->majflt = c->majflt;
	r->maxrss_kb = c->maxrss_kb;
}

/* Take what c reports: a zombie is reaped, a stop or continue is cleared (unless WNOWAIT). */
static void collect(struct proc *p, struct proc *c, const struct wait_query *q,
                    struct wait_result *r, int ws)
{
	r->pid = c->pid;
	r->wstatus = ws;
	child_usage(c, r);
	if (q->options & WNOWAIT)
		return;
	if (c->state == PS_ZOMBIE)
		proc_reap(p, c);
	else
		c->report = 0;
}

/* One pass over p's children: 1 with r filled, 0 when some match but none is ready, -ECHILD. */
static int scan(struct proc *p, const struct wait_query *q, struct wait_result *r)
{
	bool any = false;
	for (unsigned i = 0; i < proc_slots(); i++) {
		struct proc *c = proc_slot(i);
		int ws;
		if (!c || !matches(p, c, q))
			continue;
		any = true;
		if (ready(c, q, &ws)) {
			collect(p, c, q, r, ws);
			return 1;
		}
	}
	return any ? 0 : -ECHILD;
}

int proc_wait(struct proc *p, const struct wait_query *q, struct wait_result *r)
{
	for (;;) {
		int got = scan(p, q, r);
		if (got)
			return got < 0 ? got : 0;
		if (q->options & WNOHANG) {
			r->pid = 0;
			return 0;
		}
		if (sched_sleep(p, 0))
			return -ERESTARTSYS;
	}
}
