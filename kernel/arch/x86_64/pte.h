/* x86-64 page-table entry bits and index arithmetic (Intel SDM vol. 3, 4.5).
 * Constants only: kernel/mm includes this on the host too. */
#pragma once
#include <stdint.h>

#define PTE_P    (1UL << 0) /* present */
#define PTE_W    (1UL << 1) /* writable */
#define PTE_U    (1UL << 2) /* user accessible */
#define PTE_PWT  (1UL << 3)
#define PTE_PCD  (1UL << 4)
#define PTE_A    (1UL << 5)  /* accessed */
#define PTE_D    (1UL << 6)  /* dirty */
#define PTE_PS   (1UL << 7)  /* large page (in PDPT and PD entries) */
#define PTE_G    (1UL << 8)  /* global */
#define PTE_NX   (1UL << 63) /* no execute (needs EFER.NXE) */
#define PTE_ADDR 0x000ffffffffff000UL

/* Bits 62:59 hold a page's protection key (with CR4.PKE). Linux gives execute-only memory the
 * first key it allocates, 1, which its initial PKRU (PKRU_LINUX_INIT) forbids reading. */
#define PTE_PKEY_MASK      (0xfUL << 59)
#define PTE_PKEY_EXEC_ONLY (1UL << 59)
#define PKRU_LINUX_INIT    0x55555554U /* access disabled for every key but 0 */

#define PT_LEVELS  4
#define PT_ENTRIES 512
/* Index of va in the table of a level: 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT. */
#define PT_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 0x1ff)

/* Page-fault error code bits pushed by the CPU. */
#define PF_PRESENT (1U << 0)
#define PF_WRITE   (1U << 1)
#define PF_USER    (1U << 2)
#define PF_RSVD    (1U << 3)
#define PF_INSTR   (1U << 4)
