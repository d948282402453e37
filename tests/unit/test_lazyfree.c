/* Unit tests of MADV_FREE's lazily freed pages, as Linux 6.12 keeps them: the contents stay until
 * reclaim wants the frames, and then go without a write, with swap or without it; a page written
 * since, or shared after fork when the advice came, is an ordinary page. */
#include <errno.h>

#include "mm/frame.h"
#include "reclaim_helpers.h"

TestSuite(lazyfree, .init = reclaim_setup, .fini = reclaim_teardown);

/* Without swap: 4 MiB of RAM, so that a test can run short of it. */
static void no_swap_setup(void)
{
	host_init(4UL << 20);
	memset(&vm_events, 0, sizeof(vm_events));
}

static void no_swap_teardown(void)
{
	reclaim_stop();
	host_teardown();
}

TestSuite(lazyfree_noswap, .init = no_swap_setup, .fini = no_swap_teardown);

static bool lazy_at(struct as *as, vaddr_t va)
{
	return frame_of(frame_at(as, va))->flags & FRAME_LAZYFREE;
}

Test(lazyfree_noswap, the_contents_stay_while_memory_is_plentiful)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 8, 1);
	size_t used = frames_in_state(FRAME_USER), resident = as->resident;

	cr_assert_eq(reclaim_watermark, 0, "nothing to reclaim without swap");
	cr_assert_eq(as_madvise(as, a, 8 * PG, MADV_FREE), 0);
	cr_assert(holds(as, a, 8, 1));
	cr_assert_eq(frames_in_state(FRAME_USER), used);
	cr_assert_eq(as->resident, resident, "still in the RSS, as on Linux");
	cr_assert(lazy_at(as, a + 7 * PG));
	cr_assert_eq(host_pte(as, a) & PTE_D, 0, "made clean");
	cr_assert_eq(vm_events.pglazyfree, 8);
	cr_assert_neq(reclaim_watermark, 0, "now the safe points may drop them");
	done(as);
	cr_assert_eq(reclaim_watermark, 0, "none left to drop");
}

Test(lazyfree_noswap, reclaim_drops_the_clean_pages_and_keeps_the_written)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 8, 2);

	cr_assert_eq(as_madvise(as, a, 8 * PG, MADV_FREE), 0);
	fill(as, a + 2 * PG, 1, 3);
	cr_assert_eq(host_poke(as, a + 5 * PG, 0xab), FAULT_OK); /* one byte of the page */

	size_t before = frames_free();

	cr_assert_eq(reclaim_evict(100), 6);
	cr_assert_eq(vm_events.pglazyfreed, 6);
	cr_assert_eq(frames_free(), before + 6);
	cr_assert_eq(host_pte(as, a), 0, "dropped: the next touch maps zeros");
	cr_assert_eq(host_load(as, a + 7), 0);
	cr_assert_eq(host_load(as, a + 7 * PG + 9), 0);
	cr_assert(holds(as, a + 2 * PG, 1, 3));
	cr_assert_eq(host_load(as, a + 5 * PG), 0xab);
	cr_assert_eq(host_load(as, a + 5 * PG + 9), pattern(2, 5, 9), "the rest of it kept too");
	cr_assert_eq(reclaim_evict(100), 0, "written pages are ordinary again: no swap to go to");
	cr_assert_eq(reclaim_watermark, 0);
	done(as);
}

Test(lazyfree_noswap, memory_let_go_serves_the_next_allocation)
{
	struct as *as = host_as();
	size_t n = frames_free() * 2 / 3;
	vaddr_t a = filled_pages(as, n, 4);

	cr_assert_eq(as_madvise(as, a, n * PG, MADV_FREE), 0);

	long b = as_mmap(as, 0, n * PG, RW, ANON, -1, 0);

	cr_assert_gt(b, 0);
	fill(as, (vaddr_t)b, n, 5); /* more than is free: the faults' safe points drop the rest */
	cr_assert_gt(vm_events.pglazyfreed, n / 3);
	cr_assert(holds(as, (vaddr_t)b, n, 5));
	done(as);
}

Test(lazyfree, clean_pages_go_without_a_write)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 6, 5);

	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_FREE), 0);
	cr_assert_eq(reclaim_evict(100), 6);
	cr_assert_eq(vm_events.pswpout, 2, "only the two pages not freed were written");
	cr_assert_eq(vm_events.pglazyfreed, 4);
	cr_assert_eq(swapped(as, a, 6), 2);
	cr_assert_eq(swap_slots_used(), 2);
	cr_assert_eq(host_load(as, a + 3 * PG + 9), 0);
	cr_assert_eq(host_load(as, a + 4 * PG + 9), pattern(5, 4, 9));
	done(as);
}

