/* Unit tests of the shared zero page (Linux's do_anonymous_page() read path): what maps it, what
 * replaces it, and every path that meets it (fork, unmap, exit, mprotect, mremap, madvise, mincore,
 * mlock, populate, eviction, the reverse map, the RSS), with swap on. */
#include <errno.h>

#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/stats.h"
#include "mm/vma.h"
#include "reclaim_helpers.h"

TestSuite(zero_page, .init = reclaim_setup, .fini = reclaim_teardown);

/* True when va maps the zero page. */
static bool maps_zero(struct as *as, vaddr_t va)
{
	pte_t e = host_pte(as, va);

	return (e & PTE_P) && (e & PTE_ADDR) == zero_page;
}

/* True when every byte of the zero page is still 0 and its frame entry is as the table left it. */
static bool zero_page_intact(void)
{
	const uint8_t *z = phys_to_virt(zero_page);
	const struct frame *f = frame_of(zero_page);

	for (size_t i = 0; i < PG; i++)
		if (z[i])
			return false;
	return f->state == FRAME_NONE && f->refs == 0 && f->flags == 0 && f->owner == 0;
}

/* n private anonymous pages with prot and flags (besides MAP_PRIVATE | MAP_ANONYMOUS). */
static vaddr_t anon(struct as *as, size_t n, int prot, int flags)
{
	long a = as_mmap(as, 0, n * PG, prot, ANON | flags, -1, 0);

	cr_assert_gt(a, 0);
	return (vaddr_t)a;
}

Test(zero_page, set_aside_by_the_frame_table)
{
	size_t total = frames_total();

	cr_assert_neq(zero_page, 0);
	cr_assert(zero_page_intact());
	for (size_t i = 0; i < total; i++)
		cr_assert_neq(frame_alloc(FRAME_USER), zero_page, "handed out");
	cr_assert_eq(frame_alloc(FRAME_USER), 0);
}

Test(zero_page, a_read_maps_it_with_or_without_an_identity)
{
	struct as *as = host_as();
	size_t used = frames_in_state(FRAME_USER);
	vaddr_t a = anon(as, 8, RW, 0);

	cr_assert_eq(host_load(as, a + 3 * PG + 7), 0);
	cr_assert(maps_zero(as, a + 3 * PG));
	cr_assert_eq(at_region(as, a)->anon, 0, "a read gives no identity");
	cr_assert_eq(host_pte(as, a + 3 * PG) & (PTE_W | PTE_D), 0, "read-only and clean");
	cr_assert_eq(host_poke(as, a, 1), FAULT_OK);
	cr_assert_neq(at_region(as, a)->anon, 0);
	cr_assert_eq(host_load(as, a + 5 * PG), 0);
	cr_assert(maps_zero(as, a + 5 * PG), "with an identity too");
	cr_assert(maps_zero(as, a + 3 * PG), "the identity adopted no zero page");
	cr_assert_eq(as->resident, 1, "the written page only");
	cr_assert_eq(frames_in_state(FRAME_USER), used + 1);
	cr_assert_eq(as->minflt, 3);
	cr_assert(zero_page_intact());
	done(as);
	cr_assert(zero_page_intact());
}

Test(zero_page, the_first_write_gets_a_zeroed_page_of_the_family)
{
	struct as *as = host_as();
	vaddr_t a = anon(as, 4, RW, 0);

	cr_assert_eq(host_load(as, a + PG), 0);
	cr_assert_eq(host_poke(as, a + PG + 9, 0x5a), FAULT_OK);
	cr_assert(!maps_zero(as, a + PG));

	paddr_t pa = frame_at(as, a + PG);
	const struct frame *f = frame_of(pa);

	cr_assert_eq(f->refs, 1);
	cr_assert(f->flags & FRAME_ANON, "the region's family owns it: evictable");
	cr_assert_eq(f->owner, region_owner(at_region(as, a)));
	cr_assert_eq(host_pte(as, a + PG) & (PTE_W | PTE_D), PTE_W | PTE_D);
	for (size_t off = 0; off < PG; off++)
		cr_assert_eq(host_peek(as, a + PG + off), off == 9 ? 0x5a : 0);
	cr_assert_eq(as->resident, 1);
	cr_assert_eq(as->minflt, 2, "the read and the write, as on Linux");
	cr_assert(zero_page_intact());
	cr_assert_eq(reclaim_evict(1), 1);
	cr_assert(on_swap(as, a + PG));
	cr_assert_eq(host_load(as, a + PG + 9), 0x5a);
	done(as);
}

