/* Unit tests of shared anonymous memory: the object (pages found, added, removed, references,
 * freed with the last one) and the address-space behaviour built on it (faults, SIGBUS past the
 * end, mremap with old length 0, shrink-then-grow, MADV_DONTNEED/REMOVE, teardown). */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/place.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

TestSuite(shmem, .init = host_setup, .fini = host_teardown);

#define PG     PAGE_SIZE
#define RW     (PROT_READ | PROT_WRITE)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)

Test(shmem, empty_object_costs_no_frame_but_its_slab)
{
	size_t before = frames_used();
	struct shmem *s = shmem_create(16384);

	cr_assert_not_null(s);
	cr_assert_eq(s->pages, 16384);
	cr_assert_eq(s->refs, 1);
	cr_assert_eq(s->levels, 2, "512 * 512 entries cover 64 MiB");
	cr_assert_eq(shmem_lookup(s, 0), 0);
	cr_assert_eq(shmem_lookup(s, 16383), 0);
	cr_assert_eq(shmem_lookup(s, 16384), 0, "past the end: nothing");
	cr_assert_eq(frames_used(), before + 1, "one slab page");
	shmem_put(s);
	cr_assert_eq(frames_used(), before);
}

Test(shmem, tree_height_follows_the_size)
{
	uint64_t sizes[] = {1, 512, 513, 512 * 512, 512 * 512 + 1, 1UL << 35};
	uint8_t levels[] = {1, 1, 2, 2, 3, 4};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct shmem *s = shmem_create(sizes[i]);

		cr_assert_eq(s->levels, levels[i], "size %lu", (unsigned long)sizes[i]);
		shmem_put(s);
	}
}

Test(shmem, page_added_zeroed_once_and_found_again)
{
	size_t before = frames_used();
	struct shmem *s = shmem_create(16384);
	paddr_t pa = shmem_page(s, 9000);

	cr_assert_neq(pa, 0);
	cr_assert_eq(((uint8_t *)phys_to_virt(pa))[17], 0, "zeroed");
	cr_assert_eq(frame_of(pa)->refs, 1, "the object's own reference");
	cr_assert_eq(frame_of(pa)->state, FRAME_USER);
	((uint8_t *)phys_to_virt(pa))[17] = 42;
	cr_assert_eq(shmem_page(s, 9000), pa, "not added twice");
	cr_assert_eq(shmem_lookup(s, 9000), pa);
	cr_assert_eq(((uint8_t *)phys_to_virt(pa))[17], 42);
	cr_assert_eq(shmem_lookup(s, 9001), 0, "a neighbour stays a hole");
	cr_assert_eq(s->resident, 1);
	cr_assert_eq(frames_used(), before + 1 + 2 + 1, "slab, root and leaf node, the page");
	shmem_put(s);
	cr_assert_eq(frames_used(), before, "frames and nodes freed with the last reference");
}

Test(shmem, remove_punches_a_hole_and_keeps_the_size)
{
	size_t before = frames_used();
	struct shmem *s = shmem_create(2000);

	for (uint64_t i = 0; i < 2000; i += 7)
		cr_assert_neq(shmem_page(s, i), 0);
	cr_assert_eq(s->resident, 286);
	shmem_remove(s, 10, 1500);
	for (uint64_t i = 0; i < 2000; i += 7)
		cr_assert_eq(shmem_lookup(s, i) != 0, i < 10 || i >= 1500, "page %lu",
		             (unsigned long)i);
	cr_assert_eq(s->resident, 2 + 71);
	shmem_remove(s, 0, 1UL << 40); /* clamped to the size */
	cr_assert_eq(s->resident, 0);
	cr_assert_eq(s->pages, 2000);
	cr_assert_neq(shmem_page(s, 1999), 0, "the size stays");
	shmem_put(s);
	cr_assert_eq(frames_used(), before);
}

Test(shmem, references_keep_it_until_the_last)
{
	size_t before = frames_used();
	struct shmem *s = shmem_create(4);
	paddr_t pa = shmem_page(s, 3);

	shmem_get(s);
	shmem_get(s);
	cr_assert_eq(s->refs, 3);
	shmem_put(s);
	shmem_put(s);
	cr_assert_eq(shmem_lookup(s, 3), pa, "still alive with one reference");
	frame_ref(pa); /* a mapping of the page outlives the object */
	shmem_put(s);
	cr_assert_eq(frames_used(), before + 1, "the mapped frame only");
	cr_assert_eq(frame_of(pa)->refs, 1);
	frame_unref(pa);
	cr_assert_eq(frames_used(), before);
}

Test(shmem, out_of_memory_leaves_it_consistent)
{
	host_init(1UL << 20);

	struct shmem *s = shmem_create(1UL << 20);

	while (frame_alloc(FRAME_USER))
		;
	cr_assert_eq(shmem_page(s, 5), 0);
	cr_assert_eq(shmem_lookup(s, 5), 0);
	shmem_put(s);
}

