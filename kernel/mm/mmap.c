/* The Linux memory system calls on an address space: brk, mmap, munmap, mprotect, madvise and
 * mremap, with Linux x86-64's argument checks, errno values and placement rules. */
#include <assert.h>
#include <errno.h>

#include "mm/as_impl.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/uapi.h"

#define PROT_SEM  0x8          /* accepted by x86's arch_validate_prot(), no effect */
#define MAP32_LO  0x40000000UL /* MAP_32BIT: Linux places these in [1 GiB, 2 GiB) */
#define MAP32_HI  0x80000000UL
#define MAX_ERRNO 4095

static bool is_err(long v)
{
	return (unsigned long)v >= (unsigned long)-MAX_ERRNO;
}

/* The start of the free space r leaves below it: Linux keeps a gap under growing stacks. */
static vaddr_t start_gap(const struct region *r)
{
	if (!(r->flags & REGION_GROWSDOWN))
		return r->start;
	return r->start > STACK_GUARD ? r->start - STACK_GUARD : 0;
}

/* True when [a, a + len) is free and clear of the gap below a growing region above it. */
static bool range_free(const struct as *as, vaddr_t a, vaddr_t len)
{
	const struct region *n = region_first_after(&as->regions, a);

	return !n || a + len <= start_gap(n);
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
		/* Shrinking is always allowed and unmaps whatever lies there, as munmap would. */
		if (as_unmap_range(as, newp, oldp))
			return as->brk;
		as->brk = newbrk;
		return newbrk;
	}
	/* Linux wants a free page above the new break (and the gap below a growing stack). */
	const struct region *n = region_first_after(&as->regions, oldp);

	if (newp > USER_END || (n && newp + PAGE_SIZE > start_gap(n)))
		return as->brk;

	struct region heap = {
	    .start = oldp,
	    .end = newp,
	    .prot = VM_READ | VM_WRITE,
	    .kind = RK_HEAP,
	    .backing = RB_ZERO,
	};
	if (as_add_region(as, &heap))
		return as->brk;
	as->brk = newbrk;
	return newbrk;
}

/* Linux's get_unmapped_area() for anonymous memory: the place for len bytes (page aligned,
 * len > 0) at or near addr, or -errno. fixed takes addr as it is; MAP_32BIT searches low. */
static long unmapped_area(const struct as *as, vaddr_t addr, vaddr_t len, int flags)
{
	vaddr_t a;

	if (len > USER_END)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		a = addr;
	} else if (flags & MAP_32BIT) {
		a = PAGE_DOWN(addr);
		if (!a || a > USER_END - len || !range_free(as, a, len))
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
	if (!PAGE_ALIGNED(a))
		return -EINVAL;
	if (a < USER_MIN)
		return -EPERM; /* mmap_min_addr */
	return (long)a;
}

/* Fault in every page of [start, end) the region rights allow, as MAP_POPULATE does. Failures
 * are ignored: the mapping stands and later touches fault normally. Regions without rights are
 * skipped whole, so a huge PROT_NONE reservation costs nothing. */
static void populate(struct as *as, vaddr_t start, vaddr_t end)
{
	const struct region *r = region_first_after(&as->regions, start);

	for (; r && r->start < end; r = region_next(&as->regions, r)) {
		vaddr_t lo = r->start > start ? r->start : start;
		vaddr_t hi = r->end < end ? r->end : end;

		if (!(r->prot & VM_RIGHTS))
			continue;
		for (vaddr_t va = lo; va < hi; va += PAGE_SIZE)
			if (as_fault_in(as, r, va) != FAULT_OK)
				return;
	}
}

