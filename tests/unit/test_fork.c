/* Unit tests of as_fork(): private pages shared copy-on-write and their frame references, the
 * copy at a first write and the write in place of the last holder, anon identities and merging in
 * the child, page tables copied only where pages are, shared and file mappings, MADV_DONTFORK and
 * MADV_WIPEONFORK and their rules, locks, the stack and hugetlb memory. The memory calls on
 * shared pages, the statistics, the commit charge and out of memory: test_fork_calls.c. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "fork_helpers.h"
#include "mm/fault.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/stats.h"

TestSuite(fork, .init = host_setup, .fini = host_teardown);

Test(fork, private_pages_are_shared_read_only_in_both)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 4);
	size_t user = frames_in_state(FRAME_USER);
	unsigned long flushes = host_flushes;
	struct as *c = as_fork(p);

	cr_assert_not_null(c);
	cr_assert_eq(frames_in_state(FRAME_USER), user, "no page copied");
	cr_assert_eq(host_flushes - flushes, 4, "the parent's TLB forgets each writable entry");
	for (size_t i = 0; i < 4; i++) {
		vaddr_t va = a + i * PG;

		cr_assert_eq(frame_at(c, va), frame_at(p, va));
		cr_assert_eq(refs_at(p, va), 2);
		cr_assert_not(host_pte(p, va) & PTE_W, "read-only in the parent");
		cr_assert_not(host_pte(c, va) & PTE_W, "read-only in the child");
		cr_assert(host_pte(c, va) & PTE_D, "still dirty: written");
		cr_assert_eq(host_load(c, va), 'a' + (int)i);
	}
	cr_assert_eq(c->resident, 4);
	cr_assert_eq(c->brk, p->brk);
	as_destroy(c);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(refs_at(p, a + i * PG), 1, "the child's references went with it");
	host_as_done(p);
}

Test(fork, the_first_write_copies_and_the_last_holder_writes_in_place)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2);
	paddr_t old = frame_at(p, a);
	struct as *c = as_fork(p);
	size_t user = frames_in_state(FRAME_USER);
	uint64_t cflt = c->minflt, pflt = p->minflt;

	cr_assert_eq(host_poke(c, a, 'C'), FAULT_OK);
	cr_assert_neq(frame_at(c, a), old, "the child got a copy");
	cr_assert_eq(frames_in_state(FRAME_USER), user + 1);
	cr_assert(host_pte(c, a) & PTE_W);
	cr_assert_eq(c->minflt, cflt + 1, "a minor fault");
	cr_assert_eq(host_load(c, a), 'C');
	cr_assert_eq(host_load(p, a), 'a', "the parent's page is untouched");
	cr_assert_eq(refs_at(p, a), 1);

	/* the parent is now the page's only holder: its write takes no copy */
	cr_assert_eq(host_poke(p, a, 'P'), FAULT_OK);
	cr_assert_eq(frame_at(p, a), old, "written in place");
	cr_assert_eq(frames_in_state(FRAME_USER), user + 1);
	cr_assert_eq(p->minflt, pflt + 1, "a minor fault too");
	cr_assert_eq(host_load(c, a), 'C');

	/* the other way round on the second page */
	paddr_t second = frame_at(p, a + PG);

	cr_assert_eq(host_poke(p, a + PG, 'Q'), FAULT_OK);
	cr_assert_neq(frame_at(p, a + PG), second);
	cr_assert_eq(host_poke(c, a + PG, 'R'), FAULT_OK);
	cr_assert_eq(frame_at(c, a + PG), second, "the child was left the only holder");
	cr_assert_eq(host_load(p, a + PG), 'Q');
	as_destroy(c);
	host_as_done(p);
}

