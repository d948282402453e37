/* Page reclaim: the policy's set of anonymous and shmem frames, the watermarks, and eviction:
 * a frame is written to a swap slot once, then every PTE the reverse map finds names the slot
 * instead (a shmem page's PTEs are cleared: its object's entry names the slot); a page MADV_FREE
 * let go and nobody wrote since is dropped, without swap too. */
#include <assert.h>
#include <errno.h>
#include <stddef.h>

#include "mm/as.h"
#include "mm/evict.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/pages.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"

struct vm_events vm_events;
void (*mm_trace_page)(const char *what, const struct as *as, vaddr_t va, uint64_t slot);
size_t reclaim_low, reclaim_watermark;

static const struct evict_policy *policy = &evict_clock;
static struct evict_set set;
static bool set_ready;                    /* set is made over the frame table of now */
static struct evict_ghost ghost[1 << 14]; /* 2q's history: 128 KiB, a frame's worth up to 64 MiB */
static size_t water_low, water_high;      /* a run below water_low reclaims up to water_high */
static size_t lazy_pages;                 /* frames FRAME_LAZYFREE now */

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

/* The safe points reclaim for swap, or without it while lazily freed pages wait. */
static void set_watermark(void)
{
	reclaim_watermark = reclaim_low ? reclaim_low : lazy_pages ? water_low : 0;
}

/* Lazily freed frames: delta more. */
static void count_lazy(long delta)
{
	lazy_pages += (size_t)delta;
	set_watermark();
}

/* frame.c's hook: an evictable frame went back to the free list. */
static void forget(uint32_t i)
{
	if (set.bits[i] & EVICT_RESIDENT)
		evict_freed(&set, i);
	if (frame_of(frame_addr(i))->flags & FRAME_LAZYFREE)
		count_lazy(-1);
}

/* Make the policy's set over the frame table, once: for swap, or for the first lazily freed page
 * without it. The watermarks are 1/64 of RAM (at least 1 MiB) and twice that. */
static void set_up(void)
{
	uint32_t n = frames_span();
	struct evict_node *node = frame_side_table();

	if (set_ready)
		return;
	evict_init(&set, policy, node, (uint8_t *)(node + n), n, 0);
	evict_set_ghost(&set, ghost, (n < (1 << 14) ? n : (1 << 14)) / 4 * 4);
	set.young = frame_young;
	frame_evictable_freed = forget;
	water_low = frames_total() / 64 > 256 ? frames_total() / 64 : 256;
	water_high = 2 * water_low;
	set_ready = true;
}

/* Start tracking and evicting to swap: every evictable page joins the set from now on. */
void reclaim_start(void)
{
	set_up();
	reclaim_low = water_low;
	set_watermark();
}

/* Stop evicting (the frame table is about to be rebuilt, or swap goes). */
void reclaim_stop(void)
{
	reclaim_low = reclaim_watermark = lazy_pages = 0;
	frame_evictable_freed = NULL;
	set_ready = false;
}

/* Frame pa, an evictable page, joins the policy's set. */
void reclaim_add(paddr_t pa)
{
	uint32_t i = frame_number(pa);
	const struct frame *f = frame_of(pa);

	if (!(set.bits[i] & EVICT_RESIDENT))
		evict_resident_key(&set, i, evict_key(f->owner, frame_index(f)));
}

/* What rmap_walk() found of a frame before it goes: mappings, and whether one is locked, has
 * written the page (since MADV_FREE cleaned it), or is MAP_DROPPABLE memory. */
struct census {
	unsigned maps;
	bool locked, dirty, droppable;
};

static bool count_mapping(struct region *r, vaddr_t va, pte_t *pte, void *arg)
{
	struct census *c = arg;

	(void)va;
	c->maps++;
	c->locked |= (r->flags & REGION_LOCKED) != 0;
	c->dirty |= (*pte & PTE_D) != 0;
	c->droppable |= (r->flags & REGION_DROPPABLE) != 0;
	return true;
}

/* A frame on its way out: its slot, and whether the swap cache holds it (then the slot has its
 * contents already, and no write is needed). */
