/* The x86-64 4-level page table of one address space: walking, creating intermediate tables on
 * demand, visiting the present leaves of a range, and freeing the tables of the user half. */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/swap.h"

#define USER_ENTRIES (PT_ENTRIES / 2)        /* PML4 entries 0..255 map the user half */
#define TABLE_FLAGS  (PTE_P | PTE_W | PTE_U) /* rights are enforced at the leaf */

static pte_t kernel_half[USER_ENTRIES]; /* PML4 entries 256..511 shared by every address space */

/* Bytes of address space one entry of a table at level maps (level 0 maps one page). */
static vaddr_t entry_span(int level)
{
	return (vaddr_t)PAGE_SIZE << (9 * level);
}

static pte_t *table_at(paddr_t pa)
{
	return phys_to_virt(pa);
}

/* Remember the kernel's top-level entries 256..511; every new table shares them. */
void pt_set_kernel_half(const pte_t *kernel_pml4)
{
	memcpy(kernel_half, kernel_pml4 + USER_ENTRIES, sizeof(kernel_half));
}

/* A new top-level table holding only the kernel half. 0 when out of memory. */
paddr_t pt_create(void)
{
	paddr_t root = frame_alloc_zeroed(FRAME_PAGETABLE);

	if (root)
		memcpy(table_at(root) + USER_ENTRIES, kernel_half, sizeof(kernel_half));
	return root;
}

/* The leaf PTE for va, creating missing intermediate tables when alloc is true.
 * NULL when a table is missing (alloc false) or no frame is left (alloc true). */
pte_t *pt_walk(paddr_t root, vaddr_t va, bool alloc)
{
	pte_t *table = table_at(root);

	assert(va < USER_HALF_END);
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		pte_t *e = &table[PT_INDEX(va, level)];

		if (!(*e & PTE_P)) {
			paddr_t pa = alloc ? frame_alloc_zeroed(FRAME_PAGETABLE) : 0;

			if (!pa)
				return NULL;
			*e = pa | TABLE_FLAGS;
		}
		table = table_at(*e & PTE_ADDR);
	}
	return &table[PT_INDEX(va, 0)];
}

/* True when no entry of the table at pa is in use. */
static bool table_empty(paddr_t pa)
{
	const pte_t *t = table_at(pa);

	for (int i = 0; i < PT_ENTRIES; i++)
		if (t[i])
			return false;
	return true;
}

/* What range_level() does besides visiting: */
enum range_mode {
	PRESENT, /* call fn on present leaves */
	IN_USE,  /* call fn on every leaf in use: present, or naming a swap slot */
	PRUNE,   /* free child tables left empty */
};

/* Visit [start, end) below the table at pa (mapping from va0 at level), as mode says. Absent
 * subtrees are skipped whole. */
static void range_level(paddr_t pa, int level, vaddr_t va0, vaddr_t start, vaddr_t end,
                        pt_leaf_fn fn, void *arg, enum range_mode mode)
{
	pte_t *t = table_at(pa);
	vaddr_t span = entry_span(level);
	vaddr_t first = start > va0 ? start : va0;
	unsigned i = (unsigned)((first - va0) / span);
	bool prune = mode == PRUNE;

	for (vaddr_t va = va0 + i * span; i < PT_ENTRIES && va < end; i++, va += span) {
		if (level == 0) {
			if ((t[i] & PTE_P) || (mode == IN_USE && t[i]))
				if (fn)
					fn(&t[i], va, arg);
			continue;
		}
		if (!(t[i] & PTE_P))
			continue;
		paddr_t child = t[i] & PTE_ADDR;

		range_level(child, level - 1, va, start, end, fn, arg, mode);
		if (prune && table_empty(child)) {
			t[i] = 0;
			hal_flush_page(va); /* invlpg also drops cached paging-structure entries */
			frame_free(child);
		}
	}
}

/* Call fn on every present leaf PTE of [start, end) (user half), in address order. */
void pt_range(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *arg)
{
	assert(start <= end && end <= USER_HALF_END);
	if (start < end)
		range_level(root, PT_LEVELS - 1, 0, start, end, fn, arg, PRESENT);
}

