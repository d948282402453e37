/* Page reclaim: when free frames run low, the replacement policy picks anonymous pages, the reverse
 * map unmaps them from every address space and they go to swap slots, or are dropped when MADV_FREE
 * said they may be; counters of what it did. */
#pragma once
#include "mm/types.h"

struct as;

/* What paging did since boot, as Linux's /proc/vmstat counts it (pages, not bytes). */
struct vm_events {
	uint64_t pgfault;     /* faults served, minor and major */
	uint64_t pgmajfault;  /* faults that read a page back from swap */
	uint64_t pswpin;      /* pages read from swap (read-ahead included) */
	uint64_t pswpout;     /* pages written to swap */
	uint64_t evictions;   /* frames the policy took back (pgsteal) */
	uint64_t scanned;     /* frames the policy looked at (pgscan) */
	uint64_t pglazyfree;  /* pages MADV_FREE made lazily freed */
	uint64_t pglazyfreed; /* of those, pages reclaim dropped unwritten */
};

extern struct vm_events vm_events;

/* Called for each page-out and page-in when set (the kernel's --trace): what is "page-out",
 * "page-in" or "drop" (a lazily freed or droppable page let go), as and va the mapping (the first
 * one found for a page shared after fork), slot the swap slot (0 for a drop). */
extern void (*mm_trace_page)(const char *what, const struct as *as, vaddr_t va, uint64_t slot);

/* Choose the replacement policy by name ("clock", the default, "fifo", "random", ...) before
 * reclaim_start(). 0, or -EINVAL for a name no policy has. */
int reclaim_set_policy(const char *name);

/* The name of the policy in use. */
const char *reclaim_policy_name(void);

/* Start evicting to the swap device swap_init() was given: from now on anonymous pages are
 * tracked by the policy, and free frames are kept above a watermark at the safe points below. */
void reclaim_start(void);

/* Stop evicting: no page is tracked any more (host tests, before the frame table is rebuilt). */
void reclaim_stop(void);

/* Evict up to n pages the policy picks now; the frames freed (fewer when swap is full, or no page
 * can go). The safe points call it; so do tests. */
size_t reclaim_evict(size_t n);

/* Free frames below which the safe points evict to swap (0: no swap). */
extern size_t reclaim_low;

/* Free frames below which the safe points reclaim: reclaim_low, or without swap the same while
 * MADV_FREE pages wait to be dropped (0: never). */
extern size_t reclaim_watermark;

void reclaim_run(void);

/* A safe point (no frame is held unreferenced by the caller): reclaim when free frames are low. */
static inline void reclaim_check(void)
{
	extern size_t frames_free(void);

	if (reclaim_watermark && frames_free() < reclaim_watermark)
		reclaim_run();
}

/* Make room for n frames the caller is about to take at once (fork's page tables): evict until
 * n frames above the watermark are free, or nothing more can go. */
void reclaim_reserve(size_t n);

/* The anonymous pages mapped in [start, end) of as that only this mapping holds, as Linux's
 * madvise_cold_or_pageout_pte_range(): with pageout, evicted now (MADV_PAGEOUT); else made the
 * policy's first candidates (MADV_COLD). The pages evicted. Nothing without swap. */
size_t reclaim_range(struct as *as, vaddr_t start, vaddr_t end, bool pageout);

/* MADV_FREE of [start, end) of as, as Linux's madvise_free_pte_range(): pages on swap go now; a
 * resident page only this mapping holds is made clean and old and stays, lazily freed: reclaim
 * drops it rather than write it to swap (it reads back as zeros), unless it was written again
 * since (then it is an ordinary page once more). Pages shared after fork are left as they are. */
void reclaim_free_lazily(struct as *as, vaddr_t start, vaddr_t end);

/* Frame pa is a new page of MAP_DROPPABLE memory: reclaim drops it when it wants the frame,
 * written or not, and never writes it to swap (Linux's droppable folios are never swap-backed). */
void reclaim_droppable(paddr_t pa);

/* [start, end) of as is locked no more (munlock), or its mappings are about to go: the frames
 * there, set aside by eviction while locked, are the policy's again (those about to be freed
 * leave the set as they go). */
void reclaim_unlocked(struct as *as, vaddr_t start, vaddr_t end);

/* Frame pa became an evictable page with an owner (FRAME_EVICTABLE): the policy tracks it. */
void reclaim_add(paddr_t pa);

static inline void reclaim_track(paddr_t pa)
{
	if (reclaim_low) /* without swap nothing is tracked: the fault path pays one test */
		reclaim_add(pa);
}
