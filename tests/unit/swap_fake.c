/* The fake swap device: slot s is bytes [s * PAGE_SIZE, (s + 1) * PAGE_SIZE) of one host buffer,
 * moved to and from the unit tests' fake RAM with memcpy. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/hal.h"
#include "swap_fake.h"

unsigned long swap_fake_reads, swap_fake_writes;
uint64_t swap_fake_fail_read, swap_fake_fail_write;
static uint8_t *disk;
static uint64_t disk_slots;

/* Slot into frame, or -EIO when the test said so. */
static int fake_read(uint64_t slot, paddr_t frame)
{
	assert(slot < disk_slots && PAGE_ALIGNED(frame));
	swap_fake_reads++;
	if (slot == swap_fake_fail_read)
		return -EIO;
	memcpy(phys_to_virt(frame), swap_fake_page(slot), PAGE_SIZE);
	return 0;
}

/* Frame into slot, or -EIO when the test said so. */
static int fake_write(uint64_t slot, paddr_t frame)
{
	assert(slot < disk_slots && PAGE_ALIGNED(frame));
	swap_fake_writes++;
	if (slot == swap_fake_fail_write)
		return -EIO;
	memcpy(swap_fake_page(slot), phys_to_virt(frame), PAGE_SIZE);
	return 0;
}

const struct swap_device swap_fake = {.read = fake_read, .write = fake_write};

unsigned long swap_fake_batches;

/* n slots from slot into frames in one request: -EIO when any of them would fail. */
static int fake_read_pages(uint64_t slot, const paddr_t *frames, unsigned n)
{
	swap_fake_batches++;
	for (unsigned i = 0; i < n; i++)
		if (slot + i == swap_fake_fail_read)
			return -EIO;
	for (unsigned i = 0; i < n; i++)
		(void)fake_read(slot + i, frames[i]);
	return 0;
}

/* frames into n slots from slot in one request: -EIO when any of them would fail. */
static int fake_write_pages(uint64_t slot, const paddr_t *frames, unsigned n)
{
	swap_fake_batches++;
	for (unsigned i = 0; i < n; i++)
		if (slot + i == swap_fake_fail_write)
			return -EIO;
	for (unsigned i = 0; i < n; i++)
		(void)fake_write(slot + i, frames[i]);
	return 0;
}

const struct swap_device swap_fake_batched = {.read = fake_read,
                                              .write = fake_write,
                                              .read_pages = fake_read_pages,
                                              .write_pages = fake_write_pages};

void swap_fake_init(uint64_t slots)
{
	swap_fake_done();
	disk = calloc(slots, PAGE_SIZE);
	assert(disk);
	disk_slots = slots;
	swap_fake_reads = swap_fake_writes = swap_fake_batches = 0;
	swap_fake_fail_read = swap_fake_fail_write = 0;
}

void swap_fake_done(void)
{
	free(disk);
	disk = NULL;
	disk_slots = 0;
}

uint8_t *swap_fake_page(uint64_t slot)
{
	assert(slot < disk_slots);
	return disk + slot * PAGE_SIZE;
}
