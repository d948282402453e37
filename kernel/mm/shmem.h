/* Shared anonymous memory objects (Linux's shmem file behind MAP_SHARED|MAP_ANONYMOUS): a fixed
 * size in pages, the regions' references, and the frames it holds, indexed by page offset. */
#pragma once
#include "mm/types.h"

struct shmem {
	uint64_t pages;    /* size: a page index at or above it is beyond the object (SIGBUS) */
	uint64_t resident; /* frames held now */
	uint64_t swapped;  /* pages out on swap now: their entries name a slot (swap.h) */
	paddr_t root;      /* radix tree of page-sized nodes, 0 until the first page arrives */
	uint32_t refs;     /* regions mapping the object (and a creator's own, until it puts it) */
	uint8_t levels;    /* height of the tree: 512^levels covers pages */
	struct region *maps; /* the regions mapping it, in every address space (object.c) */
};

struct region;

/* A new empty object of pages pages with one reference, or NULL when out of memory. */
struct shmem *shmem_create(uint64_t pages);

/* One more reference to s (a region now maps it). */
void shmem_get(struct shmem *s);

/* One reference fewer; with the last, every frame and node of s is freed, and s itself. */
void shmem_put(struct shmem *s);

/* The frame at page index idx, or 0 when the object holds none there now (a hole, or a page out
 * on swap): for looks that must not read the disk. */
paddr_t shmem_lookup(const struct shmem *s, uint64_t idx);

/* The frame at page index idx in *pa, read back from swap if it is there, or 0 for a hole:
 * 0, or -ENOMEM or -EIO (the page stays on swap). */
int shmem_find(struct shmem *s, uint64_t idx, paddr_t *pa);

/* True when the object holds a page at idx, in a frame or on swap (not a hole). */
bool shmem_has(const struct shmem *s, uint64_t idx);

/* The first page index in [idx, end) that holds a page (a frame or on swap), or end if none:
 * empty subtrees are skipped whole, so a sparse object of 2^50 pages is crossed in a few steps. */
uint64_t shmem_next_page(const struct shmem *s, uint64_t idx, uint64_t end);

/* The page at idx of the object that frame pa held goes to swap slot (reclaim.c): its entry names
 * the slot, and the frame loses the object's reference. */
void shmem_swapped_out(paddr_t pa, uint64_t slot);

/* The frame at page index idx (< s->pages), a zeroed one added when absent, or read back from
 * swap; 0 when out of memory or the read failed. The object keeps one reference of its own on
 * every frame it holds, and each is a page reclaim may evict (FRAME_SHMEM). */
paddr_t shmem_page(struct shmem *s, uint64_t idx);

/* shmem_page() that says why it failed: 0, -ENOMEM (no frame) or -EIO (the swap read failed). */
int shmem_fetch(struct shmem *s, uint64_t idx, paddr_t *pa);

/* Punch a hole: drop the object's frames at page indexes [lo, hi) (MADV_REMOVE). The size stays. */
void shmem_remove(struct shmem *s, uint64_t lo, uint64_t hi);

/* Set the size to pages: the tree grows taller when it must; shrinking drops the frames at and
 * past pages. Mappings are left alone (shmem_resize() unmaps them first). 0 or -ENOMEM. */
int shmem_set_pages(struct shmem *s, uint64_t pages);

/* Set the object's size to pages. Shrinking drops the frames at and past it and unmaps them
 * from every mapping in every address space (a later touch there is SIGBUS). 0 or -ENOMEM.
 * (object.c: it reaches the mappings.) */
int shmem_resize(struct shmem *s, uint64_t pages);
