/* Shared anonymous memory objects: each owns its frames (one reference on each) in a radix tree
 * of page-sized nodes of 512 entries, so a fault finds its page in at most four steps. A leaf
 * entry is a frame, 0 (a hole), or a page out on swap (swap_pte(slot), as in page tables). */
#include <assert.h>
#include <errno.h>

#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/swap.h"

#define RADIX_BITS 9 /* 512 eight-byte entries fill a page */
#define RADIX_SIZE (1U << RADIX_BITS)

static struct slab_cache shmem_cache;
static uint64_t shmem_total; /* frames held by all objects */

/* The height of a tree that indexes pages pages: at least one level. */
static uint8_t levels_for(uint64_t pages)
{
	uint8_t n = 1;

	while (pages && n * RADIX_BITS < 64 && (pages - 1) >> (n * RADIX_BITS))
		n++;
	return n;
}

/* A new empty object of pages pages (0 for an empty file) with one reference, or NULL when out
 * of memory. */
struct shmem *shmem_create(uint64_t pages)
{
	if (!shmem_cache.objsize)
		slab_init(&shmem_cache, sizeof(struct shmem));

	struct shmem *s = slab_alloc(&shmem_cache);

	if (!s)
		return NULL;
	s->pages = pages;
	s->levels = levels_for(pages);
	s->refs = 1;
	return s;
}

/* One more reference to s. */
void shmem_get(struct shmem *s)
{
	assert(s->refs > 0 && s->refs < UINT32_MAX);
	s->refs++;
}

/* The entry of node level level (1 = leaves) that covers page index idx. */
static unsigned slot_of(uint64_t idx, unsigned level)
{
	return (unsigned)(idx >> (RADIX_BITS * (level - 1))) & (RADIX_SIZE - 1);
}

/* The leaf entry for idx, making missing nodes; NULL when out of memory. */
static paddr_t *leaf_slot(struct shmem *s, uint64_t idx)
{
	paddr_t *link = &s->root;

	for (unsigned level = s->levels; level > 0; level--) {
		if (!*link) {
			*link = frame_alloc_zeroed(FRAME_KERNEL);
			if (!*link)
				return NULL; /* nodes made so far stay: the object frees them */
		}
		link = (paddr_t *)phys_to_virt(*link) + slot_of(idx, level);
	}
	return link;
}

/* The leaf entry at idx: a frame, a swap entry, or 0 (nothing is made). */
static paddr_t entry_at(const struct shmem *s, uint64_t idx)
{
	paddr_t e = idx < s->pages ? s->root : 0;

	for (unsigned level = s->levels; e && level > 0; level--)
		e = ((const paddr_t *)phys_to_virt(e))[slot_of(idx, level)];
	return e;
}

/* The frame at idx, or 0 for a hole or a page on swap (nothing is made, nothing read). */
paddr_t shmem_lookup(const struct shmem *s, uint64_t idx)
{
	paddr_t e = entry_at(s, idx);

	return pte_is_swap(e) ? 0 : e;
}

/* True when idx holds a page, in a frame or on swap. */
bool shmem_has(const struct shmem *s, uint64_t idx)
{
	return entry_at(s, idx) != 0;
}

uint64_t shmem_next_page(const struct shmem *s, uint64_t idx, uint64_t end)
{
	if (end > s->pages)
		end = s->pages;
	while (idx < end && s->root) {
		paddr_t e = s->root;
		unsigned level = s->levels;

		for (; level > 0; level--) {
			e = ((const paddr_t *)phys_to_virt(e))[slot_of(idx, level)];
			if (!e)
				break;
		}
		if (level == 0)
			return idx;
		/* the empty entry of a level-`level` node covers this aligned block: skip it whole
		 */
		uint64_t span = 1ULL << (RADIX_BITS * (level - 1));
		idx = (idx | (span - 1)) + 1;
	}
	return end;
}

/* Frame pa becomes the page at idx of s, with the object's reference: a page reclaim may evict,
 * found again through s (rmap.c). A page past FRAME_INDEX_MAX (a sparse file's, 256 TiB in)
 * stays in memory: its frame could not name it, and reclaim would find another. */
static void hold(struct shmem *s, uint64_t idx, paddr_t *e, paddr_t pa)
{
	struct frame *f = frame_of(pa);

	frame_ref(pa); /* the object's own: mappings come and go, the contents stay */
	*e = pa;
	s->resident++;
	shmem_total++;
	if (idx > FRAME_INDEX_MAX)
		return;
	frame_set_owner(f, rmap_handle(s), idx, FRAME_SHMEM);
	reclaim_track(pa);
}

/* Read the page on swap at *e (idx of s) back into a new frame. 0, -ENOMEM or -EIO. */
static int swap_back(struct shmem *s, uint64_t idx, paddr_t *e)
{
	uint64_t slot = pte_slot(*e);
	paddr_t pa = frame_alloc(FRAME_USER);

	if (!pa)
		return -ENOMEM;
	if (swap_read(slot, pa)) {
		frame_free(pa);
		return -EIO;
	}
	vm_events.pswpin++;
	s->swapped--;
	hold(s, idx, e, pa);
	swap_free(slot);
	return 0;
}

