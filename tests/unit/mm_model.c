/* The page-granular reference model of the memory calls (mm_model.h): what Linux would do to each
 * page of the window, kept in step with kernel/mm's calls; mm_model_check.c compares the two. */
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

size_t mm_model_pidx(vaddr_t va)
{
	return (va - WIN) / PG;
}

vaddr_t mm_model_probe(size_t i)
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

bool mm_model_shows_zero(const struct mm_page *p)
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

uint8_t mm_model_val(const struct mm_model *mm, const struct mm_page *p)
{
	return mm_model_shows_object(p) ? mm->objs[p->obj].val[p->idx] : p->val;
}

void mm_model_unmap(struct mm_model *mm, size_t from, size_t to)
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
			((uint8_t *)phys_to_virt(pa))[mm_model_probe(0) & PAGE_MASK] = o->val[k];
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

	mm_model_unmap(mm, i, i + n); /* MAP_FIXED: what was there goes first */
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
	mm_model_unmap(mm, i, i + n);
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
	mm_model_unmap(mm, i, i + n);
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

/* Private page p loses its frame or slot: it reads as zeros, or as its file again. */
static void drop_private(struct mm_page *p)
{
	p->resident = false;
	p->swapped = false;
	p->val = 0;
	p->cow = false; /* a private file page shows the file again */
	p->frame = 0;
	p->lazy = false;
}

/* MADV_FREE of private page p, as Linux's madvise_free_pte_range(): what is on swap goes; a frame
 * only p holds stays, lazily freed, until reclaim drops it (mm_model_sync_swap()) or a write keeps
 * it; a frame shared after fork and the zero page stay as they are. */
static void free_lazily(struct mm_model *mm, struct mm_page *p)
{
	if (p->swapped)
		drop_private(p);
	else if (p->resident && p->frame && holders(mm, p->frame) == 1)
		p->lazy = true;
}

/* Advice on mapped page p, which takes it. */
static void advise_page(struct mm_model *mm, struct mm_page *p, int advice)
{
	switch (advice) {
	case MADV_FREE:
		free_lazily(mm, p);
		break;
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
	default: /* DONTNEED: shared pages stay in their object */
		drop_private(p);
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

enum fault_result mm_model_fault(const struct mm_model *mm, const struct mm_page *p, bool write)
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

	if (from < mm_model_pidx(r->start))
		from = mm_model_pidx(r->start);
	to = from + 16 < mm_model_pidx(r->end) ? from + 16 : mm_model_pidx(r->end);
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
	enum fault_result want = mm_model_fault(mm, p, write);
	bool was = p->resident; /* a fault of a page not mapped fills its object's hole */

	if (write) {
		EXPECT_EQ(host_poke(mm->as, mm_model_probe(i), v), want, "store's fault");
		if (want == FAULT_OK) {
			/* a new page, a copy of the file's page, or of a frame fork shares */
			if (!p->shared && (!p->resident || mm_model_shows_object(p) ||
			                   mm_model_shows_zero(p) || holders(mm, p->frame) > 1))
				own_frame(mm, p);
			p->val = v;
			p->resident = true;
			p->swapped = false;
			p->lazy = false; /* written: reclaim must keep it */
			if (p->shared)
				mm->objs[p->obj].val[p->idx] = v;
			else if (p->file)
				p->cow = true; /* the first write copies the file's page */
		}
	} else {
		int got = host_load(mm->as, mm_model_probe(i));

		if (want != FAULT_OK) {
			EXPECT_EQ(got, -1 - (int)want, "load's fault");
			return true;
		}
		EXPECT_EQ(got, mm_model_val(mm, p), "loaded byte");
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
	size_t oldp = mm_model_pidx(PAGE_UP(mm->brk)), newp = mm_model_pidx(PAGE_UP(nb));

	if (newp == oldp) {
		mm->brk = nb;
	} else if (nb < mm->brk) {
		bool any = false;

		for (size_t k = newp; k < oldp; k++)
			any |= mm->m[k].mapped;
		if (any) { /* Linux refuses to shrink the break over nothing */
			mm_model_unmap(mm, newp, oldp);
			mm->brk = nb;
		}
	} else {
		model_brk_grow(mm, nb, oldp, newp);
	}
	EXPECT_EQ(got, mm->brk, "brk");
	return true;
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
		q.lazy = false;
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
