/* The signal calls: rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend,
 * rt_sigtimedwait, sigaltstack, rt_sigqueueinfo and rt_tgsigqueueinfo, with Linux's errnos. */
#include "arch/x86_64/platform.h"
#include "arch/x86_64/trap.h"
#include "proc/sched.h"
#include "sys/sys.h"
#include <errno.h>
#include <string.h>

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

long sys_rt_sigaction(struct proc *p, const uint64_t a[6])
{
	struct ksigaction act, old;
	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (a[1] && as_copyin(p->as, &act, a[1], sizeof(act)))
		return -EFAULT;
	int err = signal_action(p, (int)a[0], a[1] ? &act : NULL, a[2] ? &old : NULL);
	if (!err && a[2] && as_copyout(p->as, a[2], &old, sizeof(old)))
		return -EFAULT;
	return err;
}

long sys_rt_sigprocmask(struct proc *p, const uint64_t a[6])
{
	int how = (int)a[0];
	uint64_t set, old = p->sig.blocked;
	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (a[1]) {
		if (as_copyin(p->as, &set, a[1], sizeof(set)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			set |= old;
		else if (how == SIG_UNBLOCK)
			set = old & ~set;
		else if (how != SIG_SETMASK)
			return -EINVAL;
		signal_set_blocked(p, set);
	}
	if (a[2] && as_copyout(p->as, a[2], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* Signals pending while blocked (the thread's and the process's). */
long sys_rt_sigpending(struct proc *p, const uint64_t a[6])
{
	if (a[1] > sizeof(uint64_t))
		return -EINVAL;
	uint64_t set = (p->sig.pending | p->sig.shared) & p->sig.blocked;
	return as_copyout(p->as, a[0], &set, a[1]) ? -EFAULT : 0;
}

/* Wait for a signal with mask in place; the old mask comes back after the handler. */
long sys_rt_sigsuspend(struct proc *p, const uint64_t a[6])
{
	uint64_t set;
	if (a[1] != sizeof(uint64_t))
		return -EINVAL;
	if (as_copyin(p->as, &set, a[0], sizeof(set)))
		return -EFAULT;
	p->sig.saved_mask = p->sig.blocked;
	p->sig.restore_mask = true;
	signal_set_blocked(p, set);
	while (!signal_pending(p))
		sched_sleep(&p->sig, 0);
	return -ERESTARTNOHAND;
}

/* The deadline of a relative timeout at user address uts (0: none); -EFAULT or -EINVAL. */
static long timeout_deadline(struct proc *p, uint64_t uts, uint64_t *deadline)
{
	uint64_t ns;
	*deadline = 0;
	if (!uts)
		return 0;
	int err = user_timespec(p, uts, &ns);
	if (err)
		return err;
	if (!ns)
		return 1; /* no wait at all */
	*deadline = arch_monotonic_ns() + ns;
	return 0;
}

/* Linux's do_sigtimedwait(): take a pending signal of set, or sleep with set unblocked until
 * one comes (the signal), another signal (EINTR) or the timeout (EAGAIN). */
static int timed_wait(struct proc *p, uint64_t set, uint64_t uts, struct ksiginfo *info)
{
	uint64_t deadline;
	set &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	long err = timeout_deadline(p, uts, &deadline);
	if (err < 0)
		return (int)err;
	int sig = signal_dequeue(p, set, info);
	if (sig || err == 1)
		return sig ? sig : -EAGAIN;
	uint64_t blocked = p->sig.blocked;
	p->sig.real_blocked = blocked;
	p->sig.blocked &= ~set;
	int slept = sched_sleep(&p->sig, deadline);
	p->sig.blocked = blocked;
	p->sig.real_blocked = 0;
	sig = signal_dequeue(p, set, info);
	if (sig)
		return sig;
	return slept == -EINTR ? -EINTR : -EAGAIN;
}

long sys_rt_sigtimedwait(struct proc *p, const uint64_t a[6])
{
	uint64_t set;
	struct ksiginfo info;
	uint8_t uinfo[128];
	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (as_copyin(p->as, &set, a[0], sizeof(set)))
		return -EFAULT;
	int sig = timed_wait(p, set, a[2], &info);
	if (sig > 0 && a[1]) {
		signal_user_info(uinfo, &info);
		if (as_copyout(p->as, a[1], uinfo, sizeof(uinfo)))
			return -EFAULT;
	}
	return sig;
}

long sys_sigaltstack(struct proc *p, const uint64_t a[6])
{
	struct kstack ss, old;
	if (a[0] && as_copyin(p->as, &ss, a[0], sizeof(ss)))
		return -EFAULT;
	int err = signal_altstack(p, a[0] ? &ss : NULL, a[1] ? &old : NULL, syscall_frame()->rsp);
	if (!err && a[1] && as_copyout(p->as, a[1], &old, sizeof(old)))
		return -EFAULT;
	return err;
}

/* Queue sig with the caller's siginfo at uinfo to process pid; thread: to its thread. A siginfo
 * claiming the kernel or kill() as its sender for another process is -EPERM. */
static long queue_info(struct proc *p, int64_t pid, int sig, uint64_t uinfo, bool thread)
{
	uint8_t buf[128];
	struct ksiginfo info;
	if (as_copyin(p->as, buf, uinfo, sizeof(buf)))
		return -EFAULT;
	memcpy(&info, buf, sizeof(info));
	info.signo = sig;
	if ((info.code >= 0 || info.code == SI_TKILL) && pid != p->pid)
		return -EPERM;
	struct proc *q = proc_find((int)pid);
	if (!q || q->state == PS_ZOMBIE)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig && thread)
		return signal_send_thread(q, sig, &info);
	if (sig)
		return signal_send(q, sig, &info);
	return 0;
}

long sys_rt_sigqueueinfo(struct proc *p, const uint64_t a[6])
{
	return queue_info(p, (int32_t)a[0], (int)a[1], a[2], false);
}

long sys_rt_tgsigqueueinfo(struct proc *p, const uint64_t a[6])
{
	if ((int32_t)a[0] <= 0 || (int32_t)a[1] <= 0)
		return -EINVAL;
	struct proc *q = proc_find((int32_t)a[1]);
	if (!q || q->pid != (int32_t)a[0])
		return -ESRCH;
	return queue_info(p, (int32_t)a[1], (int)a[2], a[3], true);
}