Test(fork, three_generations_share_one_frame)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 1);
	struct as *c = as_fork(p);
	struct as *g = as_fork(c);

	cr_assert_eq(refs_at(p, a), 3);
	cr_assert_eq(host_poke(c, a, 'c'), FAULT_OK);
	cr_assert_eq(refs_at(p, a), 2);
	as_destroy(p); /* the parent goes first: the others keep their pages */
	cr_assert_eq(refs_at(g, a), 1);
	cr_assert_eq(host_load(g, a), 'a');
	cr_assert_eq(host_load(c, a), 'c');
	as_destroy(g);
	host_as_done(c);
}

Test(fork, a_region_never_written_is_not_copied)
{
	struct as *p = host_as();
	vaddr_t a = (vaddr_t)map(p, 4 * PG, RW, ANON);

	cr_assert_eq(host_load(p, a), 0, "a read maps a zero page, read-only, no anon identity");
	cr_assert_eq(at(p, a)->anon, 0);

	struct as *c = as_fork(p);

	cr_assert_eq(c->resident, 0, "Linux's vma_needs_copy(): a fault finds the same contents");
	cr_assert_eq(host_load(c, a), 0);
	cr_assert_eq(host_poke(c, a + PG, 1), FAULT_OK);
	cr_assert_eq(host_pte(p, a + PG), 0, "not even mapped in the parent");
	cr_assert_eq(host_load(p, a + PG), 0);
	as_destroy(c);
	host_as_done(p);
}

Test(fork, the_child_gets_new_anon_identities)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2), b = a + PG;

	cr_assert_eq(as_mprotect(p, b, PG, PROT_READ),
	             0); /* a split: one anon identity, two regions */
	cr_assert_eq(at(p, b)->anon, at(p, a)->anon);

	struct as *c = as_fork(p);

	cr_assert_neq(at(c, a)->anon, 0);
	cr_assert_neq(at(c, a)->anon, at(p, a)->anon);
	cr_assert_neq(at(c, b)->anon, at(c, a)->anon);
	cr_assert_eq(at(c, a)->pgoff, at(p, a)->pgoff);
	cr_assert_eq(c->regions.count, p->regions.count);
	as_destroy(c);
	host_as_done(p);
}

Test(fork, regions_fork_gave_an_anon_identity_merge_as_linux)
{
	struct as *p = host_as();

	as_init_brk(p, 0x1000000);
	cr_assert_eq(as_brk(p, 0x1000000 + 2 * PG), 0x1000000 + 2 * PG);
	cr_assert_eq(host_poke(p, 0x1000000, 'h'), FAULT_OK);

	vaddr_t a = filled(p, 2);
	struct as *c = as_fork(p);

	/* Linux 6.12's is_mergeable_anon_vma(): a target whose anon_vma chain holds the parent's
	 * (more than one entry) takes no region without an anon_vma */
	cr_assert_eq(as_brk(c, 0x1000000 + 4 * PG), 0x1000000 + 4 * PG);
	cr_assert_eq(at(c, 0x1000000)->end, 0x1000000 + 2 * PG, "brk: a new region in the child");
	cr_assert_eq(as_brk(p, 0x1000000 + 4 * PG), 0x1000000 + 4 * PG);
	cr_assert_eq(at(p, 0x1000000)->end, 0x1000000 + 4 * PG, "the parent's heap grows");

	long below = as_mmap(c, a - PG, PG, RW, ANON | MAP_FIXED, -1, 0);

	cr_assert_eq(below, (long)(a - PG));
	cr_assert_eq(at(c, a - PG)->end, a, "not merged into the child's region");
	cr_assert_eq(host_poke(c, a - PG, 1), FAULT_OK);
	cr_assert_neq(at(c, a - PG)->anon, at(c, a)->anon, "a new anon_vma, not the neighbour's");
	cr_assert_eq(as_mmap(p, a - PG, PG, RW, ANON | MAP_FIXED, -1, 0), (long)(a - PG));
	cr_assert_eq(at(p, a - PG)->end, a + 2 * PG, "merged in the parent");

	/* a split of the child's region merges back: the same anon_vma */
	cr_assert_eq(as_mprotect(c, a, PG, PROT_READ), 0);
	cr_assert_eq(as_mprotect(c, a, PG, RW), 0);
	cr_assert_eq(at(c, a)->end, a + 2 * PG);
	as_destroy(c);
	host_as_done(p);
}

