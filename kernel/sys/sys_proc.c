/* Process-wide calls: exit, the thread pointer (arch_prctl), set_tid_address, ids, and signals
 * sent to oneself (what abort() and raise() need), with the blocked mask Linux keeps. */
#include "arch/x86_64/platform.h"
#include "mm/layout.h"
#include "sys/sys.h"
#include <errno.h>

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIG_DFL     0
#define SIG_IGN     1
#define UNBLOCKABLE ((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)))

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
	return PROC_PID;
}

long sys_getpid(struct proc *p, const uint64_t a[6])
{
	(void)p;
	(void)a;
	return PROC_PID;
}

/* Send sig to ourselves: 0 checks only, 1..64 act now or stay pending. */
static long signal_self(struct proc *p, long sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig)
		proc_signal(p, (int)sig);
	return 0;
}

long sys_kill(struct proc *p, const uint64_t a[6])
{
	int64_t pid = (int64_t)a[0];
	if (pid != PROC_PID && pid != 0 && pid != -1)
		return -ESRCH;
	return signal_self(p, (long)a[1]);
}

long sys_tkill(struct proc *p, const uint64_t a[6])
{
	if ((int64_t)a[0] <= 0)
		return -EINVAL;
	if (a[0] != PROC_PID)
		return -ESRCH;
	return signal_self(p, (long)a[1]);
}

long sys_tgkill(struct proc *p, const uint64_t a[6])
{
	if ((int64_t)a[0] <= 0 || (int64_t)a[1] <= 0)
		return -EINVAL;
	if (a[0] != PROC_PID || a[1] != PROC_PID)
		return -ESRCH;
	return signal_self(p, (long)a[2]);
}

long sys_rt_sigprocmask(struct proc *p, const uint64_t a[6])
{
	int how = (int)a[0];
	uint64_t set, old = p->sigmask;
	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (a[1]) {
		if (as_copyin(p->as, &set, a[1], sizeof(set)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			p->sigmask |= set;
		else if (how == SIG_UNBLOCK)
			p->sigmask &= ~set;
		else if (how == SIG_SETMASK)
			p->sigmask = set;
		else
			return -EINVAL;
		p->sigmask &= ~UNBLOCKABLE;
	}
	if (a[2] && as_copyout(p->as, a[2], &old, sizeof(old)))
		return -EFAULT;
	proc_deliver_pending(p);
	return 0;
}

/* struct sigaction as the kernel sees it on x86-64. */
struct ksigaction {
	uint64_t handler, flags, restorer, mask;
};

/* Dispositions SIG_DFL and SIG_IGN work; handlers need signal delivery, which SOS lacks. */
long sys_rt_sigaction(struct proc *p, const uint64_t a[6])
{
	int sig = (int)a[0];
	struct ksigaction act, old = {0};
	if (a[3] != sizeof(uint64_t) || sig < 1 || sig > NSIG)
		return -EINVAL;
	uint64_t bit = 1UL << (sig - 1);
	old.handler = (p->sigignore & bit) ? SIG_IGN : SIG_DFL;
	if (a[1]) {
		if (as_copyin(p->as, &act, a[1], sizeof(act)))
			return -EFAULT;
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		if (act.handler > SIG_IGN)
			return -ENOSYS;
	}
	if (a[2] && as_copyout(p->as, a[2], &old, sizeof(old)))
		return -EFAULT;
	if (a[1])
		p->sigignore = act.handler == SIG_IGN ? p->sigignore | bit : p->sigignore & ~bit;
	return 0;
}
