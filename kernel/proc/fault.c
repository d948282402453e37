/* What a user program's trap means: a page fault goes to the pager, and anything the pager cannot
 * resolve, or any other exception, kills the program with Linux's signal and one line saying why.
 */
#include "arch/x86_64/pte.h"
#include "arch/x86_64/trap.h"
#include "lib/printf.h"
#include "mm/layout.h"
#include "proc/proc.h"

static const char *access_name(unsigned access)
{
	return access == VM_EXEC ? "execute" : access == VM_WRITE ? "write" : "read";
}

void user_page_fault(struct trapframe *tf, uint64_t addr)
{
	struct proc *p = curproc;
	unsigned access = (tf->error & PF_INSTR)   ? VM_EXEC
	                  : (tf->error & PF_WRITE) ? VM_WRITE
	                                           : VM_READ;
	enum fault_result r = addr < USER_END ? vm_fault(p->as, addr, access) : FAULT_NO_REGION;
	if (p->trace)
		kprintf("sos: fault %s at 0x%lx rip=0x%lx: %s\n", access_name(access), addr,
		        tf->rip, r == FAULT_OK ? "mapped" : fault_reason(r));
	if (r == FAULT_OK) {
		proc_deliver_pending(p);
		return;
	}
	if (r == FAULT_OOM)
		proc_kill(p, SIGKILL, "out of memory at 0x%lx, rip=0x%lx", addr, tf->rip);
	/* Linux's SIGBUS past the end of a shmem object, or with no huge page for hugetlb memory */
	if (r == FAULT_SIGBUS || r == FAULT_NOHUGE)
		proc_kill(p, SIGBUS, "%s at 0x%lx (%s), rip=0x%lx", access_name(access), addr,
		          fault_reason(r), tf->rip);
	proc_kill(p, SIGSEGV, "%s at 0x%lx (%s), rip=0x%lx", access_name(access), addr,
	          addr < USER_END ? fault_reason(r) : "kernel address", tf->rip);
}

/* The signal Linux sends for each exception vector (arch/x86/kernel/traps.c). */
static int exception_signal(uint64_t vector)
{
	switch (vector) {
	case 0:  /* divide error */
	case 16: /* x87 */
	case 19: /* SIMD */
		return SIGFPE;
	case 1:
	case 3:
		return SIGTRAP;
	case 6:
		return SIGILL;
	case 12: /* stack segment */
	case 17: /* alignment check */
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

void user_exception(struct trapframe *tf)
{
	struct proc *p = curproc;
	proc_kill(p, exception_signal(tf->vector), "%s, rip=0x%lx", trap_name(tf->vector), tf->rip);
}
