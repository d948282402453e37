/* The page-fault path: a page's first contents (the zero page for a read, zeros, ELF image bytes,
 * an object's frame, a private copy of it or of the zero page at the first write), stack growth,
 * fault-around (sequential anonymous writes, object reads), vm_fault() and populating ranges
 * (mlock, MAP_POPULATE). */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "mm/fault.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"

unsigned fault_around_pages = FAULT_AROUND_DEFAULT;

/* Fill the new frame at pa with what page of r holds before anyone wrote it. */
static void fill_page(const struct region *r, vaddr_t page, paddr_t pa)
{
	uint8_t *dst = phys_to_virt(pa);

	if (r->backing == RB_IMAGE) {
		vaddr_t lo = page > r->file_va ? page : r->file_va;
		vaddr_t fend = r->file_va + r->file_len;
		vaddr_t hi = page + PAGE_SIZE < fend ? page + PAGE_SIZE : fend;

		if (lo < hi) {
			/* Zero around the file bytes: the bss tail of the last file page. */
			memset(dst, 0, lo - page);
			memcpy(dst + (lo - page), r->image + (lo - r->file_va), hi - lo);
			memset(dst + (hi - page), 0, page + PAGE_SIZE - hi);
			return;
		}
	}
	memset(dst, 0, PAGE_SIZE);
}

/* A new frame, with the reference of the mapping about to hold it, filled with what page of
 * private region r holds before anyone wrote it; 0 when out of memory. */
static paddr_t private_page(const struct region *r, vaddr_t page)
{
	uint32_t owner = region_owner(r);
	paddr_t pa = frame_alloc_anon(owner, region_pgidx(r, page));

	if (pa) {
		fill_page(r, page, pa);
		if (owner)
			reclaim_track(pa);
		if (owner && (r->flags & REGION_DROPPABLE))
			reclaim_droppable(pa);
	}
	return pa;
}

/* True when r maps its object privately: the object's frames read-only, copies of them written. */
static bool private_object(const struct region *r)
{
	return r->backing == RB_OBJECT && !(r->flags & REGION_SHARED);
}

/* A copy of frame src with the reference of the mapping about to hold it, or 0 (out of memory). */
static paddr_t copy_frame(paddr_t src)
{
	paddr_t pa = frame_alloc_mapped();

	if (pa)
		memcpy(phys_to_virt(pa), phys_to_virt(src), PAGE_SIZE);
	return pa;
}

/* A copy of frame src for page of private region r, a page of r's family; 0 (out of memory). */
static paddr_t own_copy(const struct region *r, vaddr_t page, paddr_t src)
{
	paddr_t pa = copy_frame(src);

	if (pa)
		rmap_add_page(pa, r, page);
	return pa;
}

/* The frame to map at page of r (which maps an object), where nothing is mapped yet, for access,
 * with the reference of the mapping about to hold it, in *pa. An object's page is found again by
 * every mapping of it; a hole is filled in the object first, for a private mapping too, as
 * Linux's shmem_fault() does (so the file's page cache holds it); a private write gets a copy. A
 * frame whose reference count (16 bits) is full cannot be mapped once more: a private mapping
 * gets a copy, a shared one nothing. 0, -ENOMEM, or -EIO (the object's page is on a swap disk
 * that failed to read). */
static int new_page(const struct region *r, vaddr_t page, unsigned access, paddr_t *pa)
{
	paddr_t obj;
	int err = shmem_fetch(r->shm, region_pgidx(r, page), &obj);

	if (err)
		return err;
	if (frame_of(obj)->refs == UINT16_MAX && !private_object(r))
		return -ENOMEM;
	if (frame_of(obj)->refs == UINT16_MAX || (access == VM_WRITE && private_object(r)))
		*pa = own_copy(r, page, obj);
	else
		frame_ref(*pa = obj);
	return *pa ? 0 : -ENOMEM;
}

