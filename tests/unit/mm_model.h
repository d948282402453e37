/* A page-granular reference model of the memory calls over a window of NPAGES pages, run beside
 * the real kernel/mm on one address space: each operation runs on both and says if they agreed. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/as.h"
#include "mm/layout.h"

#define MM_MODEL_NPAGES 64
#define MM_MODEL_WIN    0x10000000UL /* the window the model covers; nothing is mapped outside */
#define MM_MODEL_WEND   (MM_MODEL_WIN + MM_MODEL_NPAGES * PAGE_SIZE)

/* What the model knows of one page of the window. */
struct mm_page {
	bool mapped, resident, shared;
	/* resident private memory whose entry names a swap slot now: eviction took its frame, its
	 * contents (val) come back at the next touch (mm_model_swap.c) */
	bool swapped;
	bool file; /* a mapping of one of the model's files (shared, or private: copied on write) */
	bool cow;  /* private file page: written, so a private copy, no longer the file's page */
	uint8_t prot; /* VM_* */
	uint8_t val;  /* the byte at the page's probe offset (shared, file: the object holds it) */
	uint8_t obj;  /* shared, file: its object, an index into mm_model.objs (0: none) */
	uint8_t idx;  /* shared, file: the page's index in that object */
	bool dontfork, wipe; /* MADV_DONTFORK, MADV_WIPEONFORK */
	bool lazy; /* MADV_FREE let its frame go and nothing wrote it since: reclaim may drop it */
	/* resident private memory with a frame of its own (not its object's): which frame, as the
	 * model numbers them; fork makes two pages hold one until either writes. 0 in resident
	 * private anonymous memory: the zero page, which a read maps and the first write replaces
	 */
	uint32_t frame;
};

/* Files (tmpfs files' objects): objs[1] and objs[2], alive throughout. */
#define MM_MODEL_NFILES 2
#define MM_MODEL_NOBJS  256

/* A shared object (Linux's shmem file): alive while a mapped page of the window shows it. */
struct mm_obj {
	uint8_t size;                 /* pages; an index at or past it is SIGBUS */
	uint64_t held;                /* the indexes that have a frame */
	uint8_t val[MM_MODEL_NPAGES]; /* the byte at each page's probe offset */
};

/* Two address spaces once mm_model_fork() has run: the one the calls act on (as, m, brk) and the
 * other (kid, km, kbrk), which mm_model_switch() swaps; both are checked. */
struct mm_model {
	struct as *as;
	struct mm_page m[MM_MODEL_NPAGES];
	struct as *kid;
	struct mm_page km[MM_MODEL_NPAGES];
	vaddr_t kbrk;
	uint32_t frames_made; /* the last frame number handed out */
	struct mm_obj objs[MM_MODEL_NOBJS];
	struct shmem *files[MM_MODEL_NFILES + 1]; /* the kernel's objects of objs[1..NFILES] */
	vaddr_t brk;
	size_t frames0; /* frames in use before the address space was made */
	/* RAM is short: any safe point (a fault, fork, a populate) may evict, so each check first
	 * takes what went to swap (mm_model_sync_swap()); set after mm_model_start() */
	bool pressure;
	uint64_t evictions; /* vm_events.evictions at the last mm_model_sync_swap() */
	char why[256];      /* the first disagreement, once an operation returned false */
};

/* Every operation below runs on the kernel and the model and returns true when they agree, else
 * false with mm->why saying how they differ. Page indices and counts are clipped to the window
 * (an mremap that does not fit, or with a length of 0, is skipped), so any values are safe. */

/* A fresh address space with the heap starting at the window; false if none could be made. */
bool mm_model_start(struct mm_model *mm);

/* Destroy the address space; false when frames in use did not return to their start. */
bool mm_model_finish(struct mm_model *mm);

/* mmap of n pages at page i; flags are MAP_SHARED or MAP_PRIVATE, MAP_FIXED, MAP_POPULATE. */
bool mm_model_mmap(struct mm_model *mm, size_t i, size_t n, int prot, int flags);

/* mmap of n pages of file f (0 or 1) from page off of it at page i; flags as mm_model_mmap(). */
bool mm_model_mmap_file(struct mm_model *mm, size_t i, size_t n, int prot, int flags, unsigned f,
                        size_t off);

/* Truncate (or extend) file f (0 or 1) to pages pages (at most 64): shmem_resize(). */
bool mm_model_truncate(struct mm_model *mm, unsigned f, size_t pages);

bool mm_model_munmap(struct mm_model *mm, size_t i, size_t n);
bool mm_model_mprotect(struct mm_model *mm, size_t i, size_t n, int prot);

/* madvise of n pages at page i with MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_DONTFORK,
 * MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_PAGEOUT, MADV_COLD or MADV_WILLNEED. */
bool mm_model_madvise(struct mm_model *mm, size_t i, size_t n, int advice);

/* A user load (or store of v, nonzero) at page i's probe offset. */
bool mm_model_touch(struct mm_model *mm, size_t i, bool write, uint8_t v);

