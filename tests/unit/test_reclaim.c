/* Unit tests of eviction to swap and swap-in over the fake disk: pages go out and come back whole,
 * slots are freed by munmap and exit, fork, mremap and mprotect carry entries, locked pages stay,
 * a full disk or a failing one loses nothing, and every policy evicts. */
#include <errno.h>

#include "mm/evict.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "reclaim_helpers.h"

TestSuite(reclaim, .init = reclaim_setup, .fini = reclaim_teardown);

Test(reclaim, evicted_pages_come_back_whole_with_a_major_fault)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 8, 1);
	size_t used = frames_used();

	cr_assert_eq(as->resident, 8);
	cr_assert_eq(reclaim_evict(8), 8);
	cr_assert_eq(swapped(as, a, 8), 8, "every PTE names a slot");
	cr_assert_eq(as->resident, 0);
	cr_assert_eq(as->swapents, 8);
	cr_assert_eq(frames_used(), used - 8, "the frames are free");
	cr_assert_eq(swap_slots_used(), 8);
	cr_assert_eq(vm_events.pswpout, 8);
	cr_assert_eq(vm_events.evictions, 8);
	cr_assert_eq(swap_fake_writes, 8);
	for (size_t i = 0; i < 8; i++)
		cr_assert_eq(swap_fake_page(slot_at(as, a + i * PG))[5], pattern(1, i, 5),
		             "page %zu is on the disk", i);
	cr_assert_eq(as->majflt, 0);
	cr_assert(holds(as, a, 8, 1));
	cr_assert_geq(as->majflt, 1);
	cr_assert_eq(vm_events.pgmajfault, as->majflt);
	cr_assert_eq(vm_events.pswpin, 8, "each page read once");
	cr_assert_eq(as->resident, 8);
	cr_assert_eq(as->swapents, 0);
	done(as);
}

Test(reclaim, a_batched_disk_moves_runs_of_slots_in_one_request)
{
	reclaim_teardown();
	reclaim_env(HOST_RAM_DEFAULT, NSLOTS, true, "clock");

	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 40, 2);

	cr_assert_eq(reclaim_evict(40), 40);
	cr_assert_eq(swap_fake_batches, 2, "32 and 8 consecutive slots: two requests");
	cr_assert(holds(as, a, 40, 2));
	cr_assert_lt(as->majflt, 40, "read-ahead brings neighbours in");
	done(as);
}

Test(reclaim, munmap_frees_the_slots)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 6, 3);

	cr_assert_eq(reclaim_evict(6), 6);
	cr_assert_eq(as_munmap(as, a + 2 * PG, 2 * PG), 0);
	cr_assert_eq(swap_slots_used(), 4);
	cr_assert_eq(as->swapents, 4);
	cr_assert(holds(as, a, 2, 3));
	cr_assert_eq(as_munmap(as, a, 6 * PG), 0);
	cr_assert_eq(swap_slots_used(), 0);
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(as->swapents, 0);
	done(as);
}

Test(reclaim, as_destroy_frees_the_slots)
{
	struct as *as = host_as();

	filled_pages(as, 5, 4);
	cr_assert_eq(reclaim_evict(3), 3);
	cr_assert_eq(swap_slots_used(), 3);
	done(as);
}

Test(reclaim, fork_shares_the_slots_and_the_swap_cache_reads_once)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 4, 5);

	cr_assert_eq(reclaim_evict(4), 4);

	struct as *c = as_fork(p);

	cr_assert(c);
	cr_assert_eq(c->swapents, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(slot_at(c, a + i * PG), slot_at(p, a + i * PG));
		cr_assert_eq(swap_refs(slot_at(p, a + i * PG)), 2);
	}
	cr_assert(holds(p, a, 4, 5));
	cr_assert_geq(p->majflt, 1);
	unsigned long reads = swap_fake_reads;

	cr_assert(holds(c, a, 4, 5));
	cr_assert_eq(c->majflt, 0, "the swap cache had them: minor faults");
	cr_assert_eq(swap_fake_reads, reads, "read once for both");
	cr_assert_eq(frame_at(p, a), frame_at(c, a), "and still shared");
	/* a write in one does not show in the other */
	cr_assert_eq(host_poke(c, a, 0xee), FAULT_OK);
	cr_assert_eq(host_peek(p, a), pattern(5, 0, 0));
	cr_assert_eq(host_poke(p, a + PG, 0xdd), FAULT_OK);
	cr_assert_eq(host_peek(c, a + PG), pattern(5, 1, 0));
	cr_assert_eq(host_peek(c, a), 0xee);
	as_destroy(c);
	done(p);
}

