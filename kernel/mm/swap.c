/* The swap-slot allocator: a 16-bit reference count per slot, kept in pages of the frame table,
 * and a cursor so that evictions in a row land in neighbouring slots (Linux's cluster idea). */
#include <assert.h>
#include <errno.h>

#include "mm/failpoint.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/swap.h"

/* Metadata: 2 bytes per slot (its count), in pages of 2,048 counts taken from the frame table
 * only for the slots the device has (256 KiB for 512 MiB of swap), plus 5 KiB of static
 * directory for up to 4 GiB. A cluster is the slots of one count page; its used count lets the
 * cursor skip a full cluster without reading it. */
#define CLUSTER      (PAGE_SIZE / sizeof(uint16_t))
#define NCLUSTERS    (SWAP_SLOTS_MAX / CLUSTER)
#define COUNT_HEADER UINT16_MAX /* slot 0: never free, never handed out */
#define COUNT_MAX    (UINT16_MAX - 1)

static const struct swap_device *device;
static uint64_t nslots; /* slots in use by swap, the header included; 0 without a device */
static uint64_t used;   /* slots with a reference */
static uint64_t cursor; /* the slot allocated last */
static paddr_t count_page[NCLUSTERS];
static uint16_t cluster_used[NCLUSTERS]; /* slots of the cluster with a nonzero count */

/* The count of slot s (s < nslots). */
static uint16_t *count_of(uint64_t s)
{
	uint16_t *page = phys_to_virt(count_page[s / CLUSTER]);
	return &page[s % CLUSTER];
}

/* Slots in cluster c (the last one may be short). */
static uint64_t cluster_size(uint64_t c)
{
	uint64_t rest = nslots - c * CLUSTER;
	return rest < CLUSTER ? rest : CLUSTER;
}

/* True when slot is one that swap_alloc hands out. */
static bool slot_valid(uint64_t slot)
{
	return slot > 0 && slot < nslots;
}

/* Give the count pages back; no slot may be in use. */
void swap_reset(void)
{
	assert(used == 0);
	for (uint64_t c = 0; c < NCLUSTERS; c++) {
		if (count_page[c])
			frame_free(count_page[c]);
		count_page[c] = 0;
		cluster_used[c] = 0;
	}
	device = NULL;
	nslots = cursor = 0;
}

/* dev's first slots pages become swap; 0, -EINVAL or -ENOMEM (then there is no swap). */
int swap_init(const struct swap_device *dev, uint64_t slots)
{
	swap_reset();
	if (slots < 2)
		return -EINVAL;
	nslots = slots < SWAP_SLOTS_MAX ? slots : SWAP_SLOTS_MAX;
	for (uint64_t c = 0; c * CLUSTER < nslots; c++) {
		count_page[c] = frame_alloc_zeroed(FRAME_KERNEL);
		if (!count_page[c]) {
			swap_reset();
			return -ENOMEM;
		}
	}
	*count_of(0) = COUNT_HEADER;
	cluster_used[0] = 1;
	device = dev;
	return 0;
}

/* Take free slot s: one reference. */
static uint64_t take(uint64_t s)
{
	*count_of(s) = 1;
	cluster_used[s / CLUSTER]++;
	used++;
	cursor = s;
	return s;
}

/* The first free slot at or after s in s's cluster, or 0. */
static uint64_t free_in_cluster(uint64_t s)
{
	uint64_t c = s / CLUSTER;
	if (cluster_used[c] == cluster_size(c))
		return 0;
	for (uint64_t end = c * CLUSTER + cluster_size(c); s < end; s++)
		if (*count_of(s) == 0)
			return s;
	return 0;
}

/* A free slot, searched forward from the one after the cursor, wrapping once; 0 when full.
 * Sequential allocations cost O(1) each; the worst case reads every cluster's used count and
 * one cluster's counts (at most 512 + 2,048 reads). */
