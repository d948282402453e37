/* madvise(2) on an address space as Linux 6.12 does it: the advice that sets region flags (split
 * and merged as Linux's VMAs), the advice that drops pages (refused on locked memory), populating,
 * and holes (-ENOMEM after the rest). MAP_HUGETLB memory's own rules are in hugetlb.c. */
#include <errno.h>

#include "mm/fault.h"
#include "mm/hugetlb.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

static vaddr_t min_va(vaddr_t a, vaddr_t b)
{
	return a < b ? a : b;
}

static bool advice_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
	case MADV_COLLAPSE:
	case MADV_HWPOISON:
	case MADV_SOFT_OFFLINE:
		return true;
	default:
		return false;
	}
}

/* The flags r gets from a flag-setting advice, or -EINVAL where Linux refuses it. Advice that
 * sets no flag leaves r's. */
static long advice_flags(const struct region *r, int advice)
{
	long f = r->flags;

	switch (advice) {
	case MADV_NORMAL:
		return f & ~(REGION_RAND_READ | REGION_SEQ_READ);
	case MADV_RANDOM:
		return (f & ~REGION_SEQ_READ) | REGION_RAND_READ;
	case MADV_SEQUENTIAL:
		return (f & ~REGION_RAND_READ) | REGION_SEQ_READ;
	case MADV_DONTFORK:
		return f | REGION_DONTCOPY;
	case MADV_DOFORK:
		return f & ~REGION_DONTCOPY;
	case MADV_DONTDUMP:
		return f | REGION_DONTDUMP;
	case MADV_DODUMP:
		return f & REGION_DROPPABLE ? -EINVAL : f & ~REGION_DONTDUMP;
	case MADV_WIPEONFORK:
		return region_anonymous(r) ? f | REGION_WIPEONFORK : -EINVAL;
	case MADV_KEEPONFORK:
		return f & REGION_DROPPABLE ? -EINVAL : f & ~REGION_WIPEONFORK;
	case MADV_HUGEPAGE:
		return (f & ~REGION_NOHUGEPAGE) | REGION_HUGEPAGE;
	case MADV_NOHUGEPAGE:
		return (f & ~REGION_HUGEPAGE) | REGION_NOHUGEPAGE;
	case MADV_MERGEABLE:
		/* KSM takes private memory only and ignores the advice elsewhere */
		return f & (REGION_SHARED | REGION_DROPPABLE | REGION_HUGETLB)
		           ? f
		           : f | REGION_MERGEABLE;
	case MADV_UNMERGEABLE:
		return f & ~REGION_MERGEABLE;
	default:
		return f;
	}
}

/* Fault in [start, end) for MADV_POPULATE_*, stopping at the first page Linux would not fault
 * in: 0, -ENOMEM (a hole), -EINVAL (rights), or -ENOMEM when no frame is left. */
static long advise_populate(struct as *as, vaddr_t start, vaddr_t end, unsigned access)
{
	for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
		struct region *r = region_find(&as->regions, va);

		if (!r)
			return -ENOMEM;
		if (!(r->prot & access))
			return -EINVAL;
		reclaim_check(); /* a safe point: a range bigger than RAM goes through swap */

		enum fault_result fr = as_fault_in(as, r, va, access);

		if (fr != FAULT_OK)
			return fr == FAULT_OOM ? -ENOMEM : -EFAULT; /* SIGBUS, no huge page */
	}
	return 0;
}

/* True when the page at va of region r, which is there, was never written: the CPU, a write fault
 * and a kernel copy mark a page dirty (PTE_D). */
static bool page_clean(struct as *as, vaddr_t va)
{
	const pte_t *pte = pt_walk(as->root, va, false);

	return pte && !(*pte & PTE_D);
}

/* True when the page at va, which is there, is the zero page. */
static bool maps_zero_page(struct as *as, vaddr_t va)
{
	const pte_t *pte = pt_walk(as->root, va, false);

	return pte && is_zero_page(*pte & PTE_ADDR);
}

/* MADV_HWPOISON and MADV_SOFT_OFFLINE on [start, end) as Linux 6.12 built with
 * CONFIG_MEMORY_FAILURE, for root (the oracle): page by page, get_user_pages() reads the page in
 * (-EFAULT where it cannot: no region, no PROT_READ, no page to give). The zero page, which that
 * read maps for private anonymous memory never written, can be neither poisoned (-EBUSY) nor
 * offlined (-EIO). Any other page is offlined (migrated: nothing to see); poisoned, a clean shared
 * page is dropped from the cache (nothing to see here either), any other kills the process:
 * -EHWPOISON tells the system call to send SIGBUS. A shared page counts as clean when this
 * mapping never wrote it (SOS keeps no dirty bit in the object). */