Test(reclaim, the_child_reads_first_then_the_parent_from_the_cache)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 3, 6);

	cr_assert_eq(reclaim_evict(3), 3);

	struct as *c = as_fork(p);

	cr_assert(holds(c, a, 3, 6));
	cr_assert_geq(c->majflt, 1);
	cr_assert(holds(p, a, 3, 6));
	cr_assert_eq(p->majflt, 0);
	as_destroy(c);
	cr_assert(holds(p, a, 3, 6));
	done(p);
}

Test(reclaim, the_parent_exits_with_pages_on_swap_the_child_keeps_them)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 3, 7);

	cr_assert_eq(reclaim_evict(3), 3);

	struct as *c = as_fork(p);

	as_destroy(p);
	cr_assert_eq(swap_slots_used(), 3);
	cr_assert(holds(c, a, 3, 7));
	as_destroy(c);
	cr_assert_eq(swap_slots_used(), 0);
	cr_assert_eq(swap_cache_pages(), 0);
}

Test(reclaim, a_page_shared_after_fork_goes_out_once_from_both)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 4, 8);
	struct as *c = as_fork(p);
	size_t used = frames_used();

	cr_assert_eq(refs_at_frame(frame_at(p, a)), 2);
	cr_assert_eq(reclaim_evict(4), 4);
	cr_assert_eq(swap_fake_writes, 4, "one write a page");
	cr_assert_eq(frames_used(), used - 4);
	for (size_t i = 0; i < 4; i++) {
		uint64_t s = slot_at(p, a + i * PG);

		cr_assert_neq(s, 0);
		cr_assert_eq(slot_at(c, a + i * PG), s, "both PTEs name the slot");
		cr_assert_eq(swap_refs(s), 2);
	}
	cr_assert_eq(p->swapents, 4);
	cr_assert_eq(c->swapents, 4);
	cr_assert_eq(p->resident, 0);
	cr_assert_eq(c->resident, 0);
	cr_assert(holds(c, a, 4, 8));
	cr_assert(holds(p, a, 4, 8));
	cr_assert_eq(p->majflt, 0);
	as_destroy(c);
	done(p);
}

Test(reclaim, a_page_one_side_wrote_after_fork_is_its_own)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 9);
	struct as *c = as_fork(p);

	cr_assert_eq(host_poke(c, a, 0x77), FAULT_OK); /* the child's copy of page 0 */
	cr_assert_eq(reclaim_evict(3), 3);
	cr_assert_neq(slot_at(p, a), slot_at(c, a));
	cr_assert_eq(slot_at(p, a + PG), slot_at(c, a + PG));
	cr_assert_eq(host_load(c, a), 0x77);
	cr_assert(holds(p, a, 2, 9));
	as_destroy(c);
	done(p);
}

Test(reclaim, mremap_moves_the_entries_and_the_data_follows)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 8, 10);

	cr_assert_eq(reclaim_evict(8), 8);
	/* a neighbour stops growing in place: the range must move */
	cr_assert_eq(as_mmap(as, a + 8 * PG, PG, PROT_READ, ANON | MAP_FIXED, -1, 0),
	             (long)(a + 8 * PG));

	long b = as_mremap(as, a, 8 * PG, 16 * PG, MREMAP_MAYMOVE, 0);

	cr_assert_gt(b, 0);
	cr_assert_neq((vaddr_t)b, a);
	cr_assert_eq(swapped(as, (vaddr_t)b, 8), 8, "the entries moved");
	cr_assert_eq(host_pte(as, a), 0);
	cr_assert_eq(as->swapents, 8);
	cr_assert_eq(swap_slots_used(), 8);
	cr_assert(holds(as, (vaddr_t)b, 8, 10));
	/* evicted again at the new place, through the reverse map */
	cr_assert_eq(reclaim_evict(8), 8);
	cr_assert_eq(swapped(as, (vaddr_t)b, 8), 8);
	cr_assert(holds(as, (vaddr_t)b, 8, 10));
	done(as);
}

