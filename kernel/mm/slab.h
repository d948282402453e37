/* Fixed-size object caches for the pager's own bookkeeping (regions, address spaces).
 * Pages come from the frame table as FRAME_KERNEL and go back as soon as they are empty. */
#pragma once
#include "mm/types.h"

struct slab_page;

struct slab_cache {
	size_t objsize;
	struct slab_page *partial; /* pages with at least one free object */
	size_t pages;              /* pages held now */
	size_t objects;            /* objects allocated now */
};

void slab_init(struct slab_cache *c, size_t objsize);

/* A zeroed object, or NULL when no frame is left. */
void *slab_alloc(struct slab_cache *c);

void slab_free(struct slab_cache *c, void *obj);
