/* Page reclaim: the policy's set of anonymous and shmem frames, the watermarks, and eviction:
 * a frame is written to a swap slot once, then every PTE the reverse map finds names the slot
 * instead (a shmem page's PTEs are cleared: its object's entry names the slot). */
#include <assert.h>
#include <errno.h>
#include <stddef.h>

#include "mm/as.h"
#include "mm/evict.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"

struct vm_events vm_events;
void (*mm_trace_page)(const char *what, const struct as *as, vaddr_t va, uint64_t slot);
size_t reclaim_low;

static const struct evict_policy *policy = &evict_clock;
static struct evict_set set;
static struct evict_ghost ghost[1 << 14]; /* 2q's history: 128 KiB, a frame's worth up to 64 MiB */
static size_t reclaim_high;               /* what a run below reclaim_low evicts up to */

/* Choose the policy called name; 0 or -EINVAL. */
int reclaim_set_policy(const char *name)
{
	const struct evict_policy *p = evict_policy_named(name);

	if (!p)
		return -EINVAL;
	policy = p;
	return 0;
}

/* The name of the policy in use. */
const char *reclaim_policy_name(void)
{
	return policy->name;
}

/* rmap_walk() callback: test and clear the accessed bit of one mapping. */
static bool clear_young(struct region *r, vaddr_t va, pte_t *pte, void *arg)
{
	(void)r;
	if (*pte & PTE_A) {
		*pte &= ~PTE_A;
		hal_flush_page(va); /* the next access must set it again */
		*(bool *)arg = true;
	}
	return true;
}

/* The policy's young(): was frame i accessed through any mapping since the last look? */
static bool frame_young(void *ctx, uint32_t i)
{
	paddr_t pa = frame_addr(i);
	bool young = false;

	(void)ctx;
	if (frame_of(pa)->flags & FRAME_EVICTABLE)
		rmap_walk(pa, clear_young, &young);
	vm_events.scanned += young; /* a second chance: looked at, not taken (pick counts those) */
	return young;
}

/* frame.c's hook: an evictable frame went back to the free list. */
static void forget(uint32_t i)
{
	if (set.bits[i] & EVICT_RESIDENT)
		evict_freed(&set, i);
}

/* Start tracking and evicting: the watermarks are 1/64 of RAM (at least 1 MiB) and twice that. */
void reclaim_start(void)
{
	uint32_t n = frames_span();
	struct evict_node *node = frame_side_table();

	evict_init(&set, policy, node, (uint8_t *)(node + n), n, 0);
	evict_set_ghost(&set, ghost, (n < (1 << 14) ? n : (1 << 14)) / 4 * 4);
	set.young = frame_young;
	frame_evictable_freed = forget;
	reclaim_low = frames_total() / 64 > 256 ? frames_total() / 64 : 256;
	reclaim_high = 2 * reclaim_low;
}

/* Stop evicting (the frame table is about to be rebuilt, or swap goes). */
void reclaim_stop(void)
{
	reclaim_low = reclaim_high = 0;
	frame_evictable_freed = NULL;
}

/* Frame pa, an evictable page, joins the policy's set. */
void reclaim_add(paddr_t pa)
{
	uint32_t i = frame_number(pa);
	const struct frame *f = frame_of(pa);

	if (!(set.bits[i] & EVICT_RESIDENT))
		evict_resident_key(&set, i, evict_key(f->owner, frame_index(f)));
}

/* What rmap_walk() found of a frame before it goes: mappings, and whether one is locked. */
struct census {
	unsigned maps;
	bool locked;
};

static bool count_mapping(struct region *r, vaddr_t va, pte_t *pte, void *arg)
{
	struct census *c = arg;

	(void)va;
	(void)pte;
	c->maps++;
	c->locked |= (r->flags & REGION_LOCKED) != 0;
	return true;
}

/* A frame on its way out: its slot, and whether the swap cache holds it (then the slot has its
 * contents already, and no write is needed). */
struct victim {
	paddr_t pa;
	uint64_t slot;
	bool cached;
	bool shmem;   /* an object's page: mappings drop it, the object's entry names the slot */
	uint64_t key; /* the policy's name for the page (evict_key) */
};