/* brk to the window's start + off bytes (off at most half the window). */
bool mm_model_brk(struct mm_model *mm, size_t off);

/* mremap of oldn pages at page i to newn pages; flags 0, MREMAP_MAYMOVE or with MREMAP_FIXED to
 * page t. oldn 0 without MREMAP_FIXED maps a shared object a second time, outside the window. */
bool mm_model_mremap(struct mm_model *mm, size_t i, size_t oldn, size_t newn, int flags, size_t t);

/* fork: the other address space (destroyed first if there is one) becomes as_fork() of this one.
 */
bool mm_model_fork(struct mm_model *mm);

/* The calls act on the other address space from now on (nothing happens without one). */
bool mm_model_switch(struct mm_model *mm);

/* Evict up to n frames the replacement policy picks (reclaim_evict()), and record which pages
 * went to swap: only private pages with a frame of their own may, all the pages sharing a frame
 * at once. */
bool mm_model_evict(struct mm_model *mm, size_t n);

/* Compare every page of the window (region, PTE, byte) in both address spaces, the frames shared
 * between them and each frame's reference count, and the frame counts with the model. */
bool mm_model_check(struct mm_model *mm);

/* ---- between mm_model.c and mm_model_check.c, mm_model_mremap.c ---- */

/* The window's page holding va. */
size_t mm_model_pidx(vaddr_t va);
/* Forget the model's pages [from, to) of the window. */
void mm_model_unmap(struct mm_model *mm, size_t from, size_t to);
/* The fault a user access to page p should take, per the model. */
enum fault_result mm_model_fault(const struct mm_model *mm, const struct mm_page *p, bool write);

/* The byte of page i the model follows: one offset for all pages, as pages move with mremap. */
vaddr_t mm_model_probe(size_t i);
/* True when page p maps the zero page: resident private anonymous memory never written. */
bool mm_model_shows_zero(const struct mm_page *p);
/* The byte page p shows at its probe offset: its own, or its object's. */
uint8_t mm_model_val(const struct mm_model *mm, const struct mm_page *p);

/* ---- between mm_model.c and mm_model_swap.c (swap and the swap cache) ---- */

/* Give the process a fake swap disk of slots (the header included) and start eviction under
 * policy ("clock", ...), once, after host_setup(): the model and the fuzzer run every sequence
 * with swap. */
void mm_model_swap_on(const char *policy, uint64_t slots);

/* Slots enough for both windows (128 pages) with room for slots to wander. */
#define MM_MODEL_SLOTS 1024

/* What stands for the frame under page va of as in the kernel: its frame when mapped; a page on
 * swap, the frame the swap cache holds for its slot, else the slot * 2 + 1 (odd, never a frame).
 * *slot: the slot its entry names (0: none). */
uintptr_t mm_model_key(struct as *as, vaddr_t va, uint64_t *slot);

/* After a call that may have moved pages to swap (eviction, MADV_PAGEOUT): mark the pages whose
 * entries name a slot now as swapped, false when one may not be there. */
bool mm_model_sync_swap(struct mm_model *mm);

/* Slots and the swap cache against the pages: each slot in use named by a page, held by the
 * cache of a frame a page shows, or one of the objswapped pages objects hold on swap; each cached
 * frame one a page shows, but *ahead frames read ahead for slots objects hold (shmem pages do not
 * use the swap cache: such a frame goes when the object reads the page back, or by eviction). */
bool mm_model_check_swap(struct mm_model *mm, size_t objswapped, size_t *ahead);

/* The kernel's object of the model's object o (NULL when no page shows it any more). */
struct shmem *mm_model_kobj(struct mm_model *mm, unsigned o);

/* True when the kernel keeps page idx of object o on swap (eviction took its frame). */
bool mm_model_obj_swapped(struct mm_model *mm, unsigned o, size_t idx);

/* Return false from the calling operation (which has mm) when cond does not hold. */
#define EXPECT(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return mm_model_fail(mm, __VA_ARGS__);                                     \
	} while (0)

/* Return false from the calling operation when the kernel's answer is not the model's. */
#define EXPECT_EQ(got, want, what)                                                                 \
	do {                                                                                       \
		long got_ = (long)(got), want_ = (long)(want);                                     \
		if (got_ != want_)                                                                 \
			return mm_model_fail(mm, "%s: kernel %ld (%#lx), model %ld (%#lx)", what,  \
			                     got_, (unsigned long)got_, want_,                     \
			                     (unsigned long)want_);                                \
	} while (0)

/* Record why kernel and model disagree (printf-style); false. */
bool mm_model_fail(struct mm_model *mm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Page k of both windows: the current one's below MM_MODEL_NPAGES, the other's above. */
struct mm_page *mm_model_page(struct mm_model *mm, size_t k);

/* True when page p shows its object's page (shared, or a private file page not yet copied). */
bool mm_model_shows_object(const struct mm_page *p);
