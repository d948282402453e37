/* Unit tests of shmem_resize(): growing (a taller tree, pages kept), shrinking (frames dropped,
 * and unmapped from every mapping in every address space, so that a later touch is SIGBUS), and
 * the object's list of mappings kept right across split, merge, mremap, munmap and teardown. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/place.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

TestSuite(resize, .init = host_setup, .fini = host_teardown);

#define PG     PAGE_SIZE
#define RW     (PROT_READ | PROT_WRITE)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)

/* Regions on s's list of mappings. */
static unsigned nmaps(const struct shmem *s)
{
	unsigned n = 0;

	for (const struct region *r = s->maps; r; r = r->obj_next)
		if (r->shm == s && (r->obj_next == NULL || r->obj_next->obj_prev == r))
			n++;
	return n;
}

/* The object behind va of as. */
static struct shmem *obj_at(struct as *as, vaddr_t va)
{
	struct region *r = region_find(&as->regions, va);

	cr_assert_not_null(r);
	return r->shm;
}

Test(resize, grow_keeps_pages_and_makes_the_tree_taller)
{
	size_t before = frames_used();
	struct shmem *s = shmem_create(512);
	paddr_t pa = shmem_page(s, 511);

	cr_assert_eq(s->levels, 1);
	cr_assert_eq(shmem_resize(s, 513), 0);
	cr_assert_eq(s->pages, 513);
	cr_assert_eq(s->levels, 2);
	cr_assert_eq(shmem_lookup(s, 511), pa, "the old page is found under the new root");
	cr_assert_eq(shmem_lookup(s, 512), 0, "the new page is a hole");
	cr_assert_neq(shmem_page(s, 512), 0);
	cr_assert_eq(shmem_resize(s, 1UL << 30), 0);
	cr_assert_eq(s->levels, 4);
	cr_assert_eq(shmem_lookup(s, 511), pa);
	shmem_put(s);
	cr_assert_eq(frames_used(), before);
}

Test(resize, empty_object_grows_from_zero)
{
	size_t before = frames_used();
	struct shmem *s = shmem_create(0);

	cr_assert_not_null(s);
	cr_assert_eq(shmem_lookup(s, 0), 0);
	cr_assert_eq(shmem_resize(s, 3), 0);
	cr_assert_neq(shmem_page(s, 2), 0);
	cr_assert_eq(shmem_resize(s, 0), 0);
	cr_assert_eq(s->resident, 0);
	cr_assert_eq(shmem_lookup(s, 2), 0);
	shmem_put(s);
	cr_assert_eq(frames_used(), before);
}

Test(resize, shrink_drops_frames_and_nodes_go_with_the_object)
{
	size_t before = frames_used();
	struct shmem *s = shmem_create(2000);

	for (uint64_t i = 0; i < 2000; i += 3)
		shmem_page(s, i);
	cr_assert_eq(shmem_resize(s, 100), 0);
	cr_assert_eq(s->resident, 34);
	cr_assert_eq(shmem_lookup(s, 1500), 0);
	cr_assert_eq(shmem_resize(s, 2000), 0);
	cr_assert_eq(shmem_lookup(s, 1500), 0, "growing again brings nothing back");
	cr_assert_eq(shmem_lookup(s, 99), shmem_page(s, 99));
	cr_assert_eq(shmem_resize(s, 0), 0);
	shmem_put(s);
	cr_assert_eq(frames_used(), before, "nodes past the shrunk size freed too");
}

Test(resize, grow_out_of_memory_keeps_the_object)
{
	host_init(1UL << 20);

	struct shmem *s = shmem_create(4);
	paddr_t pa = shmem_page(s, 3);

	while (frame_alloc(FRAME_USER))
		;
	cr_assert_eq(shmem_resize(s, 1UL << 20), -ENOMEM);
	cr_assert_eq(s->pages, 4);
	cr_assert_eq(shmem_lookup(s, 3), pa);
	shmem_put(s);
}

