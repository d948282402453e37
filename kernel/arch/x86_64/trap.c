/* Where every exception lands: traps from user mode go to the kernel above (page fault,
 * other exceptions); a trap in kernel mode is a kernel bug and panics with the evidence. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/panic.h"

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

#define VECTOR_TIMER 32 /* IRQ 0 (the PIT), where cpu.c put the PIC's first line */

void trap(struct trapframe *tf)
{
	if (tf->vector == VECTOR_TIMER) {
		pic_eoi();
		timer_interrupt(tf);
		return;
	}
	if ((tf->cs & 3) == 0 && tf->vector < 32)
		panic("%s in kernel: rip=0x%lx error=0x%lx cr2=0x%lx rsp=0x%lx",
		      trap_name(tf->vector), tf->rip, tf->error, read_cr2(), tf->rsp);
	if (tf->vector == 14)
		user_page_fault(tf, read_cr2());
	else if (tf->vector >= 32)
		return; /* a masked PIC's spurious interrupt: nothing to do */
	else
		user_exception(tf);
}