/* The first write to a frame mapped read-only at *pte, page of private region r, that another
 * holds too (the object's own page, a page fork shares): Linux's wp_page_copy(). A copy replaces
 * it; the others keep theirs. */
static enum fault_result copy_on_write(struct region *r, vaddr_t page, pte_t *pte)
{
	paddr_t old = *pte & PTE_ADDR, pa = copy_frame(old);

	if (!pa)
		return FAULT_OOM;
	rmap_add_page(pa, r, page);
	*pte = pa | region_pte(r) | PTE_A | PTE_D;
	hal_flush_page(page);
	frame_unref(old);
	return FAULT_OK;
}

/* The first write to the zero page mapped at *pte, page of private anonymous region r (which has
 * its anon identity now): a zeroed frame of r's family replaces it, as Linux's wp_page_copy() does
 * for the zero pfn. The zero page loses nothing: it counts no references. */
static enum fault_result zero_write(struct as *as, struct region *r, vaddr_t page, pte_t *pte)
{
	paddr_t pa = private_page(r, page);

	if (!pa)
		return FAULT_OOM;
	*pte = pa | region_pte(r) | (*pte & PTE_A) | PTE_D;
	hal_flush_page(page);
	as->resident++;
	return FAULT_OK;
}

/* Before a write to private frame pa: when the swap cache holds it besides this one mapping, the
 * slot's copy is about to be stale, so the cache lets go and the write happens in place (Linux's
 * do_wp_page() reusing an exclusive swap-cache page). */
static void uncache(paddr_t pa)
{
	const struct frame *f = frame_of(pa);

	if ((f->flags & FRAME_SWAPCACHE) && f->refs == 2)
		swap_cache_del(f->next);
}

/* A fault at page of r where *pte maps a frame already: a write to private memory whose frame
 * another mapping holds copies it; otherwise the rights are brought up to r's: a first write to
 * private memory, another path mapped it, the TLB held an older entry, or the last holder of a
 * page fork shared writes it in place (Linux's wp_page_reuse()). Out of the fast path: only a
 * fault on a present page comes here. Such a fault continues no run for fault-around, whose
 * pages ahead would be there already (a loop writing pages fork shares): it would only look at
 * entries in use. */
static enum fault_result fault_present(struct as *as, struct region *r, vaddr_t page, pte_t *pte,
                                       unsigned access)
{
	paddr_t pa = *pte & PTE_ADDR;

	as->ahead_lo = as->ahead_hi = 0;

	if (access == VM_WRITE && is_zero_page(pa))
		return zero_write(as, r, page, pte);
	if (access == VM_WRITE && !(r->flags & REGION_SHARED))
		uncache(pa);
	if (access == VM_WRITE && !(r->flags & REGION_SHARED) && frame_of(pa)->refs > 1)
		return copy_on_write(r, page, pte);
	/* A page faulted in for writing is dirty, as Linux's write fault leaves it. */
	*pte = (*pte & (PTE_ADDR | PTE_A | PTE_D)) | page_pte(r, pa) |
	       (access == VM_WRITE ? PTE_D : 0);
	hal_flush_page(page);
	return FAULT_OK;
}

/* A fault at page of r, private memory without an object (the common case), where *pte is empty:
 * a read (or execute) of anonymous memory maps the zero page read-only, as Linux's
 * do_anonymous_page(), identity or not (no frame, no RSS, nothing to evict); anything else gets a
 * frame of its own, dirty when faulted in for writing, as Linux's write fault leaves it. */
static enum fault_result private_fault(struct as *as, const struct region *r, pte_t *pte,
                                       vaddr_t page, unsigned access)
{
	if (access != VM_WRITE && r->backing == RB_ZERO) { /* no object: region_anonymous() */
		*pte = zero_page | (region_pte(r) & ~PTE_W);
		return FAULT_OK;
	}

	paddr_t pa = private_page(r, page);

	if (!pa)
		return FAULT_OOM;
	*pte = pa | region_pte(r) | (access == VM_WRITE ? PTE_D : 0);
	as->resident++;
	return FAULT_OK;
}

