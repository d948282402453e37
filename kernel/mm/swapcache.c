/* The swap cache: slot -> frame for slots read back while page tables still name them, in pages
 * of 1,024 entries taken from the frame table only while a slot of theirs is cached. */
#include <assert.h>
#include <errno.h>

#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/swap.h"

#define PER_PAGE (PAGE_SIZE / sizeof(uint32_t))
#define NPAGES   (SWAP_SLOTS_MAX / PER_PAGE)

static paddr_t dir[NPAGES];       /* entry page of slots [i * PER_PAGE, (i + 1) * PER_PAGE) */
static uint16_t dir_used[NPAGES]; /* cached slots in that page */
static uint64_t cached;

/* The entry of slot (frame number + 1, 0 for none), or NULL when its page is absent. */
static uint32_t *entry(uint64_t slot)
{
	assert(slot < SWAP_SLOTS_MAX);
	if (!dir[slot / PER_PAGE])
		return NULL;
	return (uint32_t *)phys_to_virt(dir[slot / PER_PAGE]) + slot % PER_PAGE;
}

/* The frame caching slot, or 0. */
paddr_t swap_cache_lookup(uint64_t slot)
{
	const uint32_t *e = cached ? entry(slot) : NULL;

	return e && *e ? frame_addr(*e - 1) : 0;
}

/* frame.c's hook: a cached frame nothing maps; the slot too only the cache holds: drop both. */
static void cache_only(paddr_t pa)
{
	uint64_t slot = frame_of(pa)->next;

	if (swap_refs(slot) == 1)
		swap_cache_del(slot);
}

/* Cache pa for slot; the cache takes a reference on both. 0, -ENOMEM or -EOVERFLOW. */
int swap_cache_add(uint64_t slot, paddr_t pa)
{
	struct frame *f = frame_of(pa);
	uint64_t p = slot / PER_PAGE;

	assert(!(f->flags & FRAME_SWAPCACHE) && !swap_cache_lookup(slot));
	frame_cache_only = cache_only;
	if (!dir[p] && !(dir[p] = frame_alloc_zeroed(FRAME_KERNEL)))
		return -ENOMEM;
	if (swap_dup(slot)) {
		if (!dir_used[p]) {
			frame_free(dir[p]);
			dir[p] = 0;
		}
		return -EOVERFLOW;
	}
	*entry(slot) = frame_number(pa) + 1;
	dir_used[p]++;
	cached++;
	f->flags |= FRAME_SWAPCACHE;
	f->next = (uint32_t)slot;
	frame_ref(pa);
	return 0;
}

/* Forget slot's frame: both lose the cache's reference; an entry page left empty goes back. */
void swap_cache_del(uint64_t slot)
{
	uint32_t *e = entry(slot);
	uint64_t p = slot / PER_PAGE;
	paddr_t pa;

	assert(e && *e);
	pa = frame_addr(*e - 1);
	*e = 0;
	cached--;
	if (--dir_used[p] == 0) {
		frame_free(dir[p]);
		dir[p] = 0;
	}
	frame_of(pa)->flags &= ~FRAME_SWAPCACHE;
	frame_of(pa)->next = 0;
	frame_unref(pa);
	swap_free(slot);
}

void swap_cache_drop_unmapped(void)
{
	for (uint64_t p = 0; cached && p < NPAGES; p++)
		for (uint64_t slot = p * PER_PAGE; dir[p] && slot < (p + 1) * PER_PAGE; slot++) {
			const uint32_t *e = entry(slot);

			if (*e && frame_of(frame_addr(*e - 1))->refs == 1)
				swap_cache_del(slot); /* may free dir[p]: the loop then stops */
		}
}

/* Frames in the swap cache now. */
uint64_t swap_cache_pages(void)
{
	return cached;
}
