/* The hardware 4-level page table of one address space, the single source of truth for what is
 * mapped. Page-table pages come from the frame table on demand and all go back at pt_destroy(). */
#pragma once
#include "arch/x86_64/pte.h"
#include "mm/types.h"

#define USER_HALF_END 0x0000800000000000UL /* first address of PML4 entry 256 (kernel half) */

/* Remember the kernel's top-level entries 256..511; every new table shares them. */
void pt_set_kernel_half(const pte_t *kernel_pml4);

/* A new top-level table holding only the kernel half. 0 when out of memory. */
paddr_t pt_create(void);

/* The leaf PTE for va, creating missing intermediate tables when alloc is true.
 * NULL when a table is missing (alloc false) or no frame is left (alloc true). */
pte_t *pt_walk(paddr_t root, vaddr_t va, bool alloc);

/* Called on one present leaf PTE mapping the page at va. */
typedef void (*pt_leaf_fn)(pte_t *pte, vaddr_t va, void *arg);

/* Call fn on every present leaf PTE of [start, end) (user half), in address order; subtrees with
 * no table are skipped whole, so a sparse range costs what is mapped, not its length. */
void pt_range(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *arg);

/* Call fn on every leaf in use of [start, end): present, or naming a swap slot (swap.h). */
void pt_range_all(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *arg);

/* Free the page-table pages under [start, end) that map nothing any more (never the root). */
void pt_prune(paddr_t root, vaddr_t start, vaddr_t end);

/* Drop every user page (frame_unref) and swap slot (swap_free), and free every user-half page-table
 * page, then the root. */
void pt_destroy(paddr_t root);

/* Called on one leaf in use *src (mapping va, or naming a swap slot) that pt_copy() copies to the
 * empty entry *dst: fills *dst, may change *src. 0, or -ENOMEM to stop the copy. */
typedef int (*pt_copy_fn)(pte_t *src, pte_t *dst, vaddr_t va, void *arg);

/* Copy the leaves in use (present or naming a swap slot) of [start, end) of the table src into the
 * table dst through fn, making dst's tables only where src maps something (absent subtrees are
 * skipped whole). 0, or -ENOMEM (no frame for a table, or fn's): what was copied so far stays in
 * dst, for pt_destroy(). */
int pt_copy(paddr_t dst, paddr_t src, vaddr_t start, vaddr_t end, pt_copy_fn fn, void *arg);

/* Page-table pages of the table at root, the root included (VmPTE of one address space). */
size_t pt_tables(paddr_t root);