/* What unmap_mapping() needs: the victim, and whether the slot's first reference is unclaimed. */
struct pageout {
	const struct victim *v;
	bool fresh;
};

/* rmap_walk() callback: the mapping names the slot instead of the frame. */
static bool unmap_mapping(struct region *r, vaddr_t va, pte_t *pte, void *arg)
{
	struct pageout *o = arg;

	if (o->v->shmem)
		*pte = 0; /* the next touch finds the page through the object */
	else if (o->fresh)
		o->fresh = false; /* swap_alloc()'s reference */
	else if (swap_dup(o->v->slot))
		return true; /* 65,534 references: this mapping keeps the frame */
	if (!o->v->shmem) {
		*pte = swap_pte(o->v->slot) | (*pte & PTE_D); /* written or not, for swap_in() */
		r->as->swapents++;
	}
	hal_flush_page(va);
	as_note_peaks(r->as);
	r->as->resident--;
	if (mm_trace_page)
		mm_trace_page("page-out", r->as, va, o->v->slot);
	frame_unref(o->v->pa);
	return true;
}

enum take { TAKEN, GONE, KEEP, LOCKED, FULL };

/* Make evictable frame pa a victim with a slot: LOCKED when a mapping is locked, KEEP when the
 * reverse map does not account for every reference, FULL when no slot is left. */
static enum take take_victim(paddr_t pa, struct victim *v)
{
	struct frame *f = frame_of(pa);
	struct census c = {0, false};

	if (f->state != FRAME_USER || !(f->flags & FRAME_EVICTABLE))
		return GONE;
	v->pa = pa;
	v->key = evict_key(f->owner, frame_index(f));
	v->cached = f->flags & FRAME_SWAPCACHE;
	v->shmem = f->flags & FRAME_SHMEM;
	rmap_walk(pa, count_mapping, &c);
	/* every reference accounted for: the mappings, the cache's or the object's; anything
	 * else (a kernel copy in progress) keeps the page */
	if (c.locked)
		return LOCKED;
	if (c.maps + v->cached + v->shmem != f->refs)
		return KEEP;
	v->slot = v->cached ? f->next : swap_alloc();
	return v->slot ? TAKEN : FULL;
}

/* Write the victims that need it, a run of consecutive slots at a time. The number of victims
 * from the start of v that are on swap; a failed write gives the rest their slots back. */
static unsigned write_victims(struct victim *v, unsigned n)
{
	paddr_t frames[SWAP_BATCH];

	for (unsigned i = 0; i < n;) {
		unsigned k = 0;

		if (v[i].cached) {
			i++;
			continue;
		}
		while (i + k < n && !v[i + k].cached && v[i + k].slot == v[i].slot + k) {
			frames[k] = v[i + k].pa;
			k++;
		}
		if (swap_write_pages(v[i].slot, frames, k)) {
			for (unsigned j = i; j < n; j++)
				if (!v[j].cached)
					swap_free(v[j].slot);
			return i;
		}
		vm_events.pswpout += k;
		i += k;
	}
	return n;
}

/* Unmap victim v, on swap now, from every mapping; the frame goes back to the free list. */
static void unmap_victim(const struct victim *v)
{
	struct pageout o = {v, !v->cached};

	rmap_walk(v->pa, unmap_mapping, &o);
	if (v->cached)
		swap_cache_del(v->slot);
	if (v->shmem)
		shmem_swapped_out(v->pa, v->slot);
	evict_evicted(&set, v->key);
	vm_events.evictions++;
}

/* Up to n victims of the policy's choice in v; *full when swap ran out. Frames it may not take
 * now go back into the set; a locked one leaves it until reclaim_unlocked() (Linux's unevictable
 * list), or every later scan would walk all the locked memory again. */
static unsigned pick_victims(struct victim *v, unsigned n, bool *full)
{
	unsigned got = 0, kept = 0;

	while (got < n && kept <= set.resident) {
		uint32_t i = evict_pick(&set);
		enum take t;

		if (i == EVICT_NONE)
			break;
		vm_events.scanned++;
		t = take_victim(frame_addr(i), &v[got]);
		if (t == TAKEN)
			got++;
		else if (t == KEEP || t == FULL)
			evict_resident(&set, i);
		kept += t == KEEP;
		if (t == FULL) {
			*full = true;
			break;
		}
	}
	return got;
}

