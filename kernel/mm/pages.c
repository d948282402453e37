/* The user pages of an address space in its page table: one frame mapped or unmapped
 * (sos_map_page(), sos_unmap_page()), ranges dropped, pages counted. Frames keep one reference per
 * mapping. */
#include <assert.h>
#include <errno.h>

#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/pages.h"
#include "mm/pagetable.h"
#include "mm/swap.h"

/* Map frame at va with rights (VM_*), making intermediate tables as needed. The frame gains a
 * reference. 0, -ENOMEM (no frame for a table) or -EEXIST (va already mapped). */
int sos_map_page(struct as *as, vaddr_t va, paddr_t frame, unsigned rights)
{
	assert(PAGE_ALIGNED(va) && PAGE_ALIGNED(frame) && frame != 0 && va < USER_END);

	pte_t *pte = pt_walk(as->root, va, true);

	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_P)
		return -EEXIST;
	frame_ref(frame);
	*pte = frame | pte_rights(rights);
	as->resident++;
	return 0;
}

/* Remove the mapping of va, dropping its frame's reference. Returns the frame, or 0 if none. */
paddr_t sos_unmap_page(struct as *as, vaddr_t va)
{
	if (va >= USER_END)
		return 0;

	pte_t *pte = pt_walk(as->root, PAGE_DOWN(va), false);

	if (!pte || !(*pte & PTE_P))
		return 0;

	paddr_t pa = *pte & PTE_ADDR;

	as_drop_pte(as, pte, PAGE_DOWN(va));
	return pa;
}

/* pt_range() callback: unmap one page of the address space in arg. */
static void drop_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	as_drop_pte(arg, pte, va);
}

/* Unmap the leaf pte of va in as: its frame loses the mapping's reference, or its swap slot the
 * entry's; the zero page has neither a reference nor a place in the RSS (Linux's
 * vm_normal_page() is NULL for it). */
void as_drop_pte(struct as *as, pte_t *pte, vaddr_t va)
{
	paddr_t pa = *pte & PTE_ADDR;

	if (pte_is_swap(*pte)) {
		swap_free(pte_slot(*pte));
		*pte = 0;
		as->swapents--;
		return;
	}
	*pte = 0;
	hal_flush_page(va);
	if (is_zero_page(pa))
		return;
	as_note_peaks(as);
	as->resident--;
	frame_unref(pa);
}

/* Unmap every page of [start, end) (frames lose a reference) and free emptied page tables. */
void as_drop_pages(struct as *as, vaddr_t start, vaddr_t end)
{
	pt_range_all(as->root, start, end, drop_leaf, as);
	pt_prune(as->root, start, end);
}

/* pt_range() callback: count a page of the RSS (the zero page is none). */
static void count_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	(void)va;
	if (!is_zero_page(*pte & PTE_ADDR))
		++*(size_t *)arg;
}

/* Pages of [r->start, r->end) mapped now, the zero page's mappings not counted (as Linux's RSS). */
size_t as_region_resident(const struct as *as, const struct region *r)
{
	size_t n = 0;

	pt_range(as->root, r->start, r->end, count_leaf, &n);
	return n;
}

/* Bring the high-water marks (VmHWM, VmPeak) up to the sizes of now: called before pages or
 * regions go, as Linux's update_hiwater_rss() and update_hiwater_vm(). */
void as_note_peaks(struct as *as)
{
	if (as->resident > as->peak_rss)
		as->peak_rss = as->resident;
	if (as->regions.pages > as->regions.peak_pages)
		as->regions.peak_pages = as->regions.pages;
}
