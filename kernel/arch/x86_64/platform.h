/* What the machine layer gives the kernel above it: boot information, the kernel's own page
 * table, the output channels of bin/sos-run, time, and a way to stop the machine. */
#pragma once
#include "mm/types.h"

#define BOOT_MAX_MODULES 4

struct boot_module {
	paddr_t start, end; /* bytes [start, end) */
};

struct boot_info {
	char cmdline[256];
	int nmodules;
	struct boot_module modules[BOOT_MAX_MODULES];
};

/* Everything from the multiboot hand-off to a live frame table (kernel page table with W^X and
 * a direct map, CPU tables, frame table over the RAM nobody else holds). */
void arch_init(uint32_t magic, uint32_t mbi, struct boot_info *bi);

/* The page table holding only the kernel half, switching to an address space's table, and the
 * table loaded now. */
paddr_t arch_kernel_root(void);
void arch_switch_root(paddr_t root);
paddr_t arch_current_root(void);

/* The three channels of bin/sos-run: the program's stdout and stderr, and SOS's control line. */
enum channel { CHAN_STDOUT, CHAN_STDERR, CHAN_CONTROL };
void arch_write(enum channel c, const void *buf, size_t n);

/* Report the run's exit status to bin/sos-run and power off. */
__attribute__((noreturn)) void arch_exit(int status);

/* Nanoseconds since boot, and since the Unix epoch (from the RTC). */
uint64_t arch_monotonic_ns(void);
uint64_t arch_realtime_ns(void);

/* Set the user FS base (the thread pointer of the program). */
void arch_set_fs_base(uint64_t base);
uint64_t arch_fs_base(void);

/* Map KSLOT_PAGES frames as slot (below KSLOTS, layout.h): the process's pages at its start and
 * its kernel stack below the slot's end, a guard between; returns the start. Unmap it again. */
void *arch_kslot_map(unsigned slot, const paddr_t *frames);
void arch_kslot_unmap(unsigned slot);

/* Map frame as page (below WINDOW_PAGES) of the kernel window and return its address; unmap
 * the window's first pages pages. The window's pages follow each other. */
void *arch_window_map(size_t page, paddr_t frame);
void arch_window_unmap(size_t pages);

/* The stack the next trap or system call from user mode starts on (the running process's). */
void arch_set_kernel_stack(uint64_t top);

/* Start the periodic timer interrupt at hz ticks a second (each one calls timer_interrupt). */
void arch_timer_start(unsigned hz);

/* Wait with interrupts on until one arrives (the idle loop); they are off again after it. */
void arch_idle(void);

/* 64 bits for AT_RANDOM: RDRAND when the CPU has it, else a mix of the TSC. */
uint64_t arch_random(void);

/* AT_HWCAP: CPUID leaf 1 EDX, as Linux reports it on x86-64. */
uint64_t arch_hwcap(void);

/* One line on the protections in force, for --trace: W^X audit, NX, SMEP, SMAP. */
void arch_describe_protections(void);
