/* Unit tests of the advice that acts on swap (MADV_DONTNEED, MADV_PAGEOUT, MADV_COLD,
 * MADV_WILLNEED) and of mincore() on pages out on swap or in the swap cache, as Linux 6.12. */
#include <errno.h>

#include "mm/frame.h"
#include "reclaim_helpers.h"

TestSuite(reclaim_madv, .init = reclaim_setup, .fini = reclaim_teardown);

Test(reclaim_madv, dontneed_frees_the_slots_and_gives_zeros)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 4, 1);

	cr_assert_eq(reclaim_evict(4), 4);
	cr_assert_eq(as_madvise(as, a + PG, 2 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(swap_slots_used(), 2);
	cr_assert_eq(as->swapents, 2);
	cr_assert_eq(host_pte(as, a + PG), 0);
	cr_assert_eq(host_load(as, a + PG + 5), 0, "a new zero page");
	cr_assert_eq(host_load(as, a + 2 * PG), 0);
	cr_assert_eq(host_load(as, a + 3 * PG + 5), pattern(1, 3, 5));
	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(swap_slots_used(), 0);
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(as->swapents, 0);
	done(as);
}

Test(reclaim_madv, dontneed_in_the_child_leaves_the_parent_its_slots)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 3, 2);

	cr_assert_eq(reclaim_evict(3), 3);

	struct as *c = as_fork(p);

	cr_assert_eq(as_madvise(c, a, 3 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(swap_slots_used(), 3);
	cr_assert_eq(swap_refs(slot_at(p, a)), 1);
	cr_assert_eq(host_load(c, a), 0);
	cr_assert(holds(p, a, 3, 2));
	as_destroy(c);
	done(p);
}

Test(reclaim_madv, pageout_writes_the_pages_and_keeps_them_cached)
{
	struct as *as = host_as();
	vaddr_t vec = (vaddr_t)as_mmap(as, 0, PG, RW, ANON, -1, 0);
	vaddr_t a = filled_pages(as, 4, 3);

	cr_assert_eq(as_madvise(as, a + PG, 2 * PG, MADV_PAGEOUT), 0);
	cr_assert_eq(vm_events.pswpout, 2);
	cr_assert_eq(swap_fake_writes, 2);
	cr_assert(!on_swap(as, a) && on_swap(as, a + PG) && on_swap(as, a + 2 * PG));
	cr_assert_eq(as->swapents, 2);
	cr_assert_eq(as->resident, 2, "pages 0 and 3");
	cr_assert_eq(swap_cache_pages(), 2, "as Linux, the pages stay in the swap cache");
	cr_assert_str_eq(residency_of(as, a, 4, vec), "1111", "mincore: cached pages are in core");
	/* a touch finds the cached page: a minor fault, no read */
	cr_assert_eq(host_load(as, a + PG + 9), pattern(3, 1, 9));
	cr_assert_eq(as->majflt, 0);
	cr_assert_eq(swap_fake_reads, 0);
	/* memory pressure drops the cache: the rest needs the disk */
	reclaim_evict(1000);
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(swap_fake_writes, 2 + 3,
	             "pages 0, 3 and the vector written, the cached 1 and 2 not again");
	cr_assert(holds(as, a, 4, 3));
	cr_assert_geq(as->majflt, 1);
	done(as);
}

Test(reclaim_madv, pageout_leaves_a_page_fork_shares)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 4);
	struct as *c = as_fork(p);

	cr_assert_eq(host_poke(p, a + PG, 0x44), FAULT_OK); /* page 1 is the parent's own now */
	cr_assert_eq(as_madvise(p, a, 2 * PG, MADV_PAGEOUT), 0);
	cr_assert(!on_swap(p, a), "shared: Linux leaves it");
	cr_assert(on_swap(p, a + PG));
	cr_assert_eq(host_load(p, a + PG), 0x44);
	cr_assert_eq(host_load(c, a + PG), pattern(4, 1, 0));
	as_destroy(c);
	done(p);
}

Test(reclaim_madv, pageout_then_exit_frees_slot_and_cache)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 3, 5);

	cr_assert_eq(as_madvise(as, a, 3 * PG, MADV_PAGEOUT), 0);
	cr_assert_eq(swap_cache_pages(), 3);
	cr_assert_eq(swap_slots_used(), 3);
	done(as);
}

Test(reclaim_madv, pageout_then_write_drops_the_cached_copy)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 2, 6);

	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_PAGEOUT), 0);
	cr_assert_eq(host_poke(as, a + 10, 0xab), FAULT_OK);
	cr_assert_eq(swap_cache_pages(), 1);
	cr_assert_eq(swap_slots_used(), 1);
	reclaim_evict(100);
	cr_assert_eq(host_load(as, a + 10), 0xab, "the write went to the disk, not lost");
	cr_assert_eq(host_load(as, a + 11), pattern(6, 0, 11));
	cr_assert_eq(host_load(as, a + PG + 11), pattern(6, 1, 11));
	done(as);
}

