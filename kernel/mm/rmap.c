/* The reverse map of anonymous pages: families of regions and the frame-to-PTE walk over them.
 * A frame names its family by a 32-bit handle, the physical address of the family / 16. */
#include <assert.h>
#include <errno.h>

#include "mm/as.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/vma.h"

#define HANDLE_SHIFT 4

static struct slab_cache rmap_cache;

/* The handle a frame keeps of family ar (nonzero: ar is never at physical address 0). */
static uint32_t handle_of(const struct anon_rmap *ar)
{
	paddr_t pa = virt_to_phys(ar);

	assert((pa & ((1U << HANDLE_SHIFT) - 1)) == 0 && (pa >> HANDLE_SHIFT) <= UINT32_MAX);
	return (uint32_t)(pa >> HANDLE_SHIFT);
}

static struct anon_rmap *family_of(uint32_t handle)
{
	return phys_to_virt((paddr_t)handle << HANDLE_SHIFT);
}

/* Put r into family ar (r in none; NULL: nothing). */
void rmap_link(struct region *r, struct anon_rmap *ar)
{
	r->ar = ar;
	r->ar_prev = NULL;
	r->ar_next = NULL;
	if (!ar)
		return;
	r->ar_next = ar->maps;
	if (ar->maps)
		ar->maps->ar_prev = r;
	ar->maps = r;
	ar->regions++;
}

/* Take r out of its family; the family goes with its last region. */
void rmap_unlink(struct region *r)
{
	struct anon_rmap *ar = r->ar;

	if (!ar)
		return;
	if (r->ar_prev)
		r->ar_prev->ar_next = r->ar_next;
	else
		ar->maps = r->ar_next;
	if (r->ar_next)
		r->ar_next->ar_prev = r->ar_prev;
	r->ar = NULL;
	r->ar_prev = r->ar_next = NULL;
	if (--ar->regions == 0)
		slab_free(&rmap_cache, ar);
}

/* Give r a family of its own; 0 or -ENOMEM. */
int rmap_new(struct region *r)
{
	struct anon_rmap *ar;

	assert(!r->ar);
	if (!rmap_cache.objsize)
		slab_init(&rmap_cache, sizeof(struct anon_rmap));
	ar = slab_alloc(&rmap_cache);
	if (!ar)
		return -ENOMEM;
	rmap_link(r, ar);
	return 0;
}

/* Record frame pa, mapped privately at page of r, as a page of r's family. */
void rmap_add_page(paddr_t pa, const struct region *r, vaddr_t page)
{
	struct frame *f = frame_of(pa);

	if (!r->ar || (f->flags & FRAME_ANON))
		return;
	f->owner = handle_of(r->ar);
	f->index = region_pgidx(r, page);
	f->flags |= FRAME_ANON;
	reclaim_track(pa);
}

/* Call fn on every PTE mapping anonymous frame pa; the mappings visited. */
unsigned rmap_walk(paddr_t pa, rmap_fn fn, void *arg)
{
	const struct frame *f = frame_of(pa);
	uint64_t idx = f->index;
	unsigned n = 0;

	assert(f->flags & FRAME_ANON);
	if (f->refs <= ((f->flags & FRAME_SWAPCACHE) ? 1 : 0))
		return 0; /* only the swap cache holds it (read ahead): its family may be gone */
	for (struct region *r = family_of(f->owner)->maps; r; r = r->ar_next) {
		if (idx < r->pgoff || idx - r->pgoff >= region_pages(r))
			continue;

		vaddr_t va = r->start + ((idx - r->pgoff) << PAGE_SHIFT);
		pte_t *pte = pt_walk(r->as->root, va, false);

		if (!pte || !(*pte & PTE_P) || (*pte & PTE_ADDR) != pa)
			continue;
		n++;
		if (!fn(r, va, pte, arg))
			break;
	}
	return n;
}