Test(reclaim, mremap_of_part_of_a_swapped_range)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 6, 11);
	vaddr_t t = (vaddr_t)as_mmap(as, 0, 4 * PG, PROT_NONE, ANON, -1, 0);

	cr_assert_eq(reclaim_evict(6), 6);
	cr_assert_eq(as_mremap(as, a + 2 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t),
	             (long)t);
	cr_assert(holds(as, a, 2, 11));
	for (size_t i = 0; i < 2; i++)
		cr_assert_eq(host_load(as, t + i * PG + 9), pattern(11, 2 + i, 9));
	reclaim_evict(100);
	cr_assert_eq(swapped(as, a, 2) + swapped(as, t, 2), 4, "the four pages left went out");
	cr_assert_eq(as->resident, 0);
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(host_load(as, t + PG + 100), pattern(11, 3, 100));
	cr_assert_eq(host_load(as, a + 5 * PG + 100), pattern(11, 5, 100));
	done(as);
}

Test(reclaim, mprotect_keeps_the_entries_and_rights_apply_at_swap_in)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 4, 12);

	cr_assert_eq(reclaim_evict(4), 4);
	cr_assert_eq(as_mprotect(as, a, 4 * PG, PROT_READ), 0);
	cr_assert_eq(swapped(as, a, 4), 4, "entries untouched");
	cr_assert_eq(host_load(as, a + 3), pattern(12, 0, 3));
	cr_assert_eq(host_pte(as, a) & PTE_W, 0, "read-only as the region");
	cr_assert_eq(host_poke(as, a + PG, 1), FAULT_DENIED);
	cr_assert_eq(as_mprotect(as, a, 4 * PG, PROT_NONE), 0);
	cr_assert_eq(host_load(as, a + 2 * PG), -1 - (int)FAULT_DENIED);
	cr_assert_eq(as_mprotect(as, a, 4 * PG, RW), 0);
	cr_assert_eq(host_poke(as, a + 2 * PG, 0x42), FAULT_OK);
	cr_assert_eq(host_load(as, a + 2 * PG + 1), pattern(12, 2, 1));
	cr_assert_eq(host_load(as, a + 2 * PG), 0x42);
	/* PROT_NONE pages still go out, and come back with their bytes */
	cr_assert_eq(as_mprotect(as, a, 4 * PG, PROT_NONE), 0);
	reclaim_evict(4);
	cr_assert_eq(swapped(as, a, 4), 4);
	cr_assert_eq(as->resident, 0);
	cr_assert_eq(as_mprotect(as, a, 4 * PG, PROT_READ), 0);
	cr_assert_eq(host_load(as, a + 2 * PG), 0x42);
	cr_assert_eq(host_load(as, a + 3 * PG + 7), pattern(12, 3, 7));
	done(as);
}

Test(reclaim, a_written_page_read_back_is_written_out_again)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 2, 13);

	cr_assert_eq(reclaim_evict(2), 2);
	cr_assert_eq(host_load(as, a), pattern(13, 0, 0)); /* kept in the swap cache, clean */
	cr_assert_eq(swap_cache_pages(), 1);
	cr_assert_eq(host_poke(as, a + 1, 0x99), FAULT_OK); /* now it is not */
	cr_assert_eq(swap_cache_pages(), 0, "the write dropped the cache's copy");
	unsigned long writes = swap_fake_writes;

	cr_assert_eq(reclaim_evict(2), 1);
	cr_assert_eq(swap_fake_writes, writes + 1);
	cr_assert_eq(host_load(as, a + 1), 0x99, "the write reached the disk");
	cr_assert_eq(host_load(as, a + 2), pattern(13, 0, 2));
	done(as);
}

