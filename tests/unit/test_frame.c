/* Unit tests of the frame table: counts per state, the free list, exhaustion and frame 0.
 * The table must cover ragged usable ranges and never hand out its own storage. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "mm/hal.h"

TestSuite(frame, .init = host_setup, .fini = host_teardown);

Test(frame, counts_start_consistent)
{
	size_t total = frames_total();

	/* 64 MiB minus the hole, the ragged ends and the table itself. */
	cr_assert_gt(total, (60UL << 20) / PAGE_SIZE);
	cr_assert_lt(total, (64UL << 20) / PAGE_SIZE);
	cr_assert_eq(frames_free(), total);
	cr_assert_eq(frames_used(), 0);
	cr_assert_eq(frames_in_state(FRAME_USER), 0);
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 0);
	cr_assert_eq(frames_in_state(FRAME_KERNEL), 0);
}

Test(frame, alloc_all_free_all)
{
	size_t total = frames_total();
	paddr_t *pas = calloc(total, sizeof(*pas));
	uint8_t *seen = calloc(host_ram_size / PAGE_SIZE, 1);

	for (size_t i = 0; i < total; i++) {
		enum frame_state s = (enum frame_state)(FRAME_USER + i % 3);

		pas[i] = frame_alloc(s);
		cr_assert_neq(pas[i], 0, "frame %zu of %zu", i, total);
		cr_assert_eq(pas[i] % PAGE_SIZE, 0);
		/* Only whole frames inside the usable ranges: [0x1000, 0x9f000), [0x100000, end).
		 */
		cr_assert(pas[i] >= 0x1000);
		cr_assert(pas[i] + PAGE_SIZE <= 0x9f000 || pas[i] >= 0x100000);
		cr_assert(pas[i] + PAGE_SIZE <= host_ram_size - 0x321);
		cr_assert_eq(seen[pas[i] / PAGE_SIZE], 0, "frame handed out twice");
		seen[pas[i] / PAGE_SIZE] = 1;
		cr_assert_eq(frame_of(pas[i])->state, s);
		memset(phys_to_virt(pas[i]), 0x5a, PAGE_SIZE); /* ASan: inside the buffer */
	}
	cr_assert_eq(frames_free(), 0);
	cr_assert_eq(frames_used(), total);
	cr_assert_eq(frame_alloc(FRAME_USER), 0, "exhausted table must return 0");
	cr_assert_eq(frame_alloc_zeroed(FRAME_USER), 0);
	cr_assert_eq(frames_in_state(FRAME_USER) + frames_in_state(FRAME_PAGETABLE) +
	                 frames_in_state(FRAME_KERNEL),
	             total);
	for (size_t i = 0; i < total; i++)
		frame_free(pas[i]);
	cr_assert_eq(frames_free(), total);
	cr_assert_eq(frames_used(), 0);
	cr_assert_eq(frames_in_state(FRAME_FREE), total);
	free(pas);
	free(seen);
}

Test(frame, table_storage_never_handed_out)
{
	/* The table's own frames are FRAME_NONE: writing every handed-out frame must not corrupt
	 * the table (the counts and states stay right). */
	size_t total = frames_total();
	paddr_t pa;
	size_t n = 0;

	while ((pa = frame_alloc(FRAME_USER)) != 0) {
		memset(phys_to_virt(pa), 0xff, PAGE_SIZE);
		n++;
	}
	cr_assert_eq(n, total);
	cr_assert_eq(frames_in_state(FRAME_USER), total);
}

Test(frame, refcount_frees_at_zero)
{
	paddr_t pa = frame_alloc(FRAME_USER);
	size_t used = frames_used();

	frame_ref(pa);
	frame_ref(pa);
	cr_assert_eq(frame_of(pa)->refs, 2);
	frame_unref(pa);
	cr_assert_eq(frames_used(), used);
	cr_assert_eq(frame_of(pa)->state, FRAME_USER);
	frame_unref(pa);
	cr_assert_eq(frames_used(), used - 1);
	cr_assert_eq(frame_of(pa)->state, FRAME_FREE);
}

Test(frame, alloc_mapped_comes_with_its_mapping_reference)
{
	size_t used = frames_used();
	paddr_t pa = frame_alloc_mapped();

	cr_assert_neq(pa, 0);
	cr_assert_eq(frame_of(pa)->state, FRAME_USER);
	cr_assert_eq(frame_of(pa)->refs, 1);
	cr_assert_eq(frames_in_state(FRAME_USER), 1);
	frame_unref(pa);
	cr_assert_eq(frames_used(), used, "the one reference was the only one");
	cr_assert_eq(frame_of(pa)->state, FRAME_FREE);
}

Test(frame, lifo_is_o1)
{
	/* Freeing then allocating gives the same frame back: the free list is a stack. */
	paddr_t a = frame_alloc(FRAME_KERNEL);
	paddr_t b = frame_alloc(FRAME_KERNEL);

	frame_free(a);
	cr_assert_eq(frame_alloc(FRAME_USER), a);
	frame_free(b);
	cr_assert_eq(frame_alloc(FRAME_PAGETABLE), b);
	cr_assert_eq(frames_in_state(FRAME_KERNEL), 0);
	cr_assert_eq(frames_in_state(FRAME_USER), 1);
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 1);
}

Test(frame, zeroed_is_zero)
{
	paddr_t pa = frame_alloc_zeroed(FRAME_USER);
	const uint8_t *p = phys_to_virt(pa);

	for (size_t i = 0; i < PAGE_SIZE; i++)
		cr_assert_eq(p[i], 0);
}

Test(frame, frame_zero_never_used)
{
	/* One range starting at 0: frame 0 must stay out, the rest is usable. */
	struct phys_range r = {0, 64 * PAGE_SIZE};

	cr_assert_eq(frame_table_init(&r, 1), 0);
	size_t total = frames_total();

	cr_assert_eq(total, 64 - 3); /* 64 frames - frame 0 - one table frame - the zero page */
	for (size_t i = 0; i < total; i++)
		cr_assert_neq(frame_alloc(FRAME_USER), 0);
	cr_assert_eq(frame_alloc(FRAME_USER), 0);
}

Test(frame, no_usable_memory)
{
	struct phys_range r[2] = {{0x10, 0x20}, {0x1001, 0x2fff}}; /* no whole frame */

	cr_assert_eq(frame_table_init(r, 2), -ENOMEM);
	cr_assert_eq(frames_total(), 0);
	cr_assert_eq(frame_alloc(FRAME_USER), 0);
}

Test(frame, ranges_out_of_order_and_overlapping)
{
	struct phys_range r[3] = {{0x200000, 0x300000}, {0x100000, 0x180000}, {0x280000, 0x2c0000}};

	cr_assert_eq(frame_table_init(r, 3), 0);
	/* 256 + 128 frames, less the table's: 512 entries (0x100..0x300) with their policy bytes.
	 */
	size_t table = PAGE_UP(512 * (sizeof(struct frame) + FRAME_SIDE_BYTES)) / PAGE_SIZE;

	cr_assert_eq(sizeof(struct frame), 16);
	cr_assert_eq(frames_total(), 256 + 128 - table - 1); /* and the zero page */
}
