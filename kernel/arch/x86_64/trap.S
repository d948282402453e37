/* Every way into the kernel from a user program (exception vectors, the timer and the syscall
 * instruction), the ways back out (iretq, sysretq), and the switch between kernel contexts. */
#include "arch/x86_64/layout.h"

/* Save the general registers in struct trapframe order (r15 lowest). */
.macro PUSH_GPRS
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
.endm

	.text
/* 48 stubs, 16 bytes apart: vectors with no CPU error code push a zero so every frame looks alike. */
	.align 16
	.globl trap_vectors
trap_vectors:
	.set vec, 0
	.rept 48
	.align 16
	.if (vec - 8) && ((vec < 10) || (vec > 14)) && (vec - 17) && (vec - 21) && (vec - 29) && (vec - 30)
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	PUSH_GPRS
	cld
	mov %rsp, %rdi
	call trap
	.globl trap_return
trap_return:
	POP_GPRS
	add $16, %rsp /* vector and error code */
	iretq

/* syscall: rcx = user rip, r11 = user rflags, rsp still the user's. Interrupts are off (FMASK)
 * and there is one CPU, so a global can hold the user rsp for a moment; trap_stack_top is the
 * running process's kernel stack. */
	.globl syscall_entry
syscall_entry:
	mov %rsp, syscall_user_rsp(%rip)
	mov trap_stack_top(%rip), %rsp
	pushq $SEL_UDATA
	pushq syscall_user_rsp(%rip)
	push %r11
	pushq $SEL_UCODE
	push %rcx
	pushq $0
	pushq $TRAP_SYSCALL
	PUSH_GPRS
	cld
	mov %rsp, %rdi
	call syscall_dispatch
	test %al, %al
	jnz trap_return /* a signal frame or rt_sigreturn: every register back, rcx and r11 too */
	POP_GPRS
	add $16, %rsp
	/* rip and rflags back through rcx and r11, as the ABI says they are clobbered. User rip is
	 * always canonical: the top page of the lower half is never mapped (USER_END). */
	mov 0(%rsp), %rcx
	mov 16(%rsp), %r11
	mov 24(%rsp), %rsp
	sysretq

/* void arch_switch(struct kcontext *from, const struct kcontext *to) */
	.globl arch_switch
arch_switch:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	mov (%rsp), %rax
	mov %rax, 56(%rdi)
	lea 8(%rsp), %rax
	mov %rax, 48(%rdi)
	mov 0(%rsi), %rbx
	mov 8(%rsi), %rbp
	mov 16(%rsi), %r12
	mov 24(%rsi), %r13
	mov 32(%rsi), %r14
	mov 40(%rsi), %r15
	mov 48(%rsi), %rsp
	jmp *56(%rsi)

/* A new process's first run: its context's rsp is its trapframe. */
	.globl arch_enter_new
arch_enter_new:
	jmp trap_return

	.data
	.align 8
syscall_user_rsp:
	.quad 0
