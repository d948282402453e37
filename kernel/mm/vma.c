/* Regions of an address space as Linux's VMAs: their cache and object references, the rules
 * for merging (alike, continuous, anon identity), split, cut, remove and modify in place. */
#include <assert.h>
#include <errno.h>

#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/uapi.h"
#include "mm/vma.h"

static struct slab_cache region_cache;
static void (*file_get)(void *file), (*file_put)(void *file);

/* The fs's reference counting of the files regions map (none until it registers). */
void mm_set_file_hooks(void (*get)(void *file), void (*put)(void *file))
{
	file_get = get;
	file_put = put;
}

/* A zeroed region from the region cache (set up on first use), or NULL when out of memory. */
struct region *region_alloc(void)
{
	if (!region_cache.objsize)
		slab_init(&region_cache, sizeof(struct region));
	return slab_alloc(&region_cache);
}

/* Free r, taking it off its object's list and dropping its reference to the object. */
void region_release(struct region *r)
{
	if (r->shm) {
		obj_unlink(r);
		shmem_put(r->shm);
	}
	if (r->file && file_put)
		file_put(r->file);
	rmap_unlink(r);
	slab_free(&region_cache, r);
}

/* A region-cache copy of tmpl in as, holding its own reference to tmpl's object and on the
 * object's list, or NULL. */
struct region *region_dup(struct as *as, const struct region *tmpl)
{
	struct region *r = region_alloc();

	if (!r)
		return NULL;
	*r = *tmpl;
	r->as = as;
	rmap_link(r, tmpl->ar);
	if (r->shm) {
		shmem_get(r->shm);
		obj_link(r);
	}
	if (r->file && file_get)
		file_get(r->file);
	return r;
}

/* Put r, a new region with an object, on its object's list. */
void obj_link(struct region *r)
{
	struct shmem *s = r->shm;

	assert(s && r->as);
	r->obj_prev = NULL;
	r->obj_next = s->maps;
	if (s->maps)
		s->maps->obj_prev = r;
	s->maps = r;
}

/* Take r, a region about to be freed, off its object's list. */
void obj_unlink(struct region *r)
{
	struct shmem *s = r->shm;

	if (r->obj_prev)
		r->obj_prev->obj_next = r->obj_next;
	else
		s->maps = r->obj_next;
	if (r->obj_next)
		r->obj_next->obj_prev = r->obj_prev;
	r->obj_prev = r->obj_next = NULL;
}

/* REGION_EXEC_ONLY when prot, as mmap or mprotect got it, is PROT_EXEC and nothing else (no
 * PROT_SEM either) on a CPU with protection keys: Linux then gives the memory its execute-only
 * key (arch_override_mprotect_pkey()); else 0, which takes the key away again. */
unsigned exec_only_flag(int prot)
{
	return prot == PROT_EXEC && hal_exec_only() ? REGION_EXEC_ONLY : 0;
}

/* Pages in r. */
uint64_t region_pages(const struct region *r)
{
	return (r->end - r->start) >> PAGE_SHIFT;
}

/* The heap is anonymous memory like any other to Linux: it merges with mmap'd neighbours. */
static unsigned kind_class(unsigned kind)
{
	return kind == RK_HEAP ? RK_MMAP : kind;
}

/* True when a and b hold the same kind of pages: all but rights, anon and place agree. */
static bool alike(const struct region *a, const struct region *b)
{
	if (kind_class(a->kind) != kind_class(b->kind) || a->backing != b->backing ||
	    a->flags != b->flags || a->obj != b->obj || a->shm != b->shm || a->file != b->file)
		return false;
	if (a->backing == RB_IMAGE)
		return a->image == b->image && a->file_va == b->file_va &&
		       a->file_len == b->file_len;
	return true;
}

/* True when b starts where a ends, in address and in its anon or object space. */
static bool continues(const struct region *a, const struct region *b)
{
	return a->end == b->start && a->pgoff + region_pages(a) == b->pgoff;
}

static bool anon_compatible(const struct region *a, const struct region *b)
{
	return !a->anon || !b->anon || a->anon == b->anon;
}

/* True when Linux would merge b into a (b just above a). */
bool region_mergeable(const struct region *a, const struct region *b)
{
	if ((a->flags | b->flags) & REGION_HUGETLB)
		return false; /* Linux's VM_SPECIAL (VM_DONTEXPAND): never merged */
	return continues(a, b) && a->prot == b->prot && alike(a, b) && anon_compatible(a, b);
}

