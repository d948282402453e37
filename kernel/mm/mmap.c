/* The Linux memory system calls on an address space: brk, mmap, munmap and mprotect, with Linux
 * 6.12 x86-64's argument checks, errno values, placement and VMA merging rules; as_modify() for
 * them and madvise. madvise is in madvise.c, mremap in mremap.c, MAP_HUGETLB's rules in
 * hugetlb.c. */
#include <assert.h>
#include <errno.h>

#include "mm/as_impl.h"
#include "mm/hal.h"
#include "mm/hugetlb.h"
#include "mm/layout.h"
#include "mm/overcommit.h"
#include "mm/pagetable.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

#define PROT_SEM      0x8  /* accepted by x86's arch_validate_prot(), no effect */
#define MAP_DROPPABLE 0x08 /* a MAP_TYPE: private memory the kernel may drop (6.11) */

static vaddr_t min_va(vaddr_t a, vaddr_t b)
{
	return a < b ? a : b;
}

/* The start of the free space r leaves below it: Linux keeps a gap under growing stacks. */
static vaddr_t start_gap(const struct region *r)
{
	if (!(r->flags & REGION_GROWSDOWN))
		return r->start;
	return r->start > STACK_GUARD ? r->start - STACK_GUARD : 0;
}

/* True when [a, a + len) is free and clear of the gap below a growing region above it. */
bool range_free(const struct as *as, vaddr_t a, vaddr_t len)
{
	const struct region *n = region_first_after(&as->regions, a);

	return !n || a + len <= start_gap(n);
}

/* ---- brk ----------------------------------------------------------------------------------- */

/* Heap pages [start, end): the heap region ending at start grows when Linux's do_brk_flags()
 * would expand it (it could merge them), else a new region. 0 or -ENOMEM. */
static int brk_grow(struct as *as, vaddr_t start, vaddr_t end)
{
	struct region heap = {
	    .start = start,
	    .end = end,
	    .prot = VM_READ | VM_WRITE,
	    .kind = RK_HEAP,
	    .backing = RB_ZERO,
	    .flags = (uint32_t)(REGION_ACCOUNT | as->lock_future),
	    .pgoff = start >> PAGE_SHIFT,
	};
	struct region *p = start ? region_find(&as->regions, start - 1) : NULL;

	if (p && p->start >= as->brk_start && region_mergeable(p, &heap)) {
		region_remove(&as->regions, p);
		p->end = end;
		region_insert(&as->regions, p);
		return 0;
	}
	struct region *r = region_alloc();

	if (!r)
		return -ENOMEM;
	*r = heap;
	r->as = as;
	region_insert(&as->regions, r); /* never merged with the region above */
	return 0;
}

/* brk(2): move the program break to newbrk; a refusal returns the old break, as on Linux. */
vaddr_t as_brk(struct as *as, vaddr_t newbrk)
{
	if (newbrk < as->brk_start || newbrk > USER_END)
		return as->brk;

	vaddr_t oldp = PAGE_UP(as->brk), newp = PAGE_UP(newbrk);

	if (newp == oldp) {
		as->brk = newbrk;
		return newbrk;
	}
	if (newbrk < as->brk) {
		/* Linux unmaps whatever lies there, but only when something does. */
		if (!any_region(as, newp, oldp) || as_unmap_range(as, newp, oldp))
			return as->brk;
		as->brk = newbrk;
		return newbrk;
	}
	/* Linux wants a free page above the new break (and the gap below a growing stack). */
	const struct region *n = region_first_after(&as->regions, oldp);

	if (newp > USER_END || (n && newp + PAGE_SIZE > start_gap(n)))
		return as->brk;
	/* Linux's do_brk_flags() charges the pages it adds */
	if (vm_enough_memory((newp - oldp) >> PAGE_SHIFT) || brk_grow(as, oldp, newp))
		return as->brk;
	if (as->lock_future)
		as_populate(as, oldp, newp, true); /* mlockall(MCL_FUTURE) */
	as->brk = newbrk;
	return newbrk;
}

/* ---- mmap ---------------------------------------------------------------------------------- */

/* Linux's get_unmapped_area() for anonymous memory: the place for len bytes (page aligned,
 * len > 0) at or near addr, or -errno. fixed takes addr as it is; MAP_32BIT searches low. */
long unmapped_area(const struct as *as, vaddr_t addr, vaddr_t len, int flags)
{
	vaddr_t a;

	if (len > USER_END)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		a = addr;
	} else if (flags & MAP_32BIT) {
		/* Linux's bottom-up search: a hint is taken only below 2 GiB */
		a = PAGE_DOWN(addr);
		if (!a || len > MAP32_HI || a > MAP32_HI - len || !range_free(as, a, len))
			a = region_gap_bottomup(&as->regions, MAP32_LO, MAP32_HI, len);
		if (!a)
			return -ENOMEM;
	} else {
		a = PAGE_DOWN(addr);
		if (!a || a > USER_END - len || !range_free(as, a, len))
			a = region_gap_topdown(&as->regions, USER_MIN, MMAP_TOP, len);
		if (!a)
			return -ENOMEM;
	}
	if (a > USER_END - len)
		return -ENOMEM;
	/* Below USER_MIN only by MAP_FIXED or a hint, and the process runs as root, as on the
	 * oracle: CAP_SYS_RAWIO passes mmap_min_addr. */
	return PAGE_ALIGNED(a) ? (long)a : -EINVAL;
}

