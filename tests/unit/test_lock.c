/* Unit tests of mlock: lock flags split and merge regions as Linux's VMAs, locking populates, and
 * what locked memory refuses. */
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
	cr_assert_eq(as->regions.count, 3, "6.12: its anon identity joins no unwritten neighbour");
	cr_assert_eq(host_poke(as, at(1), 1), FAULT_OK); /* [0, 2) takes [2, 4)'s identity */
	cr_assert_eq(host_poke(as, at(4), 1), FAULT_OK); /* and [4, 8) too */
	cr_assert_eq(as_mlock(as, at(2), 2 * PG, 0), 0);
	cr_assert_eq(as_munlock(as, at(2), 2 * PG), 0);
	cr_assert_eq(as->regions.count, 1, "one identity: merged back");
	cr_assert_eq(as_mlock(as, at(5), PG, 1), 0);
	cr_assert_eq(region_at(as, 5)->flags & (REGION_LOCKED | REGION_ONFAULT),
	             REGION_LOCKED | REGION_ONFAULT);
	cr_assert_eq(as->resident, 4, "on fault: nothing more populated");
	cr_assert_eq(as_mlock(as, at(5), PG, 2), -EINVAL);
	cr_assert_eq(as_madvise(as, at(5), PG, MADV_DONTNEED), -EINVAL);
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

Test(lock, dontunmap_cuts_and_unlocks_the_old_range)
{
	struct as *as = host_as();
	int du = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;

	map(as, 0, 6, RW, 0);
	cr_assert_eq(as_mlock(as, at(0), 6 * PG, 0), 0);
	cr_assert_eq(as_mremap(as, at(2), 2 * PG, 2 * PG, du, at(28)), (long)at(28));
	cr_assert_eq(as->regions.count, 4, "Linux 6.12 cuts the old range out, merging nothing");
	cr_assert(region_at(as, 0)->flags & REGION_LOCKED);
	cr_assert(!(region_at(as, 2)->flags & REGION_LOCKED));
	cr_assert_eq(region_at(as, 2)->end, at(4));
	cr_assert_eq(region_at(as, 2)->anon, 0, "emptied, it loses its anon identity");
	cr_assert(region_at(as, 4)->flags & REGION_LOCKED);
	cr_assert(region_at(as, 28)->flags & REGION_LOCKED, "the moved pages stay locked");
	cr_assert_eq(as_munlock(as, at(0), 6 * PG), 0);
	cr_assert_eq(as->regions.count, 4, "so nothing merges back with it");
	host_as_done(as);
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
