/* The frame table: one 16-byte entry per physical frame between the lowest and highest usable
 * frame, its own storage carved from the first usable range big enough, and an O(1) LIFO free list.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "mm/failpoint.h"
#include "mm/frame.h"
#include "mm/hal.h"

/*
 * Frames holding the table itself, the zero page, frames outside the usable ranges and frame 0 are
 * FRAME_NONE: they are never handed out and are not counted by frames_total(), so frames_used()
 * starts at 0 and every frame it counts was allocated by someone.
 */
static struct frame *table; /* entry i describes frame number base + i */
static uint64_t base;       /* first frame number the table covers */
static size_t nentries;     /* entries in table */
static uint8_t *side;       /* FRAME_SIDE_BYTES per entry, for the replacement policy */
static uint32_t free_head;  /* frame index + 1 of the first free frame, 0 when none */
static size_t total;        /* frames that were ever FRAME_FREE */
static size_t count[FRAME_NSTATES];

/* Index of the entry for pa; pa must lie in the covered span. */
static size_t index_of(paddr_t pa)
{
	uint64_t fn = pa >> PAGE_SHIFT;

	assert(table != NULL && fn >= base && fn - base < nentries);
	return (size_t)(fn - base);
}

static paddr_t pa_of(size_t idx)
{
	return (paddr_t)(base + idx) << PAGE_SHIFT;
}

/* Move entry idx from its state to s, keeping the per-state counts exact. */
static void set_state(size_t idx, enum frame_state s)
{
	count[table[idx].state]--;
	table[idx].state = (uint8_t)s;
	count[s]++;
}

void (*frame_evictable_freed)(uint32_t i);
void (*frame_cache_only)(paddr_t pa);

static void push_free(size_t idx)
{
	if ((table[idx].flags & FRAME_EVICTABLE) && frame_evictable_freed)
		frame_evictable_freed((uint32_t)idx);
	set_state(idx, FRAME_FREE);
	table[idx].refs = 0;
	table[idx].flags = 0;
	table[idx].owner = 0;
	table[idx].next = free_head;
	free_head = (uint32_t)(idx + 1);
}

/* First and last whole frame numbers inside r: [*lo, *hi). False when it holds no whole frame. */
static bool whole_frames(const struct phys_range *r, uint64_t *lo, uint64_t *hi)
{
	if (r->end <= r->start || r->end - r->start < PAGE_SIZE)
		return false;
	*lo = PAGE_UP(r->start) >> PAGE_SHIFT;
	*hi = PAGE_DOWN(r->end) >> PAGE_SHIFT;
	if (*lo == 0)
		*lo = 1; /* pa 0 means failure, so frame 0 is never usable */
	return *lo < *hi;
}

/* Find whole frames for the table in one usable range; returns its first frame number or 0. */
static uint64_t carve_table(const struct phys_range *usable, size_t n, uint64_t pages)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t lo, hi;

		if (whole_frames(&usable[i], &lo, &hi) && hi - lo >= pages)
			return lo;
	}
	return 0;
}

paddr_t zero_page;

/* Set the first free frame aside, zeroed, as the zero page: out of the free list and of the
 * counts, like the table's own frames. 0, or -ENOMEM when no frame is free. */
static int reserve_zero_page(void)
{
	if (free_head == 0)
		return -ENOMEM;

	size_t idx = free_head - 1;

	free_head = table[idx].next;
	table[idx].next = 0;
	set_state(idx, FRAME_NONE);
	total--;
	zero_page = pa_of(idx);
	memset(phys_to_virt(zero_page), 0, PAGE_SIZE);
	return 0;
}

/* Build the table over the usable ranges; its own storage is carved from them, and the zero
 * page. 0, or -ENOMEM. */
int frame_table_init(const struct phys_range *usable, size_t n)
{
	uint64_t lo = UINT64_MAX, hi = 0, flo, fhi;

	for (size_t i = 0; i < n; i++) {
		if (!whole_frames(&usable[i], &flo, &fhi))
			continue;
		lo = flo < lo ? flo : lo;
		hi = fhi > hi ? fhi : hi;
	}
	table = NULL;
	nentries = 0;
	free_head = 0;
	zero_page = 0;
	total = 0;
	memset(count, 0, sizeof(count));
	if (hi == 0 || hi - lo >= UINT32_MAX)
		return -ENOMEM;

	uint64_t pages =
	    PAGE_UP((hi - lo) * (sizeof(struct frame) + FRAME_SIDE_BYTES)) >> PAGE_SHIFT;
	uint64_t tfirst = carve_table(usable, n, pages);
	if (tfirst == 0)
		return -ENOMEM;
	base = lo;
	nentries = (size_t)(hi - lo);
	table = phys_to_virt(tfirst << PAGE_SHIFT);
	memset(table, 0, nentries * (sizeof(struct frame) + FRAME_SIDE_BYTES));
	side = (uint8_t *)(table + nentries);
	count[FRAME_NONE] = nentries;

	/* Push from the top down so the lowest frames come out first (easier to read in traces). */
	for (size_t i = n; i-- > 0;) {
		if (!whole_frames(&usable[i], &flo, &fhi))
			continue;
		for (uint64_t fn = fhi; fn-- > flo;) {
			size_t idx = (size_t)(fn - base);
			bool in_table = fn >= tfirst && fn < tfirst + pages;

			if (in_table || table[idx].state != FRAME_NONE)
				continue; /* the table's own frames, or ranges that overlap */
			push_free(idx);
			total++;
		}
	}
	return reserve_zero_page();
}

