/* Unit tests of shared memory on swap: a MAP_SHARED|MAP_ANONYMOUS page or a file's page goes out
 * from every mapping at once and comes back to all of them; MADV_REMOVE, truncation and the last
 * reference free its slot. */
#include "mm/failpoint.h"
#include "mm/shmem.h"
#include "reclaim_helpers.h"

#define SHARED_ANON (MAP_SHARED | MAP_ANONYMOUS)

TestSuite(reclaim_shmem, .init = reclaim_setup, .fini = reclaim_teardown);

Test(reclaim_shmem, a_shared_page_goes_out_from_parent_and_child_and_comes_back)
{
	struct as *p = host_as();
	vaddr_t a = (vaddr_t)as_mmap(p, 0, 3 * PG, RW, SHARED_ANON, -1, 0);

	fill(p, a, 3, 1);

	struct as *c = as_fork(p);

	cr_assert(holds(c, a, 3, 1));
	cr_assert_eq(reclaim_evict(100), 3, "one frame a page");
	cr_assert_eq(swap_slots_used(), 3);
	cr_assert_eq(host_pte(p, a), 0, "the object holds the slot, not the page table");
	cr_assert_eq(host_pte(c, a), 0);
	cr_assert_eq(p->swapents + c->swapents, 0);
	cr_assert_eq(host_poke(c, a + PG, 0x5c), FAULT_OK);
	cr_assert_eq(host_load(p, a + PG), 0x5c, "still shared");
	cr_assert(holds(p, a, 1, 1));
	cr_assert_eq(swap_slots_used(), 1, "pages read back give their slots up");
	as_destroy(c);
	done(p);
}

Test(reclaim_shmem, madv_remove_and_munmap_free_the_slots)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 4 * PG, RW, SHARED_ANON, -1, 0);

	fill(as, a, 4, 2);
	cr_assert_eq(reclaim_evict(100), 4);
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_REMOVE), 0);
	cr_assert_eq(swap_slots_used(), 2);
	cr_assert_eq(host_load(as, a + 5), 0, "a hole reads zeros");
	cr_assert_eq(host_load(as, a + 3 * PG + 5), pattern(2, 3, 5));
	cr_assert_eq(as_munmap(as, a, 4 * PG), 0);
	cr_assert_eq(swap_slots_used(), 0, "the object went with its last mapping");
	done(as);
}

Test(reclaim_shmem, a_file_truncated_over_its_pages_on_swap)
{
	struct as *as = host_as();
	struct shmem *s = shmem_create(4);
	long a = as_mmap_object(as, 0, 4 * PG, RW, MAP_SHARED, s, 0, NULL);

	cr_assert_gt(a, 0);
	fill(as, (vaddr_t)a, 4, 3);
	cr_assert_eq(reclaim_evict(100), 4);
	cr_assert_eq(s->swapped, 4);
	cr_assert_eq(shmem_resize(s, 1), 0);
	cr_assert_eq(swap_slots_used(), 1);
	cr_assert_eq(host_load(as, (vaddr_t)a + PG), -1 - (int)FAULT_SIGBUS);
	cr_assert(holds(as, (vaddr_t)a, 1, 3));
	cr_assert_eq(as_munmap(as, (vaddr_t)a, 4 * PG), 0);
	shmem_put(s);
	done(as);
}

Test(reclaim_shmem, a_private_mapping_of_a_file_on_swap_reads_the_file)
{
	struct as *as = host_as();
	struct shmem *s = shmem_create(2);
	long w = as_mmap_object(as, 0, 2 * PG, RW, MAP_SHARED, s, 0, NULL);

	fill(as, (vaddr_t)w, 2, 4);

	long r = as_mmap_object(as, 0, 2 * PG, RW, MAP_PRIVATE, s, 0, NULL);

	cr_assert_eq(host_poke(as, (vaddr_t)r, 0x70), FAULT_OK); /* a private copy of page 0 */
	cr_assert_eq(reclaim_evict(100), 3, "the file's two pages and the copy");
	cr_assert_eq(host_load(as, (vaddr_t)r), 0x70);
	cr_assert_eq(host_load(as, (vaddr_t)r + PG + 1), pattern(4, 1, 1));
	cr_assert_eq(host_load(as, (vaddr_t)w), pattern(4, 0, 0));
	cr_assert_eq(as_munmap(as, (vaddr_t)r, 2 * PG), 0);
	cr_assert_eq(as_munmap(as, (vaddr_t)w, 2 * PG), 0);
	shmem_put(s);
	done(as);
}

