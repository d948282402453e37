/* Swap-in: a fault on an entry naming a swap slot, the swap cache consulted first, and Linux's
 * adaptive cluster read-ahead of the slots around it, which eviction filled in order. */
#include <assert.h>
#include <errno.h>

#include "mm/fault.h"
#include "mm/frame.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vma.h"

/* At most 16 slots read at a fault (Linux reads 8, its page-cluster of 3). */
#define RA_MAX 16

static unsigned ra_hits;     /* read-ahead pages faulted in since the last major fault */
static unsigned ra_last = 1; /* the window of the last major fault */
static uint64_t ra_prev;     /* the slot of the last major fault */

/* The read-ahead window for a major fault at slot, as Linux's __swapin_nr_pages(): the pages
 * read ahead last time that were used, plus 2, rounded up to a power of two; 1 when none was
 * used and the fault does not follow the last one; never below half the last window. */
static unsigned ra_window(uint64_t slot)
{
	unsigned pages = ra_hits + 2, last = ra_last;

	if (pages == 2 && slot != ra_prev + 1 && slot + 1 != ra_prev)
		pages = 1;
	else
		for (unsigned p = 1;; p <<= 1)
			if (p >= pages) {
				pages = p;
				break;
			}
	if (pages > RA_MAX)
		pages = RA_MAX;
	if (pages < last / 2)
		pages = last / 2;
	ra_hits = 0;
	ra_last = pages;
	ra_prev = slot;
	return pages;
}

/* True when slot may be read ahead: in use, not cached. */
static bool ra_wanted(uint64_t slot)
{
	return swap_refs(slot) && !swap_cache_lookup(slot);
}

/* Read slot (for the fault at page of r) into frame pa, with the neighbours of the aligned window
 * of ra_window() pages that are in use and not cached, in one request while free frames allow;
 * the neighbours go into the swap cache, owned by r's family at the indexes a sequential run
 * would give (a guess: a wrong one only makes the page harder to find). 0 or -EIO. */
static int read_around(const struct region *r, vaddr_t page, uint64_t slot, paddr_t pa)
{
	unsigned win = ra_window(slot);
	uint64_t lo = slot, hi = slot + 1, base = slot & ~(uint64_t)(win - 1);
	paddr_t frames[RA_MAX];

	while (lo > base && lo > 1 && ra_wanted(lo - 1))
		lo--;
	while (hi < base + win && ra_wanted(hi))
		hi++;
	if (frames_free() < reclaim_low / 2 + RA_MAX)
		lo = slot, hi = slot + 1; /* no room to spare: the page alone */
	for (uint64_t s = lo; s < hi; s++) {
		frames[s - lo] = s == slot ? pa : frame_alloc(FRAME_USER);
		if (!frames[s - lo]) { /* cannot happen above the watermark; stay correct anyway */
			for (uint64_t t = lo; t < s; t++)
				if (t != slot)
					frame_free(frames[t - lo]);
			lo = slot, hi = slot + 1;
			frames[0] = pa;
			break;
		}
	}
	if (swap_read_pages(lo, frames, (unsigned)(hi - lo))) {
		for (uint64_t s = lo; s < hi; s++)
			if (s != slot)
				frame_free(frames[s - lo]);
		return -EIO;
	}
	vm_events.pswpin += hi - lo;
	for (uint64_t s = lo; s < hi; s++) {
		if (s == slot || swap_cache_add(s, frames[s - lo])) {
			if (s != slot)
				frame_free(frames[s - lo]);
			continue;
		}
		rmap_add_page(frames[s - lo], r, page + (s - slot) * PAGE_SIZE);
	}
	return 0;
}

/* The frame holding slot's page for the fault at page of r, with the mapping's reference: the
 * swap cache's (a page read ahead and not yet mapped becomes r's family's), or a new one read
 * from the slot (*major), which stays in the swap cache when other entries name the slot, or with
 * keep, so that a clean page goes out again without a write. 0 when neither (out of memory, or
 * with *major the read failed). */
static paddr_t slot_frame(const struct region *r, vaddr_t page, uint64_t slot, bool keep,
                          bool *major)
{
	paddr_t pa = swap_cache_lookup(slot);

	if (pa) {
		struct frame *f = frame_of(pa);

		if (f->refs == 1) { /* read ahead: only the cache holds it */
			ra_hits++;
			f->flags &= ~FRAME_ANON;
			rmap_add_page(pa, r, page);
		}
		frame_ref(pa);
		return pa;
	}
	pa = frame_alloc_mapped();
	if (!pa)
		return 0;
	*major = true;
	if (read_around(r, page, slot, pa)) {
		frame_unref(pa);
		return 0;
	}
	rmap_add_page(pa, r, page);
	if (keep || swap_refs(slot) > 1)
		(void)swap_cache_add(slot,
		                     pa); /* without room, the slot goes and others read theirs */
	return pa;
}

/* Bring back the page at page of r whose entry names a swap slot; see fault.h. */
enum fault_result swap_in(struct as *as, struct region *r, vaddr_t page, pte_t *pte,
                          unsigned access)
{
	uint64_t slot = pte_slot(*pte);
	bool major = false;
	/* Linux keeps the slot of a page read back unless it is written at once or swap is more
	 * than half full (should_try_to_free_swap()). */
	bool keep = access != VM_WRITE && !swap_half_full();
	paddr_t pa = slot_frame(r, page, slot, keep, &major);

	if (!pa)
		return major ? FAULT_IO : FAULT_OOM;
	swap_free(slot); /* the last reference also drops the cached frame's */
	*pte = pa | page_pte(r, pa) | PTE_A;
	as->resident++;
	as->swapents--;
	if (major) {
		as->majflt++;
		vm_events.pgmajfault++;
	}
	if (mm_trace_page)
		mm_trace_page("page-in", as, page, slot);
	return FAULT_OK;
}

/* pt_range_all() callback of swap_willneed(): read the page an entry names into the swap cache. */
static void willneed_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	uint64_t slot = pte_slot(*pte);
	paddr_t pa;

	if ((*pte & PTE_P) || swap_cache_lookup(slot) || frames_free() < reclaim_low)
		return;
	pa = frame_alloc(FRAME_USER);
	if (!pa)
		return;
	if (swap_read_pages(slot, &pa, 1) || swap_cache_add(slot, pa)) {
		frame_free(pa);
		return;
	}
	vm_events.pswpin++;
	rmap_add_page(pa, arg, va);
}

/* MADV_WILLNEED on [start, end) of r: the pages on swap are read into the swap cache, not mapped,
 * as Linux's swapin_walk_pmd_entry(); a touch then is a minor fault. */
void swap_willneed(struct as *as, struct region *r, vaddr_t start, vaddr_t end)
{
	if (reclaim_low)
		pt_range_all(as->root, start, end, willneed_leaf, r);
}