/* The entry of a free frame, now in state with refs references, or NULL when none is left (or
 * fail= says this call fails: a page-table page at the pt site, any other at the frame site). */
static struct frame *take_entry(enum frame_state state, uint16_t refs)
{
	assert(state == FRAME_USER || state == FRAME_PAGETABLE || state == FRAME_KERNEL);
	if (free_head == 0 || fail_inject(state == FRAME_PAGETABLE ? FAIL_PT : FAIL_FRAME))
		return NULL;

	size_t idx = free_head - 1;
	struct frame *f = &table[idx];

	assert(f->state == FRAME_FREE);
	free_head = f->next;
	f->next = 0;
	f->refs = refs;
	count[FRAME_FREE]--;
	f->state = (uint8_t)state;
	count[state]++;
	return f;
}

/* The physical address of the frame entry f describes. */
static paddr_t pa_of_entry(const struct frame *f)
{
	return pa_of((size_t)(f - table));
}

/* A free frame, now in state with refs references; contents undefined. 0 when none is left. */
static paddr_t take_free(enum frame_state state, uint16_t refs)
{
	struct frame *f = take_entry(state, refs);

	return f ? pa_of_entry(f) : 0;
}

/* A free frame, now in state; contents undefined. 0 when none is left. */
paddr_t frame_alloc(enum frame_state state)
{
	return take_free(state, 0);
}

/* A free user frame with the reference of the mapping about to hold it; contents undefined. 0
 * when none is left. The fault path's allocation: one call instead of frame_alloc + frame_ref. */
paddr_t frame_alloc_mapped(void)
{
	return take_free(FRAME_USER, 1);
}

/* A private page of owner's at index, with the mapping's reference; 0 when none is left. */
paddr_t frame_alloc_anon(uint32_t owner, uint64_t index)
{
	struct frame *f = take_entry(FRAME_USER, 1);

	if (!f)
		return 0;
	if (owner)
		frame_set_owner(f, owner, index, FRAME_ANON);
	return pa_of_entry(f);
}

/* A free frame filled with zeros, or 0 when none is left. */
paddr_t frame_alloc_zeroed(enum frame_state state)
{
	paddr_t pa = frame_alloc(state);

	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

/* The entry describing frame pa (pa must be a frame the table covers). */
struct frame *frame_of(paddr_t pa)
{
	return &table[index_of(pa)];
}

/* One more mapping of pa. */
void frame_ref(paddr_t pa)
{
	struct frame *f = frame_of(pa);

	assert(f->state == FRAME_USER || f->state == FRAME_KERNEL);
	assert(f->refs < UINT16_MAX);
	f->refs++;
}

/* One mapping fewer; the frame returns to the free list when none is left. */
void frame_unref(paddr_t pa)
{
	struct frame *f = frame_of(pa);

	assert(f->state == FRAME_USER || f->state == FRAME_KERNEL);
	assert(f->refs > 0);
	if (--f->refs == 0)
		push_free(index_of(pa));
	else if (f->refs == 1 && (f->flags & FRAME_SWAPCACHE) && frame_cache_only)
		frame_cache_only(pa);
}

/* Return pa to the free list at once, whatever its count (page-table and kernel frames). */
void frame_free(paddr_t pa)
{
	size_t idx = index_of(pa);

	assert(table[idx].state != FRAME_FREE && table[idx].state != FRAME_NONE);
	push_free(idx);
}

uint32_t frame_number(paddr_t pa)
{
	return (uint32_t)index_of(pa);
}

paddr_t frame_addr(uint32_t i)
{
	assert(i < nentries);
	return pa_of(i);
}

void *frame_side_table(void)
{
	return side;
}

uint32_t frames_span(void)
{
	return (uint32_t)nentries;
}

size_t frames_total(void)
{
	return total;
}

size_t frames_free(void)
{
	return count[FRAME_FREE];
}

size_t frames_used(void)
{
	return total - count[FRAME_FREE];
}

size_t frames_in_state(enum frame_state state)
{
	assert(state < FRAME_NSTATES);
	return count[state];
}
