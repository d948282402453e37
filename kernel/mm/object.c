/* Memory objects as address spaces map them: the changes of an object that reach every region
 * mapping it, in every address space (truncation, holes). The list itself is kept by vma.c. */
#include "mm/object.h"
#include "mm/pagetable.h"
#include "mm/shmem.h"

struct unmap_obj {
	struct as *as;
	const struct region *r;
};

/* pt_range() callback: unmap the page at va when it is the object's own frame (not a private
 * copy of it). */
static void drop_if_object(pte_t *pte, vaddr_t va, void *arg)
{
	const struct unmap_obj *u = arg;

	if ((*pte & PTE_ADDR) == shmem_lookup(u->r->shm, region_pgidx(u->r, va)))
		as_drop_pte(u->as, pte, va);
}

/* Unmap the pages of object indexes [lo, hi) from region r. Private copies of them stay unless
 * even_cows (a truncation, which Linux's truncate_pagecache() takes them with). */
static void unmap_region(struct region *r, uint64_t lo, uint64_t hi, bool even_cows)
{
	uint64_t first = r->pgoff, last = r->pgoff + region_pages(r);
	uint64_t a = first > lo ? first : lo, b = last < hi ? last : hi;

	if (a >= b)
		return;

	vaddr_t start = r->start + ((a - first) << PAGE_SHIFT);
	vaddr_t end = r->start + ((b - first) << PAGE_SHIFT);

	if (even_cows || (r->flags & REGION_SHARED)) {
		as_drop_pages(r->as, start, end);
		return;
	}

	struct unmap_obj u = {r->as, r};

	pt_range(r->as->root, start, end, drop_if_object, &u);
	pt_prune(r->as->root, start, end);
}

/* Linux's unmap_mapping_range(): unmap object indexes [lo, hi) from every mapping of s. */
void obj_unmap(struct shmem *s, uint64_t lo, uint64_t hi, bool even_cows)
{
	for (struct region *r = s->maps; r; r = r->obj_next)
		unmap_region(r, lo, hi, even_cows);
}

/* Set the object's size; shrinking unmaps the pages cut off from every mapping first, private
 * copies included, as Linux's truncate_pagecache(). 0 or -ENOMEM. */
int shmem_resize(struct shmem *s, uint64_t pages)
{
	if (pages < s->pages)
		obj_unmap(s, pages, s->pages, true);
	return shmem_set_pages(s, pages);
}
