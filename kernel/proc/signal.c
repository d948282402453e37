/* A process's signals as Linux's kernel/signal.c keeps them: actions, the blocked mask, the
 * pending sets, sending, fault signals, default actions, and what runs on a return to user mode. */
#include "proc/signal.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/sigframe.h"
#include "lib/printf.h"
#include <errno.h>
#include <string.h>

#define SIGURG             23
#define SIGWINCH           28
#define NR_RESTART_SYSCALL 219

/* Linux's SIG_KERNEL_*_MASK sets. */
#define SYNCHRONOUS                                                                                \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE) |    \
	 SIGBIT(SIGSYS))
#define UNBLOCKABLE    (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOP_SIGNALS   (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define IGNORE_DEFAULT (SIGBIT(SIGCONT) | SIGBIT(SIGCHLD) | SIGBIT(SIGWINCH) | SIGBIT(SIGURG))
/* the sa_flags a sigaction keeps (UAPI_SA_FLAGS) */
#define SA_KEPT                                                                                    \
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER |         \
	 SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

static const char *const signames[NSIG + 1] = {
    [1] = "SIGHUP",     [2] = "SIGINT",   [3] = "SIGQUIT",   [4] = "SIGILL",   [5] = "SIGTRAP",
    [6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",    [9] = "SIGKILL",  [10] = "SIGUSR1",
    [11] = "SIGSEGV",   [12] = "SIGUSR2", [13] = "SIGPIPE",  [14] = "SIGALRM", [15] = "SIGTERM",
    [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN",   [22] = "SIGTTOU", [23] = "SIGURG",   [24] = "SIGXCPU", [25] = "SIGXFSZ",
    [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
    [31] = "SIGSYS",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig <= NSIG && signames[sig])
		return signames[sig];
	return "SIGRT";
}

void signal_init(struct sigstate *s)
{
	memset(s, 0, sizeof(*s));
	s->ss_flags = SS_DISABLE;
}

void signal_release(struct sigstate *s)
{
	s->pending = s->shared = 0;
	s->nrt = 0;
}

void signal_fork(struct sigstate *child, const struct sigstate *parent)
{
	*child = *parent;
	child->pending = child->shared = 0;
	child->nrt = 0;
	child->restore_mask = false;
}

void signal_exec(struct sigstate *s)
{
	for (int i = 0; i < NSIG; i++) {
		struct ksigaction *a = &s->action[i];
		if (a->handler != SIG_IGN)
			a->handler = SIG_DFL;
		a->flags = 0;
		a->restorer = 0;
		a->mask = 0;
	}
	s->ss_sp = s->ss_size = 0;
	s->ss_flags = SS_DISABLE;
}

/* The action says to do nothing with sig: SIG_IGN, or SIG_DFL of a signal ignored by default. */
static bool handler_ignores(const struct sigstate *s, int sig)
{
	uint64_t h = s->action[sig - 1].handler;
	return h == SIG_IGN || (h == SIG_DFL && (IGNORE_DEFAULT & SIGBIT(sig)));
}

/* Linux's prepare_signal(): a stop signal takes back a pending SIGCONT and SIGCONT the stop
 * signals (and continues the process); false when sig is dropped (ignored and not blocked). */
static bool prepare(struct proc *p, int sig)
{
	struct sigstate *s = &p->sig;
	if (STOP_SIGNALS & SIGBIT(sig)) {
		s->pending &= ~SIGBIT(SIGCONT);
		s->shared &= ~SIGBIT(SIGCONT);
	} else if (sig == SIGCONT) {
		s->pending &= ~STOP_SIGNALS;
		s->shared &= ~STOP_SIGNALS;
		proc_continue(p);
	}
	if ((s->blocked | s->real_blocked) & SIGBIT(sig))
		return true; /* the action may change before it is unblocked, or it is awaited */
	return !handler_ignores(s, sig);
}

/* A signal for p: SIGKILL ends a stop, and a signal it does not block ends a sleep. */
static void wake(struct proc *p, int sig)
{
	if (sig == SIGKILL && p->state == PS_STOPPED)
		p->state = PS_RUNNABLE;
	if (sig == SIGKILL || !(p->sig.blocked & SIGBIT(sig)))
		sched_wake_proc(p);
}

/* The siginfo of a signal sent without one: SI_USER from this process. */
static void user_info(struct ksiginfo *slot, int sig)
{
	memset(slot, 0, sizeof(*slot));
	slot->signo = sig;
	slot->code = SI_USER;
	slot->kill.pid = curproc ? curproc->pid : 0;
}

/* Queue a real-time sig: every instance with its siginfo, in the order sent; with the queue
 * full, kill()'s is still pending without its siginfo and sigqueue()'s is -EAGAIN. */
static int queue_rt(struct sigstate *s, int sig, const struct ksiginfo *info, bool thread)
{
	if (s->nrt == SIGQUEUE_MAX && info && info->code != SI_USER)
		return -EAGAIN;
	if (s->nrt < SIGQUEUE_MAX) {
		struct rtqueued *q = &s->rt[s->nrt++];
		if (info)
			q->info = *info;
		else
			user_info(&q->info, sig);
		q->info.signo = sig;
		q->thread = thread;
	}
	if (thread)
		s->pending |= SIGBIT(sig);
	else
		s->shared |= SIGBIT(sig);
	return 0;
}

/* Queue sig with info (NULL: SI_USER from this process) on the thread's or the process's set;
 * a standard signal already pending is not queued again. */
static int queue(struct proc *p, int sig, const struct ksiginfo *info, bool thread)
{
	struct sigstate *s = &p->sig;
	if (sig < 1 || sig > NSIG || !prepare(p, sig))
		return 0;
	if (sig >= SIGRTMIN) {
		int err = queue_rt(s, sig, info, thread);
		if (!err)
			wake(p, sig);
		return err;
	}
	if ((s->pending | s->shared) & SIGBIT(sig))
		return 0;
	struct ksiginfo *slot = &s->info[sig - 1];
	if (info)
		*slot = *info;
	else
		user_info(slot, sig);
	slot->signo = sig;
	if (thread)
		s->pending |= SIGBIT(sig);
	else
		s->shared |= SIGBIT(sig);
	wake(p, sig);
	return 0;
}

int signal_send(struct proc *p, int sig, const struct ksiginfo *info)
{
	return queue(p, sig, info, false);
}

int signal_send_thread(struct proc *p, int sig, const struct ksiginfo *info)
{
	return queue(p, sig, info, true);
}

/* Take the first queued instance of real-time sig from the thread's or the process's queue
 * into *info; true when another instance stays queued. */
static bool take_rt(struct sigstate *s, int sig, bool thread, struct ksiginfo *info)
{
	bool found = false, more = false;
	int k = 0;
	user_info(info, sig); /* an instance sent when the queue was full */
	for (int i = 0; i < s->nrt; i++) {
		struct rtqueued *q = &s->rt[i];
		bool match = q->info.signo == sig && q->thread == thread;
		if (match && !found) {
			*info = q->info;
			found = true;
			continue;
		}
		more |= match;
		s->rt[k++] = *q;
	}
	s->nrt = k;
	return more;
}

/* Forget every queued instance of sig (an action that ignores it). */
static void drop_rt(struct sigstate *s, int sig)
{
	int k = 0;
	for (int i = 0; i < s->nrt; i++)
		if (s->rt[i].info.signo != sig)
			s->rt[k++] = s->rt[i];
	s->nrt = k;
}

void signal_force(struct proc *p, const struct ksiginfo *info, uint64_t trapno, uint64_t err,
                  uint64_t cr2, const char *why)
{
	struct sigstate *s = &p->sig;
	int sig = info->signo;
	struct ksigaction *a = &s->action[sig - 1];
	s->trapno = trapno;
	s->err = err;
	s->cr2 = cr2;
	if ((s->blocked & SIGBIT(sig)) || a->handler == SIG_IGN) {
		a->handler = SIG_DFL; /* Linux's force_sig_info_to_task() */
		s->blocked &= ~SIGBIT(sig);
	}
	if (a->handler == SIG_DFL)
		proc_kill(p, sig, "%s", why);
	s->pending &= ~SIGBIT(sig);
	s->shared &= ~SIGBIT(sig);
	queue(p, sig, info, true);
}

bool signal_fatal_pending(const struct proc *p)
{
	return ((p->sig.pending | p->sig.shared) & SIGBIT(SIGKILL)) != 0;
}

bool signal_pending(const struct proc *p)
{
	const struct sigstate *s = &p->sig;
	return ((s->pending | s->shared) & ~s->blocked) != 0;
}

void signal_set_blocked(struct proc *p, uint64_t mask)
{
	p->sig.blocked = mask & ~UNBLOCKABLE;
}

int signal_dequeue(struct proc *p, uint64_t mask, struct ksiginfo *info)
{
	struct sigstate *s = &p->sig;
	uint64_t *set = &s->pending;
	uint64_t ready = s->pending & mask;
	if (!ready) {
		set = &s->shared;
		ready = s->shared & mask;
	}
	if (!ready)
		return 0;
	if (ready & SYNCHRONOUS)
		ready &=
		    SYNCHRONOUS; /* a fault's signal before the others, as Linux's next_signal() */
	int sig = __builtin_ctzll(ready) + 1;
	if (sig >= SIGRTMIN) {
		if (!take_rt(s, sig, set == &s->pending, info))
			*set &= ~SIGBIT(sig);
		return sig;
	}
	*set &= ~SIGBIT(sig);
	*info = s->info[sig - 1];
	return sig;
}

/* Who sent a signal that kills, for the diagnostic line. */
static const char *sender(const struct ksiginfo *info)
{
	return info->code <= 0 ? "sent by itself" : "sent by the kernel";
}

/* The default action of sig: nothing, stop, or death with status 128 + sig, said in a "sos:
 * killed" line unless another process sent it (a kill by another is no surprise). */
static void default_action(struct proc *p, int sig, const struct ksiginfo *info)
{
	if (IGNORE_DEFAULT & SIGBIT(sig))
		return;
	if (STOP_SIGNALS & SIGBIT(sig)) {
		proc_stop(p, sig);
		return;
	}
	if (info->code <= 0 && info->kill.pid != p->pid)
		proc_die(p, sig);
	proc_kill(p, sig, "%s", sender(info));
}

/* The interrupted system call of tf (orig_rax in tf->error) restarts: same number, rip back
 * over the 2-byte syscall instruction. */
static void restart(struct trapframe *tf, uint64_t nr)
{
	tf->rax = nr;
	tf->rip -= 2;
}

/* With a handler to run: an interrupted call fails with EINTR or restarts (SA_RESTART). */
static void restart_for_handler(struct trapframe *tf, const struct ksigaction *a)
{
	switch ((long)tf->rax) {
	case -ERESTART_RESTARTBLOCK:
	case -ERESTARTNOHAND:
		tf->rax = (uint64_t)-EINTR;
		break;
	case -ERESTARTSYS:
		if (!(a->flags & SA_RESTART)) {
			tf->rax = (uint64_t)-EINTR;
			break;
		}
		restart(tf, tf->error);
		break;
	case -ERESTARTNOINTR:
		restart(tf, tf->error);
		break;
	}
}

/* With no handler run: every interrupted call restarts. */
static void restart_without_handler(struct trapframe *tf)
{
	switch ((long)tf->rax) {
	case -ERESTARTNOHAND:
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
		restart(tf, tf->error);
		break;
	case -ERESTART_RESTARTBLOCK:
		restart(tf, NR_RESTART_SYSCALL);
		break;
	}
}

/* Run the handler of sig: a frame on the user's stack, then the mask of the action. A frame
 * that cannot be built is a SIGSEGV (Linux's force_sigsegv()). */
static bool run_handler(struct proc *p, struct trapframe *tf, int sig, struct ksiginfo *info)
{
	struct sigstate *s = &p->sig;
	struct ksigaction a = s->action[sig - 1];
	if (a.flags & SA_RESETHAND)
		s->action[sig - 1].handler = SIG_DFL;
	uint64_t saved = s->restore_mask ? s->saved_mask : s->blocked;
	if (sigframe_setup(p, tf, sig, info, &a, saved)) {
		char why[96];
		if (sig == SIGSEGV)
			s->action[SIGSEGV - 1].handler = SIG_DFL;
		struct ksiginfo segv = {.signo = SIGSEGV, .code = SI_KERNEL};
		snprintf(why, sizeof(why), "cannot build the signal frame of %s, rsp=0x%lx",
		         signal_name(sig), tf->rsp);
		signal_force(p, &segv, s->trapno, s->err, s->cr2, why);
		return false;
	}
	if (p->trace)
		kprintf("sos: signal %s (si_code %d) to handler 0x%lx, frame at 0x%lx\n",
		        signal_name(sig), info->code, a.handler, tf->rsp);
	s->restore_mask = false;
	uint64_t blocked = s->blocked | a.mask;
	if (!(a.flags & SA_NODEFER))
		blocked |= SIGBIT(sig);
	signal_set_blocked(p, blocked);
	return true;
}

bool signal_deliver(struct proc *p, struct trapframe *tf)
{
	struct sigstate *s = &p->sig;
	bool syscall = tf->vector == TRAP_SYSCALL && (int64_t)tf->error >= 0;
	bool handled = false;
	struct ksiginfo info;
	int sig;
	while ((sig = signal_dequeue(p, ~s->blocked, &info))) {
		uint64_t h = s->action[sig - 1].handler;
		if (h == SIG_IGN)
			continue;
		if (h == SIG_DFL) {
			default_action(p, sig, &info);
			continue;
		}
		if (syscall)
			restart_for_handler(tf, &s->action[sig - 1]);
		syscall = false; /* the first frame holds the call's outcome */
		handled |= run_handler(p, tf, sig, &info);
	}
	if (syscall)
		restart_without_handler(tf);
	if (s->restore_mask) {
		s->restore_mask = false;
		signal_set_blocked(p, s->saved_mask);
	}
	return handled;
}

int signal_action(struct proc *p, int sig, const struct ksigaction *act, struct ksigaction *old)
{
	struct sigstate *s = &p->sig;
	if (sig < 1 || sig > NSIG || (act && (UNBLOCKABLE & SIGBIT(sig))))
		return -EINVAL;
	if (old) {
		*old = s->action[sig - 1];
		old->flags &= SA_KEPT;
	}
	if (act) {
		struct ksigaction *a = &s->action[sig - 1];
		*a = *act;
		a->flags &= SA_KEPT;
		a->mask &= ~UNBLOCKABLE;
		if (handler_ignores(s, sig)) {
			/* POSIX: setting an ignoring action discards what is pending */
			s->pending &= ~SIGBIT(sig);
			s->shared &= ~SIGBIT(sig);
			drop_rt(s, sig);
		}
	}
	return 0;
}

/* The user stack pointer sp is on the alternate stack (Linux's __on_sig_stack()). */
static bool within_altstack(const struct sigstate *s, uint64_t sp)
{
	return sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
}

bool signal_on_altstack(const struct sigstate *s, uint64_t sp)
{
	return !(s->ss_flags & SS_AUTODISARM) && within_altstack(s, sp);
}

int signal_altstack_flags(const struct sigstate *s, uint64_t sp)
{
	if (!s->ss_size)
		return SS_DISABLE;
	return signal_on_altstack(s, sp) ? SS_ONSTACK : 0;
}

int signal_altstack(struct proc *p, const struct kstack *ss, struct kstack *old, uint64_t sp)
{
	struct sigstate *s = &p->sig;
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sp = s->ss_sp;
		old->size = s->ss_size;
		old->flags = signal_altstack_flags(s, sp) | (int32_t)(s->ss_flags & SS_AUTODISARM);
	}
	if (!ss)
		return 0;
	if (signal_on_altstack(s, sp))
		return -EPERM;
	uint32_t flags = (uint32_t)ss->flags, mode = flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	uint64_t base = ss->sp, size = ss->size;
	if (mode == SS_DISABLE)
		base = size = 0;
	else if (size < MINSIGSTKSZ)
		return -ENOMEM;
	s->ss_sp = base;
	s->ss_size = size;
	s->ss_flags = flags;
	return 0;
}

void signal_user_info(uint8_t out[128], const struct ksiginfo *info)
{
	memset(out, 0, 128);
	memcpy(out, info, sizeof(*info));
}

uint64_t signal_with_handler(const struct sigstate *s, uint64_t h)
{
	uint64_t set = 0;
	for (int i = 0; i < NSIG; i++) {
		uint64_t mine = s->action[i].handler;
		if (mine == h || (h > SIG_IGN && mine > SIG_IGN))
			set |= 1UL << i;
	}
	return set;
}
