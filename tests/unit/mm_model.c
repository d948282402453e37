/* The page-granular reference model of the memory calls (mm_model.h): what Linux would do to each
 * page of the window, and the comparison of that with kernel/mm's regions, PTEs and frames. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
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

/* Record why kernel and model disagree; false, so that callers can return it. */
bool mm_model_fail(struct mm_model *mm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(mm->why, sizeof(mm->why), fmt, ap);
	va_end(ap);
	return false;
}

static size_t pidx(vaddr_t va)
{
	return (va - WIN) / PG;
}

/* The byte of page i the model follows: one offset for all pages, as pages move with mremap. */
static vaddr_t probe(size_t i)
{
	return WIN + i * PG + 0x5a3;
}

/* Page k of both address spaces' windows: the current one's below NPAGES, the other's above. */
struct mm_page *mm_model_page(struct mm_model *mm, size_t k)
{
	return k < NPAGES ? &mm->m[k] : &mm->km[k - NPAGES];
}

/* True when a mapped page of either window shows object o: the kernel's object lives as long. */
static bool obj_live(struct mm_model *mm, unsigned o)
{
	for (size_t k = 0; k < 2 * NPAGES; k++)
		if (mm_model_page(mm, k)->mapped && mm_model_page(mm, k)->obj == o)
			return true;
	return false;
}

/* A new empty object of size pages: a slot no page shows any more. */
static uint8_t obj_new(struct mm_model *mm, size_t size)
{
	unsigned o = 1 + MM_MODEL_NFILES; /* the files' slots are never free */

	while (obj_live(mm, o))
		o++; /* at most NPAGES objects live: a slot is always free */
	memset(&mm->objs[o], 0, sizeof(mm->objs[o]));
	mm->objs[o].size = (uint8_t)size;
	return (uint8_t)o;
}

/* True when page p shows its object's page (shared, or a private file page not yet copied). */
bool mm_model_shows_object(const struct mm_page *p)
{
	return p->shared || (p->file && !p->cow);
}

/* True when page p maps the zero page: resident private anonymous memory never written. */
static bool shows_zero(const struct mm_page *p)
{
	return p->resident && !p->swapped && !p->shared && !p->file && !p->frame;
}

/* Pages of either window holding frame f of their own (0: none do). */
static size_t holders(struct mm_model *mm, uint32_t f)
{
	size_t n = 0;

	for (size_t k = 0; f && k < 2 * NPAGES; k++) {
		const struct mm_page *q = mm_model_page(mm, k);

		n += q->resident && !mm_model_shows_object(q) && q->frame == f;
	}
	return n;
}

/* Page p, private, gets a frame of its own: a new page, or a copy of a file's or shared one. */
static void own_frame(struct mm_model *mm, struct mm_page *p)
{
	p->frame = ++mm->frames_made;
}

/* The byte page p shows at its probe offset: its own, or its object's. */
static uint8_t page_val(const struct mm_model *mm, const struct mm_page *p)
{
	return mm_model_shows_object(p) ? mm->objs[p->obj].val[p->idx] : p->val;
}

static void model_unmap(struct mm_model *mm, size_t from, size_t to)
{
	for (size_t i = from; i < to && i < NPAGES; i++)
		memset(&mm->m[i], 0, sizeof(mm->m[i]));
}

/* n clipped so that [i, i + n) stays in the window (i must be inside). */
static size_t clip(size_t i, size_t n)
{
	return i + n > NPAGES ? NPAGES - i : n;
}

bool mm_model_start(struct mm_model *mm)
{
	memset(mm, 0, sizeof(*mm));
	mm->frames0 = frames_used();
	mm->as = as_create();
	if (!mm->as)
		return mm_model_fail(mm, "as_create failed");
	as_init_brk(mm->as, WIN);
	mm->brk = WIN;
	for (unsigned f = 1; f <= MM_MODEL_NFILES; f++) {
		/* file 1: 24 pages, every third a hole; file 2: 40 pages, the first 8 held */
		struct mm_obj *o = &mm->objs[f];

		o->size = f == 1 ? 24 : 40;
		mm->files[f] = shmem_create(o->size);
		if (!mm->files[f])
			return mm_model_fail(mm, "shmem_create failed");
		for (unsigned k = 0; k < o->size; k++) {
			if (f == 1 ? k % 3 == 1 : k >= 8)
				continue;
			paddr_t pa = shmem_page(mm->files[f], k);

			if (!pa)
				return mm_model_fail(mm, "shmem_page failed");
			o->val[k] = (uint8_t)('A' + k);
			((uint8_t *)phys_to_virt(pa))[probe(0) & PAGE_MASK] = o->val[k];
			o->held |= 1ULL << k;
		}
	}
	return true;
}

