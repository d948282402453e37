/* Unit tests of MAP_HUGETLB | MAP_NORESERVE regions: made huge aligned with no frame behind them,
 * cut only at huge-page boundaries, never merged, never locked, never grown; every fault on them
 * is FAULT_NOHUGE (SIGBUS) and every kernel copy -EFAULT. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/place.h"
#include "mm/layout.h"
#include "mm/uapi.h"

TestSuite(hugetlb, .init = host_setup, .fini = host_teardown);

#define RW       (PROT_READ | PROT_WRITE)
#define ANON     (MAP_PRIVATE | MAP_ANONYMOUS)
#define FIX      (ANON | MAP_FIXED)
#define HN       (MAP_HUGETLB | MAP_NORESERVE)
#define PG       PAGE_SIZE
#define HP       (2UL << 20)
#define BASE     0x640000000UL /* 1 GiB aligned */
#define SIZE(lg) ((lg) << 26)

static vaddr_t hat(long h)
{
	return BASE + (vaddr_t)h * HP;
}

/* n huge pages of type at huge page h. */
static void hmap(struct as *as, long h, long n, int prot, int type)
{
	cr_assert_eq(as_mmap(as, hat(h), (size_t)n * HP, prot, type | HN | MAP_FIXED, -1, 0),
	             (long)hat(h));
}

static const struct region *region_at(struct as *as, vaddr_t va)
{
	const struct region *r = region_find(&as->regions, va);

	cr_assert(r, "no region at %#lx", va);
	return r;
}

Test(hugetlb, mmap_rounds_to_huge_pages_and_needs_noreserve)
{
	struct as *as = host_as();

	cr_assert_eq(as_mmap(as, 0, PG, RW, ANON | MAP_HUGETLB, -1, 0), -ENOMEM);
	long a = as_mmap(as, 0, PG, RW, ANON | HN, -1, 0);

	cr_assert_gt(a, 0);
	cr_assert_eq(a % (long)HP, 0, "2 MiB aligned");
	cr_assert_eq(region_at(as, (vaddr_t)a)->end, (vaddr_t)a + HP, "one whole huge page");
	cr_assert(region_at(as, (vaddr_t)a)->flags & REGION_HUGETLB);
	cr_assert_eq(as_mmap(as, hat(0) + PG, PG, RW, FIX | HN, -1, 0), -EINVAL);
	cr_assert_eq(as_mmap(as, hat(0), PG, RW, FIX | HN | SIZE(30), -1, 0), (long)hat(0));
	cr_assert_eq(region_at(as, hat(0))->end, hat(0) + (1UL << 30), "1 GiB pages");
	cr_assert_eq(as_mmap(as, 0, PG, RW, ANON | HN | SIZE(22), -1, 0), -EINVAL,
	             "no 4 MiB pages");
	cr_assert_eq(as_mmap(as, hat(1024), PG, RW, FIX | HN | MAP_GROWSDOWN, -1, 0), -EINVAL);
	cr_assert_eq(as_mmap(as, hat(1024), PG, RW, FIX | HN, -1, PG), -EINVAL);
	cr_assert_eq(as_mmap(as, 0, PG, RW, FIX | HN, -1, 0), 0, "root's Linux maps at 0 too");
	cr_assert_eq(vm_fault(as, 0, VM_READ), FAULT_NOHUGE, "so NULL is SIGBUS there");
	cr_assert_eq(as_mmap(as, USER_END + PG - HP, PG, RW, FIX | HN, -1, 0), -ENOMEM);
	cr_assert_eq(frames_in_state(FRAME_USER), 0, "no frame behind any of it");
	host_as_done(as);
}

Test(hugetlb, hint_is_rounded_down_and_search_is_aligned)
{
	struct as *as = host_as();

	/* Linux 6.12 x86's hugetlb_get_unmapped_area() rounds a hint down (6.13 on: up) */
	cr_assert_eq(as_mmap(as, hat(4) + PG, PG, RW, ANON | HN, -1, 0), (long)hat(4));
	cr_assert_eq(as_mmap(as, hat(6) + 1, PG, RW, ANON | HN, -1, 0), (long)hat(6));
	cr_assert_eq(as_mmap(as, PG, PG, RW, ANON | HN, -1, 0), 0, "64 KiB, rounded down: 0");
	long b = as_mmap(as, 0, PG, RW, ANON | HN | MAP_32BIT, -1, 0);

	cr_assert_gt(b, 1L << 32, "MAP_32BIT is ignored: top-down");
	cr_assert_eq(as_munmap(as, (vaddr_t)b, HP), 0);
	/* a small mapping just below the top leaves an unaligned gap above the next one down */
	cr_assert_eq(as_mmap(as, MMAP_TOP - PG, PG, RW, FIX, -1, 0), (long)(MMAP_TOP - PG));
	long a = as_mmap(as, hat(4), PG, RW, ANON | HN, -1, 0);

	cr_assert_eq(a % (long)HP, 0);
	cr_assert_leq((vaddr_t)a + HP, MMAP_TOP - PG);
	cr_assert_gt((vaddr_t)a + 2 * HP, MMAP_TOP - PG, "the highest aligned place");
	host_as_done(as);
}

