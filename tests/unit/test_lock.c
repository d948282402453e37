/* Unit tests of mlock and guard markers: lock flags split and merge regions as Linux's VMAs,
 * locking populates; guard markers live in PTEs only, fault, move with mremap and free their
 * tables. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/uapi.h"

TestSuite(lock, .init = host_setup, .fini = host_teardown);

#define RW   (PROT_READ | PROT_WRITE)
#define FIX  (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define PG   PAGE_SIZE
#define BASE 0x600000000UL

static vaddr_t at(long page)
{
	return BASE + (vaddr_t)page * PG;
}

static void map(struct as *as, long page, long n, int prot, int flags)
{
	cr_assert_eq(as_mmap(as, at(page), (size_t)n * PG, prot, FIX | flags, -1, 0),
	             (long)at(page));
}

static const struct region *region_at(struct as *as, long page)
{
	const struct region *r = region_find(&as->regions, at(page));

	cr_assert(r, "no region at page %ld", page);
	return r;
}

Test(lock, mlock_splits_populates_and_munlock_merges)
{
	struct as *as = host_as();

	map(as, 0, 8, RW, 0);
	cr_assert_eq(as_mlock(as, at(2), 2 * PG, 0), 0);
	cr_assert_eq(as->regions.count, 3);
	cr_assert(region_at(as, 2)->flags & REGION_LOCKED);
	cr_assert_eq(region_at(as, 2)->end, at(4));
	cr_assert_eq(as->resident, 2, "the locked pages are faulted in, no others");
	cr_assert(region_at(as, 2)->anon, "written to: an anon identity");
	cr_assert_eq(as_munlock(as, at(2), 2 * PG), 0);
	cr_assert_eq(as->regions.count, 1, "merged back");
	cr_assert_eq(as_mlock(as, at(5), PG, 1), 0);
	cr_assert_eq(region_at(as, 5)->flags & (REGION_LOCKED | REGION_ONFAULT),
	             REGION_LOCKED | REGION_ONFAULT);
	cr_assert_eq(as->resident, 2, "on fault: nothing more populated");
	cr_assert_eq(as_mlock(as, at(5), PG, 2), -EINVAL);
	cr_assert_eq(as_madvise(as, at(5), PG, MADV_DONTNEED), -EINVAL);
	cr_assert_eq(as_madvise(as, at(5), PG, MADV_GUARD_INSTALL), -EINVAL);
	host_as_done(as);
}

Test(lock, holes_and_prot_none)
{
	struct as *as = host_as();

	map(as, 0, 4, RW, 0);
	map(as, 5, 2, RW, 0);
	cr_assert_eq(as_mlock(as, at(2), 4 * PG, 0), -ENOMEM);
	cr_assert(region_at(as, 2)->flags & REGION_LOCKED, "locked up to the hole");
	cr_assert(!(region_at(as, 5)->flags & REGION_LOCKED), "not past it");
	cr_assert_eq(as_mlock(as, at(4), PG, 0), -ENOMEM);
	map(as, 10, 2, PROT_NONE, 0);
	cr_assert_eq(as_mlock(as, at(10), 2 * PG, 0), -ENOMEM, "locked, nothing to fault in");
	cr_assert(region_at(as, 10)->flags & REGION_LOCKED);
	cr_assert_eq(as_mlock(as, at(0), 0 - 4 * PG, 0), -EINVAL, "wraps");
	host_as_done(as);
}

Test(lock, mlockall_future_and_munlockall)
{
	struct as *as = host_as();

	map(as, 0, 2, RW, 0);
	cr_assert_eq(as_mlockall(as, 0), -EINVAL);
	cr_assert_eq(as_mlockall(as, 4), -EINVAL);
	cr_assert_eq(as_mlockall(as, 2), 0);
	map(as, 2, 2, RW, 0);
	cr_assert_eq(as->regions.count, 2, "the new mapping is locked, the old one not");
	cr_assert_eq(as->resident, 2, "and populated");
	cr_assert_eq(as_mlockall(as, 1), 0);
	cr_assert_eq(as->regions.count, 1, "all locked now: one region");
	cr_assert_eq(as->lock_future, 0, "MCL_CURRENT alone forgets MCL_FUTURE");
	cr_assert_eq(as_munlockall(as), 0);
	cr_assert(!(region_at(as, 0)->flags & REGION_LOCKED));
	host_as_done(as);
}

Test(lock, guard_markers_fault_and_are_not_pages)
{
	struct as *as = host_as();
	size_t before = frames_in_state(FRAME_USER);

	map(as, 0, 4, RW, 0);
	cr_assert_eq(host_poke(as, at(1), 7), FAULT_OK);
	cr_assert_eq(as->resident, 1);
	cr_assert_eq(as_madvise(as, at(1), 2 * PG, MADV_GUARD_INSTALL), 0);
	cr_assert_eq(as->regions.count, 1, "no split");
	cr_assert_eq(as->resident, 0, "the page was dropped");
	cr_assert_eq(frames_in_state(FRAME_USER), before, "and its frame freed");
	cr_assert_eq(host_pte(as, at(1)), PTE_GUARD);
	cr_assert_eq(host_poke(as, at(1), 1), FAULT_MARKER);
	cr_assert_eq(vm_fault(as, at(2), VM_READ), FAULT_MARKER);
	cr_assert_str_eq(fault_reason(FAULT_MARKER), "guard marker");

	uint8_t b;

	cr_assert_eq(as_copyin(as, &b, at(2), 1), -EFAULT);
	cr_assert_eq(as_madvise(as, at(0), 4 * PG, MADV_POPULATE_WRITE), -EFAULT);
	cr_assert_eq(as_madvise(as, at(0), 4 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(host_pte(as, at(1)), PTE_GUARD, "MADV_DONTNEED keeps markers");
	cr_assert_eq(as_madvise(as, at(1), PG, MADV_GUARD_REMOVE), 0);
	cr_assert_eq(host_poke(as, at(1), 1), FAULT_OK);
	cr_assert_eq(host_peek(as, at(1) + 1), 0, "contents went at install");
	host_as_done(as);
}

Test(lock, guard_markers_move_and_go_with_munmap)
{
	struct as *as = host_as();

	map(as, 0, 4, RW, 0);
	cr_assert_eq(as_madvise(as, at(2), PG, MADV_GUARD_INSTALL), 0);
	cr_assert_eq(as_mremap(as, at(0), 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, at(600)),
	             (long)at(600));
	cr_assert_eq(host_pte(as, at(2)), 0);
	cr_assert_eq(host_pte(as, at(602)), PTE_GUARD, "moved with the pages");
	cr_assert_eq(as_mmap(as, at(602), PG, RW, FIX, -1, 0), (long)at(602));
	cr_assert_eq(host_pte(as, at(602)), 0, "MAP_FIXED replaced it");
	cr_assert_eq(as_madvise(as, at(601), PG, MADV_GUARD_INSTALL), 0);
	cr_assert_eq(as_munmap(as, at(600), 4 * PG), 0);
	cr_assert_eq(host_pte(as, at(601)), 0, "munmap takes markers");
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 1, "and frees their tables: only the root");
	cr_assert_eq(as_madvise(as, at(1000), PG, MADV_GUARD_INSTALL), -ENOMEM);
	host_as_done(as);
}

Test(lock, tables_of_markers_freed_at_teardown)
{
	struct as *as = host_as();

	map(as, 0, 1024, RW, 0);
	cr_assert_eq(as_madvise(as, at(0), 1024 * PG, MADV_GUARD_INSTALL), 0);
	cr_assert_gt(frames_in_state(FRAME_PAGETABLE), 1);
	host_as_done(as); /* checks every frame came back */
}

Test(lock, hugetlb_fixed_unmaps_before_failing)
{
	struct as *as = host_as();

	map(as, 512, 8, RW, 0);
	cr_assert_eq(as_mmap(as, at(513), PG, RW, FIX | MAP_HUGETLB, -1, 0), -EINVAL);
	cr_assert_eq(as->regions.count, 1, "misaligned: nothing changed");
	cr_assert_eq(as_mmap(as, at(512), PG, RW, FIX | MAP_HUGETLB, -1, 0), -ENOMEM);
	cr_assert_eq(as->regions.count, 0, "the 2 MiB it would replace are gone");
	host_as_done(as);
}