Test(reclaim, locked_pages_are_never_evicted)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 4, 14);

	cr_assert_eq(as_mlock(as, a, 2 * PG, 0), 0);
	cr_assert_eq(reclaim_evict(4), 2);
	cr_assert_eq(swapped(as, a, 2), 0, "the locked pages stay");
	cr_assert_eq(swapped(as, a + 2 * PG, 2), 2);
	cr_assert_eq(reclaim_evict(4), 0);
	cr_assert_eq(as_munlock(as, a, 2 * PG), 0);
	cr_assert_eq(reclaim_evict(4), 2);
	cr_assert(holds(as, a, 4, 14));
	done(as);
}

Test(reclaim, a_page_locked_in_the_child_only_stays)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 15);
	struct as *c = as_fork(p);

	/* read-only, so that mlock's populate reads and the page stays shared */
	cr_assert_eq(as_mprotect(c, a, PG, PROT_READ), 0);
	cr_assert_eq(as_mlock(c, a, PG, 0), 0);
	cr_assert_eq(frame_at(p, a), frame_at(c, a));
	cr_assert_eq(reclaim_evict(2), 1);
	cr_assert(!on_swap(p, a) && !on_swap(c, a));
	cr_assert(on_swap(p, a + PG) && on_swap(c, a + PG));
	as_destroy(c);
	cr_assert(holds(p, a, 2, 15));
	done(p);
}

Test(reclaim, out_of_swap_evicts_fewer_and_loses_nothing)
{
	reclaim_teardown();
	reclaim_env(HOST_RAM_DEFAULT, 5, false, "clock"); /* 4 slots */

	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 8, 16);

	cr_assert_eq(reclaim_evict(8), 4);
	cr_assert_eq(swap_slots_used(), 4);
	cr_assert_eq(swapped(as, a, 8), 4);
	cr_assert_eq(reclaim_evict(8), 0);
	cr_assert(holds(as, a, 8, 16));
	done(as);
}

Test(reclaim, a_failed_write_keeps_the_pages_and_frees_the_slots)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 4, 17);

	swap_fake_fail_write = 3; /* the third of the four slots a run of evictions takes */
	cr_assert_lt(reclaim_evict(4), 4);
	cr_assert_eq(swap_slots_used(), swapped(as, a, 4), "no slot without an entry");
	swap_fake_fail_write = 0;
	cr_assert(holds(as, a, 4, 17));
	done(as);
}

Test(reclaim, a_failed_read_is_fault_io_and_leaks_nothing)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 3, 18);

	cr_assert_eq(reclaim_evict(3), 3);

	size_t used = frames_used();
	uint64_t s = slot_at(as, a + PG);

	swap_fake_fail_read = s;
	cr_assert_eq(host_load(as, a + PG), -1 - (int)FAULT_IO);
	cr_assert_eq(host_poke(as, a + PG, 1), FAULT_IO);
	cr_assert_eq(frames_used(), used, "no frame kept");
	cr_assert_eq(slot_at(as, a + PG), s, "the entry still names the slot");
	cr_assert_eq(as->swapents, 3);
	cr_assert_eq(as->majflt, 0);
	cr_assert_eq(swap_slots_used(), 3);
	swap_fake_fail_read = 0;
	cr_assert(holds(as, a, 3, 18));
	done(as);
}

Test(reclaim, a_failed_read_of_a_batch_leaks_nothing)
{
	reclaim_teardown();
	reclaim_env(HOST_RAM_DEFAULT, NSLOTS, true, "clock");

	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 8, 19);

	cr_assert_eq(reclaim_evict(8), 8);
	swap_fake_fail_read = slot_at(as, a + 3 * PG);
	for (size_t i = 0; i < 8; i++)
		host_load(as, a + i * PG); /* read-ahead around page 3 may fail too */
	cr_assert_eq(host_load(as, a + 3 * PG), -1 - (int)FAULT_IO);
	cr_assert_eq(swap_slots_used(), 8, "no slot lost");
	cr_assert(on_swap(as, a + 3 * PG));
	swap_fake_fail_read = 0;
	cr_assert(holds(as, a, 8, 19));
	done(as);
}

