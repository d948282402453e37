/* The page model's comparison with kernel/mm (mm_model.h): each page's region, PTE and probed
 * byte in both address spaces, the pages sharing one frame, and the frame counts. */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/uapi.h"
#include "mm_model.h"

#define PG     PAGE_SIZE
#define NPAGES MM_MODEL_NPAGES
#define WIN    MM_MODEL_WIN
#define WEND   MM_MODEL_WEND

/* The region holding page i, which the model says is mapped: its pages are alike. */
static bool check_region(struct mm_model *mm, size_t i, const struct region *r)
{
	const struct mm_page *p = &mm->m[i];

	EXPECT(r->start >= WIN && r->end <= WEND, "page %zu: region [%#lx, %#lx) leaves the window",
	       i, r->start, r->end);
	EXPECT(r->prot == p->prot, "page %zu prot: kernel %d, model %d", i, r->prot, p->prot);
	EXPECT(!!(r->flags & REGION_SHARED) == p->shared, "page %zu shared: kernel %d, model %d", i,
	       !!(r->flags & REGION_SHARED), p->shared);
	EXPECT(!(r->flags & REGION_SHARED) || ((r->obj || p->file) && r->shm && !r->anon),
	       "page %zu: shared ids", i);
	EXPECT((r->backing == RB_OBJECT) == p->file, "page %zu file: kernel %d, model %d", i,
	       r->backing == RB_OBJECT, p->file);
	EXPECT(!p->file || (r->shm == mm->files[p->obj] && region_pgidx(r, WIN + i * PG) == p->idx),
	       "page %zu: not file %d's page %d", i, p->obj, p->idx);
	EXPECT(r->kind == RK_MMAP || r->kind == RK_HEAP, "page %zu kind %d", i, (int)r->kind);
	EXPECT(!!(r->flags & REGION_DONTCOPY) == p->dontfork, "page %zu MADV_DONTFORK: kernel %d",
	       i, !!(r->flags & REGION_DONTCOPY));
	EXPECT(!!(r->flags & REGION_WIPEONFORK) == p->wipe, "page %zu MADV_WIPEONFORK: kernel %d",
	       i, !!(r->flags & REGION_WIPEONFORK));
	return true;
}

/* A present page's PTE: user rights as the region's, writable only once private memory has an
 * anon identity (its first write faulted; pages mapped before may still fault once more). */
static bool check_pte(struct mm_model *mm, size_t i, const struct region *r, pte_t pte)
{
	const struct mm_page *p = &mm->m[i];
	bool any = p->prot != 0;
	bool w = (p->prot & VM_WRITE) && (p->shared || (r->anon && (!p->file || p->cow)));
	bool cached = p->file && (pte & PTE_ADDR) == shmem_lookup(mm->files[p->obj], p->idx);

	EXPECT(!p->file || cached == !p->cow, "page %zu: the file's frame %d, model copy %d", i,
	       cached, p->cow);

	EXPECT(!!(pte & PTE_U) == any, "page %zu PTE U %d, model prot %d", i, !!(pte & PTE_U),
	       p->prot);
	EXPECT(is_zero_page(pte & PTE_ADDR) == mm_model_shows_zero(p),
	       "page %zu zero page: kernel %d, model %d", i, is_zero_page(pte & PTE_ADDR),
	       mm_model_shows_zero(p));
	EXPECT(!mm_model_shows_zero(p) || !(pte & (PTE_W | PTE_D)),
	       "page %zu: the zero page writable or dirty", i);
	EXPECT(!(pte & PTE_W) || w, "page %zu PTE writable, model says not", i);
	EXPECT(!p->shared || !!(pte & PTE_W) == w, "page %zu shared PTE W %d, model %d", i,
	       !!(pte & PTE_W), w);
	EXPECT(!(pte & PTE_NX) == !!(p->prot & VM_EXEC), "page %zu PTE NX %d, model prot %d", i,
	       !!(pte & PTE_NX), p->prot);
	return true;
}

/* Page i's region, PTE and probed byte against the model; counts the resident pages and those
 * on swap. */
static bool check_page(struct mm_model *mm, size_t i, size_t *resident, size_t *swapped)
{
	vaddr_t va = WIN + i * PG;
	const struct region *r = region_find(&mm->as->regions, va);
	pte_t pte = host_pte(mm->as, va);
	const struct mm_page *p = &mm->m[i];

	EXPECT(!!r == p->mapped, "page %zu mapped: kernel %d, model %d", i, !!r, p->mapped);
	if (p->mapped && !check_region(mm, i, r))
		return false;
	EXPECT(!!(pte & PTE_P) == (p->resident && !p->swapped),
	       "page %zu resident: kernel %d, model %d", i, !!(pte & PTE_P),
	       p->resident && !p->swapped);
	EXPECT(pte_is_swap(pte) == p->swapped, "page %zu on swap: kernel %d, model %d", i,
	       pte_is_swap(pte), p->swapped);
	*swapped += p->swapped;
	if (!p->resident || p->swapped)
		return true;
	*resident += !mm_model_shows_zero(p); /* the zero page is no page of the RSS */
	EXPECT_EQ(host_peek(mm->as, mm_model_probe(i)), mm_model_val(mm, p), "probed byte");
	return check_pte(mm, i, r, pte);
}

