/* Where every exception lands: traps from user mode go to the kernel above (page fault,
 * other exceptions); a trap in kernel mode is a kernel bug and panics with the evidence. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/panic.h"
#include "lib/printf.h"

static const char *const names[32] = {
    [0] = "divide error",
    [1] = "debug",
    [2] = "NMI",
    [3] = "breakpoint",
    [4] = "overflow",
    [5] = "bound range",
    [6] = "invalid opcode",
    [7] = "device not available",
    [8] = "double fault",
    [10] = "invalid TSS",
    [11] = "segment not present",
    [12] = "stack fault",
    [13] = "general protection",
    [14] = "page fault",
    [16] = "x87 floating point",
    [17] = "alignment check",
    [18] = "machine check",
    [19] = "SIMD floating point",
    [21] = "control protection",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32 && names[vector])
		return names[vector];
	return "unexpected interrupt";
}

void trap(struct trapframe *tf);

extern char _text_start[], _text_end[];

static bool in_kernel_text(uint64_t a)
{
	return a >= (uint64_t)_text_start && a < (uint64_t)_text_end;
}

void arch_backtrace(uint64_t fp, uint64_t lo, uint64_t hi)
{
	for (int depth = 0; depth < 16; depth++) {
		/* Frames lie above the first one on the same stack: stop at anything else. */
		if (fp < lo || fp + 16 > hi || (fp & 7) || !in_kernel_text(((uint64_t *)fp)[1]))
			break;
		kprintf(" 0x%lx", ((uint64_t *)fp)[1]);
		fp = ((uint64_t *)fp)[0];
	}
}

bool arch_called_from(uint64_t lo, uint64_t hi)
{
	uint64_t fp = (uint64_t)__builtin_frame_address(0);

	for (int depth = 0; depth < 32; depth++) {
		uint64_t ret = ((uint64_t *)fp)[1], next = ((uint64_t *)fp)[0];

		if (!in_kernel_text(ret))
			return false;
		if (ret >= lo && ret < hi)
			return true;
		/* the caller's frame lies above on the same stack */
		if (next <= fp || next - fp > KSTACK_REACH || (next & 7))
			return false;
		fp = next;
	}
	return false;
}

/* Where the kernel stack holding rsp ends: the running process's top when rsp is on its stack
 * (what lies above may be unmapped), else KSTACK_REACH above rsp. */
static uint64_t stack_end(uint64_t rsp)
{
	bool on_trap_stack = rsp < trap_stack_top && rsp >= trap_stack_top - KSTACK_PAGES * 4096;
	return on_trap_stack ? trap_stack_top : rsp + KSTACK_REACH;
}

void arch_backtrace_here(void)
{
	uint64_t fp = (uint64_t)__builtin_frame_address(0);

	kprintf("sos: backtrace:");
	arch_backtrace(fp, fp, stack_end(fp));
	kprintf("\n");
}

/* A call through a bad pointer left its return address at rsp, before any frame of the callee. */
void arch_trap_backtrace(const struct trapframe *tf)
{
	kprintf("sos: backtrace: 0x%lx", tf->rip);
	if (!in_kernel_text(tf->rip) && in_kernel_text(*(const uint64_t *)tf->rsp))
		kprintf(" 0x%lx", *(const uint64_t *)tf->rsp);
	arch_backtrace(tf->rbp, tf->rsp, stack_end(tf->rsp));
	kprintf("\n");
}

#define VECTOR_TIMER 32 /* IRQ 0 (the PIT), where cpu.c put the PIC's first line */
#define VECTOR_NMI   2

void trap(struct trapframe *tf)
{
	if (tf->vector == VECTOR_TIMER) {
		pic_eoi();
		timer_interrupt(tf);
		return;
	}
	if (tf->vector == VECTOR_NMI) {
		nmi_interrupt(tf);
		return;
	}
	if ((tf->cs & 3) == 0 && tf->vector < 32) {
		arch_trap_backtrace(tf);
		panic("%s in kernel: rip=0x%lx error=0x%lx cr2=0x%lx rsp=0x%lx",
		      trap_name(tf->vector), tf->rip, tf->error, read_cr2(), tf->rsp);
	}
	if (tf->vector == 14)
		user_page_fault(tf, read_cr2());
	else if (tf->vector >= 32)
		return; /* a masked PIC's spurious interrupt: nothing to do */
	else
		user_exception(tf);
}
