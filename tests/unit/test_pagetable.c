/* Unit tests of the page table and sos_map_page(): intermediate tables on demand, leaf bits,
 * the kernel half, range visits, pruning, and teardown returning every frame. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/pagetable.h"

TestSuite(pagetable, .init = host_setup, .fini = host_teardown);

/* A user frame holding the one reference a hand-made PTE stands for. */
static paddr_t mapped_frame(void)
{
	paddr_t f = frame_alloc(FRAME_USER);

	frame_ref(f);
	return f;
}

Test(pagetable, create_copies_kernel_half)
{
	paddr_t root = pt_create();
	const pte_t *t = phys_to_virt(root);

	cr_assert_neq(root, 0);
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 1);
	for (int i = 0; i < 256; i++)
		cr_assert_eq(t[i], 0);
	for (int i = 256; i < 512; i++)
		cr_assert_eq(t[i], ((pte_t)i << 12) | PTE_P | PTE_W | PTE_G);
	pt_destroy(root);
	cr_assert_eq(frames_used(), 0);
}

Test(pagetable, walk_allocates_three_tables)
{
	paddr_t root = pt_create();

	cr_assert_null(pt_walk(root, 0x400000, false));
	pte_t *pte = pt_walk(root, 0x400000, true);

	cr_assert_not_null(pte);
	cr_assert_eq(*pte, 0);
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 4);
	cr_assert_eq(pt_walk(root, 0x400000, false), pte);
	cr_assert_eq(pt_walk(root, 0x401000, true), pte + 1, "same leaf table");
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 4);
	/* Intermediate entries are P|W|U: rights live in the leaf. */
	const pte_t *pml4 = phys_to_virt(root);

	cr_assert_eq(pml4[0] & (PTE_P | PTE_W | PTE_U | PTE_NX), PTE_P | PTE_W | PTE_U);
	pt_walk(root, USER_END - PAGE_SIZE, true);
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 7);
	pt_destroy(root);
	cr_assert_eq(frames_used(), 0);
}

Test(pagetable, walk_out_of_memory)
{
	host_init(64 * PAGE_SIZE);
	paddr_t root = pt_create();

	while (frame_alloc(FRAME_USER))
		;
	cr_assert_null(pt_walk(root, 0x400000, true));
}

Test(pagetable, map_page_bits_and_refs)
{
	struct as *as = as_create();
	paddr_t f = frame_alloc_zeroed(FRAME_USER);

	cr_assert_eq(sos_map_page(as, 0x400000, f, VM_READ | VM_EXEC), 0);
	pte_t pte = host_pte(as, 0x400000);

	cr_assert_eq(pte & PTE_ADDR, f);
	cr_assert_eq(pte & ~PTE_ADDR, PTE_P | PTE_U, "r-x: no W, no NX, no G");
	cr_assert_eq(frame_of(f)->refs, 1);
	cr_assert_eq(as->resident, 1);
	cr_assert_eq(sos_map_page(as, 0x400000, f, VM_READ), -EEXIST);

	paddr_t g = frame_alloc_zeroed(FRAME_USER);

	cr_assert_eq(sos_map_page(as, 0x401000, g, VM_READ | VM_WRITE), 0);
	cr_assert_eq(host_pte(as, 0x401000) & ~PTE_ADDR, PTE_P | PTE_U | PTE_W | PTE_NX);
	paddr_t h = frame_alloc_zeroed(FRAME_USER);

	cr_assert_eq(sos_map_page(as, 0x402000, h, VM_READ), 0);
	cr_assert_eq(host_pte(as, 0x402000) & ~PTE_ADDR, PTE_P | PTE_U | PTE_NX);

	unsigned long flushes = host_flushes;

	cr_assert_eq(sos_unmap_page(as, 0x401000), g);
	cr_assert_gt(host_flushes, flushes);
	cr_assert_eq(host_last_flush, 0x401000);
	cr_assert_eq(frame_of(g)->state, FRAME_FREE);
	cr_assert_eq(sos_unmap_page(as, 0x401000), 0);
	cr_assert_eq(sos_unmap_page(as, 0x7000000), 0);
	cr_assert_eq(sos_unmap_page(as, USER_END), 0);
	cr_assert_eq(sos_unmap_page(as, ~0UL), 0);
	cr_assert_eq(as->resident, 2);
	as_destroy(as);
	cr_assert_eq(frames_used(), 0);
}

Test(pagetable, destroy_frees_everything)
{
	size_t base = frames_used();
	struct as *as = as_create();

	/* Pages spread over many tables at every level. */
	for (vaddr_t va = 0x10000; va < USER_END; va = va * 3 + 0x1000) {
		paddr_t f = frame_alloc(FRAME_USER);

		cr_assert_eq(sos_map_page(as, PAGE_DOWN(va), f, VM_READ), 0);
	}
	cr_assert_gt(frames_in_state(FRAME_PAGETABLE), 20);
	as_destroy(as);
	cr_assert_eq(frames_used(), base);
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 0);
	cr_assert_eq(frames_in_state(FRAME_KERNEL), 0);
}

static void collect(pte_t *pte, vaddr_t va, void *arg)
{
	vaddr_t **p = arg;

	(void)pte;
	*(*p)++ = va;
}

Test(pagetable, range_visits_present_leaves_in_order)
{
	paddr_t root = pt_create();
	vaddr_t want[] = {0x1000, 0x200000, 0x3ff000, 0x40000000, 0x8000000000, 0x7ffffffe000};
	vaddr_t got[8], *p = got;

	for (size_t i = 0; i < 6; i++)
		*pt_walk(root, want[i], true) = mapped_frame() | PTE_P | PTE_U;
	pt_range(root, 0, USER_END, collect, &p);
	cr_assert_eq(p - got, 6);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(got[i], want[i]);
	p = got;
	pt_range(root, 0x200000, 0x40000000, collect, &p);
	cr_assert_eq(p - got, 2);
	cr_assert_eq(got[0], 0x200000);
	cr_assert_eq(got[1], 0x3ff000);
	p = got;
	pt_range(root, 0x201000, 0x3ff000, collect, &p);
	cr_assert_eq(p - got, 0);
	pt_destroy(root);
	cr_assert_eq(frames_used(), 0);
}

Test(pagetable, prune_frees_empty_tables_only)
{
	paddr_t root = pt_create();

	pt_walk(root, 0x400000, true);
	pt_walk(root, 0x7f0000000000, true);
	*pt_walk(root, 0x600000, true) = mapped_frame() | PTE_P | PTE_U;
	size_t tables = frames_in_state(FRAME_PAGETABLE);

	cr_assert_eq(tables, 1 + 3 + 1 + 3);
	pt_prune(root, 0, USER_END);
	/* Left: root, PDPT, PD, the PT holding 0x600000. */
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 4);
	cr_assert_not_null(pt_walk(root, 0x600000, false));
	cr_assert_null(pt_walk(root, 0x7f0000000000, false));
	pt_destroy(root);
	cr_assert_eq(frames_used(), 0);
}
