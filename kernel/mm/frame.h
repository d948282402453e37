/* The frame table: one small entry per physical frame of usable RAM, with its state and users.
 * Allocation and freeing are O(1) through a free list threaded through the entries. */
#pragma once
#include "mm/types.h"

enum frame_state {
	FRAME_NONE = 0,  /* not usable RAM, or the frame table itself */
	FRAME_FREE,      /* on the free list */
	FRAME_USER,      /* a page of a user address space */
	FRAME_PAGETABLE, /* a page-table page of a user address space */
	FRAME_KERNEL,    /* kernel objects (slab pages, kernel stacks) */
	FRAME_NSTATES
};

/* Frame flags: what reclaim (reclaim.c) needs to know of a user page. */
#define FRAME_ANON      0x1 /* an anonymous page: owner and index find its mappings (rmap.c) */
#define FRAME_SWAPCACHE 0x2 /* in the swap cache: next is its slot, and the cache holds a ref */
#define FRAME_SHMEM     0x4 /* a shmem object's page: owner is the object's handle (rmap.h) */
#define FRAME_LAZYFREE  0x8 /* MADV_FREE'd or droppable: reclaim drops it rather than swap it */
#define FRAME_EVICTABLE (FRAME_ANON | FRAME_SHMEM)

/* 16 bytes: Linux's page->mapping and page->index (owner, index), page->private (the swap-cache
 * slot, in next) and the counts, without LRU links (the policy keeps those, evict.h). Whole
 * bytes, no bit-fields, for the fault path: the index's top 4 bits share a byte with the flags. */
struct frame {
	uint32_t next;     /* free: free list link (frame number + 1, 0 ends it); cached: slot */
	uint32_t owner;    /* FRAME_EVICTABLE: the handle of its anon family or object (rmap.h) */
	uint32_t index_lo; /* FRAME_EVICTABLE: its page index in the family's or object's space, */
	uint16_t refs;     /* mappings of this frame (and the swap cache's, and an object's) */
	uint8_t state;     /* enum frame_state */
	uint8_t flags;     /* FRAME_* above (low 4 bits); the index's bits 32..35 (high 4) */
};

/* The largest page index an evictable frame can name: 36 bits, every user page number, and an
 * object's pages up to 256 TiB into it. */
#define FRAME_INDEX_MAX ((1ULL << 36) - 1)

/* The page index of an evictable frame (36 bits: a user page number, or an object's). */
static inline uint64_t frame_index(const struct frame *f)
{
	return f->index_lo | (uint64_t)(f->flags >> 4) << 32;
}

/* Make f an evictable page of owner at index, with flag (FRAME_ANON or FRAME_SHMEM). */
static inline void frame_set_owner(struct frame *f, uint32_t owner, uint64_t index, unsigned flag)
{
	f->owner = owner;
	f->index_lo = (uint32_t)index;
	f->flags = (uint8_t)((f->flags & 0xf & ~FRAME_EVICTABLE) | flag | (index >> 32 & 0xf) << 4);
}

/* Linux's shared zero page: one frame of zeros that frame_table_init() sets aside (FRAME_NONE, as
 * the table's own frames: never handed out, freed, counted, tracked or evicted). A read fault of
 * private anonymous memory maps it read-only; no reference is counted on it, so mapping it any
 * number of times cannot overflow refs, and it is no page of any process's RSS. */
extern paddr_t zero_page;

/* True when pa is the zero page. Inline: the fault path and every unmap ask. */
static inline bool is_zero_page(paddr_t pa)
{
	return pa == zero_page;
}

struct phys_range {
	paddr_t start, end; /* [start, end), bytes */
};

/* Build the table over the usable ranges; its own storage is carved from them, and the zero page.
 * 0, or -ENOMEM. */
int frame_table_init(const struct phys_range *usable, size_t n);

/* A free frame, now in state; contents undefined. 0 when none is left. */
paddr_t frame_alloc(enum frame_state state);

/* A free user frame with one reference, the mapping's about to hold it; contents undefined. 0 when
 * none is left. */
paddr_t frame_alloc_mapped(void);

/* frame_alloc_mapped() for a private page of an anon family: owner's (a handle, 0 for none) at
 * index, FRAME_ANON when owner is not 0. The fault path's allocation. */
paddr_t frame_alloc_anon(uint32_t owner, uint64_t index);

/* A free frame filled with zeros, or 0 when none is left. */
paddr_t frame_alloc_zeroed(enum frame_state state);

/* The entry describing frame pa (pa must be a frame the table covers). */
struct frame *frame_of(paddr_t pa);

/* One more mapping of pa. */
void frame_ref(paddr_t pa);

/* One mapping fewer; the frame returns to the free list when none is left. */
void frame_unref(paddr_t pa);

/* Return pa to the free list at once, whatever its count (page-table and kernel frames). */
void frame_free(paddr_t pa);

/* The table's entry number of frame pa, the frame of entry number i, and how many entries there
 * are (frame numbers for the replacement policy, which knows no addresses). */
uint32_t frame_number(paddr_t pa);
paddr_t frame_addr(uint32_t i);
uint32_t frames_span(void);

/* Bytes per frame kept beside the table for the replacement policy's own state (evict.h: two
 * 32-bit links and a byte of bits), zeroed at init; frame_side_table() is their start. */
#define FRAME_SIDE_BYTES 9
void *frame_side_table(void);

/* Called when a FRAME_EVICTABLE frame goes back to the free list (reclaim forgets it), or NULL. */
extern void (*frame_evictable_freed)(uint32_t i);

/* Called when a FRAME_SWAPCACHE frame is left with the swap cache's reference alone, or NULL. */
extern void (*frame_cache_only)(paddr_t pa);

size_t frames_total(void); /* frames the table manages */
size_t frames_free(void);
size_t frames_used(void); /* frames_total() - frames_free() */
size_t frames_in_state(enum frame_state state);