Test(hugetlb, faults_are_sigbus_and_copies_efault)
{
	struct as *as = host_as();
	char buf[8] = {0};

	hmap(as, 0, 1, RW | PROT_EXEC, ANON);
	hmap(as, 1, 1, RW, MAP_SHARED | MAP_ANONYMOUS);
	hmap(as, 2, 1, PROT_NONE, ANON);
	cr_assert_eq(vm_fault(as, hat(0) + 5, VM_READ), FAULT_NOHUGE);
	cr_assert_eq(vm_fault(as, hat(0) + 5, VM_WRITE), FAULT_NOHUGE);
	cr_assert_eq(vm_fault(as, hat(0), VM_EXEC), FAULT_NOHUGE);
	cr_assert_eq(vm_fault(as, hat(1), VM_WRITE), FAULT_NOHUGE);
	cr_assert_eq(vm_fault(as, hat(2), VM_READ), FAULT_DENIED, "rights first");
	cr_assert_str_eq(fault_reason(FAULT_NOHUGE), "no huge page");
	cr_assert_eq(as_copyin(as, buf, hat(0), sizeof(buf)), -EFAULT);
	cr_assert_eq(as_copyout(as, hat(1), buf, sizeof(buf)), -EFAULT);
	cr_assert_eq(as->resident, 0);
	cr_assert_eq(region_at(as, hat(0))->anon, 0, "a write fault gave it no anon identity");
	host_as_done(as);
}

Test(hugetlb, cuts_only_at_huge_boundaries_and_never_merges)
{
	struct as *as = host_as();

	hmap(as, 0, 3, RW, ANON);
	cr_assert_eq(as_munmap(as, hat(0), PG), -EINVAL);
	cr_assert_eq(as_munmap(as, hat(0) + PG, HP), -EINVAL);
	cr_assert_eq(as->regions.count, 1);
	cr_assert_eq(as_munmap(as, hat(1), PG), -EINVAL);
	cr_assert_eq(as->regions.count, 2, "the cut at the aligned start stays, as Linux");
	cr_assert_eq(as_mprotect(as, hat(2), HP, PROT_READ), 0);
	cr_assert_eq(as_mprotect(as, hat(2), HP, RW), 0);
	cr_assert_eq(as->regions.count, 3, "changed back, never merged");
	cr_assert_eq(as_mprotect(as, hat(0) + PG, PG, PROT_READ), -EINVAL);
	cr_assert_eq(as_mprotect(as, hat(0) + PG, PG, RW), 0, "no change needs no cut");
	cr_assert_eq(as_munmap(as, hat(1), HP), 0);
	cr_assert_eq(as->regions.count, 2);
	/* a small neighbour of the same rights stays apart */
	cr_assert_eq(as_mmap(as, hat(1), PG, RW, FIX, -1, 0), (long)hat(1));
	cr_assert_eq(region_at(as, hat(1))->start, hat(1));
	cr_assert_eq(region_at(as, hat(0))->end, hat(1));
	/* MAP_FIXED over part of it is refused like munmap */
	cr_assert_eq(as_mmap(as, hat(2) + PG, PG, RW, FIX, -1, 0), -EINVAL);
	cr_assert(region_at(as, hat(2) + PG)->flags & REGION_HUGETLB);
	host_as_done(as);
}