Test(fork, page_tables_are_copied_only_where_pages_are)
{
	host_init(128UL << 20);

	struct as *p = host_as();
	/* 16 MiB written, and one page at the end of a 1 GiB region */
	vaddr_t a = filled(p, 4096);
	vaddr_t big = (vaddr_t)map(p, 1UL << 30, RW, ANON | MAP_NORESERVE);

	cr_assert_eq(host_poke(p, big + (1UL << 30) - PG, 7), FAULT_OK);

	size_t user = frames_in_state(FRAME_USER), tables = frames_in_state(FRAME_PAGETABLE);
	struct as *c = as_fork(p);

	cr_assert_eq(frames_in_state(FRAME_USER), user);
	cr_assert_eq(pt_tables(c->root), pt_tables(p->root), "the same tables, no more");
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), tables + pt_tables(c->root));
	cr_assert_eq(c->resident, 4097);
	cr_assert_eq(host_load(c, big + (1UL << 30) - PG), 7);
	cr_assert_eq(host_load(c, a + 4095 * PG), (uint8_t)('a' + 4095));

	/* a region whose pages all went (tables pruned) gives the child no table */
	as_destroy(c);
	cr_assert_eq(as_madvise(p, a, 4096 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(as_munmap(p, big, 1UL << 30), 0);
	c = as_fork(p);
	cr_assert_eq(pt_tables(c->root), 1, "the root alone");
	as_destroy(c);
	host_as_done(p);
}

Test(fork, an_empty_table_in_the_parent_gives_the_child_none)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2);

	/* a table left with nothing in it (an unmap that does not prune) */
	cr_assert_neq(sos_unmap_page(p, a), 0);
	cr_assert_neq(sos_unmap_page(p, a + PG), 0);

	struct as *c = as_fork(p);

	cr_assert_eq(pt_tables(c->root), 1);
	as_destroy(c);
	host_as_done(p);
}

Test(fork, shared_memory_stays_shared)
{
	struct as *p = host_as();
	vaddr_t a = (vaddr_t)map(p, 2 * PG, RW, SHARED);

	cr_assert_eq(host_poke(p, a, 'p'), FAULT_OK);

	struct shmem *s = at(p, a)->shm;
	struct as *c = as_fork(p);

	cr_assert_eq(at(c, a)->shm, s);
	cr_assert_eq(s->refs, 2, "the child's region holds its own reference");
	cr_assert(host_pte(p, a) & PTE_W, "the parent keeps writing it");
	cr_assert_eq(host_pte(c, a), 0, "not copied: the child's fault finds it (Linux)");
	cr_assert_eq(host_load(c, a), 'p');
	cr_assert_eq(host_poke(c, a + PG, 'c'), FAULT_OK);
	cr_assert_eq(host_load(p, a + PG), 'c', "one object for both");
	cr_assert_eq(frame_at(c, a), frame_at(p, a));
	as_destroy(p);
	cr_assert_eq(s->refs, 1);
	cr_assert_eq(host_load(c, a), 'p');
	host_as_done(c);
}