struct victim {
	paddr_t pa;
	uint64_t slot;
	bool cached;
	bool shmem;     /* an object's page: mappings drop it, the object's entry names the slot */
	bool discard;   /* lazily freed and clean, or droppable: dropped, no slot, no write */
	bool droppable; /* MAP_DROPPABLE memory: Linux counts its drops in no pglazyfreed */
	uint64_t key;   /* the policy's name for the page (evict_key) */
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

	if (o->v->shmem || o->v->discard) {
		*pte = 0; /* the next touch finds the object's page, or a dropped page's zeros */
	} else {
		if (o->fresh)
			o->fresh = false; /* swap_alloc()'s reference */
		else if (swap_dup(o->v->slot))
			return true; /* 65,534 references: this mapping keeps the frame */
		*pte = swap_pte(o->v->slot) | (*pte & PTE_D); /* written or not, for swap_in() */
		r->as->swapents++;
	}
	hal_flush_page(va);
	as_note_peaks(r->as);
	r->as->resident--;
	if (mm_trace_page)
		mm_trace_page(o->v->discard ? "drop" : "page-out", r->as, va, o->v->slot);
	frame_unref(o->v->pa);
	return true;
}

/* UNTRACKED: without swap, a page that is not lazily freed leaves the set. */
enum take { TAKEN, GONE, KEEP, LOCKED, FULL, UNTRACKED };

/* Make evictable frame pa a victim, with a slot unless it is dropped: LOCKED when a mapping is
 * locked, KEEP when the reverse map does not account for every reference, FULL when no slot is
 * left. A lazily freed page written since is an ordinary page again (Linux's swapbacked). */
static enum take take_victim(paddr_t pa, struct victim *v)
{
	struct frame *f = frame_of(pa);
	struct census c = {0, false, false, false};

	if (f->state != FRAME_USER || !(f->flags & FRAME_EVICTABLE))
		return GONE;
	v->pa = pa;
	v->key = evict_key(f->owner, frame_index(f));
	v->cached = f->flags & FRAME_SWAPCACHE;
	v->shmem = f->flags & FRAME_SHMEM;
	v->discard = false;
	rmap_walk(pa, count_mapping, &c);
	/* every reference accounted for: the mappings, the cache's or the object's; anything
	 * else (a kernel copy in progress) keeps the page */
	if (c.locked)
		return LOCKED;
	if ((f->flags & FRAME_LAZYFREE) && (!c.dirty || c.droppable) && !v->cached) {
		v->slot = 0;
		v->discard = true;
		v->droppable = c.droppable;
		return c.maps == f->refs ? TAKEN : KEEP;
	}
	if (f->flags & FRAME_LAZYFREE) {
		f->flags &= ~FRAME_LAZYFREE;
		count_lazy(-1);
	}
	if (c.maps + v->cached + v->shmem != f->refs)
		return KEEP;
	if (!reclaim_low)
		return UNTRACKED;
	v->slot = v->cached ? f->next : swap_alloc();
	return v->slot ? TAKEN : FULL;
}

/* True when victim v needs a write: neither its slot has its contents nor it is dropped. */
static bool needs_write(const struct victim *v)
{
	return !v->cached && !v->discard;
}

/* Write the victims that need it, a run of consecutive slots at a time. The number of victims
 * from the start of v that may go; a failed write gives the rest their slots back. */
static unsigned write_victims(struct victim *v, unsigned n)
{
	paddr_t frames[SWAP_BATCH];

	for (unsigned i = 0; i < n;) {
		unsigned k = 0;

		if (!needs_write(&v[i])) {
			i++;
			continue;
		}
		while (i + k < n && needs_write(&v[i + k]) && v[i + k].slot == v[i].slot + k) {
			frames[k] = v[i + k].pa;
			k++;
		}
		if (swap_write_pages(v[i].slot, frames, k)) {
			for (unsigned j = i; j < n; j++)
				if (needs_write(&v[j]))
					swap_free(v[j].slot);
			return i;
		}
		vm_events.pswpout += k;
		i += k;
	}
	return n;
}

/* Unmap victim v, on swap now or dropped, from every mapping; the frame goes back to the free
 * list. A dropped page is no page-out for 2q's history. */