Test(hugetlb, madvise_rules)
{
	struct as *as = host_as();

	hmap(as, 0, 2, RW, ANON);
	cr_assert_eq(as_madvise(as, hat(0), PG, MADV_DONTNEED), 0, "end rounded down");
	cr_assert_eq(as_madvise(as, hat(0) + PG, PG, MADV_DONTNEED), -EINVAL);
	cr_assert_eq(as_madvise(as, hat(0), 2 * HP, MADV_FREE), -EINVAL);
	cr_assert_eq(as_madvise(as, hat(0), 2 * HP, MADV_REMOVE), -EACCES);
	cr_assert_eq(as_madvise(as, hat(0), 2 * HP, MADV_COLD), -EINVAL);
	cr_assert_eq(as_madvise(as, hat(0), 2 * HP, MADV_POPULATE_WRITE), -EFAULT);
	cr_assert_eq(as_madvise(as, hat(0), 2 * HP, MADV_MERGEABLE), 0);
	cr_assert_eq(as->regions.count, 1, "KSM ignores hugetlb memory");
	cr_assert_eq(as_madvise(as, hat(0) + PG, PG, MADV_RANDOM), -EINVAL);
	cr_assert_eq(as_madvise(as, hat(1), HP, MADV_RANDOM), 0);
	cr_assert_eq(as->regions.count, 2);
	hmap(as, 4, 1, RW, MAP_SHARED | MAP_ANONYMOUS);
	cr_assert_eq(as_madvise(as, hat(4) + PG, PG, MADV_REMOVE), 0, "nothing to punch");
	host_as_done(as);
}

Test(hugetlb, mremap_shrinks_and_moves_but_never_grows)
{
	struct as *as = host_as();

	hmap(as, 0, 2, RW, ANON);
	cr_assert_eq(as_mremap(as, hat(0), 2 * HP, 3 * HP, MREMAP_MAYMOVE, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, hat(0), PG, 2 * PG, 0, 0), (long)hat(0), "same huge page");
	cr_assert_eq(as_mremap(as, hat(0) + PG, PG, PG, 0, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, hat(0), 0, HP, MREMAP_MAYMOVE, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, hat(0), 2 * HP, 2 * HP, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0),
	             -EINVAL);
	cr_assert_eq(as_mmap(as, hat(40) + PG, PG, RW, FIX, -1, 0), (long)(hat(40) + PG));
	cr_assert_eq(
	    as_mremap(as, hat(0), 2 * HP, 2 * HP, MREMAP_MAYMOVE | MREMAP_FIXED, hat(40) + PG),
	    -EINVAL);
	cr_assert(region_find(&as->regions, hat(40) + PG), "checked before unmapping the target");
	cr_assert_eq(as_mremap(as, hat(0), 2 * HP, HP + PG, 0, 0), (long)hat(0), "no change");
	cr_assert_eq(region_at(as, hat(0))->end, hat(2));
	cr_assert_eq(as_mremap(as, hat(0), 2 * HP, PG, 0, 0), (long)hat(0));
	cr_assert_eq(region_at(as, hat(0))->end, hat(1));
	cr_assert_eq(as_mremap(as, hat(0), HP, HP, MREMAP_MAYMOVE | MREMAP_FIXED, hat(40)),
	             (long)hat(40));
	cr_assert(region_at(as, hat(40))->flags & REGION_HUGETLB);
	cr_assert_null(region_find(&as->regions, hat(0)));
	host_as_done(as);
}

Test(hugetlb, never_locked)
{
	struct as *as = host_as();

	cr_assert_eq(as_mmap(as, hat(1) - PG, PG, RW, FIX, -1, 0), (long)(hat(1) - PG));
	hmap(as, 1, 1, RW, ANON);
	cr_assert_eq(as_mlock(as, hat(1) - PG, HP + PG, 0), -ENOMEM);
	cr_assert(region_at(as, hat(1) - PG)->flags & REGION_LOCKED, "the small page is locked");
	cr_assert(!(region_at(as, hat(1))->flags & REGION_LOCKED));
	cr_assert_eq(as_munlock(as, hat(1) + PG, PG), 0);
	cr_assert_eq(as->regions.count, 2);
	cr_assert_eq(as_mlockall(as, 3 /* MCL_CURRENT | MCL_FUTURE */), 0);
	hmap(as, 2, 1, RW, ANON);
	cr_assert(!(region_at(as, hat(2))->flags & REGION_LOCKED), "not even with MCL_FUTURE");
	cr_assert_eq(as_mmap(as, hat(3), PG, RW, FIX | HN | MAP_LOCKED | MAP_POPULATE, -1, 0),
	             (long)hat(3));
	cr_assert(!(region_at(as, hat(3))->flags & REGION_LOCKED));
	cr_assert_eq(as->resident, 1, "only the small page");
	host_as_done(as);
}
