/* Making and waiting for processes: fork, vfork, clone, wait4 and waitid, and the process
 * groups and sessions (setpgid, getpgid, getpgrp, setsid, getsid). */
#include "proc/fork.h"
#include "proc/sched.h"
#include "proc/wait.h"
#include "sys/sys.h"
#include <errno.h>

#define USEC_PER_TICK (1000000 / HZ)

long sys_fork(struct proc *p, const uint64_t a[6])
{
	(void)a;
	return proc_fork(p, SIGCHLD, 0, 0, 0, 0);
}

long sys_vfork(struct proc *p, const uint64_t a[6])
{
	(void)a;
	return proc_fork(p, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/* clone(flags, stack, parent_tid, child_tid, tls): x86-64's order. */
long sys_clone(struct proc *p, const uint64_t a[6])
{
	return proc_fork(p, a[0], a[1], a[2], a[3], a[4]);
}

struct rusage {
	int64_t utime_sec, utime_usec, stime_sec, stime_usec;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	int64_t msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

/* A rusage of ticks of user and system time, minor and major faults and a peak RSS. */
static struct rusage usage(uint64_t uticks, uint64_t sticks, uint64_t minflt, uint64_t majflt,
                           uint64_t maxrss)
{
	uint64_t ut = uticks * USEC_PER_TICK, st = sticks * USEC_PER_TICK;
	return (struct rusage){.utime_sec = (int64_t)(ut / 1000000),
	                       .utime_usec = (int64_t)(ut % 1000000),
	                       .stime_sec = (int64_t)(st / 1000000),
	                       .stime_usec = (int64_t)(st % 1000000),
	                       .maxrss = (int64_t)maxrss,
	                       .minflt = (int64_t)minflt,
	                       .majflt = (int64_t)majflt};
}

/* Write what a wait found: the child's rusage at ru (0: none wanted). */
static int put_rusage(struct proc *p, uint64_t ru, const struct wait_result *r)
{
	struct rusage u = usage(r->uticks, r->sticks, r->minflt, r->majflt, r->maxrss_kb);
	return ru && r->pid && as_copyout(p->as, ru, &u, sizeof(u)) ? -EFAULT : 0;
}

long sys_wait4(struct proc *p, const uint64_t a[6])
{
	const unsigned allowed = WNOHANG | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL;
	struct wait_query q = {(int)a[0], (unsigned)a[2] | WEXITED};
	struct wait_result r;
	if (((unsigned)a[2] & ~allowed) || q.pid == -2147483648)
		return (unsigned)a[2] & ~allowed ? -EINVAL : -ESRCH;
	int err = proc_wait(p, &q, &r);
	if (err)
		return err;
	int32_t ws = r.wstatus;
	if (r.pid && a[1] && as_copyout(p->as, a[1], &ws, sizeof(ws)))
		return -EFAULT;
	return put_rusage(p, a[3], &r) ? -EFAULT : r.pid;
}

#define P_ALL  0
#define P_PID  1
#define P_PGID 2

/* The fields of a SIGCHLD siginfo waitid writes (Linux writes these and leaves the rest). */
struct waitid_info {
	int32_t signo, errno_, code, pad;
	int32_t pid, uid, status;
};

/* waitid's siginfo for a wait status (all zero when nothing was found). */
static struct waitid_info waitid_info(const struct wait_result *r)
{
	struct waitid_info i = {0};
	if (!r->pid)
		return i;
	int ws = r->wstatus;
	i.signo = SIGCHLD;
	i.pid = r->pid;
	if (ws == 0xffff) {
		i.code = CLD_CONTINUED, i.status = SIGCONT;
	} else if ((ws & 0xff) == 0x7f) {
		i.code = CLD_STOPPED, i.status = (ws >> 8) & 0xff;
	} else if (ws & 0x7f) {
		i.code = CLD_KILLED, i.status = ws & 0x7f;
	} else {
		i.code = CLD_EXITED, i.status = (ws >> 8) & 0xff;
	}
	return i;
}

/* waitid's (idtype, id) as wait4's pid: 0 and q->pid, or -EINVAL. */
static int waitid_pid(uint64_t idtype, uint64_t id, struct proc *p, struct wait_query *q)
{
	if (idtype == P_ALL)
		q->pid = -1;
	else if (idtype == P_PID && (int)id > 0)
		q->pid = (int)id;
	else if (idtype == P_PGID && (int)id >= 0)
		q->pid = (int)id ? -(int)id : -p->pgid;
	else
		return -EINVAL;
	return 0;
}

long sys_waitid(struct proc *p, const uint64_t a[6])
{
	const unsigned allowed =
	    WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WCLONE | __WALL;
	struct wait_query q = {0, (unsigned)a[3]};
	struct wait_result r;
	if ((q.options & ~allowed) || !(q.options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	int err = waitid_pid(a[0], a[1], p, &q);
	if (!err)
		err = proc_wait(p, &q, &r);
	if (err)
		return err;
	struct waitid_info info = waitid_info(&r);
	if (a[2] && as_copyout(p->as, a[2], &info, sizeof(info)))
		return -EFAULT;
	return put_rusage(p, a[4], &r);
}

long sys_getrusage(struct proc *p, const uint64_t a[6])
{
	struct rusage u;
	int who = (int)a[0];
	if (who == 0) /* RUSAGE_SELF */
		u = usage(p->uticks, p->sticks, proc_minflt(p), proc_majflt(p),
		          (p->as->peak_rss > p->as->resident ? p->as->peak_rss : p->as->resident) *
		              (PAGE_SIZE / 1024));
	else if (who == -1) /* RUSAGE_CHILDREN */
		u = usage(p->cuticks, p->csticks, p->cminflt, p->cmajflt, p->cmaxrss_kb);
	else
		return -EINVAL;
	return as_copyout(p->as, a[1], &u, sizeof(u)) ? -EFAULT : 0;
}

/* The live process pid names, 0 being the caller; NULL when none. */
static struct proc *live(struct proc *p, int pid)
{
	struct proc *q = pid ? proc_find(pid) : p;
	return q && q->state != PS_ZOMBIE ? q : NULL;
}

long sys_getpgid(struct proc *p, const uint64_t a[6])
{
	struct proc *q = live(p, (int)a[0]);
	return q ? q->pgid : -ESRCH;
}

long sys_getpgrp(struct proc *p, const uint64_t a[6])
{
	(void)a;
	return p->pgid;
}

long sys_getsid(struct proc *p, const uint64_t a[6])
{
	struct proc *q = live(p, (int)a[0]);
	return q ? q->sid : -ESRCH;
}

long sys_setsid(struct proc *p, const uint64_t a[6])
{
	(void)a;
	if (p->pgid == p->pid)
		return -EPERM;
	struct proc *q;
	for (unsigned i = 0; i < proc_slots(); i++)
		if ((q = proc_slot(i)) && q->pgid == p->pid)
			return -EPERM;
	p->sid = p->pgid = p->pid;
	return p->sid;
}

/* True when a process of session sid is in group pgid. */
static bool group_in_session(int pgid, int sid)
{
	struct proc *q;
	for (unsigned i = 0; i < proc_slots(); i++)
		if ((q = proc_slot(i)) && q->state != PS_ZOMBIE && q->pgid == pgid && q->sid == sid)
			return true;
	return false;
}

/* Linux's setpgid checks, in its order. */
long sys_setpgid(struct proc *p, const uint64_t a[6])
{
	int pid = (int)a[0], pgid = (int)a[1];
	if (pid < 0 || pgid < 0)
		return -EINVAL;
	struct proc *q = live(p, pid);
	if (!q || (q != p && q->parent != p))
		return -ESRCH;
	if (!pgid)
		pgid = q->pid;
	if (q != p && (q->sid != p->sid))
		return -EPERM;
	if (q != p && q->execed)
		return -EACCES;
	if (q->sid == q->pid)
		return -EPERM;
	if (pgid != q->pid && !group_in_session(pgid, p->sid))
		return -EPERM;
	q->pgid = pgid;
	return 0;
}