/* Join n, the region just above r, into r (r keeps its pgoff and gains n's anon if it has none). */
static void join(struct as *as, struct region *r, struct region *n)
{
	struct region_tree *t = &as->regions;

	/* Bounds change only outside the tree: its summaries depend on them. */
	region_remove(t, n);
	region_remove(t, r);
	r->end = n->end;
	if (!r->anon) {
		r->anon = n->anon;
		r->forked = n->forked;
		rmap_unlink(r);
		rmap_link(r, n->ar);
	}
	region_insert(t, r);
	region_release(n);
}

/* The region ending exactly at r->start, or NULL. */
static struct region *below(const struct as *as, const struct region *r)
{
	struct region *p = region_prev(&as->regions, r);

	return p && p->end == r->start ? p : NULL;
}

/* The region starting exactly at r->end, or NULL. */
static struct region *above(const struct as *as, const struct region *r)
{
	struct region *n = region_next(&as->regions, r);

	return n && n->start == r->end ? n : NULL;
}

/* True when r, a region created, changed or moved, may join its neighbour n as Linux 6.12's
 * is_mergeable_anon_vma() allows: r has n's anon identity, or none and n's did not come from
 * fork (n's anon_vma_chain is a single entry). A neighbour without one does not take r's (6.16
 * and later let it, and one from fork). */
bool anon_joins(const struct region *r, const struct region *n)
{
	return r->anon ? r->anon == n->anon : !(n->anon && n->forked);
}

/* Merge r with its neighbours as Linux's vma_merge(): left first, both when anon agrees, never
 * with apart. */
struct region *as_merge(struct as *as, struct region *r, const struct region *apart)
{
	struct region *p = below(as, r), *n = above(as, r);
	bool left = p && p != apart && region_mergeable(p, r) && anon_joins(r, p);
	bool right = n && n != apart && region_mergeable(r, n) && anon_joins(r, n) &&
	             (!left || anon_compatible(p, n));

	if (left) {
		join(as, p, r);
		r = p;
	}
	if (right)
		join(as, r, n);
	return r;
}

/* Merge r with the region above only (r grew up to it). */
void as_merge_next(struct as *as, struct region *r)
{
	struct region *n = above(as, r);

	if (n && region_mergeable(r, n) && anon_joins(r, n))
		join(as, r, n);
}

/* Link a copy of tmpl (its range must be free) and merge it: the region holding it, or NULL. */
struct region *as_add_region(struct as *as, const struct region *tmpl)
{
	struct region *r = region_dup(as, tmpl);

	if (!r)
		return NULL;
	region_insert(&as->regions, r);
	return as_merge(as, r, NULL);
}

/* Cut the region containing va in two at va, unless va is already a boundary. 0, -EINVAL (inside
 * a huge page, as Linux's hugetlb_vm_op_split()) or -ENOMEM. */
int as_split(struct as *as, vaddr_t va)
{
	struct region *r = region_find(&as->regions, va);

	if (!r || r->start == va)
		return 0;

	if (huge_misaligned(r, va))
		return -EINVAL;

	struct region *hi = region_dup(as, r);

	if (!hi)
		return -ENOMEM;
	region_remove(&as->regions, r);
	r->end = va;
	hi->start = va;
	hi->pgoff = r->pgoff + region_pages(r);
	region_insert(&as->regions, r);
	region_insert(&as->regions, hi);
	return 0;
}

/* Undo as_split(as, va): join the two regions meeting at va. */
void as_unsplit(struct as *as, vaddr_t va)
{
	struct region *hi = region_find(&as->regions, va);

	if (!hi || hi->start != va)
		return;

	struct region *lo = below(as, hi);

	if (lo)
		join(as, lo, hi);
}

/* Cut the regions meeting [start, end) at start and end, as Linux's vms_gather_munmap_vmas(). 0,
 * -EINVAL (a cut inside a huge page; as Linux, a cut already made at start stays) or -ENOMEM
 * (nothing changed). */
int as_cut(struct as *as, vaddr_t start, vaddr_t end)
{
	const struct region *r = region_find(&as->regions, start);
	bool cut = r && r->start != start;
	int err = as_split(as, start);

	if (!err) {
		err = as_split(as, end);
		if (err == -ENOMEM && cut)
			as_unsplit(as, start); /* undo the lone cut: the map stays as it was */
	}
	return err;
}

