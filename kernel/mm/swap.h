/* Swap slots: which 4 KiB pages of the swap device are in use and by how many references, and the
 * device interface below mm (read or write one slot), which kernel/dev implements with virtio-blk.
 */
#pragma once
#include "mm/types.h"

/* A swap device: slot numbers are 4 KiB pages from its start. Each call moves one whole page
 * between the slot and physical frame; 0, or -EIO. */
struct swap_device {
	int (*read)(uint64_t slot, paddr_t frame);
	int (*write)(uint64_t slot, paddr_t frame);
};

/* The most slots swap_init uses: 4 GiB of swap (one directory page of count pages). */
#define SWAP_SLOTS_MAX (512UL * 2048UL)

/* Use dev's first slots pages (at most SWAP_SLOTS_MAX) for swap; slot 0 is mkswap's header and is
 * never handed out. Replaces any previous device, whose slots must all be free. 0, or -ENOMEM
 * when the frame table cannot hold the counts, -EINVAL when slots < 2. */
int swap_init(const struct swap_device *dev, uint64_t slots);

/* Forget the device and give the count pages back to the frame table (every slot must be free). */
void swap_reset(void);

/* A free slot with one reference, the one after the last allocated when free; 0 when none is left.
 */
uint64_t swap_alloc(void);

/* One more reference to allocated slot (a page shared after fork). 0, or -EOVERFLOW at the
 * count's limit. */
int swap_dup(uint64_t slot);

/* One reference fewer to allocated slot; it is free again when none is left. */
void swap_free(uint64_t slot);

/* References to slot (0 when free or out of range). */
unsigned swap_refs(uint64_t slot);

/* Copy frame to allocated slot, or slot back into frame: the device's 0 or -EIO. */
int swap_write(uint64_t slot, paddr_t frame);
int swap_read(uint64_t slot, paddr_t frame);

uint64_t swap_slots_total(void); /* slots that can be handed out (the header is not one) */
uint64_t swap_slots_used(void);  /* slots with a reference: 0 after every run */
