/* MAP_HUGETLB memory as Linux with no huge pages reserved: its placement, flag and alignment rules
 * for mmap, madvise, mremap and region cuts. No frames ever (as_fault_in() says FAULT_NOHUGE). */
#include <errno.h>

#include "mm/hugetlb.h"
#include "mm/layout.h"
#include "mm/place.h"
#include "mm/vma.h"
#include "mm/uapi.h"

/* The huge-page size MAP_HUGE_* in flags asks for (0: the default, 2 MiB), or 0 when the machine
 * has no such pages: the oracle has pools of 2 MiB and 1 GiB pages (both empty). */
static vaddr_t huge_size(int flags)
{
	switch (((unsigned)flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK) {
	case 0:
	case 21:
		return HUGE_2M;
	case 30:
		return HUGE_1G;
	default:
		return 0;
	}
}

/* The highest huge-aligned place for len bytes in [lo, hi), as Linux's unmapped_area_topdown()
 * with an alignment: the highest gap holding len plus the alignment slack, then aligned down. */
static vaddr_t huge_gap_topdown(const struct as *as, vaddr_t lo, vaddr_t hi, vaddr_t len,
                                vaddr_t huge)
{
	vaddr_t a = region_gap_topdown(&as->regions, lo, hi, len + huge - PAGE_SIZE);

	return a ? (a + huge - PAGE_SIZE) & ~(huge - 1) : 0;
}

/* Linux 6.12 x86's hugetlb_get_unmapped_area(): MAP_FIXED must be huge aligned (and may be below
 * 64 KiB: the oracle runs as root); a hint is rounded down to a huge page (to 0 below 2 MiB) and
 * taken when free; else the highest huge-aligned place below the mmap base. MAP_32BIT is
 * ignored (it is arch_get_unmapped_area()'s, which hugetlb memory does not go through). The
 * place or -errno. */
static long huge_area(const struct as *as, vaddr_t addr, vaddr_t len, int flags, vaddr_t huge)
{
	vaddr_t a = addr & ~(huge - 1);

	if (len > USER_END)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr & (huge - 1))
			return -EINVAL;
		return addr > USER_END - len ? -ENOMEM : (long)addr;
	}
	if (addr && a <= USER_END - len && range_free(as, a, len))
		return (long)a;
	a = huge_gap_topdown(as, USER_MIN, MMAP_TOP, len, huge);
	return a ? (long)a : -ENOMEM;
}

/* The errno Linux's do_mmap() finds in a hugetlbfs mapping's type and flags, or 0. */
static long huge_flags_check(int flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP; /* MAP_HUGE_* and MAP_FIXED_NOREPLACE included */
		break;
	case MAP_SHARED:
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL; /* MAP_DROPPABLE is for memory without a file */
	}
	return flags & MAP_GROWSDOWN ? -EINVAL : 0;
}

/* mmap(2) with MAP_HUGETLB: a hugetlbfs file of len rounded up to huge pages, mapped at a huge
 * aligned place. No huge page is ever reserved (Linux's default), so without MAP_NORESERVE it
 * fails; with it the mapping is made, and every touch of it is SIGBUS. Errors come in Linux's
 * order; the last two come after MAP_FIXED has unmapped the range, as on Linux. */
long hugetlb_mmap(struct as *as, vaddr_t addr, size_t len, int prot, int flags, long off)
{
	vaddr_t huge = huge_size(flags);

	if (!huge || len > ~(huge - 1))
		return -EINVAL; /* an unknown size, or the length in huge pages wraps to 0 */
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);

	vaddr_t hlen = (len + huge - 1) & ~(huge - 1);
	long a = huge_area(as, addr, hlen, flags, huge);

	if (is_err(a))
		return a;
	if ((flags & MAP_FIXED_NOREPLACE) && any_region(as, (vaddr_t)a, (vaddr_t)a + hlen))
		return -EEXIST;
	if ((unsigned long)off >> PAGE_SHIFT > (~0UL / 2 - hlen) >> PAGE_SHIFT)
		return -EOVERFLOW; /* Linux's file_mmap_ok(): beyond the largest file */

	long err = huge_flags_check(flags);

	if (!err && (flags & MAP_FIXED))
		err = as_unmap_range(as, (vaddr_t)a, (vaddr_t)a + hlen);
	if (!err && (off & (long)(huge - 1)))
		err = -EINVAL; /* hugetlbfs_file_mmap(): the offset in whole huge pages */
	if (!err && !(flags & MAP_NORESERVE))
		err = -ENOMEM; /* no huge page to reserve */
	if (err)
		return err;

	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	struct region r = {
	    .start = (vaddr_t)a,
	    .end = (vaddr_t)a + hlen,
	    .prot = (uint8_t)(prot & VM_RIGHTS),
	    .kind = RK_MMAP,
	    .backing = RB_ZERO,
	    /* never locked, nor populated: Linux's mmap_region() drops VM_LOCKED here */
	    .flags = REGION_HUGETLB | (huge == HUGE_1G ? REGION_HUGE1G : 0) | REGION_NORESERVE |
	             (shared ? REGION_SHARED : 0) | ((flags & MAP_STACK) ? REGION_NOHUGEPAGE : 0) |
	             exec_only_flag(prot),
	    .obj = ++as->ids, /* its own file */
	    .pgoff = (unsigned long)off >> PAGE_SHIFT,
	};
	return as_add_region(as, &r) ? a : -ENOMEM;
}

/* Advice that only drops or pages out pages, on [start, ...) of hugetlb region r, as
 * Linux: DONTNEED drops whole huge pages from an aligned start (none here), REMOVE punches a hole
 * in a shared file (empty here) and is -EACCES on a private one, the rest is -EINVAL. 1 when
 * advice is not one of these, or r is not hugetlb memory. */
long advise_huge(const struct region *r, vaddr_t start, int advice)
{
	if (!(r->flags & REGION_HUGETLB))
		return 1;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return huge_misaligned(r, start) ? -EINVAL : 0;
	case MADV_REMOVE:
		return r->flags & REGION_SHARED ? 0 : -EACCES;
	case MADV_COLD:
	case MADV_PAGEOUT:
		return -EINVAL;
	default:
		return 1;
	}
}

/* Linux 6.12's mremap() checks for hugetlb region r (the region at old): the lengths rounded up to
 * huge pages, old and newaddr huge aligned (newaddr even where no flag uses it), no growth (its
 * reservations cannot follow). 0 or -EINVAL; 0 with nothing changed when r is not hugetlb
 * memory. MREMAP_DONTUNMAP is refused later, as on any VM_DONTEXPAND region (mremap.c). */
long huge_remap_args(const struct region *r, vaddr_t old, size_t *oldlen, size_t *newlen,
                     vaddr_t newaddr)
{
	vaddr_t huge = region_huge_size(r);

	if (!huge)
		return 0;
	*oldlen = (*oldlen + huge - 1) & ~(huge - 1);
	*newlen = (*newlen + huge - 1) & ~(huge - 1);
	if ((old | newaddr) & (huge - 1))
		return -EINVAL;
	return *newlen > *oldlen ? -EINVAL : 0;
}
