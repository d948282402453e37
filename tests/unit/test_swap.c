/* Unit tests of the swap-slot allocator and the device interface, over the fake swap device and
 * fake RAM: slot 0 is never handed out, slots come in a row, references count, nothing leaks. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "host.h"
#include "mm/hal.h"
#include "mm/swap.h"
#include "swap_fake.h"

#define CL 2048 /* slots per count page */

static size_t frames_before;

static void setup(void)
{
	host_setup();
	frames_before = frames_used();
	swap_fake_init(16);
}

static void teardown(void)
{
	if (swap_slots_used() == 0)
		swap_reset();
	swap_fake_done();
	host_teardown();
}

TestSuite(swap, .init = setup, .fini = teardown);

Test(swap, no_device_no_slots)
{
	cr_assert_eq(swap_slots_total(), 0);
	cr_assert_eq(swap_alloc(), 0);
	cr_assert_eq(swap_init(&swap_fake, 1), -EINVAL, "the header alone is no swap");
	cr_assert_eq(swap_init(&swap_fake, 0), -EINVAL);
	cr_assert_eq(swap_slots_total(), 0);
	cr_assert_eq(frames_used(), frames_before);
}

Test(swap, slots_come_in_a_row_from_1_until_full)
{
	cr_assert_eq(swap_init(&swap_fake, 16), 0);
	cr_assert_eq(swap_slots_total(), 15, "slot 0 is mkswap's header");
	cr_assert_eq(swap_slots_used(), 0);
	for (uint64_t s = 1; s < 16; s++)
		cr_assert_eq(swap_alloc(), s);
	cr_assert_eq(swap_slots_used(), 15);
	cr_assert_eq(swap_alloc(), 0, "full");
	cr_assert_eq(swap_refs(0), 0);
	for (uint64_t s = 1; s < 16; s++)
		swap_free(s);
	cr_assert_eq(swap_slots_used(), 0);
}

Test(swap, the_next_slot_follows_the_last_one_and_wraps)
{
	cr_assert_eq(swap_init(&swap_fake, 8), 0);
	for (int i = 0; i < 5; i++)
		swap_alloc(); /* 1..5 */
	swap_free(2);
	cr_assert_eq(swap_alloc(), 6, "after the last allocated, not the lowest free");
	cr_assert_eq(swap_alloc(), 7);
	cr_assert_eq(swap_alloc(), 2, "wraps past the header to the hole");
	cr_assert_eq(swap_alloc(), 0);
	for (uint64_t s = 1; s < 8; s++)
		swap_free(s);
	cr_assert_eq(swap_alloc(), 3, "after 2, the last allocated");
	swap_free(3);
}

Test(swap, references_count_and_the_last_frees)
{
	cr_assert_eq(swap_init(&swap_fake, 4), 0);
	uint64_t s = swap_alloc();
	cr_assert_eq(swap_refs(s), 1);
	cr_assert_eq(swap_dup(s), 0);
	cr_assert_eq(swap_dup(s), 0);
	cr_assert_eq(swap_refs(s), 3);
	swap_free(s);
	swap_free(s);
	cr_assert_eq(swap_slots_used(), 1, "still one reference");
	swap_free(s);
	cr_assert_eq(swap_refs(s), 0);
	cr_assert_eq(swap_slots_used(), 0);
}

Test(swap, a_count_stops_at_its_limit)
{
	cr_assert_eq(swap_init(&swap_fake, 4), 0);
	uint64_t s = swap_alloc();
	unsigned n = 1;
	while (swap_dup(s) == 0)
		n++;
	cr_assert_eq(n, UINT16_MAX - 1);
	cr_assert_eq(swap_dup(s), -EOVERFLOW);
	while (n--)
		swap_free(s);
	cr_assert_eq(swap_slots_used(), 0);
}

Test(swap, many_clusters_every_slot_once_then_nothing_leaks)
{
	uint64_t slots = 3 * CL + 10;
	cr_assert_eq(swap_init(&swap_fake, slots), 0);
	cr_assert_eq(frames_used(), frames_before + 4, "one count page per 2,048 slots");
	for (uint64_t s = 1; s < slots; s++)
		cr_assert_eq(swap_alloc(), s);
	cr_assert_eq(swap_alloc(), 0);
	swap_free(CL + 5);
	swap_free(3 * CL + 1);
	cr_assert_eq(swap_alloc(), CL + 5, "wraps, skips the full cluster 0");
	cr_assert_eq(swap_alloc(), 3 * CL + 1);
	for (uint64_t s = 1; s < slots; s++)
		swap_free(s);
	cr_assert_eq(swap_slots_used(), 0);
	swap_reset();
	cr_assert_eq(frames_used(), frames_before, "the count pages came back");
	cr_assert_eq(swap_slots_total(), 0);
}

Test(swap, a_device_bigger_than_the_maximum_is_clamped)
{
	cr_assert_eq(swap_init(&swap_fake, SWAP_SLOTS_MAX + 100), 0);
	cr_assert_eq(swap_slots_total(), SWAP_SLOTS_MAX - 1);
	cr_assert_eq(frames_used(), frames_before + SWAP_SLOTS_MAX / CL);
}

Test(swap, no_frames_for_the_counts_is_enomem_and_leaves_nothing)
{
	host_teardown();
	host_init(1UL << 20); /* 256 frames, less than the 512 count pages of 4 GiB */
	size_t before = frames_used();
	cr_assert_eq(swap_init(&swap_fake, SWAP_SLOTS_MAX), -ENOMEM);
	cr_assert_eq(frames_used(), before);
	cr_assert_eq(swap_slots_total(), 0);
	cr_assert_eq(swap_alloc(), 0);
}

Test(swap, a_page_goes_out_and_comes_back)
{
	cr_assert_eq(swap_init(&swap_fake, 16), 0);
	paddr_t a = frame_alloc(FRAME_KERNEL), b = frame_alloc_zeroed(FRAME_KERNEL);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		((uint8_t *)phys_to_virt(a))[i] = (uint8_t)(i * 7 + 1);
	uint64_t s = swap_alloc();
	cr_assert_eq(swap_write(s, a), 0);
	cr_assert_eq(memcmp(swap_fake_page(s), phys_to_virt(a), PAGE_SIZE), 0, "on the device");
	cr_assert_eq(swap_read(s, b), 0);
	cr_assert_eq(memcmp(phys_to_virt(a), phys_to_virt(b), PAGE_SIZE), 0, "back in RAM");
	cr_assert_eq(swap_fake_reads, 1);
	cr_assert_eq(swap_fake_writes, 1);
	swap_free(s);
	frame_free(a);
	frame_free(b);
}

Test(swap, device_failures_come_back_as_eio)
{
	cr_assert_eq(swap_init(&swap_fake, 16), 0);
	paddr_t f = frame_alloc_zeroed(FRAME_KERNEL);
	uint64_t s = swap_alloc(), t = swap_alloc();
	swap_fake_fail_write = s;
	swap_fake_fail_read = t;
	cr_assert_eq(swap_write(s, f), -EIO);
	cr_assert_eq(swap_write(t, f), 0);
	cr_assert_eq(swap_read(t, f), -EIO);
	cr_assert_eq(swap_read(s, f), 0);
	swap_free(s);
	swap_free(t);
	frame_free(f);
}
