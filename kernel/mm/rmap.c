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
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/vma.h"

#define HANDLE_SHIFT 3 /* slab objects are 8-byte aligned: 32 GiB of RAM */

static struct slab_cache rmap_cache;

/* The handle a frame keeps of obj, an anon family or a shmem object (nonzero: no object is at
 * physical address 0). */
uint32_t rmap_handle(const void *obj)
{
	paddr_t pa = virt_to_phys(obj);

	assert((pa & ((1U << HANDLE_SHIFT) - 1)) == 0 && (pa >> HANDLE_SHIFT) <= UINT32_MAX);
	return (uint32_t)(pa >> HANDLE_SHIFT);
}

/* The object a handle names. */
void *rmap_object(uint32_t handle)
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
	ar->handle = rmap_handle(ar);
	rmap_link(r, ar);
	return 0;
}

/* Record frame pa, mapped privately at page of r, as a page of r's family. */
void rmap_add_page(paddr_t pa, const struct region *r, vaddr_t page)
{
	struct frame *f = frame_of(pa);

	if (!r->ar || (f->flags & FRAME_ANON))
		return;
	frame_set_owner(f, r->ar->handle, region_pgidx(r, page), FRAME_ANON);
	reclaim_track(pa);
}

/* The mapping of page index idx in r (a page of r's family or object), or 0 when r does not
 * cover idx. */
static vaddr_t mapping_of(const struct region *r, uint64_t idx)
{
	if (idx < r->pgoff || idx - r->pgoff >= region_pages(r))
		return 0;
	return r->start + ((idx - r->pgoff) << PAGE_SHIFT);
}

/* Call fn on the PTE at va of r when it maps pa; false when fn stopped the walk. */
static bool visit(struct region *r, vaddr_t va, paddr_t pa, rmap_fn fn, void *arg, unsigned *n)
{
	pte_t *pte = va ? pt_walk(r->as->root, va, false) : NULL;

	if (!pte || !(*pte & PTE_P) || (*pte & PTE_ADDR) != pa)
		return true;
	++*n;
	return fn(r, va, pte, arg);
}

/* Call fn on every PTE mapping frame pa, an anonymous page or an object's; the mappings visited.
 * The walk reads the frame's owner and index first: fn may free the frame. */
unsigned rmap_walk(paddr_t pa, rmap_fn fn, void *arg)
{
	const struct frame *f = frame_of(pa);
	uint64_t idx = frame_index(f);
	unsigned n = 0;

	assert(f->flags & FRAME_EVICTABLE);
	if (f->flags & FRAME_SHMEM) {
		const struct shmem *s = rmap_object(f->owner);

		for (struct region *r = s->maps, *next; r; r = next) {
			next = r->obj_next;
			if (!visit(r, mapping_of(r, idx), pa, fn, arg, &n))
				break;
		}
		return n;
	}
	for (struct region *r = ((struct anon_rmap *)rmap_object(f->owner))->maps, *next; r;
	     r = next) {
		next = r->ar_next;
		if (!visit(r, mapping_of(r, idx), pa, fn, arg, &n))
			break;
	}
	return n;
}