/* The policy names evict_policy_named() may know: the three of evict.c and the adaptive one. */
static const char *const policies[] = {"clock", "fifo",     "random", "clock-pro", "clockpro",
                                       "arc",   "2q",       "car",    "lirs",      "mglru",
                                       "lru",   "adaptive", "lru-2"};

Test(reclaim, every_policy_evicts_and_brings_back)
{
	unsigned known = 0;

	for (size_t p = 0; p < sizeof(policies) / sizeof(policies[0]); p++) {
		if (!evict_policy_named(policies[p]))
			continue;
		known++;
		reclaim_teardown();
		reclaim_env(HOST_RAM_DEFAULT, NSLOTS, p % 2, policies[p]);
		cr_assert_str_eq(reclaim_policy_name(), policies[p]);

		struct as *as = host_as();
		struct as *c;
		vaddr_t a = filled_pages(as, 24, 20);

		c = as_fork(as);
		cr_assert_eq(host_poke(as, a + 5 * PG, 0x55), FAULT_OK);
		cr_assert_eq(reclaim_evict(10), 10, "%s", policies[p]);
		cr_assert_eq(swapped(as, a, 24) + as->resident, 24, "%s", policies[p]);
		cr_assert_eq(reclaim_evict(100), 15, "%s: all the others", policies[p]);
		cr_assert_eq(as->resident + c->resident, 0, "%s", policies[p]);
		cr_assert_eq(host_load(as, a + 5 * PG), 0x55, "%s", policies[p]);
		cr_assert_eq(host_load(c, a + 5 * PG), pattern(20, 5, 0), "%s", policies[p]);
		as_destroy(c);
		for (size_t i = 6; i < 24; i++)
			cr_assert_eq(host_load(as, a + i * PG + 33), pattern(20, i, 33),
			             "%s page %zu", policies[p], i);
		done(as);
	}
	cr_assert_geq(known, 3);
	cr_assert_eq(reclaim_set_policy("no-such-policy"), -EINVAL);
}

Test(reclaim, a_program_three_times_ram_runs_under_the_watermark)
{
	reclaim_teardown();
	reclaim_env(4UL << 20, 4096, true, "clock"); /* 1,024 frames of RAM */

	struct as *as = host_as();
	size_t n = 3 * frames_total();
	long a = as_mmap(as, 0, n * PG, RW, ANON, -1, 0);

	cr_assert_gt(a, 0);
	for (size_t i = 0; i < n; i++) /* one byte a page: the whole-page pattern costs too much */
		cr_assert_eq(host_poke(as, (vaddr_t)a + i * PG + i % PG, (uint8_t)(i * 3 + 1)),
		             FAULT_OK, "page %zu", i);
	cr_assert_geq(frames_free(), reclaim_low / 2, "the watermark held");
	cr_assert_gt(vm_events.pswpout, n - frames_total());
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(host_load(as, (vaddr_t)a + i * PG + i % PG), (uint8_t)(i * 3 + 1),
		             "page %zu", i);
	cr_assert_gt(as->majflt, 0);
	done(as);
}

Test(reclaim, a_page_read_ahead_for_a_family_that_is_gone_can_still_go)
{
	struct as *as = host_as();
	/* two families: regions too far apart to share one, written in turn so that their pages
	 * take slots in turn (x's 1, 3, 5, 7; y's 2, 4, 6, 8) */
	vaddr_t x = 0x20000000, y = 0x30000000;

	cr_assert_eq(as_mmap(as, x, 4 * PG, RW, ANON | MAP_FIXED, -1, 0), (long)x);
	cr_assert_eq(as_mmap(as, y, 4 * PG, RW, ANON | MAP_FIXED, -1, 0), (long)y);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(host_poke(as, x + i * PG, (uint8_t)(0x10 + i)), FAULT_OK);
		cr_assert_eq(host_poke(as, y + i * PG, (uint8_t)(0x20 + i)), FAULT_OK);
	}
	cr_assert_neq(at_region(as, x)->ar, at_region(as, y)->ar);
	cr_assert_eq(reclaim_evict(8), 8);
	cr_assert_eq(slot_at(as, x + PG), slot_at(as, y) + 1);
	/* x's fault at slot 1 then y's at slot 2: the window grows to 2 and reads x's slot 3
	 * ahead into the swap cache, as a page of y's family */
	cr_assert_eq(host_load(as, x), 0x10);
	cr_assert_eq(host_load(as, y), 0x20);
	cr_assert_eq(swap_cache_pages(), 3, "x's second page was read ahead");
	cr_assert_eq(as_munmap(as, y, 4 * PG), 0); /* y's family goes */
	cr_assert_eq(swap_cache_pages(), 2);
	reclaim_evict(100);
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(swapped(as, x, 4), 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(host_load(as, x + i * PG), 0x10 + i);
	done(as);
}