Test(fork, private_file_pages_stay_the_files_until_written)
{
	struct as *p = host_as();
	struct shmem *s = file_of(3);

	mm_set_file_hooks(hook_get, hook_put);

	vaddr_t a = (vaddr_t)as_mmap_object(p, 0, 3 * PG, RW, MAP_PRIVATE, s, 0, &gets);

	cr_assert_eq(host_load(p, a), 'A');
	cr_assert_eq(host_poke(p, a + PG, 'w'), FAULT_OK); /* a private copy */

	struct as *c = as_fork(p);

	cr_assert_eq(gets - puts_, 2, "the child's region holds the file too");
	cr_assert_eq(s->refs, 3);
	cr_assert_eq(frame_at(c, a), shmem_lookup(s, 0), "the file's page, read-only");
	cr_assert_eq(frame_of(shmem_lookup(s, 0))->refs, 3, "the file's and two mappings");
	cr_assert_eq(frame_at(c, a + PG), frame_at(p, a + PG), "the copy, shared");
	cr_assert_eq(refs_at(p, a + PG), 2);

	*(uint8_t *)phys_to_virt(shmem_lookup(s, 0)) = 'Z'; /* a write() to the file */
	cr_assert_eq(host_load(c, a), 'Z', "a page not written shows the file");
	cr_assert_eq(host_load(p, a), 'Z');
	cr_assert_eq(host_poke(c, a, 'c'), FAULT_OK);
	cr_assert_neq(frame_at(c, a), shmem_lookup(s, 0));
	cr_assert_eq(host_load(p, a), 'Z');
	cr_assert_eq(host_poke(c, a + PG, 'x'), FAULT_OK);
	cr_assert_eq(host_load(p, a + PG), 'w');
	cr_assert_eq(host_poke(p, a + PG, 'y'), FAULT_OK);
	cr_assert_eq(host_load(c, a + PG), 'x');

	/* a truncation reaches the child's mapping too */
	cr_assert_eq(shmem_resize(s, 2), 0);
	cr_assert_eq(host_load(c, a + 2 * PG), -1 - (int)FAULT_SIGBUS);
	as_destroy(c);
	cr_assert_eq(gets - puts_, 1);
	shmem_put(s); /* the parent's region holds it still */
	host_as_done(p);
	cr_assert_eq(gets, puts_);
	mm_set_file_hooks(NULL, NULL);
}

Test(fork, dontfork_is_left_out_and_wipeonfork_comes_empty)
{
	struct as *p = host_as();
	vaddr_t d = filled(p, 2), w = filled(p, 2), k = filled(p, 1);

	cr_assert_eq(as_madvise(p, d, 2 * PG, MADV_DONTFORK), 0);
	cr_assert_eq(as_madvise(p, w, 2 * PG, MADV_WIPEONFORK), 0);

	uint64_t pages = p->regions.pages;
	struct as *c = as_fork(p);

	cr_assert_null(at(c, d), "MADV_DONTFORK: no region");
	cr_assert_eq(c->regions.pages, pages - 2);
	cr_assert_not_null(at(c, w));
	cr_assert(at(c, w)->flags & REGION_WIPEONFORK, "the advice stays on the child's region");
	cr_assert_eq(host_pte(c, w), 0);
	cr_assert_eq(host_load(c, w + PG), 0, "wiped");
	cr_assert_eq(host_load(p, w + PG), 'b');
	cr_assert_eq(refs_at(p, w), 1);
	cr_assert_eq(refs_at(p, d), 1);
	cr_assert(host_pte(p, d) & PTE_W, "not shared: still writable");
	cr_assert_eq(host_load(c, k), 'a');
	as_destroy(c);

	/* MADV_DOFORK and MADV_KEEPONFORK undo them */
	cr_assert_eq(as_madvise(p, d, 2 * PG, MADV_DOFORK), 0);
	cr_assert_eq(as_madvise(p, w, 2 * PG, MADV_KEEPONFORK), 0);
	c = as_fork(p);
	cr_assert_eq(host_load(c, d + PG), 'b');
	cr_assert_eq(host_load(c, w + PG), 'b');
	as_destroy(c);
	host_as_done(p);
}