/* Map a filled frame for page of r for access, or fix the rights of the one there. */
enum fault_result as_fault_in(struct as *as, struct region *r, vaddr_t page, unsigned access)
{
	assert(PAGE_ALIGNED(page) && page >= r->start && page < r->end);
	if (r->flags & REGION_HUGETLB)
		return FAULT_NOHUGE; /* no huge page reserved nor free: Linux's SIGBUS */
	if (access == VM_WRITE && !(r->flags & REGION_SHARED) && !r->anon)
		as_anon_prepare(as, r); /* tested here: the call is rare, the fault path hot */

	pte_t *pte = pt_walk(as->root, page, true);

	if (!pte)
		return FAULT_OOM;
	if (r->shm && region_pgidx(r, page) >= r->shm->pages)
		return FAULT_SIGBUS; /* past the object's end: mremap grew it, or a truncation */
	if (*pte & PTE_P)
		return fault_present(as, r, page, pte, access);
	if (*pte) {
		enum fault_result res = swap_in(as, r, page, pte, access);

		if (res != FAULT_OK || access != VM_WRITE)
			return res;
		return fault_present(as, r, page, pte, access); /* a write: copy-on-write, dirty */
	}

	if (!r->shm)
		return private_fault(as, r, pte, page, access);

	/* An object's page read back from swap is a major fault. */
	bool on_swap = r->shm->swapped && shmem_has(r->shm, region_pgidx(r, page)) &&
	               !shmem_lookup(r->shm, region_pgidx(r, page));

	if (on_swap) {
		as->majflt++;
		vm_events.pgmajfault++;
	}
	paddr_t pa;
	int err = new_page(r, page, access, &pa);

	if (err)
		return err == -EIO ? FAULT_IO : FAULT_OOM;
	*pte = pa | page_pte(r, pa) | (access == VM_WRITE ? PTE_D : 0);
	as->resident++;
	return FAULT_OK;
}

/* The MAP_GROWSDOWN region va lies just below, grown down to cover va, or NULL. As Linux's
 * expand_downwards(): not below USER_MIN, not within the stack guard gap above an accessible
 * region, at most STACK_SIZE long; the region gets an anon identity first. */
static struct region *grow_down(struct as *as, vaddr_t va)
{
	struct region *r = region_first_after(&as->regions, va);
	vaddr_t page = PAGE_DOWN(va);

	if (!r || !(r->flags & REGION_GROWSDOWN) || page < USER_MIN || r->end - page > STACK_SIZE)
		return NULL;

	const struct region *p = region_prev(&as->regions, r);
	uint64_t grow = (r->start - page) >> PAGE_SHIFT;

	if (p && !(p->flags & REGION_GROWSDOWN) && (p->prot & VM_RIGHTS) &&
	    page - p->end < STACK_GUARD)
		return NULL;
	as_anon_prepare(as, r);
	if (grow > r->pgoff)
		return NULL;
	region_remove(&as->regions, r);
	r->start = page;
	r->pgoff -= grow;
	region_insert(&as->regions, r);
	return r;
}

/* True when va, which no region holds, lies below the stack within its STACK_SIZE limit and
 * the STACK_GUARD below that: the stack could not grow there, so the touch is an overflow. */
static bool stack_overflow(const struct as *as, vaddr_t va)
{
	const struct region *r = region_first_after(&as->regions, va);

	return r && r->kind == RK_STACK && va >= STACK_BASE - STACK_GUARD;
}

/* Free frames fault-around leaves alone: pages mapped ahead come only from memory nobody is
 * short of, so an out-of-memory kill comes at the same point with or without it. */
#define FAULT_AROUND_RESERVE 2048

/* True when a write fault at page of r continues a run of faults through fresh private
 * anonymous memory, the pattern of a loop filling an array, a growing heap or a stack. */
