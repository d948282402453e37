/* Unit tests of the memory calls on pages fork shares (mprotect, mremap, madvise, munmap, mlock,
 * populate, kernel copies, mincore, msync), each address space's statistics, a full reference
 * count, the commit charge and nothing leaked when memory runs out at any point of a fork. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "fork_helpers.h"
#include "mm/fault.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/stats.h"

TestSuite(fork_calls, .init = host_setup, .fini = host_teardown);

Test(fork_calls, mprotect_never_makes_a_shared_page_writable)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 3);
	struct as *c = as_fork(p);

	cr_assert_eq(as_mprotect(p, a, 3 * PG, PROT_READ), 0);
	cr_assert_eq(as_mprotect(p, a, 3 * PG, RW), 0);
	cr_assert_not(host_pte(p, a) & PTE_W, "still shared with the child");
	cr_assert_eq(as_mprotect(c, a + PG, PG, RW | PROT_EXEC), 0);
	cr_assert_not(host_pte(c, a + PG) & PTE_W);
	cr_assert_eq(host_poke(p, a, 'P'), FAULT_OK);
	cr_assert_eq(host_load(c, a), 'a');

	/* once the child's page is its own, mprotect gives the write right back */
	cr_assert_eq(as_mprotect(c, a, PG, PROT_READ), 0);
	cr_assert_eq(as_mprotect(c, a, PG, RW), 0);
	cr_assert(host_pte(c, a) & PTE_W, "the last holder");
	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, mremap_moves_the_shared_entry)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2);
	paddr_t f = frame_at(p, a);
	struct as *c = as_fork(p);
	long to = as_mremap(c, a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a - 64 * PG);

	cr_assert_eq(to, (long)(a - 64 * PG));
	cr_assert_eq(host_pte(c, a), 0);
	cr_assert_eq(frame_at(c, (vaddr_t)to), f, "the page moved, not copied");
	cr_assert_eq(refs_at(p, a), 2);
	cr_assert_not(host_pte(c, (vaddr_t)to) & PTE_W);
	cr_assert_eq(host_poke(c, (vaddr_t)to, 'm'), FAULT_OK);
	cr_assert_eq(host_load(p, a), 'a');
	cr_assert_eq(refs_at(p, a), 1);
	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, dontneed_and_munmap_drop_one_reference)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2);
	paddr_t f = frame_at(p, a);
	struct as *c = as_fork(p);

	cr_assert_eq(as_madvise(c, a, PG, MADV_DONTNEED), 0);
	cr_assert_eq(refs_at(p, a), 1);
	cr_assert_eq(host_load(c, a), 0, "the child's page went: zero");
	cr_assert_eq(as_munmap(c, a + PG, PG), 0);
	cr_assert_eq(refs_at(p, a + PG), 1);
	cr_assert_eq(host_poke(p, a, 'x'), FAULT_OK);
	cr_assert_eq(frame_at(p, a), f, "the parent holds it alone: in place");
	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, populate_and_kernel_writes_break_the_sharing)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 3);
	struct as *c = as_fork(p);
	size_t user = frames_in_state(FRAME_USER);

	/* mlock faults private writable memory in for writing, as Linux's FOLL_WRITE */
	cr_assert_eq(as_mlock(c, a, PG, 0), 0);
	cr_assert_neq(frame_at(c, a), frame_at(p, a));
	cr_assert_eq(as_madvise(c, a + PG, PG, MADV_POPULATE_WRITE), 0);
	cr_assert_neq(frame_at(c, a + PG), frame_at(p, a + PG));
	/* a read() into a shared page: the kernel's copy to the user copies it first */
	cr_assert_eq(as_copyout(c, a + 2 * PG, "K", 1), 0);
	cr_assert_eq(host_load(c, a + 2 * PG), 'K');
	cr_assert_eq(host_load(p, a + 2 * PG), 'c');
	cr_assert_eq(frames_in_state(FRAME_USER), user + 3);

	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, mincore_sees_shared_pages_resident)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2);
	struct as *c = as_fork(p);
	vaddr_t vec = (vaddr_t)map(c, PG, RW, ANON);
	uint8_t got[3];

	cr_assert_eq(as_munmap(c, a + PG, PG), 0);
	cr_assert_eq(as_mmap(c, a + PG, PG, RW, ANON | MAP_FIXED, -1, 0), (long)(a + PG));
	cr_assert_eq(as_mincore(c, a, 2 * PG, vec), 0);
	cr_assert_eq(as_copyin(c, got, vec, 2), 0);
	cr_assert_eq(got[0], 1);
	cr_assert_eq(got[1], 0, "a new mapping there: nothing resident");
	cr_assert_eq(as_msync(c, a, 2 * PG, 4), 0);
	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, stats_are_each_address_spaces_own)
{
	struct as *p = host_as();

	as_init_brk(p, 0x1000000);

	vaddr_t a = filled(p, 8);

	cr_assert_eq(as_madvise(p, a, 6 * PG, MADV_DONTNEED), 0); /* the parent's VmHWM stays 8 */

	struct as *c = as_fork(p);
	struct as_stats ps, cs;

	as_stats(p, &ps);
	as_stats(c, &cs);
	cr_assert_eq(ps.rss_anon, 2);
	cr_assert_eq(cs.rss_anon, 2);
	cr_assert_eq(ps.peak_rss, 8);
	cr_assert_eq(cs.peak_rss, 2, "a child's VmHWM starts at its own RSS");
	cr_assert_eq(cs.total_vm, ps.total_vm);
	cr_assert_eq(cs.peak_vm, cs.total_vm);
	cr_assert_eq(cs.pt_pages, pt_tables(c->root));
	cr_assert_eq(ps.pt_pages + cs.pt_pages, frames_in_state(FRAME_PAGETABLE));
	cr_assert_eq(c->minflt, 0, "no fault of its own yet");
	cr_assert_eq(as_brk(c, c->brk + PG), p->brk + PG, "its own break");
	cr_assert_neq(p->brk, c->brk);
	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, a_full_reference_count_gives_the_child_a_copy)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 1);
	struct frame *f = frame_of(frame_at(p, a));

	f->refs = UINT16_MAX; /* as if 65,534 others held it */

	struct as *c = as_fork(p);

	cr_assert_eq(f->refs, UINT16_MAX);
	cr_assert_neq(frame_at(c, a), frame_at(p, a));
	cr_assert_eq(host_load(c, a), 'a');
	cr_assert(host_pte(c, a) & PTE_W, "the child's own copy");
	f->refs = 1;
	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, a_refused_charge_fails_the_fork)
{
	struct as *p = host_as();
	size_t half = frames_total() / 2 + 16;
	/* two mappings each within RAM that merge into one region larger than RAM: Linux's
	 * dup_mmap() charges that VM_ACCOUNT region whole, and fork fails with ENOMEM */
	vaddr_t a = (vaddr_t)map(p, half * PG, RW, ANON);
	long b = as_mmap(p, a - half * PG, half * PG, RW, ANON | MAP_FIXED, -1, 0);

	cr_assert_eq(b, (long)(a - half * PG));
	cr_assert_eq(at(p, a)->start, (vaddr_t)b, "merged");
	cr_assert_eq(host_poke(p, a, 1), FAULT_OK);

	size_t used = frames_used();

	cr_assert_null(as_fork(p));
	cr_assert_eq(frames_used(), used);
	cr_assert(host_pte(p, a) & PTE_W);
	cr_assert_eq(as_mmap(p, a, half * PG, RW, ANON | MAP_FIXED | MAP_NORESERVE, -1, 0),
	             (long)a);

	struct as *c = as_fork(p);

	cr_assert_not_null(c, "NORESERVE memory is not charged");
	as_destroy(c);
	host_as_done(p);
}