/* mmap(2) for anonymous memory; file mappings fail with -EBADF (SOS has no files). */
long as_mmap(struct as *as, vaddr_t addr, size_t len, int prot, int flags, int fd, long off)
{
	(void)fd;
	if (off & (long)PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF;
	if (flags & MAP_HUGETLB)
		return -ENOMEM; /* no huge pages reserved, as on a default Linux */
	if (len == 0)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED) && addr && addr < USER_MIN)
		addr = USER_MIN; /* Linux's round_hint_to_min() */
	if (len > USER_END)
		return -ENOMEM; /* PAGE_UP(len) would also overflow near 2^64 */
	len = PAGE_UP(len);

	long a = unmapped_area(as, addr, len, flags);

	if (is_err(a))
		return a;
	vaddr_t start = (vaddr_t)a, end = start + len;

	if ((flags & MAP_FIXED_NOREPLACE)) {
		const struct region *n = region_first_after(&as->regions, start);

		if (n && n->start < end)
			return -EEXIST;
	}

	uint8_t rflags = 0;

	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		rflags = REGION_SHARED;
		break;
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL; /* anonymous MAP_SHARED_VALIDATE included, as on Linux */
	}
	if (flags & MAP_GROWSDOWN)
		rflags |= REGION_GROWSDOWN;

	if ((flags & MAP_FIXED) && as_unmap_range(as, start, end))
		return -ENOMEM;

	struct region r = {
	    .start = start,
	    .end = end,
	    .prot = (uint8_t)(prot & VM_RIGHTS), /* PROT_* and VM_* share their values */
	    .kind = RK_MMAP,
	    .backing = RB_ZERO,
	    .flags = rflags,
	};
	if (as_add_region(as, &r))
		return -ENOMEM;
	if ((flags & (MAP_POPULATE | MAP_LOCKED)) && !(flags & MAP_NONBLOCK))
		populate(as, start, end);
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

/* pt_range() callback: give one present page the rights of *(unsigned *)arg. */
static void set_leaf_rights(pte_t *pte, vaddr_t va, void *arg)
{
	*pte = (*pte & (PTE_ADDR | PTE_A | PTE_D)) | pte_rights(*(const unsigned *)arg);
	hal_flush_page(va);
}

/* Give [start, end), which lies inside one region, the rights prot: cut the region out, then
 * rewrite the present PTEs (keeping their frames, also for PROT_NONE). 0 or -ENOMEM. */
static int protect_part(struct as *as, vaddr_t start, vaddr_t end, unsigned prot)
{
	struct region *r = region_find(&as->regions, start);

	if (r->prot == prot)
		return 0;
	if (as_split(as, start) || as_split(as, end))
		return -ENOMEM;
	r = region_find(&as->regions, start);
	assert(r->start == start && r->end == end);
	r->prot = (uint8_t)prot; /* not a key of the tree: safe to change in place */
	pt_range(as->root, start, end, set_leaf_rights, &prot);
	return 0;
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

	const struct region *r = region_first_after(&as->regions, addr);

	if (!r || r->start >= end)
		return -ENOMEM;
	if (grows & PROT_GROWSUP)
		return -EINVAL; /* x86 has no upward-growing regions */
	if (grows & PROT_GROWSDOWN) {
		if (!(r->flags & REGION_GROWSDOWN))
			return -EINVAL;
		addr = r->start;
	} else if (r->start > addr) {
		return -ENOMEM;
	}

	unsigned vmprot = (unsigned)prot & VM_RIGHTS;
	vaddr_t next = addr;
	long err = 0;

	while (next < end) {
		r = region_first_after(&as->regions, next);
		if (!r || r->start > next) {
			err = -ENOMEM;
			break;
		}
		vaddr_t stop = r->end < end ? r->end : end;

		if (protect_part(as, next, stop, vmprot)) {
			err = -ENOMEM;
			break;
		}
		next = stop;
	}
	as_merge_range(as, addr, next);
	return err;
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
		return true;
	default:
		return false;
	}
}

/* Fault in [start, end) of r for MADV_POPULATE_*: 0, -EINVAL (rights), -ENOMEM. */
static long advise_populate(struct as *as, const struct region *r, vaddr_t start, vaddr_t end,
                            unsigned access)
{
	if (r->kind == RK_GUARD || !prot_allows(r->prot, access))
		return -EINVAL;
	for (vaddr_t va = start; va < end; va += PAGE_SIZE)
		if (as_fault_in(as, r, va) != FAULT_OK)
			return -ENOMEM;
	return 0;
}

/* Apply advice to [start, end), which lies inside region r. 0 or -errno. */
static long advise_part(struct as *as, const struct region *r, vaddr_t start, vaddr_t end,
                        int advice)
{
	bool shared = r->flags & REGION_SHARED;

	switch (advice) {
	case MADV_DONTNEED:
		/* Shared anonymous memory lives in its (shmem) object, not only in the PTEs:
		 * dropping the PTEs would lose nothing on Linux, so it keeps its frames here. */
		if (!shared)
			as_drop_pages(as, start, end);
		return 0;
	case MADV_FREE:
		if (shared || r->backing != RB_ZERO)
			return -EINVAL; /* Linux: private anonymous memory only */
		as_drop_pages(as, start, end);
		return 0;
	case MADV_REMOVE:
		if (!shared)
			return -EINVAL;
		as_drop_pages(as, start, end);
		return 0;
	case MADV_POPULATE_READ:
		return advise_populate(as, r, start, end, VM_READ);
	case MADV_POPULATE_WRITE:
		return advise_populate(as, r, start, end, VM_WRITE);
	default:
		return 0; /* hints with no effect on a single-process pager without swap */
	}
}

/* madvise(2). As Linux: advice reaches every region in the range, and any hole makes the result
 * -ENOMEM afterwards. */
long as_madvise(struct as *as, vaddr_t addr, size_t len, int advice)
{
	if (!advice_valid(advice) || !PAGE_ALIGNED(addr))
		return -EINVAL;

	vaddr_t plen = PAGE_UP(len), end = addr + plen;

	if ((len && !plen) || end < addr)
		return -EINVAL;
	if (end == addr)
		return 0;

	long hole = 0;
	vaddr_t next = addr;

	while (next < end) {
		const struct region *r = region_first_after(&as->regions, next);

		if (!r)
			return -ENOMEM;
		if (next < r->start) {
			hole = -ENOMEM;
			next = r->start;
			if (next >= end)
				break;
		}
		vaddr_t stop = r->end < end ? r->end : end;
		long err = advise_part(as, r, next, stop, advice);

		if (err)
			return err;
		next = stop;
	}
	return hole;
}

struct move {
	struct as *as;
	vaddr_t from, to; /* a page at from + x goes to to + x */
	bool failed;
};

/* pt_range() callback, first pass: make the table for the destination of one page. */
static void move_prepare(pte_t *pte, vaddr_t va, void *arg)
{
	struct move *m = arg;

	(void)pte;
	if (!m->failed && !pt_walk(m->as->root, va - m->from + m->to, true))
		m->failed = true;
}

/* pt_range() callback, second pass: move one PTE (the frame, not the data). */
static void move_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	struct move *m = arg;
	pte_t *dst = pt_walk(m->as->root, va - m->from + m->to, false);

	assert(dst && !(*dst & PTE_P));
	*dst = *pte;
	*pte = 0;
	hal_flush_page(va);
}

/* Move [old, old + oldlen), which lies inside region r, to a fresh region of newlen at to,
 * carrying its pages; unless keep_old, the old range is unmapped. to + newlen is free. */
static long move_range(struct as *as, struct region *r, vaddr_t old, vaddr_t oldlen, vaddr_t newlen,
                       vaddr_t to, bool keep_old)
{
	struct region n = *r;

	n.start = to;
	n.end = to + newlen;
	if (r->backing == RB_IMAGE) {
		/* Keep only the file bytes the old range shows, re-addressed at the new place. */
		vaddr_t lo = old > r->file_va ? old : r->file_va;
		vaddr_t fend = r->file_va + r->file_len;
		vaddr_t hi = old + oldlen < fend ? old + oldlen : fend;

		if (lo < hi) {
			n.image = r->image + (lo - r->file_va);
			n.file_va = to + (lo - old);
			n.file_len = hi - lo;
		} else {
			n.backing = RB_ZERO;
			n.image = NULL;
			n.file_va = n.file_len = 0;
		}
	}
	/* Everything that can fail comes first: the cuts, the new region, the new tables. */
	struct region *nr = NULL;
	struct move m = {as, old, to, false};

	if (!as_split(as, old) && !as_split(as, old + oldlen) && (nr = region_alloc()))
		pt_range(as->root, old, old + oldlen, move_prepare, &m);
	if (!nr || m.failed) {
		if (nr)
			region_release(nr);
		pt_prune(as->root, to, to + newlen);
		as_merge_range(as, old, old + oldlen);
		return -ENOMEM;
	}
	*nr = n;
	region_insert(&as->regions, nr); /* unmerged until the old range is gone */
	pt_range(as->root, old, old + oldlen, move_leaf, &m);
	if (!keep_old) {
		int err = as_unmap_range(as, old, old + oldlen); /* already cut: cannot fail */

		assert(err == 0);
		(void)err;
	} else {
		pt_prune(as->root, old, old + oldlen);
		as_merge_range(as, old, old + oldlen);
	}
	as_merge_range(as, to, to + newlen);
	return (long)to;
}

/* The region holding all of [old, old + oldlen) for a resize, or NULL (-EFAULT). */
static struct region *resizable(struct as *as, vaddr_t old, vaddr_t oldlen)
{
	struct region *r = region_find(&as->regions, old);

	if (!r || oldlen > r->end - old)
		return NULL;
	return r;
}

/* mremap() with MREMAP_FIXED or MREMAP_DONTUNMAP: Linux's mremap_to(). */
static long remap_to(struct as *as, vaddr_t old, vaddr_t oldlen, vaddr_t newlen, int flags,
                     vaddr_t newaddr)
{
	if (!PAGE_ALIGNED(newaddr))
		return -EINVAL;
	if (newlen > USER_END || newaddr > USER_END - newlen)
		return -EINVAL;
	if (old + oldlen > newaddr && newaddr + newlen > old)
		return -EINVAL; /* the two ranges overlap */
	long err = (flags & MREMAP_FIXED) ? as_munmap(as, newaddr, newlen) : 0;

	if (!err && oldlen > newlen) {
		err = as_munmap(as, old + newlen, oldlen - newlen);
		oldlen = newlen;
	}
	if (err)
		return err;

	struct region *r = resizable(as, old, oldlen);

	if (!r)
		return -EFAULT;

	long a = unmapped_area(as, newaddr, newlen, (flags & MREMAP_FIXED) ? MAP_FIXED : 0);

	if (is_err(a))
		return a;
	return move_range(as, r, old, oldlen, newlen, (vaddr_t)a, (flags & MREMAP_DONTUNMAP) != 0);
}

/* mremap(2) for anonymous memory: shrink, grow in place, move (pages move, data stays). */
long as_mremap(struct as *as, vaddr_t old, size_t oldlen, size_t newlen, int flags, vaddr_t newaddr)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || oldlen != newlen))
		return -EINVAL;
	if (!PAGE_ALIGNED(old))
		return -EINVAL;
	oldlen = PAGE_UP(oldlen);
	newlen = PAGE_UP(newlen);
	if (newlen == 0)
		return -EINVAL;

	struct region *r = region_find(&as->regions, old);

	if (!r)
		return -EFAULT;
	if (oldlen == 0)
		return -EINVAL; /* Linux duplicates shared mappings here; SOS does not */
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return remap_to(as, old, oldlen, newlen, flags, newaddr);

	if (oldlen >= newlen) {
		long err = oldlen > newlen ? as_munmap(as, old + newlen, oldlen - newlen) : 0;

		return err ? err : (long)old;
	}

	r = resizable(as, old, oldlen);
	if (!r)
		return -EFAULT;
	if (oldlen == r->end - old) {
		/* Grow in place when the pages above are free (up to the next region's start). */
		const struct region *n = region_next(&as->regions, r);
		vaddr_t need = old + newlen;

		if (newlen <= USER_END - old && (!n || n->start >= need)) {
			region_remove(&as->regions, r);
			r->end = need;
			region_insert(&as->regions, r);
			as_merge_range(as, r->start, r->end);
			return (long)old;
		}
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;

	long a = unmapped_area(as, 0, newlen, 0);

	if (is_err(a))
		return a;
	return move_range(as, r, old, oldlen, newlen, (vaddr_t)a, false);
}