Test(resize, list_follows_split_merge_mremap_munmap)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 8 * PG, RW, SHARED, -1, 0);
	struct shmem *s = obj_at(as, a);

	cr_assert_eq(nmaps(s), 1);
	cr_assert_eq(as_mprotect(as, a + 2 * PG, PG, PROT_READ), 0);
	cr_assert_eq(nmaps(s), 3, "split in three");
	cr_assert_eq(as_mprotect(as, a + 2 * PG, PG, RW), 0);
	cr_assert_eq(nmaps(s), 1, "merged again");

	vaddr_t b = (vaddr_t)as_mremap(as, a, 0, 8 * PG, MREMAP_MAYMOVE, 0);

	cr_assert(b > 0);
	cr_assert_eq(nmaps(s), 2, "a second mapping");
	cr_assert_eq(as_munmap(as, a + 3 * PG, PG), 0);
	cr_assert_eq(nmaps(s), 3);
	cr_assert_gt(as_mremap(as, a, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 64 * PG),
	             0);
	cr_assert_eq(nmaps(s), 3, "moved, not copied");
	shmem_get(s);
	as_destroy(as);
	cr_assert_eq(nmaps(s), 0, "teardown took every region off");
	shmem_put(s);
}

Test(resize, shrink_unmaps_from_every_mapping_in_every_space)
{
	size_t before = frames_used();
	struct as *as = as_create(), *other = as_create();
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 8 * PG, RW, SHARED, -1, 0);

	for (int i = 0; i < 8; i++)
		cr_assert_eq(host_poke(as, a + (vaddr_t)i * PG, (uint8_t)(i + 1)), FAULT_OK);
	cr_assert_eq(as_mprotect(as, a + 6 * PG, PG, PROT_READ), 0);

	struct region copy = *region_find(&as->regions, a); /* the other space maps it too */

	cr_assert_not_null(as_add_region(other, &copy));

	struct shmem *s = copy.shm;

	for (int i = 0; i < 6; i++)
		cr_assert_eq(host_load(other, a + (vaddr_t)i * PG), i + 1);
	cr_assert_eq(nmaps(s), 4);
	cr_assert_eq(shmem_resize(s, 3), 0);
	for (int i = 0; i < 8; i++) {
		vaddr_t va = a + (vaddr_t)i * PG;

		cr_assert_eq(host_pte(as, va) != 0, i < 3, "page %d", i);
		cr_assert_eq(host_pte(other, va) != 0, i < 3, "page %d", i);
	}
	cr_assert_eq(host_load(as, a + 2 * PG), 3);
	cr_assert_eq(vm_fault(as, a + 3 * PG, VM_READ), FAULT_SIGBUS);
	cr_assert_eq(vm_fault(as, a + 6 * PG, VM_READ), FAULT_SIGBUS);
	cr_assert_eq(vm_fault(other, a + 5 * PG, VM_WRITE), FAULT_SIGBUS);
	cr_assert_eq(s->resident, 3);
	cr_assert_eq(shmem_resize(s, 8), 0);
	cr_assert_eq(host_load(other, a + 5 * PG), 0, "grown again: a hole reads as zero");
	as_destroy(other);
	cr_assert_eq(nmaps(s), 3);
	as_destroy(as);
	cr_assert_eq(frames_used(), before);
}

Test(resize, next_page_skips_empty_subtrees)
{
	size_t before = frames_used();
	uint64_t huge = 1ULL << 50; /* pages of a file of 2^62 bytes */
	struct shmem *s = shmem_create(huge);

	cr_assert_eq(shmem_next_page(s, 0, huge), huge, "an empty object holds nothing");
	cr_assert_neq(shmem_page(s, 5), 0);
	cr_assert_neq(shmem_page(s, 1 << 20), 0);
	cr_assert_neq(shmem_page(s, huge - 1), 0);
	cr_assert_eq(shmem_next_page(s, 0, huge), 5);
	cr_assert_eq(shmem_next_page(s, 5, huge), 5);
	cr_assert_eq(shmem_next_page(s, 6, huge), 1 << 20);
	cr_assert_eq(shmem_next_page(s, (1 << 20) + 1, huge), huge - 1,
	             "2^50 pages of holes crossed (a linear scan would never end)");
	cr_assert_eq(shmem_next_page(s, 6, 1 << 20), 1 << 20, "end is exclusive: none before it");
	cr_assert_eq(shmem_next_page(s, 0, huge + 99), 5, "end is cut at the size");
	shmem_put(s);
	cr_assert_eq(frames_used(), before);
}