/* A parent with every kind of region fork copies, for the out-of-memory test. */
static struct as *busy_parent(struct shmem *s, vaddr_t *anon)
{
	struct as *p = host_as();

	*anon = filled(p, 600); /* more than one last-level table */
	cr_assert_eq(host_poke(p, (vaddr_t)map(p, PG, RW, SHARED), 's'), FAULT_OK);

	vaddr_t f = (vaddr_t)as_mmap_object(p, 0, 2 * PG, RW, MAP_PRIVATE, s, 0, &gets);

	cr_assert_eq(host_load(p, f), 'A');
	cr_assert_eq(host_poke(p, f + PG, 'f'), FAULT_OK);
	for (int i = 0; i < 40; i++) /* regions enough to need a second slab page */
		cr_assert_gt(map(p, PG, i % 2 ? PROT_READ : RW, ANON), 0);
	return p;
}

Test(fork_calls, out_of_memory_at_any_point_leaks_nothing)
{
	struct shmem *s = file_of(2);
	vaddr_t a;

	mm_set_file_hooks(hook_get, hook_put);

	struct as *p = busy_parent(s, &a);
	size_t used = frames_used(), files = (size_t)(gets - puts_);
	uint32_t srefs = s->refs;
	struct as *c = NULL;
	size_t left;

	for (left = 0; !c; left++) {
		/* leave exactly `left` frames free: the fork's allocation after that fails */
		static paddr_t held[1 << 15];
		size_t n = 0;

		while (frames_free() > left)
			held[n++] = frame_alloc(FRAME_KERNEL);
		c = as_fork(p);
		while (n)
			frame_free(held[--n]);
		if (c)
			break;
		cr_assert_eq(frames_used(), used, "a failed fork with %zu frames left", left);
		cr_assert_eq((size_t)(gets - puts_), files);
		cr_assert_eq(s->refs, srefs);
		for (size_t i = 0; i < 600; i += 97)
			cr_assert_eq(refs_at(p, a + i * PG), 1);
	}
	cr_assert_gt(left, 5, "several allocations failed in turn");
	cr_assert_eq(host_load(c, a + 599 * PG), (uint8_t)('a' + 599));
	cr_assert_eq(host_poke(p, a, 'x'), FAULT_OK);
	cr_assert_eq(host_load(c, a), 'a');
	as_destroy(c);
	host_as_done(p);
	cr_assert_eq(s->refs, 1);
	cr_assert_eq(gets, puts_);
	shmem_put(s);
	mm_set_file_hooks(NULL, NULL);
}

