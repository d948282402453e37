/* The trap frame (what a user program's registers look like while the kernel handles a trap or a
 * system call), entering and leaving user mode, and the hooks the kernel above implements. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error; /* vector is TRAP_SYSCALL for a system call */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* The kernel's callee-saved registers of a process switched away (arch_switch). */
struct kcontext {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

/* Save the kernel's callee-saved state in from and resume the one in to (a kernel thread switch).
 * Returns when something switches back to from. */
void arch_switch(struct kcontext *from, const struct kcontext *to);

/* Where a new process's kernel context starts: it returns to user mode through the trapframe at
 * the top of its stack (the context's rsp points at it). */
void arch_enter_new(void);

/* A fresh user frame: rip, rsp, user segments, interrupts on, everything else zero. */
void trapframe_init_user(struct trapframe *tf, uint64_t rip, uint64_t rsp);

/* Clear the FPU/SSE/AVX state so a new program starts as after execve. */
void arch_fpu_reset(void);

/* The user FPU state for signal frames (fpu.c): its size (XSAVE's for the features of XCR0, or
 * FXSAVE's 512), the features, whether XSAVE is used; save it to a zeroed 64-byte aligned
 * buffer; load it back (fx_only: the legacy area only), 0 or -1 when the CPU would refuse it. */
size_t arch_fpu_size(void);
uint64_t arch_fpu_features(void);
bool arch_fpu_xsave(void);
void arch_fpu_save(void *buf);
/* Load state arch_fpu_save() wrote in the kernel (a context switch): no checks needed. */
void arch_fpu_load(const void *buf);
int arch_fpu_restore(const void *buf, uint64_t features, bool fx_only);
/* AT_MINSIGSTKSZ: the largest signal frame Linux would build on this CPU. */
uint64_t arch_sigframe_max(void);
/* The floating-point exceptions raised and not masked: x87's (status & ~control) or SSE's. */
uint32_t arch_fpu_exceptions(bool x87);

/* The segment selectors of user code and data. */
uint64_t arch_user_cs(void);
uint64_t arch_user_ss(void);

/* Implemented above arch (kernel/proc, kernel/sys): what a trap from user mode means. A true
 * return from syscall_dispatch asks for every register back (iretq instead of sysretq). */
bool syscall_dispatch(struct trapframe *tf);
void user_page_fault(struct trapframe *tf, uint64_t addr);
void user_exception(struct trapframe *tf);
void timer_interrupt(struct trapframe *tf);
/* An NMI (QEMU's monitor command nmi, which bin/sos-run sends when it is killed): report. */
void nmi_interrupt(struct trapframe *tf);

/* Print " 0x..." for each return address of the kernel frames chained by rbp from fp, while
 * the frames lie in [lo, hi) (addr2line -e build/kernel.elf turns them into lines). */
void arch_backtrace(uint64_t fp, uint64_t lo, uint64_t hi);
#define KSTACK_REACH 0x10000 /* how far above a trap its frames may lie */

/* Whether the running kernel code was called, at any depth, from code in [lo, hi): a return
 * address of the frames chained by rbp lies there (fault injection's call sites). */
bool arch_called_from(uint64_t lo, uint64_t hi);

/* The return addresses of the running kernel code's callers: one "sos: backtrace:" line (what
 * panic() prints after its message). */
void arch_backtrace_here(void);

/* The kernel code under tf (a trap in kernel mode) and its callers: one "sos: backtrace:" line. */
void arch_trap_backtrace(const struct trapframe *tf);

/* A name for an exception vector ("page fault", "invalid opcode", ...). */
const char *trap_name(uint64_t vector);
