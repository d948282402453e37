/* Swap slots: which 4 KiB pages of the swap device are in use and by how many references, and the
 * device interface below mm (read or write one slot), which kernel/dev implements with virtio-blk.
 */
#pragma once
#include "arch/x86_64/pte.h"
#include "mm/types.h"

/* A page-table entry of a page out on swap: not present, PTE_SWAP set, the slot where a frame's
 * address would be, and PTE_D kept from the page's entry (a written page is no zero page when it
 * comes back). Hardware ignores every other bit of an entry without PTE_P. */
#define PTE_SWAP (1UL << 1)

static inline bool pte_is_swap(pte_t e)
{
	return (e & (PTE_P | PTE_SWAP)) == PTE_SWAP;
}

static inline pte_t swap_pte(uint64_t slot)
{
	return (slot << PAGE_SHIFT) | PTE_SWAP;
}

static inline uint64_t pte_slot(pte_t e)
{
	return (e & PTE_ADDR) >> PAGE_SHIFT;
}

/* A swap device: slot numbers are 4 KiB pages from its start. Each call moves one whole page
 * between the slot and physical frame; 0, or -EIO. */
struct swap_device {
	int (*read)(uint64_t slot, paddr_t frame);
	int (*write)(uint64_t slot, paddr_t frame);
	/* Optional: n slots from slot on, to or from frames[0..n-1] in one request. */
	int (*read_pages)(uint64_t slot, const paddr_t *frames, unsigned n);
	int (*write_pages)(uint64_t slot, const paddr_t *frames, unsigned n);
};

/* The most pages one swap_read_pages() or swap_write_pages() moves. */
#define SWAP_BATCH 32

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

/* Slots [slot, slot + n) (n <= SWAP_BATCH), each allocated, to or from frames[0..n-1]: one
 * request of the device when it has batches, else one per page. 0 or -EIO. */
int swap_write_pages(uint64_t slot, const paddr_t *frames, unsigned n);
int swap_read_pages(uint64_t slot, const paddr_t *frames, unsigned n);

uint64_t swap_slots_total(void); /* slots that can be handed out (the header is not one) */
uint64_t swap_slots_used(void);  /* slots with a reference: 0 after every run */

/* The swap cache (swapcache.c): a frame holding the contents of a slot, unchanged since it was
 * read back (Linux's swap cache). It lets every process sharing the slot after fork find the same
 * frame, and a clean page go out again without a write. The cache holds one reference on the
 * frame (FRAME_SWAPCACHE, its slot in next) and one on the slot; both go when the frame is
 * written, or when nothing but the cache holds either. */

/* The frame caching slot, or 0. */
paddr_t swap_cache_lookup(uint64_t slot);

/* Cache pa (a user frame holding slot's contents, slot allocated) for slot: 0, or -ENOMEM or
 * -EOVERFLOW (nothing changes). */
int swap_cache_add(uint64_t slot, paddr_t pa);

/* Forget slot's frame: the frame and the slot lose the cache's references. */
void swap_cache_del(uint64_t slot);

/* Frames in the swap cache now. */
uint64_t swap_cache_pages(void);

/* Drop every cached frame nothing maps, as Linux's drop_caches: read-ahead may have brought in a
 * slot a file's page is out in, which no run's end frees. The slots keep their other holders. */
void swap_cache_drop_unmapped(void);

/* True when more than half the slots are in use: a page read back then gives its slot up at once
 * (Linux's vm_swap_full()). */
bool swap_half_full(void);
