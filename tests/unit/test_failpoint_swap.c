/* Unit tests of fault injection on the swap paths: pages pushed out by MADV_PAGEOUT and read
 * back, by fork's sharers too, while frames, slab objects and the disk's reads and writes fail.
 * A page either comes back whole or its access fails; no frame or slot is lost. */
#include <stdio.h>

#include "mm/failpoint.h"
#include "reclaim_helpers.h"

TestSuite(failswap, .init = reclaim_setup, .fini = reclaim_teardown);

#define NPAGES 48

/* Byte off of page i as fill_some() wrote it. */
static uint8_t byte_of(size_t i, size_t off)
{
	return pattern(5, i, off);
}

/* Write pages of [a, a + n pages) whole, as far as injection lets: the pages written. */
static size_t fill_some(struct as *as, vaddr_t a, size_t n, bool *written)
{
	static uint8_t buf[PAGE_SIZE];
	size_t got = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t off = 0; off < PG; off++)
			buf[off] = byte_of(i, off);
		written[i] = as_copyout(as, a + i * PG, buf, PG) == 0;
		got += written[i];
	}
	return got;
}

/* Every page of [a, a + n pages) that reads back holds what was written (zeros if it was not). */
static void check_pages(struct as *as, vaddr_t a, size_t n, const bool *written, const char *spec)
{
	static uint8_t buf[PAGE_SIZE];

	for (size_t i = 0; i < n; i++) {
		if (as_copyin(as, buf, a + i * PG, PG))
			continue; /* a failed read or no frame: the process would die */
		for (size_t off = 0; off < PG; off += 97)
			cr_assert_eq(buf[off], written[i] ? byte_of(i, off) : 0,
			             "%s: page %zu byte %zu", spec, i, off);
	}
}

/* MADV_PAGEOUT on n pages at a, then memory pressure, which drops what the swap cache kept. */
static void page_out(struct as *as, vaddr_t a, size_t n)
{
	(void)as_madvise(as, a, n * PG, MADV_PAGEOUT);
	(void)reclaim_evict(1000);
}

/* Map, write, page out, fork, page out again, read back in both, exit both. */
static void swap_life(const char *spec)
{
	bool written[NPAGES];
	struct as *as = as_create(), *child;

	if (!as)
		return;
	long a = as_mmap(as, 0, NPAGES * PG, RW, ANON, -1, 0);

	if (a > 0) {
		fill_some(as, (vaddr_t)a, NPAGES, written);
		page_out(as, (vaddr_t)a, NPAGES);
	}
	child = as_fork(as);
	if (a > 0 && child) {
		page_out(child, (vaddr_t)a, NPAGES);
		(void)as_madvise(as, (vaddr_t)a, NPAGES / 2 * PG, MADV_WILLNEED);
		check_pages(child, (vaddr_t)a, NPAGES, written, spec);
	}
	if (a > 0)
		check_pages(as, (vaddr_t)a, NPAGES, written, spec);
	if (child)
		as_destroy(child);
	as_destroy(as);
}

/* Every Nth call of the sites fails, N from 1 to 150, then 150 seeds at 1 in 10. */
static void sweep(const char *sites)
{
	size_t used = frames_used();
	char spec[64];

	for (int n = 1; n <= 300; n++) {
		if (n <= 150)
			snprintf(spec, sizeof(spec), "%s:%d", sites, n);
		else
			snprintf(spec, sizeof(spec), "%s:10:%d", sites, n);

		struct fail_spec s;

		cr_assert_eq(fail_parse(spec, &s), 0);
		fail_setup(&s);
		fail_arm(true);
		swap_life(spec);
		fail_arm(false);
		cr_assert_eq(swap_slots_used(), 0, "%s: %lu slots left", spec,
		             (unsigned long)swap_slots_used());
		cr_assert_eq(frames_used(), used, "%s: %zu frames lost", spec,
		             frames_used() - used);
	}
	cr_assert_gt(vm_events.pswpout, 1000, "pages went out: %lu",
	             (unsigned long)vm_events.pswpout);
	cr_assert_gt(vm_events.pswpin, 1000, "and came back: %lu", (unsigned long)vm_events.pswpin);
}

Test(failswap, disk_reads_and_writes)
{
	sweep("swapin+swapout");
}

Test(failswap, everything)
{
	sweep("all");
}
