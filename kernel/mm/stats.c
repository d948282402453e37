/* The figures of /proc/self/status and /proc/self/stat, counted by walking an address space's
 * regions and page tables when they are read, so that no fault pays for them. */
#include "mm/frame.h"
#include "mm/pagetable.h"
#include "mm/pages.h"
#include "mm/shmem.h"
#include "mm/stats.h"

struct rss_walk {
	const struct as *as;
	const struct region *r;
	struct as_stats *st;
};

/* True when pa is the object's own page at page va of r, not a private copy of it. */
static bool object_page(const struct region *r, vaddr_t va, paddr_t pa)
{
	uint64_t idx = r->pgoff + ((va - r->start) >> PAGE_SHIFT);

	return shmem_lookup(r->shm, idx) == pa;
}

/* pt_range() callback: count one resident page by its kind, as Linux's mm counters do (tmpfs
 * file pages and shared memory are shmem; private copies are anonymous). */
static void count_page(pte_t *pte, vaddr_t va, void *arg)
{
	struct rss_walk *w = arg;
	const struct region *r = w->r;

	if (is_zero_page(*pte & PTE_ADDR))
		return; /* no page of the RSS: Linux's vm_normal_page() is NULL for it */
	if (r->shm && ((r->flags & REGION_SHARED) || object_page(r, va, *pte & PTE_ADDR)))
		w->st->rss_shmem++;
	else if (r->backing == RB_IMAGE && !(r->prot & VM_WRITE))
		w->st
		    ->rss_shmem++; /* the program's own pages: Linux's rootfs holds them in shmem */
	else
		w->st->rss_anon++;
}

/* Add region r's size to the kinds it counts in (Linux's vm_stat_account()), and its pages. */
static void count_region(const struct region *r, void *arg)
{
	struct rss_walk *w = arg;
	struct as_stats *st = w->st;
	uint64_t pages = (r->end - r->start) >> PAGE_SHIFT;
	bool stack = r->flags & REGION_GROWSDOWN, shared = r->flags & REGION_SHARED;

	st->total_vm += pages;
	if (r->flags & REGION_LOCKED)
		st->locked_vm += pages;
	if (stack)
		st->stack_vm += pages;
	else if ((r->prot & VM_WRITE) && !shared)
		st->data_vm += pages;
	else if ((r->prot & VM_EXEC) && !(r->prot & VM_WRITE))
		st->exec_vm += pages;
	w->r = r;
	pt_range(w->as->root, r->start, r->end, count_page, w);
}

void as_stats(struct as *as, struct as_stats *st)
{
	*st = (struct as_stats){0};

	struct rss_walk w = {as, NULL, st};

	as_for_each_region(as, count_region, &w);
	as_note_peaks(as);
	st->peak_vm = as->regions.peak_pages;
	st->peak_rss = as->peak_rss;
	st->pt_pages = pt_tables(as->root); /* its own: a forked child has its own tables */
	st->swap = as->swapents;
}