Test(lazyfree, a_page_written_again_goes_to_swap_whole)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 2, 6);

	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_FREE), 0);
	cr_assert_eq(host_poke(as, a + 100, 0xcd), FAULT_OK);
	cr_assert_eq(reclaim_evict(100), 2);
	cr_assert_eq(vm_events.pswpout, 1);
	cr_assert(on_swap(as, a));
	cr_assert_eq(host_load(as, a + 100), 0xcd);
	cr_assert_eq(host_load(as, a + 101), pattern(6, 0, 101));
	cr_assert(!lazy_at(as, a), "an ordinary page since");
	done(as);
}

Test(lazyfree, a_page_freed_before_fork_is_dropped_from_both)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 7);

	cr_assert_eq(as_madvise(p, a, 2 * PG, MADV_FREE), 0);

	struct as *c = as_fork(p);

	cr_assert_eq(reclaim_evict(100), 2);
	cr_assert_eq(vm_events.pswpout, 0);
	cr_assert_eq(host_load(p, a + 9), 0);
	cr_assert_eq(host_load(c, a + PG + 9), 0);
	as_destroy(c);
	done(p);
}

Test(lazyfree, a_page_shared_after_fork_is_left_as_it_is)
{
	struct as *p = host_as();
	vaddr_t a = filled_pages(p, 2, 8);
	struct as *c = as_fork(p);

	cr_assert_eq(as_madvise(p, a, 2 * PG, MADV_FREE), 0);
	cr_assert(!lazy_at(p, a));
	cr_assert_eq(vm_events.pglazyfree, 0);
	cr_assert_eq(reclaim_evict(100), 2);
	cr_assert_eq(vm_events.pswpout, 2);
	cr_assert(holds(p, a, 2, 8));
	cr_assert(holds(c, a, 2, 8));
	as_destroy(c);
	done(p);
}

Test(lazyfree, a_page_in_the_swap_cache_leaves_it_and_its_slot)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 1, 9);

	cr_assert_eq(reclaim_evict(1), 1);
	cr_assert_eq(host_load(as, a + 3), pattern(9, 0, 3)); /* read back, kept in the cache */
	cr_assert_eq(swap_cache_pages(), 1);
	cr_assert_eq(as_madvise(as, a, PG, MADV_FREE), 0);
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(swap_slots_used(), 0);
	cr_assert(lazy_at(as, a));
	cr_assert_eq(reclaim_evict(1), 1);
	cr_assert_eq(vm_events.pswpout, 1, "the first page-out only");
	cr_assert_eq(host_load(as, a + 3), 0);
	done(as);
}

Test(lazyfree, madv_pageout_drops_a_lazily_freed_page)
{
	struct as *as = host_as();
	vaddr_t a = filled_pages(as, 2, 10);

	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_FREE), 0);
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_PAGEOUT), 0);
	cr_assert_eq(vm_events.pswpout, 0);
	cr_assert_eq(vm_events.pglazyfreed, 2);
	cr_assert_eq(host_pte(as, a + PG), 0);
	cr_assert_eq(host_load(as, a + PG), 0);
	done(as);
}

#define DROPPABLE (0x08 | MAP_ANONYMOUS) /* MAP_DROPPABLE (mmap.c keeps its own) */

Test(lazyfree, droppable_pages_go_written_or_not_and_never_to_swap)
{
	struct as *as = host_as();
	long a = as_mmap(as, 0, 3 * PG, RW, DROPPABLE, -1, 0);

	cr_assert_gt(a, 0);
	fill(as, (vaddr_t)a, 3, 11);
	cr_assert(lazy_at(as, (vaddr_t)a));
	cr_assert_eq(reclaim_evict(100), 3);
	cr_assert_eq(vm_events.pswpout, 0);
	cr_assert_eq(vm_events.pglazyfree, 0, "Linux counts MADV_FREE's pages only");
	cr_assert_eq(vm_events.pglazyfreed, 0, "and their drops");
	cr_assert_eq(vm_events.evictions, 3);
	cr_assert_eq(host_load(as, (vaddr_t)a + 2 * PG + 9), 0);
	done(as);
}

Test(lazyfree_noswap, droppable_memory_serves_the_next_allocation)
{
	struct as *as = host_as();
	size_t n = frames_free() * 2 / 3;
	long a = as_mmap(as, 0, n * PG, RW, DROPPABLE, -1, 0);

	cr_assert_gt(a, 0);
	fill(as, (vaddr_t)a, n, 12);

	vaddr_t b = filled_pages(as, n, 13);

	cr_assert(holds(as, b, n, 13));
	cr_assert_gt(vm_events.evictions, n / 3);
	done(as);
}
