/* Helpers private to kernel/mm, shared by as.c (regions, faults, copies) and mmap.c (the memory
 * system calls). Nothing outside kernel/mm includes this. */
#pragma once
#include "arch/x86_64/pte.h"
#include "mm/as.h"

#define VM_RIGHTS (VM_READ | VM_WRITE | VM_EXEC)

/* The leaf PTE bits (no address) for a page of a region with prot. */
pte_t pte_rights(unsigned prot);

/* A zeroed region from the region cache, or NULL when out of memory. */
struct region *region_alloc(void);
void region_release(struct region *r);

/* Link a copy of tmpl (its range must be free), then merge it with equal neighbours. 0/-ENOMEM. */
int as_add_region(struct as *as, const struct region *tmpl);

/* Cut the region containing va in two at va, unless va is already a boundary. 0 or -ENOMEM. */
int as_split(struct as *as, vaddr_t va);

/* Merge every pair of adjacent equal regions touching [start, end]. */
void as_merge_range(struct as *as, vaddr_t start, vaddr_t end);

/* Unmap every page of [start, end) (frames lose a reference) and free emptied page tables. */
void as_drop_pages(struct as *as, vaddr_t start, vaddr_t end);

/* Remove every region and page of [start, end), cutting regions at the ends. 0 or -ENOMEM. */
int as_unmap_range(struct as *as, vaddr_t start, vaddr_t end);

/* Map a filled frame for page (page aligned, inside r) or fix the rights of the one there. */
enum fault_result as_fault_in(struct as *as, const struct region *r, vaddr_t page);

/* True when a region with prot allows access (VM_READ, VM_WRITE or VM_EXEC), as on x86. */
bool prot_allows(unsigned prot, unsigned access);
