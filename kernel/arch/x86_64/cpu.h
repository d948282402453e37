/* CPU set-up and the optional features SOS found on this processor.
 * cpu_init() runs once at boot, after the kernel page table is live. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
	bool smep, smap, fsgsbase, xsave, avx, pku;
};

extern struct cpu_features cpu_features;
extern uint64_t trap_stack_top;

void cpu_init(void);

/* Let the PIT's interrupt through the PIC, and acknowledge an interrupt at the PIC. */
void pic_unmask_timer(void);
void pic_eoi(void);
/* XCR0 as Linux sets it, and what the FPU state of a signal frame needs (fpu.c). */
void fpu_init(void);

/* Note the TSC at boot, the zero of CLOCK_MONOTONIC. */
void time_init(void);
