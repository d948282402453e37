/* Fixed-size object caches: each slab page is one FRAME_KERNEL frame holding a header and objects,
 * handed back to the frame table the moment its last object is freed. */
#include <assert.h>
#include <string.h>

#include "mm/failpoint.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/slab.h"

/* The header at the start of every slab page; objects follow it. */
struct slab_page {
	struct slab_page *next, *prev; /* on the cache's partial list, when it has a free object */
	void *free;                    /* first free object; each holds the next one's address */
	paddr_t pa;                    /* the frame, for frame_free() (there is no virt_to_phys) */
	uint32_t inuse;                /* objects handed out from this page */
	uint32_t capacity;
};

#define SLAB_ALIGN 16
#define SLAB_HDR   ((sizeof(struct slab_page) + SLAB_ALIGN - 1) & ~(size_t)(SLAB_ALIGN - 1))

void slab_init(struct slab_cache *c, size_t objsize)
{
	size_t sz = (objsize + SLAB_ALIGN - 1) & ~(size_t)(SLAB_ALIGN - 1);

	assert(objsize > 0 && SLAB_HDR + sz <= PAGE_SIZE);
	c->objsize = sz;
	c->partial = NULL;
	c->pages = 0;
	c->objects = 0;
}

/* The slab page holding obj: pages are page aligned in the kernel's view of physical memory. */
static struct slab_page *page_of(const void *obj)
{
	return (struct slab_page *)((uintptr_t)obj & ~(uintptr_t)PAGE_MASK);
}

static void partial_add(struct slab_cache *c, struct slab_page *p)
{
	p->prev = NULL;
	p->next = c->partial;
	if (c->partial)
		c->partial->prev = p;
	c->partial = p;
}

static void partial_del(struct slab_cache *c, struct slab_page *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		c->partial = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->next = p->prev = NULL;
}

/* A new slab page with every object on its free list, on the partial list; NULL without frame. */
static struct slab_page *grow(struct slab_cache *c)
{
	paddr_t pa = frame_alloc(FRAME_KERNEL);

	if (!pa)
		return NULL;

	struct slab_page *p = phys_to_virt(pa);
	char *first = (char *)p + SLAB_HDR;

	assert(((uintptr_t)p & PAGE_MASK) == 0);
	p->pa = pa;
	p->inuse = 0;
	p->capacity = (uint32_t)((PAGE_SIZE - SLAB_HDR) / c->objsize);
	p->free = NULL;
	for (uint32_t i = p->capacity; i-- > 0;) {
		void **obj = (void **)(first + i * c->objsize);

		*obj = p->free;
		p->free = obj;
	}
	partial_add(c, p);
	c->pages++;
	return p;
}

/* A zeroed object, or NULL when no frame is left (or fail= says this call fails). */
void *slab_alloc(struct slab_cache *c)
{
	struct slab_page *p = c->partial;

	assert(c->objsize > 0);
	if (fail_inject(FAIL_SLAB) || (!p && !(p = grow(c))))
		return NULL;

	void **obj = p->free;

	p->free = *obj;
	p->inuse++;
	c->objects++;
	if (!p->free)
		partial_del(c, p); /* full pages sit on no list until an object comes back */
	memset(obj, 0, c->objsize);
	return obj;
}

void slab_free(struct slab_cache *c, void *obj)
{
	struct slab_page *p = page_of(obj);

	assert(obj != NULL && p->inuse > 0 && c->objects > 0);
	if (!p->free)
		partial_add(c, p);
	*(void **)obj = p->free;
	p->free = obj;
	p->inuse--;
	c->objects--;
	if (p->inuse == 0) {
		/* Empty pages go back at once so a process's teardown returns every frame. */
		partial_del(c, p);
		c->pages--;
		frame_free(p->pa);
	}
}
