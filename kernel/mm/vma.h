/* Regions of an address space as Linux's VMAs (vma.c): lifetime and object references, merging,
 * splitting, cutting, modifying. Private to kernel/mm, above the pages (pages.h). */
#pragma once
#include "mm/frame.h"
#include "mm/pages.h"
#include "mm/shmem.h"

#define MAX_ERRNO 4095
#define HUGE_2M   (2UL << 20)
#define HUGE_1G   (1UL << 30)

/* True when v, a result that is a value or -errno, is -errno. */
static inline bool is_err(long v)
{
	return (unsigned long)v >= (unsigned long)-MAX_ERRNO;
}

/* The leaf PTE bits for a page of r: private memory stays read-only until r has an anon identity,
 * so that its first write faults, as on Linux (where it replaces the shared zero page); the
 * execute-only key on execute-only memory. Inline: the fault path asks for every page it maps. */
static inline pte_t region_pte(const struct region *r)
{
	unsigned prot = r->prot;

	if ((prot & VM_WRITE) && !r->anon && !(r->flags & REGION_SHARED))
		prot = (prot & ~VM_WRITE) | VM_READ;
	return pte_rights(prot) | ((r->flags & REGION_EXEC_ONLY) ? PTE_PKEY_EXEC_ONLY : 0);
}

/* True when a region with prot allows access (VM_READ, VM_WRITE or VM_EXEC), as on x86. Inline,
 * as the helpers below: the fault path asks them for every fault. */
static inline bool prot_allows(unsigned prot, unsigned access)
{
	switch (access) {
	case VM_READ:
		return (prot & VM_RIGHTS) != 0; /* x86 cannot map write-only or execute-only */
	case VM_WRITE:
		return (prot & VM_WRITE) != 0;
	case VM_EXEC:
		return (prot & VM_EXEC) != 0;
	default:
		return false;
	}
}

/* True when region r allows access: its rights as on x86, but no reading execute-only memory. */
static inline bool region_allows(const struct region *r, unsigned access)
{
	if (access == VM_READ && (r->flags & REGION_EXEC_ONLY))
		return false;
	return prot_allows(r->prot, access);
}

/* True for private memory without a file behind it: Linux's vma_is_anonymous() (hugetlb memory
 * has a hugetlbfs file behind it, private or not). */
static inline bool region_anonymous(const struct region *r)
{
	return r->backing == RB_ZERO && !(r->flags & (REGION_SHARED | REGION_HUGETLB));
}

/* The page index in r's anon or object space of page (inside r). */
static inline uint64_t region_pgidx(const struct region *r, vaddr_t page)
{
	return r->pgoff + ((page - r->start) >> PAGE_SHIFT);
}

/* The leaf PTE bits for frame pa mapped (that mapping counted in its refs) in r: region_pte(), but
 * never writable in private memory while another holds the frame too, since a write must copy
 * it first: the object's own page in a private mapping of it (the object holds a reference), a
 * page fork shares copy-on-write, the zero page (everyone's). Inline: the fault path asks for
 * every object page it maps. */
static inline pte_t page_pte(const struct region *r, paddr_t pa)
{
	pte_t bits = region_pte(r);

	if ((bits & PTE_W) && !(r->flags & REGION_SHARED) &&
	    (is_zero_page(pa) || frame_of(pa)->refs > 1))
		bits &= ~PTE_W;
	return bits;
}

/* The huge-page size of a MAP_HUGETLB region, 0 for any other. */
static inline vaddr_t region_huge_size(const struct region *r)
{
	if (!(r->flags & REGION_HUGETLB))
		return 0;
	return (r->flags & REGION_HUGE1G) ? HUGE_1G : HUGE_2M;
}

/* True when va is inside a huge page of r (never for a region of small pages): a MAP_HUGETLB
 * region is cut only at huge-page boundaries, as Linux's hugetlb_vm_op_split(). */