/* Linux's round_hint_to_min(): an mmap hint in the first 64 KiB becomes USER_MIN, one in the
 * first page none. */
vaddr_t round_hint_to_min(vaddr_t addr)
{
	addr = PAGE_DOWN(addr);
	return addr && addr < USER_MIN ? USER_MIN : addr;
}

/* REGION_EXEC_ONLY when prot, as mmap or mprotect got it, is PROT_EXEC and nothing else (no
 * PROT_SEM either) on a CPU with protection keys: Linux then gives the memory its execute-only
 * key (arch_override_mprotect_pkey()); else 0, which takes the key away again. */
unsigned exec_only_flag(int prot)
{
	return prot == PROT_EXEC && hal_exec_only() ? REGION_EXEC_ONLY : 0;
}

/* The region flags of an anonymous mmap with flags and prot; -EINVAL for a bad MAP_TYPE or a
 * combination Linux refuses. */
static long mmap_region_flags(int flags, int prot)
{
	long f = 0;

	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		f = REGION_SHARED;
		break;
	case MAP_DROPPABLE:
		if (flags & (MAP_GROWSDOWN | MAP_LOCKED))
			return -EINVAL;
		f = REGION_DROPPABLE | REGION_NORESERVE | REGION_WIPEONFORK | REGION_DONTDUMP;
		break;
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL; /* anonymous MAP_SHARED_VALIDATE included, as on Linux */
	}
	if (flags & MAP_GROWSDOWN)
		f |= REGION_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		f |= REGION_NORESERVE;
	if (flags & MAP_STACK)
		f |= REGION_NOHUGEPAGE;
	if (flags & MAP_SYNC)
		f |= REGION_SYNC;
	if (flags & MAP_LOCKED)
		f |= REGION_LOCKED;
	if (!(f & (REGION_SHARED | REGION_NORESERVE)) && (prot & PROT_WRITE))
		f |= REGION_ACCOUNT;
	return f | exec_only_flag(prot);
}

/* Pages of [start, end) in regions charged already (VM_ACCOUNT): what a mapping replacing them
 * does not charge again (Linux's nr_accounted). Regions there lie inside, as_cut() made sure. */
static uint64_t charged_pages(const struct as *as, vaddr_t start, vaddr_t end)
{
	uint64_t n = 0;

	for (const struct region *r = region_first_after(&as->regions, start); r && r->start < end;
	     r = region_next(&as->regions, r))
		if (r->flags & REGION_ACCOUNT)
			n += region_pages(r);
	return n;
}

/* Linux 6.12's mmap_region() up to the new mapping: with fixed, cut what [start, end) meets; charge
 * private writable memory (rflags has REGION_ACCOUNT) less what it replaces, refused with the old
 * mappings kept, cut; unmap them; charge a shared object by its size unless MAP_NORESERVE
 * (shmem_zero_setup()), refused with the range left empty. 0 or -errno. */
static long make_room(struct as *as, vaddr_t start, vaddr_t end, unsigned rflags, bool fixed)
{
	int err = fixed ? as_cut(as, start, end) : 0; /* -EINVAL inside a huge page */

	if (err)
		return err;
	if ((rflags & REGION_ACCOUNT) &&
	    vm_enough_memory(((end - start) >> PAGE_SHIFT) - charged_pages(as, start, end)))
		return -ENOMEM;
	if (fixed)
		as_remove_range(as, start, end);
	if ((rflags & (REGION_SHARED | REGION_NORESERVE)) == REGION_SHARED)
		return vm_enough_memory((end - start) >> PAGE_SHIFT);
	return 0;
}