/* The frame at idx in *pa (read back from swap when there), 0 for a hole. 0 or -errno. */
int shmem_find(struct shmem *s, uint64_t idx, paddr_t *pa)
{
	*pa = entry_at(s, idx);
	if (!pte_is_swap(*pa))
		return 0;

	paddr_t *e = leaf_slot(s, idx); /* the nodes exist: a swap entry is in them */
	int err = swap_back(s, idx, e);

	*pa = err ? 0 : *e;
	return err;
}

/* The frame at idx in *pa, a zeroed one added when absent, read back when on swap. */
int shmem_fetch(struct shmem *s, uint64_t idx, paddr_t *pa)
{
	assert(idx < s->pages);

	paddr_t *e = leaf_slot(s, idx);
	int err = e ? 0 : -ENOMEM;

	if (!err && pte_is_swap(*e))
		err = swap_back(s, idx, e);
	if (!err && !*e) {
		paddr_t fresh = frame_alloc_zeroed(FRAME_USER);

		if (fresh)
			hold(s, idx, e, fresh);
		else
			err = -ENOMEM;
	}
	*pa = err ? 0 : *e;
	return err;
}

paddr_t shmem_page(struct shmem *s, uint64_t idx)
{
	paddr_t pa;

	return shmem_fetch(s, idx, &pa) ? 0 : pa;
}

/* Frame pa's page goes to slot: its entry names the slot; the frame loses the object's ref. */
void shmem_swapped_out(paddr_t pa, uint64_t slot)
{
	const struct frame *f = frame_of(pa);
	struct shmem *s = rmap_object(f->owner);
	paddr_t *e = leaf_slot(s, frame_index(f));

	assert(e && *e == pa);
	*e = swap_pte(slot);
	s->resident--;
	s->swapped++;
	shmem_total--;
	frame_unref(pa);
}

/* Drop the frames at [lo, hi) under the node pa of level, whose first index is base; with all,
 * free the node and its subtree too. */
static void drop_under(struct shmem *s, paddr_t pa, unsigned level, uint64_t base, uint64_t lo,
                       uint64_t hi, bool all)
{
	paddr_t *e = phys_to_virt(pa);
	uint64_t span = 1ULL << (RADIX_BITS * (level - 1)); /* indexes under one entry */

	for (unsigned i = 0; i < RADIX_SIZE; i++) {
		uint64_t first = base + i * span;

		if (first >= hi)
			break;
		if (!e[i] || first + span <= lo)
			continue;
		if (level > 1) {
			drop_under(s, e[i], level - 1, first, lo, hi, all);
		} else if (pte_is_swap(e[i])) {
			swap_free(pte_slot(e[i]));
			s->swapped--;
		} else {
			frame_unref(e[i]);
			s->resident--;
			shmem_total--;
		}
		if (level == 1 || all)
			e[i] = 0;
	}
	if (all)
		frame_free(pa);
}

/* Drop the frames at [lo, hi), clamped to the size; the nodes stay until the object goes. */
void shmem_remove(struct shmem *s, uint64_t lo, uint64_t hi)
{
	if (hi > s->pages)
		hi = s->pages;
	if (s->root && lo < hi)
		drop_under(s, s->root, s->levels, 0, lo, hi, false);
}

/* Make the tree tall enough for pages: the old root becomes entry 0 of a new one. 0 or -ENOMEM
 * (the levels added so far stay: they index the same pages). */
static int grow_levels(struct shmem *s, uint64_t pages)
{
	uint8_t want = levels_for(pages);

	while (s->levels < want) {
		if (s->root) {
			paddr_t top = frame_alloc_zeroed(FRAME_KERNEL);

			if (!top)
				return -ENOMEM;
			*(paddr_t *)phys_to_virt(top) = s->root;
			s->root = top;
		}
		s->levels++;
	}
	return 0;
}

/* Set the size to pages, growing the tree or dropping the frames past it. 0 or -ENOMEM. */
int shmem_set_pages(struct shmem *s, uint64_t pages)
{
	if (pages > s->pages) {
		int err = grow_levels(s, pages);

		if (err)
			return err;
	} else {
		shmem_remove(s, pages, s->pages);
	}
	s->pages = pages;
	return 0;
}

/* One reference fewer; the last frees every frame, every node and s. */
void shmem_put(struct shmem *s)
{
	assert(s->refs > 0);
	if (--s->refs)
		return;
	if (s->root)
		drop_under(s, s->root, s->levels, 0, 0, UINT64_MAX,
		           true); /* nodes past a shrunk size too */
	assert(s->resident == 0 && s->swapped == 0);
	slab_free(&shmem_cache, s);
}

uint64_t shmem_pages_total(void)
{
	return shmem_total;
}