Test(zero_page, a_write_without_a_frame_left_is_out_of_memory)
{
	reclaim_stop(); /* nothing to evict to: frames run out */

	struct as *as = host_as();
	vaddr_t a = anon(as, 2, RW, 0);
	paddr_t got;
	size_t n = 0;

	cr_assert_eq(host_load(as, a), 0);
	while ((got = frame_alloc(FRAME_KERNEL)) != 0)
		n++;
	cr_assert_eq(vm_fault(as, a, VM_WRITE), FAULT_OOM);
	cr_assert(maps_zero(as, a), "the zero page stays");
	cr_assert_eq(vm_fault(as, a + PG, VM_READ), FAULT_OK, "a read needs no frame");
	cr_assert(maps_zero(as, a + PG));
	cr_assert_gt(n, 0);
	as_destroy(as);
	cr_assert(zero_page_intact());
}

Test(zero_page, anonymous_kinds_map_it_others_do_not)
{
	static const uint8_t image[100] = {1};
	struct as *as = host_as();
	struct shmem *obj = shmem_create(4);

	cr_assert_not_null(obj);
	cr_assert_eq(as_define_region(as, 0x400000, 0x402000, RW, RK_DATA, NULL, 0, 0), 0);
	cr_assert_eq(as_define_region(as, 0x500000, 0x502000, RW, RK_DATA, image, 0x500000, 100),
	             0);
	cr_assert_eq(as_define_stack(as, STACK_TOP - 8), 0);

	vaddr_t x = anon(as, 1, PROT_EXEC, 0),
	        sh = (vaddr_t)as_mmap(as, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long pf = as_mmap_object(as, 0, 2 * PG, PROT_READ, MAP_PRIVATE, obj, 0, NULL);

	cr_assert_eq(host_load(as, 0x400000), 0);
	cr_assert(maps_zero(as, 0x400000), "bss: brk-like memory");
	cr_assert_eq(host_load(as, STACK_TOP - 3 * PG), 0);
	cr_assert(maps_zero(as, STACK_TOP - 3 * PG), "the stack");
	cr_assert_eq(vm_fault(as, x, VM_EXEC), FAULT_OK);
	cr_assert(maps_zero(as, x), "an execute fault");
	cr_assert_eq(host_pte(as, x) & PTE_NX, 0);
	cr_assert_eq(host_load(as, 0x501000), 0);
	cr_assert(!maps_zero(as, 0x501000), "an image region: its own page");
	cr_assert_eq(host_load(as, sh), 0);
	cr_assert(!maps_zero(as, sh), "shared memory: the object's page");
	cr_assert_gt(pf, 0);
	cr_assert_eq(host_load(as, (vaddr_t)pf + PG), 0);
	cr_assert(!maps_zero(as, (vaddr_t)pf + PG), "a private file hole: filled in the object");
	cr_assert_neq(shmem_lookup(obj, 1), 0);
	shmem_put(obj);
	done(as);
	cr_assert(zero_page_intact());
}

Test(zero_page, fork_copies_the_entry_and_counts_nothing)
{
	struct as *p = host_as();
	vaddr_t a = anon(p, 4, RW, 0), b = anon(p, 2, PROT_READ, 0);

	cr_assert_eq(host_poke(p, a, 1), FAULT_OK);
	cr_assert_eq(host_load(p, a + PG), 0);
	cr_assert_eq(host_load(p, b), 0);

	struct as *c = as_fork(p);

	cr_assert_not_null(c);
	cr_assert(maps_zero(c, a + PG), "a region with an identity: the entry copied");
	cr_assert_eq(host_pte(c, b), 0, "none: the child faults again (vma_needs_copy())");
	cr_assert_eq(c->resident, 1, "the shared page only");
	cr_assert_eq(refs_at_frame(frame_at(p, a)), 2);
	cr_assert(zero_page_intact());
	cr_assert_eq(host_poke(c, a + PG, 7), FAULT_OK);
	cr_assert(!maps_zero(c, a + PG));
	cr_assert(maps_zero(p, a + PG), "the parent keeps it");
	cr_assert_eq(host_load(p, a + PG), 0);
	cr_assert_eq(c->resident, 2);
	as_destroy(c);
	cr_assert(zero_page_intact());
	done(p);
}

Test(zero_page, unmapping_it_frees_nothing)
{
	struct as *as = host_as();
	vaddr_t a = anon(as, 8, RW, 0), vec = anon(as, 1, RW, 0);

	for (size_t i = 0; i < 8; i++)
		cr_assert_eq(host_load(as, a + i * PG), 0);
	cr_assert_str_eq(residency_of(as, a, 8, vec), "11111111", "mincore: resident");
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(as_madvise(as, a + 2 * PG, 2 * PG, MADV_FREE), 0);
	cr_assert_eq(as_munmap(as, a + 4 * PG, 2 * PG), 0);
	cr_assert_eq(sos_unmap_page(as, a + 6 * PG), zero_page);
	cr_assert_eq(host_pte(as, a + 6 * PG), 0);
	/* MADV_FREE has no frame to let go of: the zero page stays mapped, as on Linux */
	cr_assert_str_eq(residency_of(as, a, 4, vec), "0011");
	cr_assert_eq(as->resident, 1, "the mincore vector's page");
	cr_assert(zero_page_intact());
	cr_assert(maps_zero(as, a + 7 * PG));
	done(as); /* exit with one still mapped: every frame back (host_as_done()) */
	cr_assert(zero_page_intact());
}

Test(zero_page, mprotect_never_makes_it_writable)
{
	struct as *as = host_as();
	vaddr_t a = anon(as, 2, RW, 0);

	cr_assert_eq(host_poke(as, a + PG, 3), FAULT_OK); /* an identity: RW PTEs */
	cr_assert_eq(host_load(as, a), 0);
	cr_assert_eq(as_mprotect(as, a, 2 * PG, PROT_NONE), 0);
	cr_assert(host_pte(as, a) & PTE_P, "PROT_NONE keeps it mapped");
	cr_assert_eq(host_pte(as, a) & PTE_U, 0);
	cr_assert_eq(as_mprotect(as, a, 2 * PG, RW), 0);
	cr_assert(maps_zero(as, a));
	cr_assert_eq(host_pte(as, a) & PTE_W, 0, "read-only under RW");
	cr_assert(host_pte(as, a + PG) & PTE_W, "its own page writable again");
	cr_assert_eq(vm_fault(as, a, VM_READ), FAULT_OK);
	cr_assert_eq(host_pte(as, a) & PTE_W, 0, "a read fault on it keeps it read-only");
	cr_assert_eq(host_poke(as, a, 4), FAULT_OK);
	cr_assert(!maps_zero(as, a));
	cr_assert(zero_page_intact());
	done(as);
}

Test(zero_page, mremap_moves_it)
{
	struct as *as = host_as();
	vaddr_t a = anon(as, 4, RW, 0), to = anon(as, 8, PROT_NONE, 0),
	        d = anon(as, 4, PROT_NONE, 0);

	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(host_load(as, a + i * PG), 0);
	cr_assert_eq(as_mremap(as, a, 4 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, to), (long)to);
	for (size_t i = 0; i < 4; i++)
		cr_assert(maps_zero(as, to + i * PG));
	cr_assert_eq(host_pte(as, to + 4 * PG), 0);
	cr_assert_eq(
	    as_mremap(as, to, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, d),
	    (long)d);
	cr_assert(maps_zero(as, d + 3 * PG));
	cr_assert_eq(host_pte(as, to), 0, "DONTUNMAP: the source emptied");
	cr_assert_eq(host_poke(as, d, 1), FAULT_OK);
	cr_assert_eq(as->resident, 1);
	cr_assert(zero_page_intact());
	done(as);
}

Test(zero_page, pageout_cold_and_eviction_leave_it)
{
	struct as *as = host_as();
	vaddr_t a = anon(as, 4, RW, 0), w = filled_pages(as, 2, 5), vec = anon(as, 1, RW, 0);

	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(host_load(as, a + i * PG), 0);
	cr_assert_eq(host_poke(as, a, 0), FAULT_OK); /* an identity, one page written */
	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_PAGEOUT), 0);
	cr_assert(on_swap(as, a), "the page written goes");
	cr_assert(maps_zero(as, a + PG) && maps_zero(as, a + 3 * PG), "the zero page stays");
	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_COLD), 0);
	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_WILLNEED), 0);
	cr_assert_str_eq(residency_of(as, a + PG, 3, vec), "111");
	cr_assert_leq(reclaim_evict(1000), 4, "only the pages written (a's, w's, vec's)");
	cr_assert(maps_zero(as, a + 2 * PG));
	cr_assert(holds(as, w, 2, 5));
	cr_assert_eq(host_load(as, a), 0);
	cr_assert(zero_page_intact());
	done(as);
}

