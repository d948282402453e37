/* The reverse map: from a frame to every page-table entry mapping it, through the family of
 * regions an anonymous page belongs to (Linux's anon_vma, one per fork family) or the regions
 * mapping a shmem object (Linux's address_space i_mmap). */
#pragma once
#include "mm/region.h"
#include "mm/types.h"

/* The regions that may map a family's pages: one created by a first write (as_anon_prepare),
 * joined by the regions split, copied or moved from it and by its copies in forked children. A
 * page's frame records the family (its owner handle) and the page's index in the family's page
 * space (region_pgidx()): the mapping of region r is at r->start + (index - r->pgoff) pages. */
struct anon_rmap {
	struct region *maps;
	uint32_t regions;
	uint32_t handle; /* rmap_handle() of this family, what its frames keep */
};

/* The handle the private pages of r are owned by, 0 when r has no family. Inline: the fault path
 * asks for every page. */
static inline uint32_t region_owner(const struct region *r)
{
	return r->ar ? r->ar->handle : 0;
}

/* Give r (with an anon identity, in no family) a family of its own. 0 or -ENOMEM (then r's pages
 * have no owner and are never evicted). */
int rmap_new(struct region *r);

/* Put r into family ar (r in none; NULL: nothing); take it out of its family, which goes with its
 * last region. */
void rmap_link(struct region *r, struct anon_rmap *ar);
void rmap_unlink(struct region *r);

/* Record that frame pa, a private page just mapped at page of r, is r's family's page: it can be
 * found from now on, and joins the pages reclaim may evict. Nothing when r has no family. */
void rmap_add_page(paddr_t pa, const struct region *r, vaddr_t page);

/* The 32-bit handle a frame keeps of its owner obj (an anon family or a shmem object), and the
 * owner a handle names. */
uint32_t rmap_handle(const void *obj);
void *rmap_object(uint32_t handle);

/* Called on a present PTE mapping the frame: return false to stop the walk. */
typedef bool (*rmap_fn)(struct region *r, vaddr_t va, pte_t *pte, void *arg);

/* Call fn on every PTE that maps frame pa (FRAME_EVICTABLE: an anonymous page, through its
 * family; a shmem object's, through the object's regions), in every address space. The number
 * of mappings visited (all of them unless fn stopped the walk). */
unsigned rmap_walk(paddr_t pa, rmap_fn fn, void *arg);