/* Evict up to want frames the policy picks, SWAP_BATCH at a time; the frames freed. */
size_t reclaim_evict(size_t want)
{
	struct victim v[SWAP_BATCH];
	size_t freed = 0;
	bool full = false;

	while (freed < want && !full) {
		unsigned n = pick_victims(
		    v, want - freed < SWAP_BATCH ? (unsigned)(want - freed) : SWAP_BATCH, &full);
		unsigned out = write_victims(v, n);

		for (unsigned i = 0; i < out; i++)
			unmap_victim(&v[i]);
		for (unsigned i = out; i < n; i++)
			evict_resident(&set, frame_number(v[i].pa));
		freed += out;
		if (n == 0 || out < n)
			break;
	}
	return freed;
}

/* Free frames are below the low watermark: evict up to the high one. */
void reclaim_run(void)
{
	size_t free = frames_free();

	if (free < reclaim_high)
		reclaim_evict(reclaim_high - free);
}

/* Make n frames above the low watermark free, as far as eviction can. */
void reclaim_reserve(size_t n)
{
	size_t free = frames_free();

	if (reclaim_low && free < reclaim_low + n)
		reclaim_evict(reclaim_low + n - free);
}

/* What reclaim_range() does to each page only its mapping holds: page it out, or make it cold. */
struct range_walk {
	bool pageout;
	size_t done;
};

/* pt_range() callback of reclaim_range(). */
static void range_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	struct range_walk *w = arg;
	paddr_t pa = *pte & PTE_ADDR;
	const struct frame *f = frame_of(pa);
	uint32_t i = frame_number(pa);
	struct victim v;

	bool cached = f->flags & FRAME_SWAPCACHE;

	if (f->state != FRAME_USER || !(f->flags & FRAME_ANON) || f->refs != 1 + cached)
		return;    /* shared or not anonymous: Linux leaves it too */
	if (!w->pageout) { /* cold: not referenced, as if the clock hand had just passed */
		*pte &= ~PTE_A;
		hal_flush_page(va);
		set.bits[i] &= ~EVICT_REFERENCED;
		return;
	}
	if (take_victim(pa, &v) != TAKEN || write_victims(&v, 1) != 1)
		return;
	if (cached) { /* clean, its slot up to date: it goes now, as Linux reclaims it */
		if (set.bits[i] & EVICT_RESIDENT)
			evict_freed(&set, i);
		unmap_victim(&v);
		w->done++;
		return;
	}
	/* As on Linux, the page written stays in the swap cache until memory is short: a touch
	 * finds it there (a minor fault), and mincore() still reports it. */
	if (swap_cache_add(v.slot, pa) == 0) {
		struct pageout o = {&v, true};

		rmap_walk(pa, unmap_mapping, &o);
	} else {
		if (set.bits[i] & EVICT_RESIDENT)
			evict_freed(&set, i);
		unmap_victim(&v);
	}
	w->done++;
}

/* pt_range() callback of reclaim_unlocked(): an evictable frame is the policy's again. */
static void track_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	paddr_t pa = *pte & PTE_ADDR;
	const struct frame *f = frame_of(pa);

	(void)va;
	(void)arg;
	if (f->state == FRAME_USER && (f->flags & FRAME_EVICTABLE))
		reclaim_add(pa);
}

void reclaim_unlocked(struct as *as, vaddr_t start, vaddr_t end)
{
	if (reclaim_low)
		pt_range(as->root, start, end, track_leaf, NULL);
}

/* MADV_PAGEOUT (pageout) or MADV_COLD on [start, end) of as; see reclaim.h. */
size_t reclaim_range(struct as *as, vaddr_t start, vaddr_t end, bool pageout)
{
	struct range_walk w = {pageout, 0};

	if (reclaim_low)
		pt_range(as->root, start, end, range_leaf, &w);
	return w.done;
}
