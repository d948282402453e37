/* fork's address space (as_fork()), as Linux's dup_mmap() and copy_page_range(): the regions
 * inherited, their page tables copied where pages exist, private pages shared copy-on-write. */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "mm/hal.h"
#include "mm/overcommit.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vma.h"

#define LOCK_FLAGS (REGION_LOCKED | REGION_ONFAULT)

/* What fork_pte() needs: the child and its copy of the region being copied. */
struct fork_ctx {
	struct as *child;
	const struct region *r;
};

/* The child's own copy of the frame at *src, mapped at *dst with r's rights: a frame whose
 * reference count is full cannot be shared once more. 0 or -ENOMEM. */
static int fork_copy(const struct fork_ctx *c, const pte_t *src, pte_t *dst, vaddr_t va)
{
	paddr_t pa = frame_alloc_mapped();

	if (!pa)
		return -ENOMEM;
	memcpy(phys_to_virt(pa), phys_to_virt(*src & PTE_ADDR), PAGE_SIZE);
	rmap_add_page(pa, c->r, va);
	*dst = pa | page_pte(c->r, pa) | (*src & PTE_D);
	c->child->resident++;
	return 0;
}

/* A page out on swap: the child's entry names the slot too (Linux's swap_duplicate()). 0, or
 * -ENOMEM when the slot's count is full. */
static int fork_swap(const struct fork_ctx *c, const pte_t *src, pte_t *dst)
{
	if (swap_dup(pte_slot(*src)))
		return -ENOMEM;
	*dst = *src;
	c->child->swapents++;
	return 0;
}

/* pt_copy() callback: share the page at va (private memory: an anonymous page, a private copy of
 * an object's page, or the object's own page read-only) with the child, read-only in both, as
 * Linux's copy_present_pte(): the parent, the current address space, drops the write right from
 * its TLB too; the first write of either copies it (fault.c). The child's entry is old, as
 * Linux's pte_mkold(). The zero page is only copied: vm_normal_page() is NULL for it, so Linux
 * counts nothing. */
static int fork_pte(pte_t *src, pte_t *dst, vaddr_t va, void *arg)
{
	const struct fork_ctx *c = arg;

	if (!(*src & PTE_P))
		return fork_swap(c, src, dst);
	if (is_zero_page(*src & PTE_ADDR)) {
		*dst = *src & ~PTE_A; /* read-only already; no reference, no RSS */
		return 0;
	}

	struct frame *f = frame_of(*src & PTE_ADDR);

	assert(f->state == FRAME_USER || f->state == FRAME_KERNEL);
	if (f->refs == UINT16_MAX)
		return fork_copy(c, src, dst, va);
	f->refs++; /* frame_ref() without a second look-up: fork's loop is 2^16 pages for 256 MiB */
	if (*src & PTE_W) {
		*src &= ~PTE_W;
		hal_flush_page(va);
	}
	*dst = *src & ~PTE_A;
	c->child->resident++;
	return 0;
}

/* Give the child a copy of parent's region r, as dup_mmap() does for one VMA: MADV_DONTFORK
 * memory is left out; charged memory is charged again (ENOMEM when refused); locks are not
 * inherited; private memory with an anon identity gets a new one of the child's (Linux's
 * anon_vma_fork()), marked as fork's, which merges as Linux's (anon_joins()), and its pages
 * shared; MADV_WIPEONFORK memory comes empty, with none.
 * Memory without an anon identity (shared mappings, private memory never written) gets no page
 * copied, as Linux's vma_needs_copy(): the child's faults find the same pages. MAP_HUGETLB
 * regions never hold a frame here (no huge page is ever available), so their copy-on-write
 * sharing, which Linux does, has nothing to share. 0 or -ENOMEM. */
static int fork_region(struct as *child, struct as *parent, const struct region *r)
{
	if (r->flags & REGION_DONTCOPY)
		return 0;
	if ((r->flags & REGION_ACCOUNT) && vm_enough_memory(region_pages(r)))
		return -ENOMEM;

	struct region *c = region_dup(child, r); /* the object and file references */

	if (!c)
		return -ENOMEM;
	c->flags &= ~(uint32_t)LOCK_FLAGS;
	c->anon = r->anon && !(r->flags & REGION_WIPEONFORK) ? ++child->ids : 0;
	c->forked = c->anon != 0;
	if (!c->anon)
		rmap_unlink(c); /* region_dup() put it in r's family: no pages to share */
	region_insert(&child->regions, c); /* before the pages: as_destroy() then frees both */
	if (!c->anon)
		return 0;

	struct fork_ctx ctx = {child, c};

	return pt_copy(child->root, parent->root, r->start, r->end, fork_pte, &ctx);
}

/* fork_region() for every region of the subtree at r, in address order; stops at an error. */
static int fork_tree(struct as *child, struct as *parent, const struct region *r)
{
	if (!r)
		return 0;

	int err = fork_tree(child, parent, r->left);

	if (!err)
		err = fork_region(child, parent, r);
	return err ? err : fork_tree(child, parent, r->right);
}

/* A new address space that is a copy of parent (the current one), or NULL when out of memory or
 * a charge is refused, with everything taken given back. The child has parent's break and
 * identities, none of its locks (mlockall's MCL_FUTURE included, as Linux's def_flags), no
 * faults counted and its own high-water marks, starting at what it holds. */
struct as *as_fork(struct as *parent)
{
	struct as *child = as_create();

	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->ids = parent->ids;
	reclaim_reserve(pt_tables(parent->root)); /* the child's tables, at most the parent's */
	if (fork_tree(child, parent, parent->regions.root)) {
		as_destroy(child);
		return NULL;
	}
	child->peak_rss = child->resident;
	child->regions.peak_pages = child->regions.pages;
	return child;
}