bool mm_model_finish(struct mm_model *mm)
{
	as_destroy(mm->as);
	mm->as = NULL;
	if (mm->kid)
		as_destroy(mm->kid);
	mm->kid = NULL;
	for (unsigned f = 1; f <= MM_MODEL_NFILES; f++)
		if (mm->files[f])
			shmem_put(mm->files[f]);
	EXPECT(frames_used() == mm->frames0,
	       "%zu frames in use after as_destroy, %zu before as_create", frames_used(),
	       mm->frames0);
	EXPECT_EQ(swap_slots_used(), 0, "swap slots in use after as_destroy");
	EXPECT_EQ(swap_cache_pages(), 0, "pages in the swap cache after as_destroy");
	return true;
}

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
	EXPECT(is_zero_page(pte & PTE_ADDR) == shows_zero(p),
	       "page %zu zero page: kernel %d, model %d", i, is_zero_page(pte & PTE_ADDR),
	       shows_zero(p));
	EXPECT(!shows_zero(p) || !(pte & (PTE_W | PTE_D)),
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
	*resident += !shows_zero(p); /* the zero page is no page of the RSS */
	EXPECT_EQ(host_peek(mm->as, probe(i)), page_val(mm, p), "probed byte");
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

		if (!p->resident || mm_model_shows_object(p) == own || shows_zero(p))
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

	if (mm->pressure && !mm_model_sync_swap(mm))
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

bool mm_model_mmap(struct mm_model *mm, size_t i, size_t n, int prot, int flags)
{
	if (i >= NPAGES)
		return true;
	n = clip(i, n);
	if (n == 0) {
		EXPECT_EQ(as_mmap(mm->as, WIN + i * PG, 0, prot, flags | MAP_ANONYMOUS, -1, 0),
		          -EINVAL, "mmap of nothing");
		return true;
	}

	vaddr_t va = WIN + i * PG;
	long got = as_mmap(mm->as, va, n * PG, prot, flags | MAP_ANONYMOUS, -1, 0);
	bool free_range = true;

	for (size_t k = i; k < i + n; k++)
		free_range &= !mm->m[k].mapped;
	if (!(flags & MAP_FIXED) && !free_range) {
		/* The hint is taken: Linux searches top-down from the mmap base. */
		EXPECT_EQ(got, MMAP_TOP - n * PG, "mmap with a taken hint");
		EXPECT_EQ(as_munmap(mm->as, (vaddr_t)got, n * PG), 0, "munmap outside the window");
		return true;
	}
	EXPECT_EQ(got, va, "mmap");

	bool shared = (flags & MAP_TYPE) == MAP_SHARED, populate = (flags & MAP_POPULATE) && prot;
	uint8_t o = 0;

	model_unmap(mm, i, i + n); /* MAP_FIXED: what was there goes first */
	if (shared) {
		o = obj_new(mm, n);
		mm->objs[o].held = populate ? (n == 64 ? ~0ULL : (1ULL << n) - 1) : 0;
	}
	for (size_t k = i; k < i + n; k++) {
		mm->m[k] = (struct mm_page){
		    .mapped = true,
		    .shared = shared,
		    .prot = (uint8_t)prot,
		    .resident = populate,
		    .obj = o,
		    .idx = (uint8_t)(k - i),
		    /* populated by writes where writable, else by reads: the zero page */
		    .frame = populate && !shared && (prot & VM_WRITE) ? ++mm->frames_made : 0,
		};
	}
	return true;
}

/* MAP_POPULATE of n pages of a mapping of file o from page off: the object's pages up to its end
 * are filled (faulting stops at the first page past it). The pages populated. */
static size_t model_populate_file(struct mm_model *mm, unsigned o, size_t off, size_t n)
{
	size_t k = 0;

	for (; k < n && off + k < mm->objs[o].size; k++)
		mm->objs[o].held |= 1ULL << (off + k);
	return k;
}

bool mm_model_mmap_file(struct mm_model *mm, size_t i, size_t n, int prot, int flags, unsigned f,
                        size_t off)
{
	if (i >= NPAGES || f >= MM_MODEL_NFILES)
		return true;
	n = clip(i, n);

	unsigned o = 1 + f;
	vaddr_t va = WIN + i * PG;
	long got = as_mmap_object(mm->as, va, n * PG, prot, flags, mm->files[o], off * PG, NULL);

	if (n == 0) {
		EXPECT_EQ(got, -EINVAL, "file mmap of nothing");
		return true;
	}

	bool shared = (flags & MAP_TYPE) == MAP_SHARED, free_range = true;
	size_t filled = (flags & MAP_POPULATE) && prot ? model_populate_file(mm, o, off, n) : 0;

	for (size_t k = i; k < i + n; k++)
		free_range &= !mm->m[k].mapped;
	if (!(flags & MAP_FIXED) && !free_range) {
		EXPECT_EQ(got, MMAP_TOP - n * PG, "file mmap with a taken hint");
		EXPECT_EQ(as_munmap(mm->as, (vaddr_t)got, n * PG), 0, "munmap outside the window");
		return true;
	}
	EXPECT_EQ(got, va, "file mmap");
	model_unmap(mm, i, i + n);
	for (size_t k = 0; k < n; k++) {
		bool copy = k < filled && !shared && (prot & VM_WRITE); /* populated by writes */

		mm->m[i + k] = (struct mm_page){
		    .mapped = true,
		    .shared = shared,
		    .file = true,
		    .cow = copy,
		    .prot = (uint8_t)prot,
		    .resident = k < filled,
		    .val = copy ? mm->objs[o].val[off + k] : 0,
		    .obj = (uint8_t)o,
		    .idx = (uint8_t)(off + k),
		    .frame = copy ? ++mm->frames_made : 0,
		};
	}
	return true;
}

bool mm_model_truncate(struct mm_model *mm, unsigned f, size_t pages)
{
	if (f >= MM_MODEL_NFILES)
		return true;
	if (pages > NPAGES)
		pages = NPAGES;

	unsigned o = 1 + f;
	struct mm_obj *ob = &mm->objs[o];

	EXPECT_EQ(shmem_resize(mm->files[o], pages), 0, "shmem_resize");
	for (size_t idx = pages; idx < ob->size; idx++) {
		ob->val[idx] = 0;
		ob->held &= ~(1ULL << idx);
	}
	for (size_t k = 0; k < 2 * NPAGES; k++) { /* in both address spaces */
		struct mm_page *p = mm_model_page(mm, k);

		if (p->mapped && p->obj == o && p->idx >= pages) {
			p->resident = p->cow = p->swapped = false; /* private copies go too */
			p->frame = 0;
			p->val = 0;
		}
	}
	ob->size = (uint8_t)pages;
	return true;
}

bool mm_model_munmap(struct mm_model *mm, size_t i, size_t n)
{
	if (i >= NPAGES)
		return true;
	n = clip(i, n);
	EXPECT_EQ(as_munmap(mm->as, WIN + i * PG, n * PG), n ? 0 : -EINVAL, "munmap");
	model_unmap(mm, i, i + n);
	return true;
}

bool mm_model_mprotect(struct mm_model *mm, size_t i, size_t n, int prot)
{
	long want = 0;

	if (i >= NPAGES)
		return true;
	n = clip(i, n);

	long got = as_mprotect(mm->as, WIN + i * PG, n * PG, prot);

	/* Linux changes pages up to the first hole and then reports it. */
	for (size_t k = i; k < i + n; k++) {
		if (!mm->m[k].mapped) {
			want = -ENOMEM;
			break;
		}
		mm->m[k].prot = (uint8_t)prot;
	}
	EXPECT_EQ(got, want, "mprotect");
	return true;
}

/* MADV_REMOVE of shared page p: a hole in its object, so every page showing it loses its PTE. */
static void model_punch(struct mm_model *mm, const struct mm_page *p)
{
	struct mm_obj *o = &mm->objs[p->obj];
	unsigned obj = p->obj, idx = p->idx;

	if (idx >= o->size)
		return;
	o->held &= ~(1ULL << idx);
	o->val[idx] = 0;
	for (size_t k = 0; k < 2 * NPAGES; k++) { /* in both address spaces */
		struct mm_page *q = mm_model_page(mm, k);

		if (q->mapped && q->obj == obj && q->idx == idx && !q->cow)
			q->resident = false; /* a private copy is not the file's */
	}
}

/* The errno Linux refuses advice with on page p's region, or 0: MADV_FREE takes private
 * anonymous memory only; MADV_REMOVE shared memory only (a private file mapping: EACCES);
 * MADV_WIPEONFORK memory without a file that is not shared. */
static long advice_refused(const struct mm_page *p, int advice)
{
	switch (advice) {
	case MADV_FREE:
	case MADV_WIPEONFORK:
		return p->shared || p->file ? -EINVAL : 0;
	case MADV_REMOVE:
		return p->shared ? 0 : p->file ? -EACCES : -EINVAL;
	default:
		return 0;
	}
}

/* Advice on mapped page p, which takes it. */
static void advise_page(struct mm_model *mm, struct mm_page *p, int advice)
{
	switch (advice) {
	case MADV_REMOVE:
		model_punch(mm, p);
		break;
	case MADV_DONTFORK:
	case MADV_DOFORK:
		p->dontfork = advice == MADV_DONTFORK;
		break;
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		p->wipe = advice == MADV_WIPEONFORK;
		break;
	case MADV_PAGEOUT: /* what went to swap: mm_model_sync_swap() after the call */
	case MADV_COLD:
	case MADV_WILLNEED: /* into the swap cache, not mapped */
		break;
	default: /* DONTNEED, FREE: shared pages stay in their object */
		p->resident = false;
		p->swapped = false;
		p->val = 0;
		p->cow = false; /* a private file page shows the file again */
		p->frame = 0;
	}
}

bool mm_model_madvise(struct mm_model *mm, size_t i, size_t n, int advice)
{
	long want = 0;

	if (i >= NPAGES)
		return true;
	n = clip(i, n);

	long got = as_madvise(mm->as, WIN + i * PG, n * PG, advice);

	for (size_t k = i; k < i + n; k++) {
		struct mm_page *p = &mm->m[k];

		if (!p->mapped) {
			want = -ENOMEM;
			continue;
		}
		if (advice_refused(p, advice)) { /* stops there */
			want = advice_refused(p, advice);
			break;
		}
		advise_page(mm, p, advice);
	}
	EXPECT_EQ(got, want, "madvise");
	return advice != MADV_PAGEOUT || mm_model_sync_swap(mm);
}

/* The fault a user access to page p should take, per the model. */
static enum fault_result model_fault(const struct mm_model *mm, const struct mm_page *p, bool write)
{
	if (!p->mapped)
		return FAULT_NO_REGION;
	if (!p->prot || (write && !(p->prot & VM_WRITE)))
		return FAULT_DENIED;
	if ((p->shared || p->file) && p->idx >= mm->objs[p->obj].size)
		return FAULT_SIGBUS; /* mremap grew it past its object, or a truncation */
	return FAULT_OK;
}

/* After a read fault of page i, which shows an object: Linux's fault-around maps the object's
 * pages already held in the 16-page block from page i's (or its region's start, if later),
 * within the region (the window lies in one page table). */
static void model_fault_around(struct mm_model *mm, size_t i)
{
	const struct region *r = region_find(&mm->as->regions, WIN + i * PG);
	size_t from = i & ~(size_t)15, to;

	if (from < pidx(r->start))
		from = pidx(r->start);
	to = from + 16 < pidx(r->end) ? from + 16 : pidx(r->end);
	for (size_t k = from; k < to; k++) {
		struct mm_page *p = &mm->m[k];
		const struct mm_obj *o = &mm->objs[p->obj];

		if (p->idx < o->size && (o->held >> p->idx & 1) &&
		    !mm_model_obj_swapped(mm, p->obj, p->idx))
			p->resident = true; /* a page on swap is not mapped around */
	}
}

bool mm_model_touch(struct mm_model *mm, size_t i, bool write, uint8_t v)
{
	if (i >= NPAGES)
		return true;

	struct mm_page *p = &mm->m[i];
	enum fault_result want = model_fault(mm, p, write);
	bool was = p->resident; /* a fault of a page not mapped fills its object's hole */

	if (write) {
		EXPECT_EQ(host_poke(mm->as, probe(i), v), want, "store's fault");
		if (want == FAULT_OK) {
			/* a new page, a copy of the file's page, or of a frame fork shares */
			if (!p->shared && (!p->resident || mm_model_shows_object(p) ||
			                   shows_zero(p) || holders(mm, p->frame) > 1))
				own_frame(mm, p);
			p->val = v;
			p->resident = true;
			p->swapped = false;
			if (p->shared)
				mm->objs[p->obj].val[p->idx] = v;
			else if (p->file)
				p->cow = true; /* the first write copies the file's page */
		}
	} else {
		int got = host_load(mm->as, probe(i));

		if (want != FAULT_OK) {
			EXPECT_EQ(got, -1 - (int)want, "load's fault");
			return true;
		}
		EXPECT_EQ(got, page_val(mm, p), "loaded byte");
		if (!p->resident && (p->shared || p->file))
			model_fault_around(mm, i);
		/* private anonymous memory not mapped: the zero page (frame 0) */
		p->resident = true;
		p->swapped = false; /* read back from swap, or from the swap cache */
	}
	if (want == FAULT_OK && !was && (p->shared || p->file))
		mm->objs[p->obj].held |= 1ULL << p->idx;
	return true;
}

/* The model's brk to nb growing the heap from page oldp to newp: Linux keeps a free page above
 * the break, else refuses. */
static void model_brk_grow(struct mm_model *mm, vaddr_t nb, size_t oldp, size_t newp)
{
	for (size_t k = oldp; k < newp + 1 && k < NPAGES; k++)
		if (mm->m[k].mapped)
			return;
	for (size_t k = oldp; k < newp; k++)
		mm->m[k] = (struct mm_page){.mapped = true, .prot = VM_READ | VM_WRITE};
	mm->brk = nb;
}

bool mm_model_brk(struct mm_model *mm, size_t off)
{
	if (off > NPAGES * PG / 2)
		off = NPAGES * PG / 2;

	vaddr_t nb = WIN + off;
	vaddr_t got = as_brk(mm->as, nb);
	size_t oldp = pidx(PAGE_UP(mm->brk)), newp = pidx(PAGE_UP(nb));

	if (newp == oldp) {
		mm->brk = nb;
	} else if (nb < mm->brk) {
		bool any = false;

		for (size_t k = newp; k < oldp; k++)
			any |= mm->m[k].mapped;
		if (any) { /* Linux refuses to shrink the break over nothing */
			model_unmap(mm, newp, oldp);
			mm->brk = nb;
		}
	} else {
		model_brk_grow(mm, nb, oldp, newp);
	}
	EXPECT_EQ(got, mm->brk, "brk");
	return true;
}

/* Move the model's pages [from, from + oldn) to [to, to + newn): pages past oldn are new, with
 * the first page's attributes. */
static void model_move(struct mm_model *mm, size_t from, size_t to, size_t oldn, size_t newn)
{
	struct mm_page tmp[NPAGES], attrs = mm->m[from];

	memcpy(tmp, &mm->m[from], oldn * sizeof(tmp[0]));
	model_unmap(mm, from, from + oldn);
	for (size_t k = 0; k < newn; k++) {
		if (k < oldn) {
			mm->m[to + k] = tmp[k];
		} else {
			mm->m[to + k] = attrs;
			mm->m[to + k].resident = false;
			mm->m[to + k].swapped = false;
			mm->m[to + k].cow = false;
			mm->m[to + k].frame = 0;
			mm->m[to + k].val = 0;
			mm->m[to + k].idx = (uint8_t)(attrs.idx + k); /* the object's next pages */
		}
	}
}

/* The end (page index) of the region holding page i, which is mapped. */
static size_t region_end_page(struct mm_model *mm, size_t i)
{
	const struct region *r = region_find(&mm->as->regions, WIN + i * PG);

	return pidx(r->end);
}

/* MREMAP_FIXED of [i, i + oldn) to t, where the region holding page i ends at page e, as Linux
 * 6.12: a hole at i first, then the overlap; the target and the cut tail are unmapped before
 * the kept range is found to run past its region (-EFAULT). */
static bool mremap_fixed(struct mm_model *mm, size_t i, size_t oldn, size_t newn, size_t t,
                         size_t e, long got)
{
	if (!mm->m[i].mapped) {
		EXPECT_EQ(got, -EFAULT, "mremap of a hole");
		return true;
	}
	if (i < t + newn && t < i + oldn) {
		EXPECT_EQ(got, -EINVAL, "mremap onto itself");
		return true;
	}
	model_unmap(mm, t, t + newn);
	if (t > i && t < e)
		e = t; /* the target cut the region */
	if (oldn > newn) {
		model_unmap(mm, i + newn, i + oldn);
		oldn = newn;
	}
	if (oldn > e - i) {
		EXPECT_EQ(got, -EFAULT, "mremap across regions"); /* the kept range is one region */
		return true;
	}
	EXPECT_EQ(got, WIN + t * PG, "mremap fixed");
	model_move(mm, i, t, oldn, newn);
	return true;
}

/* An mremap that moved [i, i + oldn) out of the window, top-down: check the pages went along,
 * then drop them. */
static bool mremap_moved_out(struct mm_model *mm, size_t i, size_t oldn, size_t newn, long got)
{
	EXPECT_EQ(got, MMAP_TOP - newn * PG, "mremap that moves");
	for (size_t k = 0; k < oldn; k++) {
		const struct mm_page *p = &mm->m[i + k];
		vaddr_t nva = (vaddr_t)got + k * PG + (probe(i + k) & PAGE_MASK);

		if (p->swapped)
			EXPECT(pte_is_swap(host_pte(mm->as, nva)), "moved page %zu: not on swap",
			       k);
		else
			EXPECT_EQ(host_peek(mm->as, nva), p->resident ? page_val(mm, p) : -1,
			          "moved byte");
	}
	EXPECT_EQ(as_munmap(mm->as, (vaddr_t)got, newn * PG), 0, "munmap outside the window");
	model_unmap(mm, i, i + oldn);
	return true;
}

/* Growing [i, i + oldn) in place when the region ends at page e and the pages after are free. */
static bool mremap_grow(struct mm_model *mm, size_t i, size_t oldn, size_t newn, int flags,
                        size_t e, long got)
{
	if (oldn > e - i) {
		EXPECT_EQ(got, -EFAULT, "mremap across regions");
		return true;
	}
	bool room = i + oldn == e;

	for (size_t k = e; room && k < i + newn; k++)
		room = !mm->m[k].mapped;
	if (room) {
		EXPECT_EQ(got, WIN + i * PG, "mremap grown in place");
		for (size_t k = e; k < i + newn; k++) {
			mm->m[k] = mm->m[i];
			mm->m[k].resident = false;
			mm->m[k].swapped = false;
			mm->m[k].cow = false;
			mm->m[k].frame = 0;
			mm->m[k].val = 0;
			/* the object's next pages, maybe past its end */
			mm->m[k].idx = (uint8_t)(mm->m[i].idx + (k - i));
		}
		return true;
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		EXPECT_EQ(got, -ENOMEM, "mremap that may not move");
		return true;
	}
	return mremap_moved_out(mm, i, oldn, newn, got);
}

/* mremap with old length 0 of page i without MREMAP_FIXED: a second mapping of i's shared object
 * placed top-down outside the window, checked through loads, then unmapped. */
static bool mremap_dup(struct mm_model *mm, size_t i, size_t newn, int flags)
{
	long got = as_mremap(mm->as, WIN + i * PG, 0, newn * PG, flags, 0);
	const struct mm_page *p = &mm->m[i];

	if (!p->mapped || !p->shared || !(flags & MREMAP_MAYMOVE)) {
		EXPECT_EQ(got, !p->mapped ? -EFAULT : !p->shared ? -EINVAL : -ENOMEM, "mremap dup");
		return true;
	}
	EXPECT_EQ(got, MMAP_TOP - newn * PG, "mremap dup");
	for (size_t k = 0; k < newn; k++) {
		struct mm_page q = *p;
		enum fault_result want;

		q.idx = (uint8_t)(p->idx + k);
		want = model_fault(mm, &q, false);
		EXPECT_EQ(host_load(mm->as, (vaddr_t)got + k * PG + (probe(0) & PAGE_MASK)),
		          want == FAULT_OK ? page_val(mm, &q) : -1 - (int)want, "dup's byte");
		if (want == FAULT_OK)
			mm->objs[q.obj].held |= 1ULL << q.idx;
	}
	EXPECT_EQ(as_munmap(mm->as, (vaddr_t)got, newn * PG), 0, "munmap outside the window");
	return true;
}

bool mm_model_mremap(struct mm_model *mm, size_t i, size_t oldn, size_t newn, int flags, size_t t)
{
	if (!oldn && newn && i < NPAGES && newn <= NPAGES && !(flags & MREMAP_FIXED))
		return mremap_dup(mm, i, newn, flags);
	if (!oldn || !newn || i + oldn > NPAGES || i + newn > NPAGES || t + newn > NPAGES)
		return true; /* MREMAP_FIXED with old length 0: not modelled */

	size_t e = mm->m[i].mapped ? region_end_page(mm, i) : i;
	vaddr_t old = WIN + i * PG;
	long got = as_mremap(mm->as, old, oldn * PG, newn * PG, flags, WIN + t * PG);

	if (flags & MREMAP_FIXED)
		return mremap_fixed(mm, i, oldn, newn, t, e, got);
	if (!mm->m[i].mapped) {
		EXPECT_EQ(got, -EFAULT, "mremap of a hole");
		return true;
	}
	if (newn <= oldn) {
		EXPECT_EQ(got, old, "mremap that shrinks");
		model_unmap(mm, i + newn, i + oldn);
		return true;
	}
	return mremap_grow(mm, i, oldn, newn, flags, e, got);
}

/* Page i of the child as as_fork() leaves it: none in MADV_DONTFORK memory; zeros in
 * MADV_WIPEONFORK memory; resident only where the parent's region has an anon identity (private
 * memory written, Linux's vma_needs_copy(): the model asks the kernel's region), sharing the
 * parent's frame. */
static struct mm_page child_page(struct mm_model *mm, size_t i)
{
	struct mm_page q = mm->m[i];

	if (!q.mapped || q.dontfork)
		return (struct mm_page){0};

	const struct region *r = region_find(&mm->as->regions, WIN + i * PG);

	if (!r->anon || q.wipe) {
		q.resident = false;
		q.swapped = false;
		q.frame = 0;
	}
	if (q.wipe)
		q.val = 0;
	return q;
}

bool mm_model_fork(struct mm_model *mm)
{
	if (mm->kid)
		as_destroy(mm->kid);
	mm->kid = as_fork(mm->as);
	EXPECT(mm->kid, "as_fork failed");
	for (size_t i = 0; i < NPAGES; i++)
		mm->km[i] = child_page(mm, i);
	mm->kbrk = mm->brk;
	return true;
}

bool mm_model_switch(struct mm_model *mm)
{
	struct mm_page tmp[NPAGES];
	struct as *as = mm->as;
	vaddr_t brk = mm->brk;

	if (!mm->kid)
		return true;
	memcpy(tmp, mm->m, sizeof(tmp));
	memcpy(mm->m, mm->km, sizeof(tmp));
	memcpy(mm->km, tmp, sizeof(tmp));
	mm->as = mm->kid;
	mm->kid = as;
	mm->brk = mm->kbrk;
	mm->kbrk = brk;
	return true;
}