/* Call fn on every leaf in use of [start, end): present, or naming a swap slot. */
void pt_range_all(paddr_t root, vaddr_t start, vaddr_t end, pt_leaf_fn fn, void *arg)
{
	assert(start <= end && end <= USER_HALF_END);
	if (start < end)
		range_level(root, PT_LEVELS - 1, 0, start, end, fn, arg, IN_USE);
}

/* Free the page-table pages under [start, end) that map nothing any more (never the root). */
void pt_prune(paddr_t root, vaddr_t start, vaddr_t end)
{
	assert(start <= end && end <= USER_HALF_END);
	if (start < end)
		range_level(root, PT_LEVELS - 1, 0, start, end, NULL, NULL, PRUNE);
}

/* Copy [start, end) below the source table at spa into the table at dpa (both mapping from va0 at
 * level). A table made here for a subtree that held nothing to copy goes again at once. */
static int copy_level(paddr_t dpa, paddr_t spa, int level, vaddr_t va0, vaddr_t start, vaddr_t end,
                      pt_copy_fn fn, void *arg)
{
	pte_t *d = table_at(dpa), *s = table_at(spa);
	vaddr_t span = entry_span(level);
	vaddr_t first = start > va0 ? start : va0;
	unsigned i = (unsigned)((first - va0) / span);
	int err = 0;

	for (vaddr_t va = va0 + i * span; i < PT_ENTRIES && va < end && !err; i++, va += span) {
		if (level == 0) {
			if (s[i])
				err = fn(&s[i], &d[i], va, arg);
			continue;
		}
		if (!(s[i] & PTE_P))
			continue;
		bool made = !(d[i] & PTE_P);

		if (made) {
			paddr_t pa = frame_alloc_zeroed(FRAME_PAGETABLE);

			if (!pa)
				return -ENOMEM;
			d[i] = pa | TABLE_FLAGS;
		}
		err = copy_level(d[i] & PTE_ADDR, s[i] & PTE_ADDR, level - 1, va, start, end, fn,
		                 arg);
		if (made && table_empty(d[i] & PTE_ADDR)) {
			frame_free(d[i] & PTE_ADDR);
			d[i] = 0;
		}
	}
	return err;
}

/* Copy the present leaves of [start, end) of src into dst through fn; see pagetable.h. */
int pt_copy(paddr_t dst, paddr_t src, vaddr_t start, vaddr_t end, pt_copy_fn fn, void *arg)
{
	assert(start <= end && end <= USER_HALF_END);
	return start < end ? copy_level(dst, src, PT_LEVELS - 1, 0, start, end, fn, arg) : 0;
}

/* Tables below the table at pa of level (which is not counted). */
static size_t tables_below(paddr_t pa, int level)
{
	const pte_t *t = table_at(pa);
	size_t n = 0;

	for (int i = 0; level > 0 && i < PT_ENTRIES; i++)
		if (t[i] & PTE_P)
			n += 1 + tables_below(t[i] & PTE_ADDR, level - 1);
	return n;
}

/* Page-table pages of the table at root, the root included. */
size_t pt_tables(paddr_t root)
{
	const pte_t *t = table_at(root);
	size_t n = 1;

	for (int i = 0; i < USER_ENTRIES; i++)
		if (t[i] & PTE_P)
			n += 1 + tables_below(t[i] & PTE_ADDR, PT_LEVELS - 2);
	return n;
}

/* Free the table at pa of level and everything below it: leaves lose a reference (but the zero
 * page). */
static void free_level(paddr_t pa, int level)
{
	pte_t *t = table_at(pa);

	for (int i = 0; i < PT_ENTRIES; i++) {
		if (level == 0 && pte_is_swap(t[i]))
			swap_free(pte_slot(t[i]));
		if (!(t[i] & PTE_P))
			continue;
		if (level > 0)
			free_level(t[i] & PTE_ADDR, level - 1);
		else if (!is_zero_page(t[i] & PTE_ADDR)) /* it counts no references */
			frame_unref(t[i] & PTE_ADDR);
	}
	frame_free(pa);
}

/* Drop every user page (frame_unref) and free every user-half page-table page, then the root. */
void pt_destroy(paddr_t root)
{
	pte_t *t = table_at(root);

	for (int i = 0; i < USER_ENTRIES; i++)
		if (t[i] & PTE_P)
			free_level(t[i] & PTE_ADDR, PT_LEVELS - 2);
	frame_free(root);
}
