/* Helpers private to kernel/mm, shared by as.c (regions, faults, copies), mmap.c (the memory
 * system calls) and hugetlb.c (MAP_HUGETLB's rules). Nothing outside kernel/mm includes this. */
#pragma once
#include "arch/x86_64/pte.h"
#include "mm/as.h"

struct shmem;

#define VM_RIGHTS (VM_READ | VM_WRITE | VM_EXEC)
#define MAX_ERRNO 4095

/* True when v, a result that is a value or -errno, is -errno. */
static inline bool is_err(long v)
{
	return (unsigned long)v >= (unsigned long)-MAX_ERRNO;
}

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

/* A zeroed region from the region cache, or NULL when out of memory. */
struct region *region_alloc(void);
void region_release(struct region *r); /* drops r's reference to its shared object */

/* A region-cache copy of tmpl in as with its own reference to tmpl's shared object (and on the
 * object's list of mappings), or NULL. */
struct region *region_dup(struct as *as, const struct region *tmpl);

/* object.c: put r (with an object) on its object's list of mappings; take it off. */
void obj_link(struct region *r);
void obj_unlink(struct region *r);

/* Unmap object indexes [lo, hi) of s from every region mapping it, in every address space;
 * private copies of those pages stay unless even_cows. */
void obj_unmap(struct shmem *s, uint64_t lo, uint64_t hi, bool even_cows);

/* Unmap the present leaf pte of va in as (its frame loses a reference); tables stay. */
void as_drop_pte(struct as *as, pte_t *pte, vaddr_t va);

/* The page index in r's anon or object space of page (inside r). */
uint64_t region_pgidx(const struct region *r, vaddr_t page);

/* True when some region meets [start, end). */
bool any_region(const struct as *as, vaddr_t start, vaddr_t end);

/* Pages in r. */
uint64_t region_pages(const struct region *r);

/* True for private memory without a file behind it: Linux's vma_is_anonymous(). */
bool region_anonymous(const struct region *r);

/* True when Linux would merge b, just above a, into a: continuous, alike, anon compatible. */
bool region_mergeable(const struct region *a, const struct region *b);

/* Link a copy of tmpl (its range must be free) and merge it with its neighbours as Linux merges
 * a new mapping. The region now holding its range, or NULL when out of memory. */
struct region *as_add_region(struct as *as, const struct region *tmpl);

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

/* Unmap every page of [start, end) (frames lose a reference) and free emptied page tables. */
void as_drop_pages(struct as *as, vaddr_t start, vaddr_t end);

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

/* Fault in the pages of [start, end) as Linux's __mm_populate() (mlock.c): region by region,
 * holes skipped, lock-on-fault regions left alone. A page that cannot come in (no rights, past a
 * shared object's end, hugetlb memory) ends its region with -EFAULT, no frame with -ENOMEM; with
 * ignore the next region goes on and the result is 0, else that error is returned. */
long as_populate(struct as *as, vaddr_t start, vaddr_t end, bool ignore);

/* Map a filled frame for page (page aligned, inside r) for access (VM_READ, VM_WRITE, VM_EXEC),
 * or fix the rights of the one there. */
enum fault_result as_fault_in(struct as *as, struct region *r, vaddr_t page, unsigned access);

/* True when a region with prot allows access (VM_READ, VM_WRITE or VM_EXEC), as on x86. */
bool prot_allows(unsigned prot, unsigned access);

/* True when region r allows access: prot_allows(), but no reading execute-only memory. */
bool region_allows(const struct region *r, unsigned access);

/* REGION_EXEC_ONLY when prot (as mmap or mprotect got it) is PROT_EXEC alone and hal_exec_only(),
 * else 0. */
unsigned exec_only_flag(int prot);

/* mmap.c's placement helpers, which hugetlb.c's placement builds on. */

/* True when [a, a + len) is free and clear of the gap below a growing region above it. */
bool range_free(const struct as *as, vaddr_t a, vaddr_t len);

/* Linux's get_unmapped_area() for anonymous memory: the place for len bytes (page aligned,
 * len > 0) at or near addr, or -errno. MAP_FIXED takes addr as it is; MAP_32BIT searches low. */
long unmapped_area(const struct as *as, vaddr_t addr, vaddr_t len, int flags);

/* Linux's round_hint_to_min(): an mmap hint in the first 64 KiB becomes USER_MIN, one in the
 * first page none. */
vaddr_t round_hint_to_min(vaddr_t addr);
