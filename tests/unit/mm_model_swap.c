/* The page model's side of swap (mm_model.h): eviction as a call of the sequences, which pages
 * went out, and the checks that tie every slot in use and every swap-cache page to pages. */
#include <stdlib.h>

#include "host.h"
#include "mm/frame.h"
#include "mm/reclaim.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm_model.h"
#include "swap_fake.h"

#define PG     PAGE_SIZE
#define NPAGES MM_MODEL_NPAGES

/* A fake disk of slots with batches (as virtio-blk) and eviction under policy. */
void mm_model_swap_on(const char *policy, uint64_t slots)
{
	swap_fake_init(slots);
	if (swap_init(&swap_fake_batched, slots) || reclaim_set_policy(policy))
		abort();
	reclaim_start();
}

/* The frame under va, the frame caching its slot, or its slot * 2 + 1; see mm_model.h. */
uintptr_t mm_model_key(struct as *as, vaddr_t va, uint64_t *slot)
{
	pte_t e = host_pte(as, va);
	paddr_t pa;

	*slot = 0;
	if (e & PTE_P)
		return e & PTE_ADDR;
	if (!pte_is_swap(e))
		return 0;
	*slot = pte_slot(e);
	pa = swap_cache_lookup(*slot);
	return pa ? pa : *slot * 2 + 1;
}

/* The address space page k of either window is in (NULL: no second one yet). */
static struct as *space_of(struct mm_model *mm, size_t k)
{
	return k < NPAGES ? mm->as : mm->kid;
}

/* The kernel's object of the model's object o: a file's, or that of a shared mapping a page of
 * either window shows (NULL: none does). */
struct shmem *mm_model_kobj(struct mm_model *mm, unsigned o)
{
	if (o <= MM_MODEL_NFILES)
		return mm->files[o];
	for (size_t k = 0; k < 2 * NPAGES; k++) {
		const struct mm_page *p = mm_model_page(mm, k);
		struct as *as = space_of(mm, k);
		const struct region *r;

		if (!as || !p->mapped || p->obj != o)
			continue;
		r = region_find(&as->regions, MM_MODEL_WIN + (k % NPAGES) * PG);
		if (r && r->shm)
			return r->shm;
	}
	return NULL;
}

/* True when page idx of object o is on swap in the kernel (held, in no frame). */
bool mm_model_obj_swapped(struct mm_model *mm, unsigned o, size_t idx)
{
	const struct shmem *s = o ? mm_model_kobj(mm, o) : NULL;

	return s && idx < s->pages && shmem_has(s, idx) && !shmem_lookup(s, idx);
}

/* Pages whose entries name a slot now are on swap: only private pages with a frame of their own
 * may be. A lazily freed page whose entry went was dropped. A page showing an object whose entry
 * went is its object's page gone to swap, or gone and read back into the object by the same call (a
 * populate's safe points evict, and its faults read the object's pages). None comes back without a
 * touch. */
bool mm_model_sync_swap(struct mm_model *mm)
{
	bool evicted = vm_events.evictions != mm->evictions;

	mm->evictions = vm_events.evictions;
	for (size_t k = 0; k < 2 * NPAGES; k++) {
		struct mm_page *p = mm_model_page(mm, k);
		struct as *as = space_of(mm, k);
		pte_t e;

		if (!as || !p->mapped)
			continue;
		e = host_pte(as, MM_MODEL_WIN + (k % NPAGES) * PG);
		if (p->lazy && p->resident && !p->swapped && !(e & PTE_P)) {
			EXPECT(e == 0, "page %zu of %s: a lazily freed page went to swap",
			       k % NPAGES, k < NPAGES ? "this space" : "the other");
			p->resident = false; /* dropped: zeros from now on */
			p->val = 0;
			p->frame = 0;
			p->lazy = false;
			continue;
		}
		if (mm_model_shows_object(p) && p->resident && !(e & PTE_P)) {
			EXPECT(e == 0 && (evicted || mm_model_obj_swapped(mm, p->obj, p->idx)),
			       "page %zu of %s lost its object's page %u of %u, not to swap",
			       k % NPAGES, k < NPAGES ? "this space" : "the other", p->idx, p->obj);
			p->resident = false;
		}
		EXPECT(!p->swapped || pte_is_swap(e),
		       "page %zu of %s came back from swap by itself", k % NPAGES,
		       k < NPAGES ? "this space" : "the other");
		if (!pte_is_swap(e) || p->swapped)
			continue;
		EXPECT(p->resident && !mm_model_shows_object(p),
		       "page %zu of %s went to swap: the model has no private frame there",
		       k % NPAGES, k < NPAGES ? "this space" : "the other");
		p->swapped = true;
	}
	return true;
}

bool mm_model_evict(struct mm_model *mm, size_t n)
{
	size_t got = reclaim_evict(n);

	EXPECT(got <= n, "reclaim_evict(%zu) freed %zu frames", n, got);
	return mm_model_sync_swap(mm);
}

/* One slot in use as the pages see it: entries naming it, and whether the cache holds it. */
struct slot_use {
	uint64_t slot;
	unsigned entries;
	bool cached;
};

/* The entry of slot in u[0, *n), added when absent. */
static struct slot_use *use_of(struct slot_use *u, size_t *n, uint64_t slot)
{
	for (size_t i = 0; i < *n; i++)
		if (u[i].slot == slot)
			return &u[i];
	u[*n] = (struct slot_use){slot, 0, false};
	return &u[(*n)++];
}

/* The slots the pages of both windows name, or that the cache holds for a frame a page maps. */
static size_t slots_named(struct mm_model *mm, struct slot_use *u)
{
	size_t n = 0;

	for (size_t k = 0; k < 2 * NPAGES; k++) {
		const struct mm_page *p = mm_model_page(mm, k);
		struct as *as = space_of(mm, k);
		uint64_t slot;
		uintptr_t key;
		const struct frame *f;

		if (!as || !p->resident || mm_model_shows_object(p))
			continue;
		key = mm_model_key(as, MM_MODEL_WIN + (k % NPAGES) * PG, &slot);
		if (slot) {
			struct slot_use *s = use_of(u, &n, slot);

			s->entries++;
			s->cached |= !(key & 1);
			continue;
		}
		f = frame_of(key);
		if (f->flags & FRAME_SWAPCACHE)
			use_of(u, &n, f->next)->cached = true;
	}
	return n;
}

bool mm_model_check_swap(struct mm_model *mm, size_t objswapped, size_t *ahead)
{
	struct slot_use u[2 * NPAGES];
	size_t n = slots_named(mm, u), cached = 0;

	for (size_t i = 0; i < n; i++) {
		EXPECT_EQ(swap_refs(u[i].slot), u[i].entries + u[i].cached, "a slot's references");
		cached += u[i].cached;
	}
	EXPECT_EQ(swap_slots_used(), n + objswapped,
	          "slots in use (the pages name, cache or hold in objects fewer)");
	EXPECT(swap_cache_pages() >= cached && swap_cache_pages() - cached <= objswapped,
	       "%lu pages in the swap cache: the pages show %zu, objects hold %zu slots",
	       (unsigned long)swap_cache_pages(), cached, objswapped);
	*ahead = swap_cache_pages() - cached;
	return true;
}