uint64_t swap_alloc(void)
{
	if (used + 1 >= nslots)
		return 0;
	uint64_t s = cursor + 1 < nslots ? cursor + 1 : 1;
	for (uint64_t n = 0; n <= nslots / CLUSTER + 1; n++) {
		uint64_t got = free_in_cluster(s);
		if (got)
			return take(got);
		s = (s / CLUSTER + 1) * CLUSTER;
		if (s >= nslots)
			s = 1;
	}
	assert(!"swap_alloc: used count says a slot is free but none is");
	return 0;
}

/* One more reference to allocated slot; -EOVERFLOW at the limit of 16 bits. */
int swap_dup(uint64_t slot)
{
	assert(slot_valid(slot) && *count_of(slot) != 0);
	uint16_t *count = count_of(slot);
	if (*count >= COUNT_MAX)
		return -EOVERFLOW;
	++*count;
	return 0;
}

/* One reference fewer; the last one frees the slot. */
void swap_free(uint64_t slot)
{
	assert(slot_valid(slot) && *count_of(slot) != 0);
	uint16_t left = --*count_of(slot);

	if (left == 0) {
		cluster_used[slot / CLUSTER]--;
		used--;
	} else if (left == 1) {
		paddr_t pa = swap_cache_lookup(slot);

		if (pa && frame_of(pa)->refs == 1)
			swap_cache_del(slot); /* the cache alone holds both: no one needs them */
	}
}

/* References to slot, 0 when free, the header or out of range. */
unsigned swap_refs(uint64_t slot)
{
	return slot_valid(slot) ? *count_of(slot) : 0;
}

/* The device's write of frame to allocated slot (-EIO when fail= says this request fails). */
int swap_write(uint64_t slot, paddr_t frame)
{
	assert(device && slot_valid(slot) && *count_of(slot) != 0);
	return fail_inject(FAIL_SWAPOUT) ? -EIO : device->write(slot, frame);
}

/* The device's read of allocated slot into frame (-EIO when fail= says this request fails). */
int swap_read(uint64_t slot, paddr_t frame)
{
	assert(device && slot_valid(slot) && *count_of(slot) != 0);
	return fail_inject(FAIL_SWAPIN) ? -EIO : device->read(slot, frame);
}

/* Move n pages between slots [slot, slot + n) and frames, as one request when the device can;
 * fail= may fail the whole request, as a disk fails one. */
static int move_pages(uint64_t slot, const paddr_t *frames, unsigned n, bool out)
{
	int (*batch)(uint64_t, const paddr_t *, unsigned) =
	    out ? device->write_pages : device->read_pages;
	int (*one)(uint64_t, paddr_t) = out ? device->write : device->read;

	assert(n <= SWAP_BATCH && slot_valid(slot) && slot + n <= nslots);
	if (fail_inject(out ? FAIL_SWAPOUT : FAIL_SWAPIN))
		return -EIO;
	if (batch && n > 1)
		return batch(slot, frames, n);
	for (unsigned i = 0; i < n; i++)
		if (one(slot + i, frames[i]))
			return -EIO;
	return 0;
}

/* Write frames to the allocated slots [slot, slot + n). */
int swap_write_pages(uint64_t slot, const paddr_t *frames, unsigned n)
{
	return move_pages(slot, frames, n, true);
}

/* Read the slots [slot, slot + n) into frames (read-ahead reads slots in use or not). */
int swap_read_pages(uint64_t slot, const paddr_t *frames, unsigned n)
{
	return move_pages(slot, frames, n, false);
}

/* Slots that can be handed out: all but the header. */
uint64_t swap_slots_total(void)
{
	return nslots ? nslots - 1 : 0;
}

/* More than half the slots in use. */
bool swap_half_full(void)
{
	return used * 2 > swap_slots_total();
}

/* Slots with at least one reference. */
uint64_t swap_slots_used(void)
{
	return used;
}
