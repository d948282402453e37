/* Shared anonymous memory objects (Linux's shmem file behind MAP_SHARED|MAP_ANONYMOUS): a fixed
 * size in pages, the regions' references, and the frames it holds, indexed by page offset. */
#pragma once
#include "mm/types.h"

struct shmem {
	uint64_t pages;    /* size: a page index at or above it is beyond the object (SIGBUS) */
	uint64_t resident; /* frames held now */
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

/* The frame at page index idx, or 0 when the object holds none there (a hole). */
paddr_t shmem_lookup(const struct shmem *s, uint64_t idx);

/* The frame at page index idx (< s->pages), a zeroed one added when absent; 0 when out of
 * memory. The object keeps one reference of its own on every frame it holds. */
paddr_t shmem_page(struct shmem *s, uint64_t idx);

/* Punch a hole: drop the object's frames at page indexes [lo, hi) (MADV_REMOVE). The size stays. */
void shmem_remove(struct shmem *s, uint64_t lo, uint64_t hi);

/* Set the size to pages: the tree grows taller when it must; shrinking drops the frames at and
 * past pages. Mappings are left alone (shmem_resize() unmaps them first). 0 or -ENOMEM. */
int shmem_set_pages(struct shmem *s, uint64_t pages);

/* Set the object's size to pages. Shrinking drops the frames at and past it and unmaps them
 * from every mapping in every address space (a later touch there is SIGBUS). 0 or -ENOMEM.
 * (object.c: it reaches the mappings.) */
int shmem_resize(struct shmem *s, uint64_t pages);
