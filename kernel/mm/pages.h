/* The user pages of an address space (pages.c) and the PTE bits of a page with given rights.
 * Private to kernel/mm: the layer under regions (vma.h). */
#pragma once
#include "arch/x86_64/pte.h"
#include "mm/as.h"

#define VM_RIGHTS (VM_READ | VM_WRITE | VM_EXEC)

/* The leaf PTE bits (no address) for a page of a region with prot.
 * PROT_NONE pages keep their frame (mprotect must not lose data) as a present supervisor-only,
 * read-only, no-execute entry: any user access faults, and vm_fault() sees the region's rights. */
static inline pte_t pte_rights(unsigned prot)
{
	/* Linux's protection_map: a table, as the fault path asks for every page it maps. */
	static const pte_t map[8] = {
	    [0] = PTE_P | PTE_NX,
	    [VM_READ] = PTE_P | PTE_U | PTE_NX,
	    [VM_WRITE] = PTE_P | PTE_U | PTE_W | PTE_NX,
	    [VM_READ | VM_WRITE] = PTE_P | PTE_U | PTE_W | PTE_NX,
	    [VM_EXEC] = PTE_P | PTE_U,
	    [VM_READ | VM_EXEC] = PTE_P | PTE_U,
	    [VM_WRITE | VM_EXEC] = PTE_P | PTE_U | PTE_W,
	    [VM_READ | VM_WRITE | VM_EXEC] = PTE_P | PTE_U | PTE_W,
	};

	return map[prot & VM_RIGHTS];
}

/* Bring the high-water marks VmHWM and VmPeak up to date (before pages or regions go). */
void as_note_peaks(struct as *as);

/* Unmap the leaf pte of va in as (its frame loses a reference, or its swap slot); tables stay. */
void as_drop_pte(struct as *as, pte_t *pte, vaddr_t va);

/* Unmap every page of [start, end) (frames lose a reference, swap slots too) and free emptied
 * page tables. */
void as_drop_pages(struct as *as, vaddr_t start, vaddr_t end);