static bool fault_run(const struct as *as, const struct region *r, vaddr_t page)
{
	if (!region_anonymous(r) || !(r->prot & VM_WRITE) || (r->flags & REGION_RAND_READ))
		return false;
	return page == as->ahead_hi || page + PAGE_SIZE == as->ahead_lo;
}

/* After a write fault mapped page of r: when it continues a sequential run, map zeroed pages
 * next to it in the run's direction, as far as fault_around_pages pages, the region and the
 * page's last-level table allow, skipping entries in use. Records where the run goes on. */
static void fault_around(struct as *as, struct region *r, vaddr_t page)
{
	bool up = page == as->ahead_hi;
	unsigned n = fault_around_pages > 1 && fault_run(as, r, page) ? fault_around_pages - 1 : 0;

	as->ahead_lo = page;
	as->ahead_hi = page + PAGE_SIZE;
	if (n == 0)
		return;

	unsigned idx = (unsigned)PT_INDEX(page, 0);
	unsigned room = up ? PT_ENTRIES - 1 - idx : idx;
	uint64_t left = up ? (r->end - page) / PAGE_SIZE - 1 : (page - r->start) / PAGE_SIZE;

	if (room < n)
		n = room;
	if (left < n)
		n = (unsigned)left;
	if (n == 0)
		return;

	pte_t *pte = pt_walk(as->root, page, false);

	for (unsigned i = 1; i <= n && frames_free() > FAULT_AROUND_RESERVE; i++) {
		vaddr_t va = up ? page + i * PAGE_SIZE : page - i * PAGE_SIZE;
		pte_t *e = up ? pte + i : pte - i;
		paddr_t pa;

		if (*e)
			continue; /* a page there: never replaced */
		pa = private_page(r, va);
		if (!pa)
			break;
		*e = pa | region_pte(r);
		as->resident++;
		as->minflt++; /* a fault Linux, which maps no anonymous page ahead, takes */
		if (up)
			as->ahead_hi = va + PAGE_SIZE;
		else
			as->ahead_lo = va;
	}
}

/* Pages a read fault of an object maps around it: Linux's fault_around_bytes, 64 KiB. */
#define OBJECT_AROUND 16

/* After a read (or execute) fault at page of r, which maps an object: map the object's pages
 * already in it around page, as Linux's do_fault_around() and filemap_map_pages(): from the
 * 16-page-aligned block holding page (or r's start, if later) for 16 pages, within r and page's
 * last-level table; entries in use and holes are skipped, nothing is allocated. */
static void object_fault_around(struct as *as, const struct region *r, vaddr_t page)
{
	vaddr_t block = OBJECT_AROUND * PAGE_SIZE, table = PT_ENTRIES * PAGE_SIZE;
	vaddr_t from = page & ~(block - 1), to;

	if (from < r->start)
		from = r->start;
	to = from + block;
	if (to > (page & ~(table - 1)) + table)
		to = (page & ~(table - 1)) + table;
	if (to > r->end)
		to = r->end;

	pte_t *at = pt_walk(as->root, page, false), *first = at - PT_INDEX(page, 0);

	/* Only a fault that mapped the object's page maps its neighbours (Linux's do_read_fault()):
	 * a private copy read back from swap (do_swap_page()) maps nothing more. */
	if ((*at & PTE_ADDR) != shmem_lookup(r->shm, region_pgidx(r, page)))
		return;
	for (vaddr_t va = from; va < to; va += PAGE_SIZE) {
		pte_t *e = first + PT_INDEX(va, 0);
		paddr_t pa = *e ? 0 : shmem_lookup(r->shm, region_pgidx(r, va));

		if (!pa || frame_of(pa)->refs == UINT16_MAX)
			continue; /* a hole, or a frame that cannot be mapped once more */
		frame_ref(pa);
		*e = pa | page_pte(r, pa);
		as->resident++;
	}
}