static inline bool huge_misaligned(const struct region *r, vaddr_t va)
{
	vaddr_t huge = region_huge_size(r);

	return huge && (va & (huge - 1));
}

/* A zeroed region from the region cache, or NULL when out of memory. */
struct region *region_alloc(void);
void region_release(struct region *r); /* drops r's reference to its shared object */

/* A region-cache copy of tmpl in as with its own reference to tmpl's shared object (and on the
 * object's list of mappings), or NULL. */
struct region *region_dup(struct as *as, const struct region *tmpl);

/* Put r (with an object) on its object's list of mappings; take it off. */
void obj_link(struct region *r);
void obj_unlink(struct region *r);

/* True when some region meets [start, end). */
bool any_region(const struct as *as, vaddr_t start, vaddr_t end);

/* Pages in r. */
uint64_t region_pages(const struct region *r);

/* True when Linux would merge b, just above a, into a: continuous, alike, anon compatible. */
bool region_mergeable(const struct region *a, const struct region *b);

/* Link a copy of tmpl (its range must be free) and merge it with its neighbours as Linux merges
 * a new mapping. The region now holding its range, or NULL when out of memory. */
struct region *as_add_region(struct as *as, const struct region *tmpl);

/* True when r may join its neighbour n by their anon identities (Linux 6.12's
 * is_mergeable_anon_vma() with n the target): r has n's, or none and n's did not come from fork. */
bool anon_joins(const struct region *r, const struct region *n);

/* Merge r with the region below and the one above where Linux 6.12's vma_merge_new_range() and
 * vma_merge_existing_range() would, after r was created, changed or moved: the lower side first,
 * both only when their anon identities agree, and an anon identity of r's never into a neighbour
 * without one; never with apart (the region r was copied from, or NULL). Returns the region now
 * holding r's range. */
struct region *as_merge(struct as *as, struct region *r, const struct region *apart);

/* Merge r with the region above only (r grew up to it, Linux's vma_merge_extend()). */
void as_merge_next(struct as *as, struct region *r);

/* Cut the region containing va in two at va, unless va is already a boundary. 0, -EINVAL (va
 * inside a huge page of a MAP_HUGETLB region) or -ENOMEM. */
int as_split(struct as *as, vaddr_t va);

/* Undo as_split(as, va): join the two regions meeting at va, which must come from one region. */
void as_unsplit(struct as *as, vaddr_t va);

/* Cut the regions meeting [start, end) at start and end (Linux's vms_gather_munmap_vmas()). 0,
 * -EINVAL (a cut inside a huge page; a cut made at start stays) or -ENOMEM (nothing changed). */
int as_cut(struct as *as, vaddr_t start, vaddr_t end);

/* Remove every region and page of [start, end), which as_cut() has cut at both ends. */
void as_remove_range(struct as *as, vaddr_t start, vaddr_t end);

/* Remove every region and page of [start, end), cutting regions at the ends.
 * 0, -EINVAL (a cut inside a huge page; a cut made at start stays, as Linux) or -ENOMEM. */
int as_unmap_range(struct as *as, vaddr_t start, vaddr_t end);

/* Give r an anon identity if it has none, as Linux's anon_vma_prepare(): a compatible neighbour's
 * (the one above first), else a new one. */
void as_anon_prepare(struct as *as, struct region *r);

/* Give [start, end), which lies inside region r, the rights prot and flags, splitting and merging
 * as Linux's vma_modify(); present pages get the new rights. 0, -EINVAL (a cut inside a huge
 * page; a cut made at start stays) or -ENOMEM. */
int as_modify(struct as *as, struct region *r, vaddr_t start, vaddr_t end, unsigned prot,
              unsigned flags);

/* REGION_EXEC_ONLY when prot (as mmap or mprotect got it) is PROT_EXEC alone and hal_exec_only(),
 * else 0. */
unsigned exec_only_flag(int prot);