Test(reclaim_madv, pageout_of_locked_or_unwritten_memory_does_nothing)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 2, 7);
	vaddr_t b = (vaddr_t)as_mmap(as, 0, 2 * PG, RW, ANON, -1, 0);

	cr_assert_eq(as_mlock(as, a, PG, 0), 0);
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_PAGEOUT), -EINVAL, "Linux: not on VM_LOCKED");
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_COLD), -EINVAL);
	cr_assert(!on_swap(as, a), "locked");
	cr_assert(!on_swap(as, a + PG), "Linux stops at the locked region");
	cr_assert_eq(as_madvise(as, a + PG, PG, MADV_PAGEOUT), 0);
	cr_assert(on_swap(as, a + PG));
	cr_assert_eq(as_madvise(as, b, 2 * PG, MADV_PAGEOUT), 0);
	cr_assert_eq(host_pte(as, b), 0);
	cr_assert_eq(swap_slots_used(), 1);
	done(as);
}

Test(reclaim_madv, cold_pages_go_first)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 8, 8);

	/* every page was used since the policy last looked */
	for (size_t i = 0; i < 8; i++)
		*pt_walk(as->root, a + i * PG, false) |= PTE_A;
	cr_assert_eq(as_madvise(as, a + 4 * PG, 2 * PG, MADV_COLD), 0);
	cr_assert_eq(swapped(as, a, 8), 0, "cold is not out");
	cr_assert_eq(reclaim_evict(2), 2);
	cr_assert(on_swap(as, a + 4 * PG) && on_swap(as, a + 5 * PG), "the cold ones went");
	cr_assert_eq(swapped(as, a, 8), 2);
	cr_assert(holds(as, a, 8, 8));
	done(as);
}

Test(reclaim_madv, willneed_reads_into_the_swap_cache_without_mapping)
{
	struct as *as = host_as();
	vaddr_t vec = (vaddr_t)as_mmap(as, 0, PG, RW, ANON, -1, 0);
	vaddr_t a = filled_pages(as, 6, 9);

	cr_assert_eq(host_poke(as, vec, 0), FAULT_OK);
	cr_assert_eq(as_madvise(as, a, 6 * PG, MADV_PAGEOUT), 0);
	reclaim_evict(100); /* the vector's page and the cache go too */
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_str_eq(residency_of(as, a, 6, vec), "000000", "on swap: not in core");
	unsigned long reads = swap_fake_reads;

	cr_assert_eq(as_madvise(as, a + PG, 3 * PG, MADV_WILLNEED), 0);
	cr_assert_eq(swap_fake_reads, reads + 3);
	cr_assert_eq(swap_cache_pages(), 3);
	cr_assert_eq(swapped(as, a, 6), 6, "not mapped");
	cr_assert_str_eq(residency_of(as, a, 6, vec), "011100");

	uint64_t majflt = as->majflt;

	for (size_t i = 1; i < 4; i++)
		cr_assert_eq(host_load(as, a + i * PG + 77), pattern(9, i, 77));
	cr_assert_eq(as->majflt, majflt, "minor faults");
	cr_assert_eq(host_load(as, a + 5 * PG + 1), pattern(9, 5, 1));
	cr_assert_eq(as->majflt, majflt + 1);
	done(as);
}

Test(reclaim_madv, willneed_after_exit_of_the_reader_leaks_nothing)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 4, 10);

	cr_assert_eq(reclaim_evict(4), 4);
	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_WILLNEED), 0);
	cr_assert_eq(swap_cache_pages(), 4);
	done(as);
}

Test(reclaim_madv, willneed_of_a_slot_fork_shares_reads_it_once)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 11);

	cr_assert_eq(reclaim_evict(2), 2);

	struct as *c = as_fork(p);

	cr_assert_eq(as_madvise(c, a, 2 * PG, MADV_WILLNEED), 0);
	cr_assert_eq(swap_fake_reads, 2);
	cr_assert(holds(p, a, 2, 11));
	cr_assert(holds(c, a, 2, 11));
	cr_assert_eq(swap_fake_reads, 2);
	cr_assert_eq(p->majflt + c->majflt, 0);
	cr_assert_eq(frame_at(p, a), frame_at(c, a));
	as_destroy(c);
	done(p);
}

Test(reclaim_madv, mincore_of_swapped_cached_and_resident_pages)
{
	struct as *as = host_as();
	vaddr_t vec = (vaddr_t)as_mmap(as, 0, PG, RW, ANON, -1, 0);
	vaddr_t a = filled_pages(as, 4, 12);
	vaddr_t z = (vaddr_t)as_mmap(as, 0, 2 * PG, RW, ANON, -1, 0);

	cr_assert_eq(as_mlock(as, vec, PG, 0), 0); /* the vector stays */
	cr_assert_eq(reclaim_evict(100), 4);
	cr_assert_str_eq(residency_of(as, a, 4, vec), "0000");
	cr_assert_eq(host_load(as, a + 2 * PG), pattern(12, 2, 0));     /* mapped, and cached */
	cr_assert_eq(as_madvise(as, a + 3 * PG, PG, MADV_WILLNEED), 0); /* cached only */
	const char *s = residency_of(as, a, 4, vec);

	cr_assert_eq(s[0], '0');
	cr_assert_eq(s[2], '1');
	cr_assert_eq(s[3], '1');
	cr_assert_str_eq(residency_of(as, z, 2, vec), "00", "never touched");
	done(as);
}
