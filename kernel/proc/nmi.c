/* What an NMI reports: every process, what it waits on and where its kernel stack stands, so that a
 * hung boot (bin/sos-run sends QEMU's nmi when it is killed) says why. The kernel then goes on. */
#include "arch/x86_64/trap.h"
#include "lib/printf.h"
#include "proc/proc.h"

static const char *const state_names[] = {
    [PS_NEW] = "new",         [PS_RUNNABLE] = "runnable", [PS_SLEEPING] = "sleeping",
    [PS_STOPPED] = "stopped", [PS_ZOMBIE] = "zombie",
};

/* One line for p: who it is, its state, the system call it is in, and the kernel frames it was
 * switched away in (none for the one running and for zombies). */
static void report(const struct proc *p)
{
	kprintf("sos: nmi: pid %d (%s) parent %d %s", p->pid, p->name,
	        p->parent ? p->parent->pid : 0, state_names[p->state]);
	if (p->state == PS_SLEEPING)
		kprintf(" on 0x%lx%s", (uint64_t)p->chan, p->deadline ? " with a deadline" : "");
	if (p->tf && p->tf->vector == TRAP_SYSCALL && (int64_t)p->tf->error >= 0)
		kprintf(", in system call %ld", (int64_t)p->tf->error); /* orig_rax */
	if (p != curproc && p->state != PS_ZOMBIE && p->state != PS_NEW) {
		kprintf(", kernel: 0x%lx", p->kctx.rip);
		arch_backtrace(p->kctx.rbp, p->kctx.rsp, p->kstack_top);
	}
	kprintf("\n");
}

void nmi_interrupt(struct trapframe *tf)
{
	kprintf("sos: nmi: at rip 0x%lx in %s mode, running pid %d\n", tf->rip,
	        (tf->cs & 3) ? "user" : "kernel", curproc ? curproc->pid : 0);
	if (!(tf->cs & 3))
		arch_trap_backtrace(tf);
	for (unsigned i = 0; i < proc_slots(); i++) {
		const struct proc *p = proc_slot(i);
		if (p)
			report(p);
	}
}