/* The frame behind va, or 0. */
static paddr_t frame_at(struct as *as, vaddr_t va)
{
	return host_pte(as, va) & PTE_ADDR;
}

Test(shmem, a_page_mapped_twice_counts_each_pte_and_the_object)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 2 * PG, RW, SHARED, -1, 0);

	cr_assert_eq(host_poke(as, a + PG, 7), FAULT_OK);

	vaddr_t b = (vaddr_t)as_mremap(as, a, 0, 2 * PG, MREMAP_MAYMOVE, 0);

	cr_assert(b && b != a);
	cr_assert_eq(host_load(as, b + PG), 7);
	cr_assert_eq(frame_at(as, a + PG), frame_at(as, b + PG), "one frame");
	cr_assert_eq(frame_of(frame_at(as, a + PG))->refs, 3, "two PTEs and the object");
	cr_assert_eq(as_munmap(as, a, 2 * PG), 0);
	cr_assert_eq(frame_of(frame_at(as, b + PG))->refs, 2);
	host_as_done(as);
}

Test(shmem, grown_past_the_object_is_sigbus_and_efault)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 2 * PG, RW, SHARED, -1, 0);
	uint8_t buf[8] = {1};

	cr_assert_eq(host_poke(as, a, 's'), FAULT_OK);
	cr_assert_eq(as_mremap(as, a, 2 * PG, PG, 0, 0), (long)a, "shrink");

	vaddr_t b = (vaddr_t)as_mremap(as, a, PG, 4 * PG, MREMAP_MAYMOVE, 0);

	cr_assert_eq(host_load(as, b), 's');
	cr_assert_eq(host_load(as, b + PG), 0, "page 1 is still in the object");
	cr_assert_eq(vm_fault(as, b + 2 * PG, VM_READ), FAULT_SIGBUS);
	cr_assert_eq(vm_fault(as, b + 3 * PG + 5, VM_WRITE), FAULT_SIGBUS);
	cr_assert_eq(as_copyout(as, b + 2 * PG, buf, 1), -EFAULT);
	cr_assert_eq(as_copyin(as, buf, b + 2 * PG - 4, 8), -EFAULT);
	cr_assert_eq(as_madvise(as, b, 4 * PG, MADV_POPULATE_READ), -EFAULT);
	cr_assert_eq(host_pte(as, b + 2 * PG), 0, "nothing mapped past the end");
	host_as_done(as);
}

Test(shmem, dontneed_keeps_remove_drops_in_every_mapping)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 2 * PG, RW, SHARED, -1, 0);

	host_poke(as, a, 1);
	host_poke(as, a + PG, 2);

	vaddr_t b = (vaddr_t)as_mremap(as, a, 0, 2 * PG, MREMAP_MAYMOVE, 0);

	cr_assert_eq(host_load(as, b), 1);
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(host_pte(as, a), 0, "the PTEs went");
	cr_assert_eq(host_load(as, a + PG), 2, "the contents did not");
	cr_assert_eq(as_madvise(as, b, PG, MADV_REMOVE), 0);
	cr_assert_eq(host_pte(as, a), 0);
	cr_assert_eq(host_load(as, a), 0, "the hole shows in the other mapping");
	cr_assert_eq(host_load(as, b + PG), 2);
	cr_assert_eq(as_madvise(as, a, PG, MADV_FREE), -EINVAL);
	host_as_done(as);
}

Test(shmem, old_length_zero_is_for_shared_memory_only)
{
	struct as *as = host_as();
	vaddr_t p = (vaddr_t)as_mmap(as, 0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vaddr_t s = (vaddr_t)as_mmap(as, 0, PG, RW, SHARED, -1, 0);

	cr_assert_eq(as_mremap(as, p, 0, PG, MREMAP_MAYMOVE, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, p, 0, PG, 0, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, s, 0, PG, 0, 0), -ENOMEM);
	cr_assert_eq(as_mremap(as, s, 0, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, s + 8 * PG, 0, PG, MREMAP_MAYMOVE, 0), -EFAULT);
	cr_assert_gt(as_mremap(as, s, 0, 3 * PG, MREMAP_MAYMOVE, 0), 0);
	host_as_done(as);
}

Test(shmem, teardown_frees_objects_split_and_moved)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 8 * PG, RW, SHARED, -1, 0);

	for (int i = 0; i < 8; i++)
		host_poke(as, a + (vaddr_t)i * PG, (uint8_t)i);
	cr_assert_eq(as_mprotect(as, a + 2 * PG, PG, PROT_READ), 0, "three regions");
	cr_assert_gt(
	    as_mremap(as, a + 4 * PG, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 32 * PG),
	    0);
	cr_assert_eq(host_load(as, a + 35 * PG), 7);
	cr_assert_eq(as_munmap(as, a, PG), 0);
	host_as_done(as); /* checks every frame came back */
}