Test(zero_page, more_than_ram_of_reads_needs_no_frame)
{
	reclaim_teardown();
	reclaim_env(8UL << 20, NSLOTS, true, "clock");

	struct as *as = host_as();
	size_t n = (32UL << 20) / PG, used;
	vaddr_t a = anon(as, n, RW, MAP_NORESERVE); /* more than RAM and swap: not charged */

	for (size_t i = 0; i < n; i++)
		cr_assert_eq(vm_fault(as, a + i * PG, VM_READ), FAULT_OK, "page %zu", i);
	used = frames_in_state(FRAME_USER);
	cr_assert_eq(used, 0, "no user frame at all");
	cr_assert_eq(as->resident, 0);
	cr_assert_eq(vm_events.pswpout, 0, "nothing to page out");
	for (size_t i = 0; i < n; i += 64)
		cr_assert_eq(host_poke(as, a + i * PG, (uint8_t)i | 1), FAULT_OK, "page %zu", i);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(host_load(as, a + i * PG), i % 64 ? 0 : ((uint8_t)i | 1), "page %zu",
		             i);
	cr_assert(zero_page_intact());
	done(as);
}

Test(zero_page, more_mappings_than_a_count_holds)
{
	struct as *as = host_as();
	size_t n = 70000;
	vaddr_t a = anon(as, n, RW, MAP_NORESERVE); /* more than RAM and swap: not charged */

	cr_assert_eq(host_poke(as, a, 1), FAULT_OK);
	for (size_t i = 1; i < n; i++)
		cr_assert_eq(vm_fault(as, a + i * PG, VM_READ), FAULT_OK);

	struct as *c = as_fork(as), *g = c ? as_fork(c) : NULL;

	cr_assert_not_null(g);
	cr_assert(maps_zero(g, a + (n - 1) * PG));
	cr_assert(zero_page_intact(), "no reference counted");
	as_destroy(g);
	as_destroy(c);
	done(as);
	cr_assert(zero_page_intact());
}

