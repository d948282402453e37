/* Unit tests of region changes over pages on swap: splits and merges by mprotect, MREMAP_DONTUNMAP,
 * mremap that shrinks, brk, MADV_FREE, MADV_WIPEONFORK and MADV_DONTFORK; the reverse map still
 * finds every page afterwards, and every slot comes back. */
#include "mm/frame.h"
#include "reclaim_helpers.h"

TestSuite(reclaim_regions, .init = reclaim_setup, .fini = reclaim_teardown);

Test(reclaim_regions, a_split_and_merge_keep_the_pages_findable)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 6, 1);

	cr_assert_eq(reclaim_evict(3), 3);
	cr_assert_eq(as_mprotect(as, a + 2 * PG, 2 * PG, PROT_READ), 0); /* three regions */
	cr_assert(holds(as, a, 6, 1));
	cr_assert_eq(reclaim_evict(100), 6, "each part's pages found through the reverse map");
	cr_assert_eq(as_mprotect(as, a + 2 * PG, 2 * PG, RW), 0); /* one again */
	cr_assert_eq(at_region(as, a)->end, a + 6 * PG);
	cr_assert(holds(as, a, 6, 1));
	cr_assert_eq(reclaim_evict(100), 6);
	cr_assert_eq(swapped(as, a, 6), 6);
	cr_assert(holds(as, a, 6, 1));
	done(as);
}

Test(reclaim_regions, mremap_dontunmap_moves_the_entries_and_leaves_zeros)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 4, 2);

	cr_assert_eq(reclaim_evict(2), 2);

	long b = as_mremap(as, a, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);

	cr_assert_gt(b, 0);
	cr_assert_eq(swapped(as, a, 4), 0);
	cr_assert_eq(swap_slots_used(), 2);
	cr_assert_eq(as->swapents, 2);
	cr_assert(holds(as, (vaddr_t)b, 4, 2));
	cr_assert_eq(host_load(as, a + PG), 0, "the old range is empty");
	/* the old range lost its anon identity: its new page has no family and stays */
	cr_assert_eq(reclaim_evict(100), 4, "the four moved");
	cr_assert(holds(as, (vaddr_t)b, 4, 2));
	done(as);
}

Test(reclaim_regions, mremap_that_shrinks_frees_the_tail_slots)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 6, 3);

	cr_assert_eq(reclaim_evict(6), 6);
	cr_assert_eq(as_mremap(as, a, 6 * PG, 2 * PG, 0, 0), (long)a);
	cr_assert_eq(swap_slots_used(), 2);
	cr_assert_eq(as->swapents, 2);
	cr_assert(holds(as, a, 2, 3));
	done(as);
}

Test(reclaim_regions, brk_shrinking_frees_the_slots_and_growing_gives_zeros)
{
	struct as *as = host_as();
	vaddr_t base = 0x10000000;

	as_init_brk(as, base);
	cr_assert_eq(as_brk(as, base + 4 * PG), base + 4 * PG);
	fill(as, base, 4, 4);
	cr_assert_eq(reclaim_evict(4), 4);
	cr_assert_eq(as_brk(as, base + PG), base + PG);
	cr_assert_eq(swap_slots_used(), 1);
	cr_assert_eq(as_brk(as, base + 4 * PG), base + 4 * PG);
	cr_assert_eq(host_load(as, base + 2 * PG), 0);
	cr_assert(holds(as, base, 1, 4));
	done(as);
}

Test(reclaim_regions, madv_free_drops_the_slots)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 3, 5);

	cr_assert_eq(reclaim_evict(3), 3);
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_FREE), 0);
	cr_assert_eq(swap_slots_used(), 1);
	cr_assert_eq(host_load(as, a), 0);
	cr_assert_eq(host_load(as, a + 2 * PG + 3), pattern(5, 2, 3));
	done(as);
}

