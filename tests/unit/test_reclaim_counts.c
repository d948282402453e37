/* Unit tests of what paging reports and of the swap cache's keep-or-free rule: the page-out and
 * page-in trace lines, vm_events, and a page read back keeping its slot only while swap is at
 * most half full (Linux's vm_swap_full()). */
#include "reclaim_helpers.h"

TestSuite(reclaim_counts, .init = reclaim_setup, .fini = reclaim_teardown);

static unsigned outs, ins;
static uint64_t last_slot;
static vaddr_t last_va;

static void trace(const char *what, const struct as *as, vaddr_t va, uint64_t slot)
{
	(void)as;
	if (strcmp(what, "page-out") == 0)
		outs++;
	else if (strcmp(what, "page-in") == 0)
		ins++;
	else
		cr_assert_fail("trace line %s", what);
	last_slot = slot;
	last_va = va;
}

Test(reclaim_counts, each_page_out_and_in_is_traced_with_its_slot)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 3, 1);

	mm_trace_page = trace;
	cr_assert_eq(reclaim_evict(3), 3);
	cr_assert_eq(outs, 3);
	cr_assert_eq(host_load(as, a + 2 * PG), pattern(1, 2, 0));
	cr_assert_eq(ins, 1);
	cr_assert_eq(last_va, a + 2 * PG);
	cr_assert_eq(vm_events.pswpout, 3);
	cr_assert_eq(vm_events.pgmajfault, 1);
	cr_assert_geq(vm_events.pswpin, 1);
	cr_assert_geq(vm_events.scanned, vm_events.evictions);
	cr_assert_eq(vm_events.evictions, 3);
	mm_trace_page = NULL;
	done(as);
}

Test(reclaim_counts, a_shared_page_is_traced_for_each_mapping)
{
	struct as *p = host_as();

	filled_pages(p, 1, 2);

	struct as *c = as_fork(p);

	mm_trace_page = trace;
	cr_assert_eq(reclaim_evict(1), 1);
	cr_assert_eq(outs, 2, "both PTEs");
	cr_assert_eq(vm_events.pswpout, 1, "one write");
	mm_trace_page = NULL;
	as_destroy(c);
	done(p);
}

Test(reclaim_counts, a_page_read_back_keeps_its_slot_while_swap_is_half_empty)
{
	reclaim_teardown();
	reclaim_env(HOST_RAM_DEFAULT, 9, false, "clock"); /* 8 slots */

	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 6, 3);

	cr_assert_eq(reclaim_evict(3), 3);
	cr_assert_eq(host_load(as, a), pattern(3, 0, 0));
	cr_assert_eq(swap_slots_used(), 3, "3 of 8 in use: the page keeps its slot");
	cr_assert_eq(swap_cache_pages(), 1);
	cr_assert_eq(reclaim_evict(100), 4, "pages 3 to 5, and 0 from the cache");
	cr_assert_eq(swap_slots_used(), 6);
	unsigned long writes = swap_fake_writes;

	cr_assert_eq(host_load(as, a + 5 * PG), pattern(3, 5, 0));
	cr_assert_eq(swap_slots_used(), 5, "6 of 8 in use: the slot goes at once");
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(reclaim_evict(100), 1);
	cr_assert_eq(swap_fake_writes, writes + 1, "so it is written again");
	cr_assert(holds(as, a, 6, 3));
	done(as);
}
