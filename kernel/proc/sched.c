/* The scheduler: a kernel context of its own (the boot stack) that picks the next runnable
 * process round robin and switches to it; processes come back here to sleep, yield or die. */
#include "proc/sched.h"
#include "arch/x86_64/platform.h"
#include "lib/printf.h"
#include <errno.h>

struct proc *curproc;
const char console_chan[] = "console";
const char poll_chan[] = "poll";

static struct kcontext sched_ctx; /* the scheduler's own, in sched_run() */
static struct proc *fpu_owner;    /* whose user FPU state the registers hold */
static unsigned slice;            /* ticks the current process has run in user mode */
static unsigned next_slot;
static uint64_t run_start; /* when the current process got the CPU */
static bool need_resched;  /* the current process woke a sleeper: let it run (see below) */

uint64_t sched_cputime(const struct proc *p)
{
	return p->runtime_ns + (p == curproc ? arch_monotonic_ns() - run_start : 0);
}

/* The next runnable process after the last one picked, or NULL. */
static struct proc *pick(void)
{
	unsigned n = proc_slots();
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (next_slot + k) % n;
		struct proc *p = proc_slot(i);
		if (p && p->state == PS_RUNNABLE) {
			next_slot = i + 1;
			return p;
		}
	}
	return NULL;
}

/* Run p until it comes back to the scheduler. The FPU registers and the page table change only
 * when p is not the process that had them last. */
static void switch_to(struct proc *p)
{
	if (fpu_owner != p) {
		if (fpu_owner)
			arch_fpu_save(fpu_owner->fpu);
		arch_fpu_load(p->fpu);
		fpu_owner = p;
	}
	if (arch_current_root() != p->as->root) /* a reload flushes the TLB */
		arch_switch_root(p->as->root);
	arch_set_kernel_stack(p->kstack_top);
	arch_set_fs_base(p->fs_base);
	curproc = p;
	slice = 0;
	need_resched = false;
	run_start = arch_monotonic_ns();
	arch_switch(&sched_ctx, &p->kctx);
	p->runtime_ns += arch_monotonic_ns() - run_start;
	curproc = NULL;
}

/* Back to the scheduler from the current process, which keeps its state. */
static void sched(void)
{
	struct proc *p = curproc;
	p->fs_base = arch_fs_base();
	arch_switch(&p->kctx, &sched_ctx);
}

void sched_forget(struct proc *p)
{
	if (fpu_owner == p)
		fpu_owner = NULL;
}

/* True when some sleeper could still be woken by time or input; else nothing ever will. */
static bool wakeable(void)
{
	for (unsigned i = 0; i < proc_slots(); i++) {
		struct proc *p = proc_slot(i);
		if (p && p->state == PS_SLEEPING &&
		    (p->deadline || p->chan == console_chan || p->chan == poll_chan))
			return true;
		if (p && p->alarm_at)
			return true;
	}
	return false;
}

static void wake_due(uint64_t now);

/* Every process sleeps and nothing can wake one: kill them all, as a hang helps nobody. */
static void break_deadlock(void)
{
	struct ksiginfo kill = {.signo = SIGKILL, .code = SI_KERNEL};
	kprintf("sos: deadlock: every process sleeps and nothing can wake one; killing them\n");
	for (unsigned i = 0; i < proc_slots(); i++) {
		struct proc *p = proc_slot(i);
		if (p && p->state != PS_ZOMBIE)
			signal_send(p, SIGKILL, &kill);
	}
}

void sched_run(bool (*done)(void))
{
	while (!done()) {
		/* The tick comes only in user mode and in idle: processes that wake each other in
		 * the kernel must not keep every deadline from passing. */
		wake_due(arch_monotonic_ns());
		struct proc *p = pick();
		if (p) {
			switch_to(p);
			proc_left_cpu(p);
		} else if (wakeable())
			arch_idle();
		else
			break_deadlock();
	}
	arch_switch_root(arch_kernel_root());
}

void sched_yield(void)
{
	sched();
}

void sched_exit(void)
{
	curproc->state = PS_ZOMBIE;
	arch_switch(&curproc->kctx, &sched_ctx);
	__builtin_unreachable();
}

int sched_sleep(const void *chan, uint64_t deadline)
{
	struct proc *p = curproc;
	if (signal_pending(p))
		return -EINTR;
	if (deadline && arch_monotonic_ns() >= deadline)
		return -ETIMEDOUT;
	p->state = PS_SLEEPING;
	p->chan = chan;
	p->deadline = deadline;
	sched();
	p->chan = NULL;
	p->deadline = 0;
	if (signal_pending(p))
		return -EINTR;
	if (deadline && arch_monotonic_ns() >= deadline)
		return -ETIMEDOUT;
	return 0;
}

void sched_wait(const void *chan)
{
	struct proc *p = curproc;
	p->state = PS_SLEEPING;
	p->chan = chan;
	sched();
	p->chan = NULL;
}

/* p sleeps no more. Linux's scheduler lets a task that slept run before the one that woke it
 * (wakeup preemption): a pipe's reader reads before its writer writes again. */
static void wake(struct proc *p)
{
	p->state = PS_RUNNABLE;
	need_resched = curproc != NULL;
}

void sched_wakeup(const void *chan)
{
	for (unsigned i = 0; i < proc_slots(); i++) {
		struct proc *p = proc_slot(i);
		if (p && p->state == PS_SLEEPING && p->chan == chan)
			wake(p);
	}
}

void sched_wake_proc(struct proc *p)
{
	if (p->state == PS_SLEEPING)
		wake(p);
}

void sched_preempt_point(void)
{
	if (need_resched && curproc) {
		need_resched = false;
		sched_yield();
	}
}

/* Wake the sleepers whose deadline has passed, and fire the alarms that are due. */
static void wake_due(uint64_t now)
{
	for (unsigned i = 0; i < proc_slots(); i++) {
		struct proc *p = proc_slot(i);
		if (!p)
			continue;
		if (p->state == PS_SLEEPING && p->deadline && p->deadline <= now)
			p->state = PS_RUNNABLE;
		if (p->alarm_at && p->alarm_at <= now && p->state != PS_ZOMBIE)
			proc_alarm(p, now);
	}
}

/* Every tick: charge it to the process it interrupted, wake sleepers that are due and console
 * readers (the console is polled), and preempt a process that used its slice in user mode. */
void timer_interrupt(struct trapframe *tf)
{
	struct proc *p = curproc;
	bool user = (tf->cs & 3) == 3;
	if (p && user)
		p->uticks++;
	else if (p)
		p->sticks++;
	wake_due(arch_monotonic_ns());
	sched_wakeup(console_chan);
	sched_wakeup(poll_chan);
	if (p && user && ++slice >= SLICE_TICKS)
		sched_yield();
	if (p && user && signal_pending(p))
		signal_deliver(p, tf); /* an alarm, or one sent while it was off the CPU */
}
