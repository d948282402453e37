/* Where the kernel lives in the upper half: its image and the direct map of physical memory,
 * and the segment selectors of the GDT. Shared by the assembly and the C of kernel/arch. */
#pragma once

/* The image is linked at KERNEL_BASE + its physical address (QEMU loads it at KERNEL_PHYS);
 * all RAM is mapped at DIRECT_MAP + its physical address. */
#define KERNEL_BASE 0xffffffff80000000
#define DIRECT_MAP  0xffff800000000000
#define KERNEL_PHYS 0x100000

/* Kernel slots, one a process: its struct proc in the first KSLOT_PROC_PAGES pages, a guard page,
 * then its kernel stack of KSTACK_PAGES ending at KSTACK_AREA + (i + 1) * KSLOT_STRIDE. Page tables
 * for every slot exist from boot, so every address space's copy of the kernel half sees them. */
#define KSTACK_AREA      0xfffffe0000000000
#define KSLOT_PROC_PAGES 3
#define KSTACK_PAGES     4
#define KSLOT_PAGES      (KSLOT_PROC_PAGES + KSTACK_PAGES) /* frames a slot holds */
#define KSLOT_STRIDE     (8 * 4096)
#define KSLOTS           1024

/* The kernel window after the slots: frames mapped for a while at consecutive addresses (exec
 * copies the new program's arguments there), WINDOW_PAGES of them at most. */
#define WINDOW_AREA  (KSTACK_AREA + KSLOTS * KSLOT_STRIDE)
#define WINDOW_PAGES 1024

/* The local APIC's registers (physical APIC_PHYS), mapped uncached after the window. */
#define APIC_VA   (WINDOW_AREA + WINDOW_PAGES * 4096)
#define APIC_PHYS 0xfee00000

/* Device registers (PCI BARs) mapped uncached by arch_mmio_map(), in the rest of the APIC's
 * 2 MiB: its leaf table exists from boot, so every address space's kernel half sees them. */
#define MMIO_AREA  (APIC_VA + 4096)
#define MMIO_PAGES 511

#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE32 0x23 /* 0x20 | RPL 3: sysret's base, STAR[63:48] */
#define SEL_UDATA   0x2b /* sysret takes SS = STAR[63:48] + 8 */
#define SEL_UCODE   0x33 /* sysret takes CS = STAR[63:48] + 16 */
#define SEL_TSS     0x38

#define TRAP_SYSCALL   256 /* vector number recorded in the trapframe of a system call */
#define TRAPFRAME_SIZE 176 /* sizeof(struct trapframe) */
