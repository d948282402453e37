/* What a user program's trap means: a page fault goes to the pager, and anything the pager cannot
 * resolve, or any other exception, is Linux's signal with its siginfo: a handler runs, or the
 * program dies with one line saying why. */
#include "arch/x86_64/pte.h"
#include "arch/x86_64/trap.h"
#include "lib/printf.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/swap.h"
#include "proc/proc.h"

#define EXEC_ONLY_PKEY 1 /* the key Linux gives execute-only memory (pte.h) */

static const char *access_name(unsigned access)
{
	return access == VM_EXEC ? "execute" : access == VM_WRITE ? "write" : "read";
}

/* SIGSEGV's si_code for a fault the pager refused (arch/x86/mm/fault.c): no region (a guard gap
 * and a kernel address included) is SEGV_MAPERR; data access to execute-only memory, which a
 * protection key guards, SEGV_PKUERR; other missing rights SEGV_ACCERR. */
static int segv_code(struct proc *p, uint64_t addr, enum fault_result r, unsigned access)
{
	if (r != FAULT_DENIED)
		return SEGV_MAPERR;
	const struct region *reg = region_find(&p->as->regions, addr);
	if (reg && (reg->flags & REGION_EXEC_ONLY) && access != VM_EXEC && hal_exec_only())
		return SEGV_PKUERR;
	return SEGV_ACCERR;
}

/* Send sig for the fault at addr (Linux's force_sig_fault() after set_signal_archinfo()). */
static void fault_signal(struct proc *p, struct trapframe *tf, uint64_t addr, int sig, int code,
                         const char *why)
{
	uint64_t err = tf->error | PF_USER;
	if (addr >= USER_END)
		err |= PF_PRESENT; /* Linux says a kernel address is a protection fault */
	struct ksiginfo info = {.signo = sig, .code = code};
	info.fault.addr = addr;
	if (code == SEGV_PKUERR)
		info.fault.pkey = EXEC_ONLY_PKEY;
	signal_force(p, &info, 14, err, addr, why);
}

void user_page_fault(struct trapframe *tf, uint64_t addr)
{
	struct proc *p = curproc;
	char why[160];
	unsigned access = (tf->error & PF_INSTR)   ? VM_EXEC
	                  : (tf->error & PF_WRITE) ? VM_WRITE
	                                           : VM_READ;
	enum fault_result r = addr < USER_END ? vm_fault(p->as, addr, access) : FAULT_NO_REGION;
	if (r == FAULT_DENIED && access == VM_EXEC && !(tf->error & PF_PRESENT) &&
	    vm_fault(p->as, addr, VM_READ) == FAULT_OK)
		tf->error |=
		    PF_PRESENT; /* Linux maps the page first; the fetch then faults on it */
	if (p->trace)
		kprintf("sos: fault %s at 0x%lx rip=0x%lx: %s\n", access_name(access), addr,
		        tf->rip, r == FAULT_OK ? "mapped" : fault_reason(r));
	if (r == FAULT_OK) {
		if (signal_pending(p))
			signal_deliver(p, tf);
		return;
	}
	if (r == FAULT_OOM)
		proc_kill(p, SIGKILL, "out of memory%s at 0x%lx, rip=0x%lx",
		          swap_slots_total() ? " and swap" : "", addr, tf->rip);
	snprintf(why, sizeof(why), "%s at 0x%lx (%s), rip=0x%lx", access_name(access), addr,
	         addr < USER_END ? fault_reason(r) : "kernel address", tf->rip);
	/* Linux's SIGBUS past the end of a shmem object, or with no huge page for hugetlb memory */
	if (r == FAULT_SIGBUS || r == FAULT_NOHUGE || r == FAULT_IO)
		fault_signal(p, tf, addr, SIGBUS, BUS_ADRERR, why);
	else
		fault_signal(p, tf, addr, SIGSEGV, segv_code(p, addr, r, access), why);
	signal_deliver(p, tf);
}

/* SIGFPE's si_code for an x87 or SIMD exception (Linux's fpu__exception_code()); 0 when the
 * trap was spurious and sends nothing. */
static int fpu_code(bool x87)
{
	uint32_t err = arch_fpu_exceptions(x87);
	if (err & 0x01)
		return FPE_FLTINV;
	if (err & 0x04)
		return FPE_FLTDIV;
	if (err & 0x08)
		return FPE_FLTOVF;
	if (err & 0x12)
		return FPE_FLTUND;
	return err & 0x20 ? FPE_FLTRES : 0;
}

/* The signal and si_code Linux sends for each exception vector (arch/x86/kernel/traps.c), and
 * whether si_addr is the faulting instruction. */
static int exception_signal(uint64_t vector, int *code, bool *at_rip)
{
	*code = SI_KERNEL;
	*at_rip = false;
	switch (vector) {
	case 0: /* divide error */
		*code = FPE_INTDIV;
		*at_rip = true;
		return SIGFPE;
	case 16: /* x87 */
	case 19: /* SIMD */
		*code = fpu_code(vector == 16);
		*at_rip = true;
		return SIGFPE;
	case 1:
		*code = TRAP_TRACE;
		*at_rip = true;
		return SIGTRAP;
	case 3:
		return SIGTRAP;
	case 6:
		*code = ILL_ILLOPN;
		*at_rip = true;
		return SIGILL;
	case 11: /* segment not present */
	case 12: /* stack segment */
		return SIGBUS;
	case 17: /* alignment check */
		*code = BUS_ADRALN;
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

void user_exception(struct trapframe *tf)
{
	struct proc *p = curproc;
	char why[96];
	int code;
	bool at_rip;
	struct ksiginfo info = {.signo = exception_signal(tf->vector, &code, &at_rip)};
	info.code = code;
	info.fault.addr = at_rip ? tf->rip : 0;
	if (info.signo == SIGFPE && !code)
		return; /* a spurious floating-point trap */
	snprintf(why, sizeof(why), "%s, rip=0x%lx", trap_name(tf->vector), tf->rip);
	signal_force(p, &info, tf->vector, (tf->vector == 16 || tf->vector == 19) ? 0 : tf->error,
	             p->sig.cr2, why);
	signal_deliver(p, tf);
}