/* The pages, resident page count and break of the current address space against the model. */
static bool check_space(struct mm_model *mm)
{
	size_t resident = 0, swapped = 0;

	for (size_t i = 0; i < NPAGES; i++)
		if (!check_page(mm, i, &resident, &swapped))
			return false;
	EXPECT_EQ(mm->as->resident, resident, "as->resident");
	EXPECT_EQ(mm->as->swapents, swapped, "as->swapents");
	EXPECT_EQ(mm->as->brk, mm->brk, "brk");
	return true;
}

/* A resident page of either window: its key (a frame of its own, or an object page), what
 * stands for its frame in the kernel (mm_model_key(): the frame, or a slot) and its PTE. */
struct held {
	uint32_t key;
	uintptr_t pa;
	pte_t pte;
};

static int by_key(const void *a, const void *b)
{
	uint32_t x = ((const struct held *)a)->key, y = ((const struct held *)b)->key;

	return x < y ? -1 : x > y;
}

/* The resident pages of both windows (on swap or not) with a frame of their own (own) or showing
 * an object's page (!own) into h, sorted by frame or by object page. Their count. */
static size_t gather(struct mm_model *mm, bool own, struct held *h)
{
	size_t n = 0;

	for (size_t k = 0; k < 2 * NPAGES; k++) {
		const struct mm_page *p = mm_model_page(mm, k);
		struct as *as = k < NPAGES ? mm->as : mm->kid;
		vaddr_t va = WIN + (k % NPAGES) * PG;
		uint64_t slot;

		if (!p->resident || mm_model_shows_object(p) == own || mm_model_shows_zero(p))
			continue; /* the zero page counts no references */
		h[n++] = (struct held){own ? p->frame : (uint32_t)p->obj << 8 | p->idx,
		                       mm_model_key(as, va, &slot), host_pte(as, va)};
	}
	qsort(h, n, sizeof(*h), by_key);
	return n;
}

/* The pages holding one frame of their own (own), or showing one object page, map one frame (or
 * name one slot, or both: a slot the swap cache holds) whose reference count is the mappings'
 * (and the object's, or the swap cache's); a frame two pages share is writable in neither.
 * *groups: how many frames they hold. */
static bool check_sharing(struct mm_model *mm, bool own, size_t *groups)
{
	struct held h[2 * NPAGES];
	size_t n = gather(mm, own, h), j;

	*groups = 0;
	for (size_t i = 0; i < n; i = j) {
		size_t mapped = (h[i].pte & PTE_P) != 0;

		for (j = i + 1; j < n && h[j].key == h[i].key; j++) {
			EXPECT(h[j].pa == h[i].pa, "%s %#x: two frames (or slots)",
			       own ? "frame" : "object page", h[i].key);
			mapped += (h[j].pte & PTE_P) != 0;
		}
		if (h[i].pa & 1)
			continue; /* on swap, not cached: mm_model_check_swap() counts the slot */
		++*groups;
		EXPECT_EQ(frame_of(h[i].pa)->refs,
		          mapped + !own + !!(frame_of(h[i].pa)->flags & FRAME_SWAPCACHE),
		          "a frame's references");
		for (size_t k = i; own && j - i > 1 && k < j; k++)
			EXPECT((h[k].pte & (PTE_P | PTE_W)) != (PTE_P | PTE_W),
			       "frame %u of %zu pages is writable", h[i].key, j - i);
	}
	return true;
}

bool mm_model_check(struct mm_model *mm)
{
	size_t frames = 0, objpages, objswapped = 0;

	if (!mm_model_sync_swap(mm)) /* reclaim drops lazily freed pages without swap too */
		return false;
	if (!check_space(mm))
		return false;
	if (mm->kid) {
		mm_model_switch(mm);

		bool ok = check_space(mm);

		mm_model_switch(mm);
		if (!ok) {
			char why[sizeof(mm->why)];

			memcpy(why, mm->why, sizeof(why));
			return mm_model_fail(mm, "the other address space: %.200s", why);
		}
	}
	if (!check_sharing(mm, true, &frames) || !check_sharing(mm, false, &objpages))
		return false;
	/* one pass over the pages, not obj_live() per object: this runs after every fuzzed call */
	bool live[MM_MODEL_NOBJS] = {false};

	for (size_t k = 0; k < 2 * NPAGES; k++)
		live[mm_model_page(mm, k)->obj] |= mm_model_page(mm, k)->mapped;
	for (unsigned f = 1; f <= MM_MODEL_NFILES; f++)
		live[f] = true;                       /* the model holds the files */
	for (unsigned o = 1; o < MM_MODEL_NOBJS; o++) /* an object's page on swap is no frame */
		for (size_t idx = 0; live[o] && idx < NPAGES; idx++)
			if (mm->objs[o].held >> idx & 1) {
				bool out = mm_model_obj_swapped(mm, o, idx);

				frames += !out;
				objswapped += out;
			}
	size_t ahead;

	if (!mm_model_check_swap(mm, objswapped, &ahead))
		return false;
	EXPECT_EQ(frames_in_state(FRAME_USER), frames + ahead, "user frames");
	return true;
}