Test(reclaim_shmem, a_failed_read_of_a_shared_page_leaks_nothing)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 2 * PG, RW, SHARED_ANON, -1, 0);

	fill(as, a, 2, 5);
	cr_assert_eq(reclaim_evict(100), 2);

	size_t used = frames_used();

	swap_fake_fail_read = 1; /* the first slot handed out */
	int x = host_load(as, a), y = host_load(as, a + PG);

	cr_assert((x == -1 - (int)FAULT_IO) != (y == -1 - (int)FAULT_IO),
	          "the page on slot 1 is a read error (SIGBUS), as on Linux: %d %d", x, y);
	cr_assert_eq(frames_used(), used + 1, "the other page came back, no frame leaked");
	swap_fake_fail_read = 0;
	cr_assert(holds(as, a, 2, 5));
	done(as);
}

Test(reclaim_shmem, a_shared_page_on_swap_without_a_frame_is_out_of_memory)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 2 * PG, RW, SHARED_ANON, -1, 0);
	struct fail_spec no_frames;

	fill(as, a, 2, 6);
	cr_assert_eq(reclaim_evict(100), 2);
	cr_assert_eq(fail_parse("frame:1", &no_frames), 0);
	fail_setup(&no_frames);
	fail_arm(true);

	int x = host_load(as, a);

	fail_arm(false);
	cr_assert_eq(x, -1 - (int)FAULT_OOM,
	             "no frame is out of memory (137), not a read error: %d", x);
	cr_assert(holds(as, a, 2, 6), "the page stayed on swap, whole");
	done(as);
}

Test(reclaim_shmem, read_ahead_of_a_shared_page_leaves_only_the_cache_to_drop)
{
	struct as *as = host_as();
	vaddr_t p = filled_pages(as, 8, 7);
	vaddr_t s = (vaddr_t)as_mmap(as, 0, PG, RW, SHARED_ANON, -1, 0);

	fill(as, s, 1, 8);
	cr_assert_eq(reclaim_evict(100), 9);
	for (size_t i = 0; i < 8; i++) /* faults in a row widen the window over the shared slot */
		cr_assert_eq(host_load(as, p + i * PG), pattern(7, i, 0));
	cr_assert_eq(as_munmap(as, p, 8 * PG), 0);
	cr_assert_eq(swap_slots_used(), 1, "the shared page's slot alone");
	cr_assert_eq(swap_cache_pages(), 1, "read-ahead cached it, and nothing frees that");
	swap_cache_drop_unmapped();
	cr_assert_eq(swap_cache_pages(), 0);
	cr_assert_eq(swap_slots_used(), 1, "the object keeps its page on swap");
	cr_assert(holds(as, s, 1, 8));
	done(as);
}

Test(reclaim_shmem, a_page_past_the_frame_index_stays_in_memory)
{
	uint64_t far = FRAME_INDEX_MAX + 5; /* a sparse file's page 256 TiB in */
	struct shmem *s = shmem_create(far + 1);
	paddr_t pa = shmem_page(s, far);

	cr_assert_neq(pa, 0);
	*(uint8_t *)phys_to_virt(pa) = 0x77;
	cr_assert_eq(reclaim_evict(100), 0, "its frame cannot name the index: not evictable");
	cr_assert_eq(shmem_lookup(s, far), pa);
	cr_assert_eq(*(uint8_t *)phys_to_virt(pa), 0x77);
	shmem_put(s);
	cr_assert_eq(swap_slots_used(), 0);
}
