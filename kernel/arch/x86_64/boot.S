/* The multiboot entry: QEMU starts us in 32-bit protected mode at our physical address; we build
 * a temporary page table, enter 64-bit long mode, jump to the higher half and call kmain(). */
#include "arch/x86_64/layout.h"

#define PHYS(x) ((x) - KERNEL_BASE)
#define MB_MAGIC 0x1badb002
/* page-align modules, give us the memory map, and the load addresses are in this header */
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PHYS(mb_header)
	.long PHYS(_load_start)
	.long PHYS(_load_end)
	.long PHYS(_bss_end)
	.long PHYS(_start32)

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	mov %eax, %edi /* multiboot magic: first argument of kmain */
	mov %ebx, %esi /* multiboot info (physical): second argument */

	/* The loader zeroes bss, but the boot page tables live there: make sure. */
	cld
	mov $PHYS(_bss_start), %edx
	mov %edx, %ecx
	neg %ecx
	add $PHYS(_bss_end), %ecx
	shr $2, %ecx
	push %edi
	mov %edx, %edi
	xor %eax, %eax
	rep stosl
	pop %edi

	/* One page directory of 2 MiB pages maps the first GiB, both at 0 (to keep running here)
	 * and at KERNEL_BASE (where the kernel is linked). */
	mov $PHYS(boot_pd), %edx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax /* present, writable, 2 MiB */
	mov %eax, (%edx, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b
	mov $PHYS(boot_pd) + 3, %eax
	mov %eax, PHYS(boot_pdpt_lo)
	mov %eax, PHYS(boot_pdpt_hi) + 510 * 8
	mov $PHYS(boot_pdpt_lo) + 3, %eax
	mov %eax, PHYS(boot_pml4)
	mov $PHYS(boot_pdpt_hi) + 3, %eax
	mov %eax, PHYS(boot_pml4) + 511 * 8

	mov %cr4, %eax
	or $(1 << 5), %eax /* PAE */
	mov %eax, %cr4
	mov $PHYS(boot_pml4), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx /* EFER: long mode, no-execute */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax /* paging, write protect, protected mode */
	mov %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $SEL_KCODE, $PHYS(start64_low)

	.code64
start64_low:
	movabs $start64, %rax
	jmp *%rax

	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff /* 64-bit code, accessed bit preset */
	.quad 0x00cf93000000ffff /* data */
boot_gdt_ptr:
	.word boot_gdt_ptr - boot_gdt - 1
	.long PHYS(boot_gdt)

	.text
start64:
	mov $SEL_KDATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top, %rsp
	mov %edi, %edi /* upper halves are undefined after the mode switch */
	mov %esi, %esi
	xor %ebp, %ebp
	call kmain
2:	cli
	hlt
	jmp 2b

	.bss
	.align 4096
	.globl boot_pml4
boot_pml4:
	.space 4096
boot_pdpt_lo:
	.space 4096
boot_pdpt_hi:
	.space 4096
boot_pd:
	.space 4096
	.globl boot_stack_top
boot_stack:
	.space 65536
boot_stack_top:
