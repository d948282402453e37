/* brk, mmap and munmap on an address space, with Linux 6.12 x86-64's argument checks, errno values,
 * commit charges and VMA merging. Placement is in place.c, MAP_HUGETLB's rules in hugetlb.c. */
#include <errno.h>

#include "mm/fault.h"
#include "mm/hugetlb.h"
#include "mm/layout.h"
#include "mm/overcommit.h"
#include "mm/place.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

#define MAP_DROPPABLE 0x08 /* a MAP_TYPE: private memory the kernel may drop (6.11) */

/* ---- brk ----------------------------------------------------------------------------------- */

/* Heap pages [start, end): the heap region ending at start grows when Linux's do_brk_flags()
 * would expand it (it could merge them: not when its anon identity came from fork), else a new
 * region. 0 or -ENOMEM. */
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

	if (p && p->start >= as->brk_start && region_mergeable(p, &heap) && anon_joins(&heap, p)) {
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

/* The region flags f of a mapping (its kind's own) with those every mmap takes from flags and
 * prot: MAP_NORESERVE, MAP_STACK, MAP_SYNC, MAP_LOCKED, execute-only, and the charge (VM_ACCOUNT)
 * of private writable memory. */
static long common_flags(long f, int flags, int prot)
{
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
	return common_flags(f, flags, prot);
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
 * mappings kept, cut; unmap them; charge a new shared anonymous object (anon) by its size unless
 * MAP_NORESERVE (shmem_zero_setup()), refused with the range left empty. 0 or -errno. */
static long make_room(struct as *as, vaddr_t start, vaddr_t end, unsigned rflags, bool fixed,
                      bool anon)
{
	int err = fixed ? as_cut(as, start, end) : 0; /* -EINVAL inside a huge page */

	if (err)
		return err;
	if ((rflags & REGION_ACCOUNT) &&
	    vm_enough_memory(((end - start) >> PAGE_SHIFT) - charged_pages(as, start, end)))
		return -ENOMEM;
	if (fixed)
		as_remove_range(as, start, end);
	if (anon && (rflags & (REGION_SHARED | REGION_NORESERVE)) == REGION_SHARED)
		return vm_enough_memory((end - start) >> PAGE_SHIFT);
	return 0;
}

/* Linux 6.12's do_mmap() up to the place of a mapping of len bytes (> 0) at or near addr: the
 * hint rules, the length rounded (*len), the place found, MAP_FIXED_NOREPLACE's -EEXIST. The
 * place or -errno. */
static long mmap_place(const struct as *as, vaddr_t addr, size_t *len, int flags)
{
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	if (*len > USER_END)
		return -ENOMEM; /* PAGE_UP(len) would also overflow near 2^64 */
	*len = PAGE_UP(*len);

	long a = unmapped_area(as, addr, *len, flags);

	if (!is_err(a) && (flags & MAP_FIXED_NOREPLACE) &&
	    any_region(as, (vaddr_t)a, (vaddr_t)a + *len))
		return -EEXIST;
	return a;
}

/* Add the new mapping tmpl (its range made free) and fault it in when Linux's do_mmap() would:
 * locked memory, or MAP_POPULATE without MAP_NONBLOCK. Its start, or -ENOMEM. */
static long map_new(struct as *as, const struct region *tmpl, int flags)
{
	if (!as_add_region(as, tmpl))
		return -ENOMEM;
	/* Linux populates locked memory even with MAP_NONBLOCK */
	if ((tmpl->flags & REGION_LOCKED) ||
	    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		as_populate(as, tmpl->start, tmpl->end, true);
	return (long)tmpl->start;
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
	long a = mmap_place(as, addr, &len, flags);

	if (is_err(a))
		return a;
	vaddr_t start = (vaddr_t)a, end = start + len;

	long rflags = mmap_region_flags(flags, prot);

	if (is_err(rflags))
		return rflags;
	if (!(rflags & REGION_DROPPABLE)) /* Linux never locks droppable memory */
		rflags |= as->lock_future;
	long err = make_room(as, start, end, (unsigned)rflags,
	                     flags & (MAP_FIXED | MAP_FIXED_NOREPLACE), true);

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
	long got = map_new(as, &r, flags);

	if (obj)
		shmem_put(obj); /* the region holds its own reference */
	return got;
}

static bool (*file_writable)(void *file);

/* The fs's test of whether a file is open for writing (every file is until it registers). */
void mm_set_file_writable_hook(bool (*writable)(void *file))
{
	file_writable = writable;
}

/* The region flags of a mapping of a tmpfs file with flags (its MAP_TYPE checked) and prot, as
 * Linux's calc_vm_flag_bits() and do_mmap(): a MAP_SHARED mapping drops the flags Linux does not
 * know (MAP_SYNC among them), and of a file not open for writing may never write (VM_MAYWRITE
 * cleared); private writable memory is charged. -EINVAL for MAP_GROWSDOWN. */
static long object_region_flags(int flags, int prot, void *file)
{
	long f = (flags & MAP_TYPE) == MAP_PRIVATE ? 0 : REGION_SHARED;

	if (f && file && file_writable && !file_writable(file))
		f |= REGION_NOMAYWRITE;

	if ((flags & MAP_TYPE) == MAP_SHARED)
		flags &= LEGACY_MAP_MASK;
	if (flags & MAP_GROWSDOWN)
		return -EINVAL;
	return common_flags(f, flags, prot);
}

/* The errno Linux's do_mmap() finds in a tmpfs file mapping's type and flags, or 0: a bad type,
 * MAP_SHARED_VALIDATE with a flag tmpfs does not take (MAP_SYNC, MAP_FIXED_NOREPLACE). */
static long object_type_check(int flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		return flags & ~LEGACY_MAP_MASK ? -EOPNOTSUPP : 0;
	case MAP_SHARED:
	case MAP_PRIVATE:
		return 0;
	default:
		return -EINVAL; /* MAP_DROPPABLE is for memory without a file */
	}
}

/* mmap(2) of a file whose pages are obj: see as.h. Linux 6.12's order: the offset, MAP_HUGETLB
 * on a file that is not hugetlbfs, the length, the place, the largest file offset, the type. */
long as_mmap_object(struct as *as, vaddr_t addr, size_t len, int prot, int flags, struct shmem *obj,
                    uint64_t off, void *file)
{
	if ((off & PAGE_MASK) || (flags & MAP_HUGETLB) || len == 0)
		return -EINVAL;

	long a = mmap_place(as, addr, &len, flags);

	if (is_err(a))
		return a;
	if (off >> PAGE_SHIFT > (~0UL / 2 - len) >> PAGE_SHIFT)
		return -EOVERFLOW; /* file_mmap_ok(): past the largest file */

	long rflags = object_type_check(flags);

	if (!rflags)
		rflags = object_region_flags(flags, prot, file);
	if (is_err(rflags))
		return rflags;
	rflags |= as->lock_future;

	vaddr_t start = (vaddr_t)a, end = start + len;
	long err = make_room(as, start, end, (unsigned)rflags,
	                     flags & (MAP_FIXED | MAP_FIXED_NOREPLACE), false);

	if (err)
		return err;

	struct region r = {
	    .start = start,
	    .end = end,
	    .prot = (uint8_t)(prot & VM_RIGHTS),
	    .kind = RK_MMAP,
	    .backing = RB_OBJECT,
	    .flags = (uint32_t)rflags,
	    .pgoff = off >> PAGE_SHIFT,
	    .shm = obj,
	    .file = file,
	};
	return map_new(as, &r, flags);
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