Test(reclaim_regions, wipeonfork_and_dontfork_give_the_child_no_slot)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 6), b = filled_pages(p, 2, 7);

	cr_assert_eq(as_madvise(p, a, 2 * PG, MADV_WIPEONFORK), 0);
	cr_assert_eq(as_madvise(p, b, 2 * PG, MADV_DONTFORK), 0);
	cr_assert_eq(reclaim_evict(4), 4);

	struct as *c = as_fork(p);

	cr_assert_eq(c->swapents, 0);
	cr_assert_eq(swap_slots_used(), 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(swap_refs(slot_at(p, (i < 2 ? a : b) + (i % 2) * PG)), 1);
	cr_assert_eq(host_load(c, a + PG), 0);
	cr_assert_eq(host_load(c, b), -1 - (int)FAULT_NO_REGION);
	/* the child's fresh pages go out and come back too */
	cr_assert_eq(host_poke(c, a, 0x31), FAULT_OK);
	reclaim_evict(100);
	cr_assert_eq(host_load(c, a), 0x31);
	as_destroy(c);
	cr_assert(holds(p, a, 2, 6));
	cr_assert(holds(p, b, 2, 7));
	done(p);
}

Test(reclaim_regions, a_grandchild_shares_the_slot_three_ways)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 8);
	struct as *c = as_fork(p);
	struct as *g = as_fork(c);

	cr_assert_eq(reclaim_evict(100), 2, "one frame a page, three mappings each");
	cr_assert_eq(swap_refs(slot_at(g, a)), 3);
	cr_assert_eq(host_poke(c, a, 0x61), FAULT_OK);
	cr_assert_eq(swap_refs(slot_at(g, a)), 2, "the writer's copy is its own: two entries left");
	cr_assert(holds(g, a, 2, 8));
	cr_assert(holds(p, a, 2, 8));
	cr_assert_eq(host_load(c, a), 0x61);
	reclaim_evict(100);
	as_destroy(p);
	cr_assert(holds(g, a, 2, 8));
	cr_assert_eq(host_load(c, a), 0x61);
	as_destroy(g);
	as_destroy(c);
	cr_assert_eq(swap_slots_used(), 0);
	cr_assert_eq(swap_cache_pages(), 0);
}

Test(reclaim_regions, locked_pages_leave_the_scan_until_unlocked)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 68, 20);

	cr_assert_eq(as_mlock(as, a, 64 * PG, 0), 0);
	cr_assert_eq(reclaim_evict(68), 4);
	uint64_t scanned = vm_events.scanned;

	cr_assert_eq(reclaim_evict(68), 0);
	cr_assert_lt(vm_events.scanned - scanned, 4,
	             "the locked pages are set aside, not scanned again");
	cr_assert_eq(as_munlock(as, a, 64 * PG), 0);
	cr_assert_eq(reclaim_evict(68), 64, "unlocked, they are the policy's again");
	cr_assert(holds(as, a, 68, 20));
	done(as);
}

/* A page the child locked, shared with its parent: when the child's lock goes with its mapping
 * (munmap) or with the child (exit), the parent's copy can be evicted again. */
Test(reclaim_regions, a_page_a_child_locked_is_evictable_once_the_child_lets_go)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 21);
	struct as *c = as_fork(p);

	/* read-only, so that mlock's populate reads and the pages stay shared */
	cr_assert_eq(as_mprotect(c, a, 2 * PG, PROT_READ), 0);
	cr_assert_eq(as_mlock(c, a, 2 * PG, 0), 0);
	cr_assert_eq(reclaim_evict(2), 0);
	cr_assert_eq(as_munmap(c, a, PG), 0);
	cr_assert_eq(reclaim_evict(2), 1, "unmapped in the child, the first is evictable");
	cr_assert(on_swap(p, a));
	as_destroy(c);
	cr_assert_eq(reclaim_evict(2), 1, "the child gone, the second too");
	cr_assert(on_swap(p, a + PG));
	cr_assert(holds(p, a, 2, 21));
	done(p);
}