Test(fork_calls, prot_none_pages_are_shared_and_stay_out_of_reach)
{
	struct as *p = host_as();
	vaddr_t a = filled(p, 2);

	cr_assert_eq(as_mprotect(p, a, 2 * PG, PROT_NONE), 0);

	struct as *c = as_fork(p);

	cr_assert_eq(frame_at(c, a), frame_at(p, a), "kept, shared");
	cr_assert_not(host_pte(c, a) & PTE_U);
	cr_assert_eq(host_load(c, a), -1 - (int)FAULT_DENIED);
	cr_assert_eq(as_mprotect(c, a, 2 * PG, RW), 0);
	cr_assert_not(host_pte(c, a) & PTE_W, "readable, not writable while shared");
	cr_assert_eq(host_load(c, a + PG), 'b');
	cr_assert_eq(host_poke(c, a, 'c'), FAULT_OK);
	cr_assert_neq(frame_at(c, a), frame_at(p, a));
	cr_assert_eq(as_mprotect(p, a, 2 * PG, PROT_READ), 0);
	cr_assert_eq(host_load(p, a), 'a');
	as_destroy(c);
	host_as_done(p);
}

Test(fork_calls, a_file_page_mapped_too_often_is_copied_or_refused)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2);
	struct frame *f = frame_of(shmem_lookup(s, 1));
	vaddr_t priv = (vaddr_t)as_mmap_object(as, 0, 2 * PG, RW, MAP_PRIVATE, s, 0, NULL);
	vaddr_t shared = (vaddr_t)as_mmap_object(as, 0, 2 * PG, RW, MAP_SHARED, s, 0, NULL);

	f->refs = UINT16_MAX; /* as if 65,534 mappings held it */
	cr_assert_eq(host_load(as, priv), 'A');
	cr_assert_eq(host_pte(as, priv + PG), 0, "fault-around leaves it alone");
	cr_assert_eq(host_load(as, priv + PG), 'B', "a copy of it");
	cr_assert_neq(frame_at(as, priv + PG), shmem_lookup(s, 1));
	cr_assert_eq(host_load(as, shared + PG), -1 - (int)FAULT_OOM, "a shared mapping cannot");
	cr_assert_eq(f->refs, UINT16_MAX);
	f->refs = 1;
	shmem_put(s);
	host_as_done(as);
}