/* mmap(2) for anonymous memory; file mappings fail with -EBADF (SOS has no files). */
long as_mmap(struct as *as, vaddr_t addr, size_t len, int prot, int flags, int fd, long off)
{
	(void)fd;
	if (off & (long)PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF;
	if (len == 0)
		return -EINVAL;
	if (flags & MAP_HUGETLB)
		return hugetlb_mmap(as, addr, len, prot, flags, off);
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	if (len > USER_END)
		return -ENOMEM; /* PAGE_UP(len) would also overflow near 2^64 */
	len = PAGE_UP(len);

	long a = unmapped_area(as, addr, len, flags);

	if (is_err(a))
		return a;
	vaddr_t start = (vaddr_t)a, end = start + len;

	if ((flags & MAP_FIXED_NOREPLACE) && any_region(as, start, end))
		return -EEXIST;

	long rflags = mmap_region_flags(flags, prot);

	if (is_err(rflags))
		return rflags;
	if (!(rflags & REGION_DROPPABLE)) /* Linux never locks droppable memory */
		rflags |= as->lock_future;
	long err = make_room(as, start, end, (unsigned)rflags, flags & MAP_FIXED);

	if (err)
		return err;

	bool shared = rflags & REGION_SHARED;
	/* Linux's shmem_zero_setup(): the object is as long as the mapping, for good */
	struct shmem *obj = shared ? shmem_create(len >> PAGE_SHIFT) : NULL;

	if (shared && !obj)
		return -ENOMEM;

	struct region r = {
	    .start = start,
	    .end = end,
	    .prot = (uint8_t)(prot & VM_RIGHTS), /* PROT_* and VM_* share their values */
	    .kind = RK_MMAP,
	    .backing = RB_ZERO,
	    .flags = (uint32_t)rflags,
	    .obj = shared ? ++as->ids : 0,
	    .pgoff = shared ? 0 : start >> PAGE_SHIFT,
	    .shm = obj,
	};
	const struct region *got = as_add_region(as, &r);

	if (obj)
		shmem_put(obj); /* the region holds its own reference */
	if (!got)
		return -ENOMEM;
	/* Linux populates locked memory even with MAP_NONBLOCK */
	if ((rflags & REGION_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		as_populate(as, start, end, true);
	return a;
}

/* munmap(2): holes are fine, regions are cut at the ends. */
long as_munmap(struct as *as, vaddr_t addr, size_t len)
{
	if (!PAGE_ALIGNED(addr) || addr > USER_END || len > USER_END - addr)
		return -EINVAL;
	len = PAGE_UP(len);
	if (len == 0)
		return -EINVAL;
	return as_unmap_range(as, addr, addr + len);
}

/* ---- changing the attributes of part of a region ------------------------------------------ */

/* pt_range() callback: give one present page the rights of region *arg. */
static void set_leaf_rights(pte_t *pte, vaddr_t va, void *arg)
{
	*pte = (*pte & (PTE_ADDR | PTE_A | PTE_D)) | region_pte(arg);
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

/* ---- mprotect ------------------------------------------------------------------------------ */

/* The flags r gets with new rights prot (rawprot as mprotect got it), as Linux's mprotect_fixup()
 * accounts: private memory made writable for the first time is charged (hugetlb memory never);
 * anonymous memory never written is uncharged when it stops being; the execute-only key comes or
 * goes. */
static unsigned protect_flags(const struct region *r, unsigned prot, int rawprot)
{
	unsigned f = (r->flags & ~REGION_EXEC_ONLY) | exec_only_flag(rawprot);

	if (f == r->flags && prot == r->prot)
		return f; /* Linux changes nothing when nothing changes */

	if (prot & VM_WRITE) {
		if (!(r->prot & VM_WRITE) &&
		    !(f & (REGION_ACCOUNT | REGION_SHARED | REGION_NORESERVE | REGION_HUGETLB)))
			f |= REGION_ACCOUNT;
	} else if ((f & REGION_ACCOUNT) && region_anonymous(r) && !r->anon) {
		f &= ~REGION_ACCOUNT;
	}
	return f;
}

/* True when mprotect makes locked private memory writable: Linux then faults it in for writing
 * (mprotect_fixup()), which gives it an anon identity. */
static bool unlocked_write(unsigned flags, unsigned prot, unsigned newprot)
{
	return (flags & (REGION_LOCKED | REGION_ONFAULT | REGION_SHARED)) == REGION_LOCKED &&
	       !(prot & VM_WRITE) && (newprot & VM_WRITE);
}

/* mprotect(2). As Linux, regions before a hole keep their new rights when -ENOMEM is returned. */
long as_mprotect(struct as *as, vaddr_t addr, size_t len, int prot)
{
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);

	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || !PAGE_ALIGNED(addr))
		return -EINVAL;
	if (len == 0)
		return 0;

	vaddr_t end = addr + PAGE_UP(len);

	if (end <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	struct region *r = region_first_after(&as->regions, addr);

	if (!r || r->start >= end)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (!(r->flags & REGION_GROWSDOWN))
			return -EINVAL;
		addr = r->start;
	} else if (r->start > addr) {
		return -ENOMEM;
	} else if (grows & PROT_GROWSUP) {
		return -EINVAL; /* x86 has no upward-growing regions */
	}

	unsigned vmprot = (unsigned)prot & VM_RIGHTS;
	vaddr_t next = addr;

	while (next < end) {
		r = region_first_after(&as->regions, next);
		if (!r || r->start > next)
			return -ENOMEM;

		vaddr_t stop = min_va(r->end, end);

		unsigned oldflags = r->flags, oldprot = r->prot;
		unsigned newflags = protect_flags(r, vmprot, prot);

		/* mprotect_fixup() charges the pages it makes chargeable; a refusal keeps the
		 * regions changed so far */
		if ((newflags & ~oldflags & REGION_ACCOUNT) &&
		    vm_enough_memory((stop - next) >> PAGE_SHIFT))
			return -ENOMEM;

		int err = as_modify(as, r, next, stop, vmprot, newflags);

		if (err)
			return err;
		if (unlocked_write(oldflags, oldprot, vmprot))
			as_populate(as, next, stop, true);
		next = stop;
	}
	return 0;
}
