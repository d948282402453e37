/* The trap frame (what a user program's registers look like while the kernel handles a trap or a
 * system call), entering and leaving user mode, and the hooks the kernel above implements. */
#pragma once
#include <stdint.h>

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error; /* vector is TRAP_SYSCALL for a system call */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* The kernel's callee-saved registers while a user program runs (a setjmp buffer). */
struct kcontext {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

/* Run user code from tf until arch_leave_user(ctx, v) is called from a trap; returns v. */
long arch_run_user(struct kcontext *ctx, const struct trapframe *tf);
__attribute__((noreturn)) void arch_leave_user(struct kcontext *ctx, long value);

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

/* Implemented above arch (kernel/proc, kernel/sys): what a trap from user mode means. */
void syscall_dispatch(struct trapframe *tf);
void user_page_fault(struct trapframe *tf, uint64_t addr);
void user_exception(struct trapframe *tf);
void timer_interrupt(struct trapframe *tf);

/* A name for an exception vector ("page fault", "invalid opcode", ...). */
const char *trap_name(uint64_t vector);