/* Remove every region and page of [start, end), where no region crosses start or end. */
void as_remove_range(struct as *as, vaddr_t start, vaddr_t end)
{
	struct region *r = region_first_after(&as->regions, start);

	while (r && r->start < end) {
		struct region *n = region_next(&as->regions, r);

		assert(r->start >= start && r->end <= end);
		/* a locked region's pages that others map too stay evictable */
		if (r->flags & REGION_LOCKED)
			reclaim_unlocked(as, r->start, r->end);
		region_remove(&as->regions, r);
		region_release(r);
		r = n;
	}
	as_drop_pages(as, start, end);
}

/* Remove every region and page of [start, end), cutting regions at the ends. 0, -EINVAL (a cut
 * inside a huge page; as Linux, a cut already made at start stays) or -ENOMEM. */
int as_unmap_range(struct as *as, vaddr_t start, vaddr_t end)
{
	int err = as_cut(as, start, end);

	if (!err)
		as_remove_range(as, start, end);
	return err;
}

/* True when some region meets [start, end). */
bool any_region(const struct as *as, vaddr_t start, vaddr_t end)
{
	const struct region *r = region_first_after(&as->regions, start);

	return r && r->start < end;
}

/* Linux's anon_vma_compatible(): a just below b, alike but for the rights, continuous. */
static bool anon_neighbours(const struct region *a, const struct region *b)
{
	return continues(a, b) && alike(a, b);
}

/* pt_range() callback: make the private frame at va of r (arg), mapped before r had an anon
 * identity (an image page read), a page of r's family; never the zero page, everyone's. */
static void own_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	struct frame *f = frame_of(*pte & PTE_ADDR);

	if (!is_zero_page(*pte & PTE_ADDR) && f->state == FRAME_USER && f->refs == 1 &&
	    !(f->flags & FRAME_EVICTABLE))
		rmap_add_page(*pte & PTE_ADDR, arg, va);
}

/* Give the pages r holds before it had an anon identity its family: private memory only (an
 * object's own pages belong to the object). */
static void owned_pages(struct as *as, struct region *r)
{
	if (r->ar && !(r->flags & REGION_SHARED) && r->backing != RB_OBJECT)
		pt_range(as->root, r->start, r->end, own_leaf, r);
}

/* Give r an anon identity if it has none: a compatible neighbour's (above first), or a new one. */
void as_anon_prepare(struct as *as, struct region *r)
{
	if (r->anon)
		return;

	const struct region *n = above(as, r), *p = below(as, r);

	/* Linux's reusable_anon_vma(): never one fork gave a neighbour (a chain of more than one)
	 */
	assert(!r->ar);
	if (n && n->anon && !n->forked && anon_neighbours(r, n)) {
		r->anon = n->anon;
		rmap_link(r, n->ar);
	} else if (p && p->anon && !p->forked && anon_neighbours(p, r)) {
		r->anon = p->anon;
		rmap_link(r, p->ar);
	} else {
		r->anon = ++as->ids;
		(void)rmap_new(r); /* without a family, r's pages are never evicted */
	}
	owned_pages(as, r);
}

/* ---- changing the attributes of part of a region ------------------------------------------ */

/* pt_range() callback: give one present page the rights of region *arg (a page shared
 * copy-on-write stays read-only: page_pte()). */
static void set_leaf_rights(pte_t *pte, vaddr_t va, void *arg)
{
	*pte = (*pte & (PTE_ADDR | PTE_A | PTE_D)) | page_pte(arg, *pte & PTE_ADDR);
	hal_flush_page(va);
}

/* Give [start, end), which lies inside region r, the rights prot and flags: cut it out, change
 * it, rewrite its present PTEs (keeping their frames, also for PROT_NONE) and merge it as Linux's
 * vma_modify() does. Nothing happens when nothing changes. 0 or -ENOMEM. */
int as_modify(struct as *as, struct region *r, vaddr_t start, vaddr_t end, unsigned prot,
              unsigned flags)
{
	if (r->prot == prot && r->flags == flags)
		return 0;

	int err = as_split(as, start);

	if (err)
		return err;
	err = as_split(as, end);
	if (err) {
		if (err == -ENOMEM)
			as_unsplit(as, start);
		return err; /* -EINVAL inside a huge page: Linux keeps the cut at start */
	}
	r = region_find(&as->regions, start);
	assert(r->start == start && r->end == end);
	r->prot = (uint8_t)prot; /* not keys of the tree: safe to change in place */
	r->flags = (uint32_t)flags;
	pt_range(as->root, start, end, set_leaf_rights, r);
	as_merge(as, r, NULL);
	return 0;
}