Test(reclaim, populating_twice_ram_goes_through_swap)
{
	reclaim_teardown();
	reclaim_env(4UL << 20, 4096, true, "clock");

	struct as *as = host_as();
	size_t n = 2 * frames_total();
	long a = as_mmap(as, 0, n * PG, RW, ANON, -1, 0);

	cr_assert_eq(as_madvise(as, (vaddr_t)a, n * PG, MADV_POPULATE_WRITE), 0, "as on Linux");
	cr_assert_eq(as->resident + as->swapents, n);
	cr_assert_geq(frames_free(), reclaim_low / 2, "the watermark held");
	a = as_mmap(as, 0, n * PG, RW, ANON | MAP_POPULATE, -1, 0);
	cr_assert_gt(a, 0);
	cr_assert_eq(as->resident + as->swapents, 2 * n, "MAP_POPULATE filled every page");
	cr_assert_eq(host_load(as, (vaddr_t)a + (n - 1) * PG), 0);
	done(as);
}

Test(reclaim, a_private_copy_read_back_maps_no_neighbours_of_the_file)
{
	struct as *as = host_as();
	struct shmem *s = shmem_create(4);

	for (uint64_t i = 0; i < 4; i++)
		*(uint8_t *)phys_to_virt(shmem_page(s, i)) = (uint8_t)('A' + i);

	long a = as_mmap_object(as, 0, 4 * PG, RW, MAP_PRIVATE, s, 0, NULL);

	cr_assert_gt(a, 0);
	cr_assert_eq(host_poke(as, (vaddr_t)a, 'x'), FAULT_OK); /* a private copy of page 0 */
	cr_assert_eq(as_madvise(as, (vaddr_t)a, PG, MADV_PAGEOUT), 0); /* the copy alone */
	cr_assert(on_swap(as, (vaddr_t)a));
	cr_assert_eq(host_load(as, (vaddr_t)a), 'x');
	/* Linux's do_swap_page() does no fault-around: only a read fault of the file's page does */
	cr_assert_eq(host_pte(as, (vaddr_t)a + PG), 0);
	cr_assert_eq(as->resident, 1);
	cr_assert_eq(host_load(as, (vaddr_t)a + 2 * PG), 'C');
	cr_assert_neq(host_pte(as, (vaddr_t)a + PG), 0, "that one maps the file's neighbours");
	shmem_put(s);
	done(as);
}

Test(reclaim, a_page_read_back_stays_written_or_clean_as_it_went)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 1, 21);
	vaddr_t z = (vaddr_t)as_mmap(as, 0, PG, RW, ANON, -1, 0);

	cr_assert_eq(host_load(as, z), 0); /* never written: Linux's zero page */
	cr_assert_eq(as_madvise(as, z, PG, MADV_POPULATE_READ), 0);
	reclaim_evict(100);
	cr_assert(on_swap(as, a));
	cr_assert_eq(host_load(as, a), pattern(21, 0, 0));
	/* a written page is no zero page, on swap or back: MADV_HWPOISON poisons it (SIGBUS) */
	cr_assert_eq(as_madvise(as, a, PG, MADV_HWPOISON), -EHWPOISON);
	cr_assert_eq(host_load(as, z), 0);
	cr_assert_eq(as_madvise(as, z, PG, MADV_HWPOISON), -EBUSY, "still the zero page");
	done(as);
}
