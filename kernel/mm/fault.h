/* The fault path inside kernel/mm (fault.c): one page faulted in, ranges populated. Private to
 * kernel/mm, above regions (vma.h) and objects (object.h). */
#pragma once
#include "mm/object.h"

/* Fault in the pages of [start, end) as Linux's __mm_populate() (mlock.c): region by region,
 * holes skipped, lock-on-fault regions left alone. A page that cannot come in (no rights, past a
 * shared object's end, hugetlb memory) ends its region with -EFAULT, no frame with -ENOMEM; with
 * ignore the next region goes on and the result is 0, else that error is returned. */
long as_populate(struct as *as, vaddr_t start, vaddr_t end, bool ignore);

/* Map a filled frame for page (page aligned, inside r) for access (VM_READ, VM_WRITE, VM_EXEC),
 * or the zero page for a read of private anonymous memory, or fix the rights of the one there
 * (a write to the zero page replaces it). */
enum fault_result as_fault_in(struct as *as, struct region *r, vaddr_t page, unsigned access);

/* Bring back the page at page of r whose entry *pte names a swap slot, for access (swapin.c): the
 * frame the swap cache holds for the slot, or one read from it (a major fault, with read-ahead),
 * mapped with r's rights, read-only while shared or cached (a write then copies it or drops the
 * cache). FAULT_OK, FAULT_OOM, or FAULT_IO (the disk failed). */
enum fault_result swap_in(struct as *as, struct region *r, vaddr_t page, pte_t *pte,
                          unsigned access);

/* MADV_WILLNEED on [start, end), inside r: read the pages on swap into the swap cache (swapin.c).
 */
void swap_willneed(struct as *as, struct region *r, vaddr_t start, vaddr_t end);