static long inject_error(struct as *as, vaddr_t start, vaddr_t end, int advice)
{
	for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
		struct region *r = region_find(&as->regions, va);
		enum fault_result fr =
		    r && (r->prot & VM_READ) ? as_fault_in(as, r, va, VM_READ) : FAULT_DENIED;

		if (fr != FAULT_OK)
			return fr == FAULT_OOM ? -ENOMEM : -EFAULT;
		if (maps_zero_page(as, va))
			return advice == MADV_HWPOISON ? -EBUSY : -EIO;
		if (advice == MADV_HWPOISON && !((r->flags & REGION_SHARED) && page_clean(as, va)))
			return -EHWPOISON;
	}
	return 0;
}

/* MADV_REMOVE of [start, end) in shared region r: Linux punches a hole in the object, so every
 * mapping of those pages in every address space loses them (private copies stay), then the object
 * its frames; they read back as zeros. */
static void punch_hole(const struct region *r, vaddr_t start, vaddr_t end)
{
	uint64_t lo = region_pgidx(r, start), hi = lo + ((end - start) >> PAGE_SHIFT);

	obj_unmap(r->shm, lo, hi, false);
	shmem_remove(r->shm, lo, hi);
}

/* True for advice Linux refuses on locked memory (-EINVAL): it would drop or page out its pages. */
static bool refused_when_locked(int advice)
{
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_COLD:
	case MADV_PAGEOUT:
		return true;
	default:
		return false;
	}
}

/* Apply advice to [start, end), which lies inside region r. 0 or -errno. */
static long advise_part(struct as *as, struct region *r, vaddr_t start, vaddr_t end, int advice)
{
	bool shared = r->flags & REGION_SHARED;
	long huge = advise_huge(r, start, advice);

	if (huge != 1)
		return huge;
	if ((r->flags & REGION_LOCKED) && refused_when_locked(advice))
		return -EINVAL;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		/* Shared pages stay in their object: the next touch finds them again. */
		as_drop_pages(as, start, end);
		return 0;
	case MADV_FREE:
		if (!region_anonymous(r))
			return -EINVAL; /* Linux: private anonymous memory only */
		reclaim_free_lazily(as, start, end);
		return 0;
	case MADV_REMOVE:
		if (!shared) /* a private file mapping may not punch its file */
			return r->backing == RB_ZERO ? -EINVAL : -EACCES;
		if (r->flags & REGION_NOMAYWRITE)
			return -EACCES; /* Linux cleared its VM_SHARED: a file not open for writing
			                 */
		punch_hole(r, start, end);
		return 0;
	case MADV_COLLAPSE:
		return -EINVAL; /* no range SOS maps could become a huge page */
	case MADV_PAGEOUT:
		reclaim_range(as, start, end, true);
		return 0;
	case MADV_COLD:
		reclaim_range(as, start, end, false);
		return 0;
	case MADV_WILLNEED:
		swap_willneed(as, r, start, end);
		return 0;
	default: {
		long f = advice_flags(r, advice);

		if (is_err(f))
			return f;
		int err = as_modify(as, r, start, end, r->prot, (unsigned)f);

		/* Linux reports a split without memory here as -EAGAIN */
		return err == -ENOMEM ? -EAGAIN : err;
	}
	}
}

/* madvise(2). As Linux: advice reaches every region in the range in order, an error stops it,
 * and a hole makes the result -ENOMEM afterwards. */
long as_madvise(struct as *as, vaddr_t addr, size_t len, int advice)
{
	if (!advice_valid(advice) || !PAGE_ALIGNED(addr))
		return -EINVAL;

	vaddr_t plen = PAGE_UP(len), end = addr + plen;

	if ((len && !plen) || end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;
	if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE)
		return advise_populate(as, addr, end,
		                       advice == MADV_POPULATE_READ ? VM_READ : VM_WRITE);
	if (advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE)
		return inject_error(as, addr, end, advice);

	long hole = 0;
	vaddr_t next = addr;

	while (next < end) {
		struct region *r = region_first_after(&as->regions, next);

		if (!r)
			return -ENOMEM;
		if (next < r->start) {
			hole = -ENOMEM;
			next = r->start;
			if (next >= end)
				break;
		}
		vaddr_t stop = min_va(r->end, end);
		long err = advise_part(as, r, next, stop, advice);

		if (err)
			return err;
		next = stop;
	}
	return hole;
}
