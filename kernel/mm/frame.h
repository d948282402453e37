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

struct frame {
	uint32_t next; /* free list link: frame number + 1, 0 ends the list */
	uint16_t refs; /* mappings of this frame */
	uint8_t state; /* enum frame_state */
	uint8_t flags;
};

struct phys_range {
	paddr_t start, end; /* [start, end), bytes */
};

/* Build the table over the usable ranges; its own storage is carved from them. 0, or -ENOMEM. */
int frame_table_init(const struct phys_range *usable, size_t n);

/* A free frame, now in state; contents undefined. 0 when none is left. */
paddr_t frame_alloc(enum frame_state state);

/* A free user frame with one reference, the mapping's about to hold it; contents undefined. 0 when
 * none is left. */
paddr_t frame_alloc_mapped(void);

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

size_t frames_total(void); /* frames the table manages */
size_t frames_free(void);
size_t frames_used(void); /* frames_total() - frames_free() */
size_t frames_in_state(enum frame_state state);