/* Resolve a fault at va for access (one of VM_READ, VM_WRITE, VM_EXEC): map the page if the
 * region allows it. A fault on a page already mapped with the needed rights is FAULT_OK. */
enum fault_result vm_fault(struct as *as, vaddr_t va, unsigned access)
{
	if (va >= USER_END)
		return FAULT_NO_REGION;
	reclaim_check();

	struct region *r = region_find(&as->regions, va);

	if (!r)
		r = grow_down(as, va);
	if (!r)
		return stack_overflow(as, va) ? FAULT_GUARD : FAULT_NO_REGION;
	if (!region_allows(r, access))
		return FAULT_DENIED;

	vaddr_t page = PAGE_DOWN(va);
	uint64_t majflt = as->majflt;
	enum fault_result res = as_fault_in(as, r, page, access);

	if (res == FAULT_OK && as->majflt == majflt)
		as->minflt++;
	if (res == FAULT_OK)
		vm_events.pgfault++;
	if (res == FAULT_OK && access == VM_WRITE)
		fault_around(as, r, page);
	else if (res == FAULT_OK && r->shm)
		object_fault_around(as, r, page);
	return res;
}

/* A few words for the kill diagnostic: "no region", "protection", "stack overflow, guard gap",
 * "out of memory", "beyond the shared object", "no huge page". */
const char *fault_reason(enum fault_result r)
{
	switch (r) {
	case FAULT_OK:
		return "ok";
	case FAULT_NO_REGION:
		return "no region";
	case FAULT_DENIED:
		return "protection";
	case FAULT_GUARD:
		return "stack overflow, guard gap";
	case FAULT_OOM:
		return "out of memory";
	case FAULT_SIGBUS:
		return "beyond the shared object";
	case FAULT_NOHUGE:
		return "no huge page";
	case FAULT_IO:
		return "swap read error";
	}
	return "unknown";
}

#define LOCK_FLAGS (REGION_LOCKED | REGION_ONFAULT)

/* The access a page of r is populated with: Linux writes to private writable memory (breaking
 * copy-on-write, so the region gets its anon identity) and reads everything else
 * (populate_vma_page_range()), so read-only private anonymous memory gets the zero page. */
static unsigned populate_access(const struct region *r)
{
	return (r->prot & VM_WRITE) && !(r->flags & REGION_SHARED) ? VM_WRITE : VM_READ;
}

/* Fault in [va, end) of r, as Linux's populate_vma_page_range(): nothing for lock-on-fault
 * memory, -EFAULT at once without rights (or execute-only) or at a page that cannot come in,
 * -ENOMEM when no frame is left. */
static long populate_region(struct as *as, struct region *r, vaddr_t va, vaddr_t end)
{
	if ((r->flags & LOCK_FLAGS) == LOCK_FLAGS)
		return 0;
	if (!region_allows(r, populate_access(r)))
		return -EFAULT; /* no rights, or execute-only: get_user_pages() may not read it */
	for (; va < end; va += PAGE_SIZE) {
		reclaim_check(); /* a safe point: a range bigger than RAM goes through swap */

		enum fault_result fr = as_fault_in(as, r, va, populate_access(r));

		if (fr != FAULT_OK)
			return fr == FAULT_OOM ? -ENOMEM : -EFAULT;
	}
	return 0;
}

/* Fault in [start, end) region by region, Linux's __mm_populate(); see fault.h. */
long as_populate(struct as *as, vaddr_t start, vaddr_t end, bool ignore)
{
	vaddr_t va = start;

	while (va < end) {
		struct region *r = region_first_after(&as->regions, va);

		if (!r || r->start >= end)
			return 0;
		if (va < r->start)
			va = r->start;

		vaddr_t stop = r->end < end ? r->end : end;
		long err = populate_region(as, r, va, stop);

		if (err && !ignore)
			return err;
		va = stop;
	}
	return 0;
}
