/* Process-wide calls: exit, the thread pointer (arch_prctl), set_tid_address, ids, and signals
 * sent to processes, groups and threads (kill, tkill, tgkill). */
#include "arch/x86_64/platform.h"
#include "mm/layout.h"
#include "sys/sys.h"
#include <errno.h>

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

long sys_exit(struct proc *p, const uint64_t a[6])
{
	proc_exit(p, (int)a[0]);
}

long sys_arch_prctl(struct proc *p, const uint64_t a[6])
{
	switch (a[0]) {
	case ARCH_SET_FS:
		if (a[1] >= USER_END)
			return -EPERM;
		arch_set_fs_base(a[1]);
		return 0;
	case ARCH_GET_FS: {
		uint64_t fs = arch_fs_base();
		return as_copyout(p->as, a[1], &fs, sizeof(fs));
	}
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL; /* GS is the kernel's (not supported yet) */
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(struct proc *p, const uint64_t a[6])
{
	p->clear_child_tid = a[0];
	return p->pid;
}

long sys_getpid(struct proc *p, const uint64_t a[6])
{
	(void)a;
	return p->pid;
}

long sys_getppid(struct proc *p, const uint64_t a[6])
{
	(void)a;
	return p->parent ? p->parent->pid : 0;
}

/* Send sig (0: only check) from p to q, to the process or (thread) to its thread. */
static long send(struct proc *p, struct proc *q, long sig, bool thread)
{
	struct ksiginfo info = {.code = thread ? SI_TKILL : SI_USER};
	info.kill.pid = p->pid;
	if (sig && thread)
		signal_send_thread(q, (int)sig, &info);
	else if (sig)
		signal_send(q, (int)sig, &info);
	return 0;
}

struct group_kill {
	struct proc *sender;
	int pgid; /* 0: every process but the first and the sender (kill -1) */
	long sig;
	int found;
};

static void kill_member(struct proc *q, void *arg)
{
	struct group_kill *g = arg;
	if (q->state == PS_ZOMBIE)
		return;
	if (g->pgid ? q->pgid != g->pgid : (q == g->sender || !q->parent))
		return;
	g->found++;
	send(g->sender, q, g->sig, false);
}

long sys_kill(struct proc *p, const uint64_t a[6])
{
	int pid = (int)a[0];
	long sig = (long)a[1];
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid > 0) {
		struct proc *q = proc_find(pid);
		return q && q->state != PS_ZOMBIE ? send(p, q, sig, false) : q ? 0 : -ESRCH;
	}
	if (pid == -2147483648)
		return -ESRCH;
	struct group_kill g = {p, pid == 0 ? p->pgid : pid == -1 ? 0 : -pid, sig, 0};
	proc_for_each(kill_member, &g);
	return g.found ? 0 : -ESRCH;
}

/* tkill and tgkill: one thread per process, so the thread is the process. */
static long thread_kill(struct proc *p, int tgid, int tid, long sig)
{
	if (tid <= 0 || tgid == 0 || tgid < -1)
		return -EINVAL;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	struct proc *q = proc_find(tid);
	if (!q || q->state == PS_ZOMBIE || (tgid > 0 && q->pid != tgid))
		return -ESRCH;
	return send(p, q, sig, true);
}

long sys_tkill(struct proc *p, const uint64_t a[6])
{
	return thread_kill(p, -1, (int)a[0], (long)a[1]);
}

long sys_tgkill(struct proc *p, const uint64_t a[6])
{
	return thread_kill(p, (int)a[0], (int)a[1], (long)a[2]);
}