static void unmap_victim(const struct victim *v)
{
	struct pageout o = {v, !v->cached};

	rmap_walk(v->pa, unmap_mapping, &o);
	if (v->cached)
		swap_cache_del(v->slot);
	if (v->shmem)
		shmem_swapped_out(v->pa, v->slot);
	if (v->discard && !v->droppable)
		vm_events.pglazyfreed++;
	if (!v->discard)
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

	if (free < water_high)
		reclaim_evict(water_high - free);
}

/* Make n frames above the low watermark free, as far as eviction can. */
void reclaim_reserve(size_t n)
{
	size_t free = frames_free();

	if (reclaim_watermark && free < reclaim_watermark + n)
		reclaim_evict(reclaim_watermark + n - free);
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
		if (set.bits[i] & EVICT_RESIDENT)
			evict_cooled(&set, i);
		return;
	}
	if (take_victim(pa, &v) != TAKEN || write_victims(&v, 1) != 1)
		return;
	if (cached || v.discard) { /* its slot up to date, or dropped: it goes now, as on Linux */
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

/* pt_range() callback of reclaim_unlocked(): an evictable frame is the policy's again (without
 * swap, only a lazily freed one). */
static void track_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	paddr_t pa = *pte & PTE_ADDR;
	const struct frame *f = frame_of(pa);

	(void)va;
	(void)arg;
	if (f->state == FRAME_USER && (f->flags & FRAME_EVICTABLE) &&
	    (reclaim_low || (f->flags & FRAME_LAZYFREE)))
		reclaim_add(pa);
}

void reclaim_unlocked(struct as *as, vaddr_t start, vaddr_t end)
{
	if (set_ready)
		pt_range(as->root, start, end, track_leaf, NULL);
}

/* MADV_PAGEOUT (pageout) or MADV_COLD on [start, end) of as; see reclaim.h. */
size_t reclaim_range(struct as *as, vaddr_t start, vaddr_t end, bool pageout)
{
	struct range_walk w = {pageout, 0};

	if (set_ready)
		pt_range(as->root, start, end, range_leaf, &w);
	return w.done;
}

/* Frame pa may be dropped: it joins the set (without swap only such pages are there). True when
 * it was not lazily freed before. */
static bool make_lazy(paddr_t pa)
{
	struct frame *f = frame_of(pa);
	uint32_t i = frame_number(pa);
	bool was = f->flags & FRAME_LAZYFREE;

	set_up();
	if (!was) {
		f->flags |= FRAME_LAZYFREE;
		count_lazy(1);
	}
	if (!(set.bits[i] & EVICT_RESIDENT))
		evict_resident(&set, i);
	return !was;
}

void reclaim_droppable(paddr_t pa)
{
	make_lazy(pa);
}

/* Frame pa (private, mapped once, clean now) may be dropped: the policy's next candidates. */
static void mark_lazy(paddr_t pa)
{
	if (make_lazy(pa))
		vm_events.pglazyfree++;
	evict_cooled(&set, frame_number(pa));
}

/* pt_range_all() callback of reclaim_free_lazily(), as Linux's madvise_free_pte_range(). */
static void lazy_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	paddr_t pa = *pte & PTE_ADDR;

	if (pte_is_swap(*pte)) {
		as_drop_pte(arg, pte, va); /* on swap: the contents go now */
		return;
	}
	if (is_zero_page(pa) || !(frame_of(pa)->flags & FRAME_ANON))
		return; /* nothing to free, or no reverse map to find it by again */

	const struct frame *f = frame_of(pa);
	bool cached = f->flags & FRAME_SWAPCACHE;
	if (f->refs != 1 + cached || (cached && swap_refs(f->next) != 1))
		return; /* shared after fork: Linux leaves it */
	if (cached)
		swap_cache_del(f->next); /* Linux's folio_free_swap() */
	*pte &= ~(PTE_A | PTE_D);
	hal_flush_page(va);
	mark_lazy(pa);
}

void reclaim_free_lazily(struct as *as, vaddr_t start, vaddr_t end)
{
	set_up();
	pt_range_all(as->root, start, end, lazy_leaf, as);
}