Test(fork, madvise_fork_advice_follows_linux)
{
	struct as *as = host_as();
	vaddr_t anon = (vaddr_t)map(as, PG, RW, ANON);
	vaddr_t shared = (vaddr_t)map(as, PG, RW, SHARED);
	vaddr_t drop = (vaddr_t)map(as, PG, RW, 0x08 | MAP_ANONYMOUS); /* MAP_DROPPABLE */
	vaddr_t huge = (vaddr_t)map(as, 2UL << 20, RW, ANON | MAP_HUGETLB | MAP_NORESERVE);
	struct shmem *s = file_of(1);
	vaddr_t file = (vaddr_t)as_mmap_object(as, 0, PG, RW, MAP_PRIVATE, s, 0, NULL);

	/* WIPEONFORK only on memory without a file that is not shared (Linux 6.12's
	 * madvise_vma_behavior()); KEEPONFORK refused on droppable memory, whose wipe is for good
	 */
	cr_assert_eq(as_madvise(as, anon, PG, MADV_WIPEONFORK), 0);
	cr_assert_eq(as_madvise(as, shared, PG, MADV_WIPEONFORK), -EINVAL);
	cr_assert_eq(as_madvise(as, file, PG, MADV_WIPEONFORK), -EINVAL);
	cr_assert_eq(as_madvise(as, huge, 2UL << 20, MADV_WIPEONFORK), -EINVAL, "hugetlbfs file");
	cr_assert_eq(as_madvise(as, drop, PG, MADV_WIPEONFORK), 0);
	cr_assert_eq(as_madvise(as, drop, PG, MADV_KEEPONFORK), -EINVAL);
	cr_assert_eq(as_madvise(as, anon, PG, MADV_KEEPONFORK), 0);
	cr_assert_eq(as_madvise(as, shared, PG, MADV_KEEPONFORK), 0, "nothing to undo: fine");
	/* DONTFORK and DOFORK anywhere (no VM_IO memory here) */
	for (vaddr_t va = anon; va; va = va == anon ? shared : va == shared ? file : 0) {
		cr_assert_eq(as_madvise(as, va, PG, MADV_DONTFORK), 0);
		cr_assert_eq(as_madvise(as, va, PG, MADV_DOFORK), 0);
	}
	cr_assert_eq(as_madvise(as, huge, 2UL << 20, MADV_DONTFORK), 0);
	shmem_put(s);
	host_as_done(as);
}

Test(fork, locks_are_not_inherited)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2);

	cr_assert_eq(as_mlock(p, a, 2 * PG, 0), 0);
	cr_assert_eq(as_mlockall(p, MCL_FUTURE | MCL_ONFAULT), 0);

	struct as *c = as_fork(p);
	struct as_stats st;

	cr_assert_not(at(c, a)->flags & (REGION_LOCKED | REGION_ONFAULT));
	cr_assert(at(p, a)->flags & REGION_LOCKED);
	cr_assert_eq(c->lock_future, 0, "mlockall(MCL_FUTURE) is the parent's alone");
	cr_assert_neq(p->lock_future, 0);
	as_stats(c, &st);
	cr_assert_eq(st.locked_vm, 0);
	cr_assert_eq(at(c, map(c, PG, RW, ANON))->flags & REGION_LOCKED, 0);
	as_destroy(c);
	host_as_done(p);
}

Test(fork, the_stack_and_hugetlb_memory_are_inherited)
{
	struct as *p = host_as();

	cr_assert_eq(as_define_stack(p, STACK_TOP - 64), 0);
	cr_assert_eq(host_poke(p, STACK_TOP - 8, 's'), FAULT_OK);

	long h = map(p, 2UL << 20, RW, ANON | MAP_HUGETLB | MAP_NORESERVE);
	struct as *c = as_fork(p);

	cr_assert_eq(host_load(c, STACK_TOP - 8), 's');
	cr_assert(at(c, STACK_TOP - 8)->flags & REGION_GROWSDOWN);
	cr_assert_eq(vm_fault(c, at(c, STACK_TOP - 8)->start - 8, VM_WRITE), FAULT_OK, "grows");
	cr_assert(at(c, (vaddr_t)h)->flags & REGION_HUGETLB);
	cr_assert_eq(host_load(c, (vaddr_t)h), -1 - (int)FAULT_NOHUGE, "no huge page, as before");
	as_destroy(c);
	host_as_done(p);
}