Test(zero_page, mlock_and_populate_read_read_only_memory)
{
	struct as *as = host_as();
	vaddr_t r = anon(as, 4, PROT_READ, 0), w = anon(as, 4, RW, 0);
	vaddr_t p = anon(as, 4, PROT_READ, MAP_POPULATE), l = anon(as, 4, RW, MAP_LOCKED);

	cr_assert_eq(as_mlock(as, r, 4 * PG, 0), 0);
	cr_assert(maps_zero(as, r) && maps_zero(as, r + 3 * PG), "mlock of read-only memory");
	cr_assert(maps_zero(as, p + 2 * PG), "MAP_POPULATE of read-only memory");
	cr_assert(!maps_zero(as, l) && host_pte(as, l) & PTE_W, "MAP_LOCKED writable: written");
	cr_assert_eq(as_madvise(as, w, 4 * PG, MADV_POPULATE_READ), 0);
	cr_assert(maps_zero(as, w + PG), "MADV_POPULATE_READ");
	cr_assert_eq(as->resident, 4, "the locked writable pages only");
	cr_assert_eq(as_madvise(as, w, 4 * PG, MADV_POPULATE_WRITE), 0);
	cr_assert(!maps_zero(as, w + PG), "MADV_POPULATE_WRITE replaces it");
	cr_assert_eq(as->resident, 8);
	cr_assert_eq(as_munlock(as, r, 4 * PG), 0);
	cr_assert(maps_zero(as, r));
	cr_assert(zero_page_intact());
	done(as);
}

Test(zero_page, no_page_of_the_rss)
{
	struct as *as = host_as();
	vaddr_t a = anon(as, 4, RW, 0);
	struct as_stats st;

	cr_assert_eq(host_load(as, a), 0);
	cr_assert_eq(host_load(as, a + PG), 0);
	cr_assert_eq(host_poke(as, a + 2 * PG, 1), FAULT_OK);
	as_stats(as, &st);
	cr_assert_eq(st.rss_anon + st.rss_file + st.rss_shmem, 1);
	cr_assert_eq(as_region_resident(as, at_region(as, a)), 1);
	cr_assert_eq(as_munmap(as, a, 4 * PG), 0);
	as_stats(as, &st);
	cr_assert_eq(st.peak_rss, 1, "VmHWM");
	done(as);
}
