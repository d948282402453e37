/* Unit tests of address spaces: regions, the fault handler (zero fill, ELF image bytes with
 * the bss tail, rights, guard, out of memory), brk, and the checked user copies. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "host.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/uapi.h"

TestSuite(as, .init = host_setup, .fini = host_teardown);

#define RW (VM_READ | VM_WRITE)

static size_t nregions(struct as *as)
{
	return as->regions.count;
}

Test(as, create_destroy_returns_every_frame)
{
	size_t before = frames_used();
	struct as *as = as_create();

	cr_assert_not_null(as);
	cr_assert_gt(frames_used(), before);
	cr_assert_eq(as_define_stack(as, STACK_TOP - 8), 0);
	cr_assert_eq(vm_fault(as, STACK_TOP - 1, VM_WRITE), FAULT_OK);
	cr_assert_eq(vm_fault(as, STACK_TOP - (1UL << 20), VM_WRITE), FAULT_OK); /* grown */
	as_destroy(as);
	cr_assert_eq(frames_used(), before);
}

Test(as, create_out_of_memory)
{
	host_init(1UL << 20);
	while (frame_alloc(FRAME_USER))
		;
	cr_assert_null(as_create());
	host_init(1UL << 20);
	/* Room for the slab page of struct as but not for the root table. */
	while (frames_free() > 1)
		frame_alloc(FRAME_USER);
	cr_assert_null(as_create());
	cr_assert_eq(frames_free(), 1, "the slab page went back");
}

Test(as, image_regions_merge_only_when_same_image)
{
	static uint8_t image[2 * PAGE_SIZE], other[PAGE_SIZE];
	struct as *as = host_as();

	as_define_region(as, 0x400000, 0x401000, VM_READ, RK_RODATA, image, 0x400000, 8192);
	as_define_region(as, 0x401000, 0x402000, VM_READ, RK_RODATA, image, 0x400000, 8192);
	cr_assert_eq(nregions(as), 1);
	as_define_region(as, 0x402000, 0x403000, VM_READ, RK_RODATA, other, 0x402000, 100);
	cr_assert_eq(nregions(as), 2);
	host_as_done(as);
}

Test(as, define_region_checks)
{
	struct as *as = host_as();

	cr_assert_eq(as_define_region(as, 0x400000, 0x402000, VM_READ, RK_TEXT, NULL, 0, 0), 0);
	cr_assert_eq(as_define_region(as, 0x401000, 0x403000, RW, RK_DATA, NULL, 0, 0), -EEXIST);
	cr_assert_eq(as_define_region(as, 0x3ff000, 0x401000, RW, RK_DATA, NULL, 0, 0), -EEXIST);
	cr_assert_eq(as_define_region(as, 0x3f0000, 0x500000, RW, RK_DATA, NULL, 0, 0), -EEXIST);
	cr_assert_eq(as_define_region(as, 0x400800, 0x403000, RW, RK_DATA, NULL, 0, 0), -EINVAL);
	cr_assert_eq(as_define_region(as, 0x404000, 0x404000, RW, RK_DATA, NULL, 0, 0), -EINVAL);
	cr_assert_eq(as_define_region(as, 0x405000, 0x404000, RW, RK_DATA, NULL, 0, 0), -EINVAL);
	cr_assert_eq(as_define_region(as, 0x0, 0x1000, RW, RK_DATA, NULL, 0, 0), -EINVAL);
	cr_assert_eq(
	    as_define_region(as, USER_END - 0x1000, USER_END + 0x1000, RW, RK_DATA, NULL, 0, 0),
	    -EINVAL);
	cr_assert_eq(as_define_region(as, 0x402000, 0x403000, RW, RK_DATA, NULL, 0, 0), 0);
	cr_assert_eq(nregions(as), 2);
	host_as_done(as);
}

Test(as, equal_neighbours_merge)
{
	struct as *as = host_as();

	for (vaddr_t va = 0x1000000; va < 0x1000000 + 100 * PAGE_SIZE; va += 2 * PAGE_SIZE)
		cr_assert_eq(as_define_region(as, va, va + PAGE_SIZE, RW, RK_MMAP, NULL, 0, 0), 0);
	cr_assert_eq(nregions(as), 50);
	for (vaddr_t va = 0x1001000; va < 0x1000000 + 100 * PAGE_SIZE; va += 2 * PAGE_SIZE)
		cr_assert_eq(as_define_region(as, va, va + PAGE_SIZE, RW, RK_MMAP, NULL, 0, 0), 0);
	cr_assert_eq(nregions(as), 1, "one region, not %zu", nregions(as));
	cr_assert_eq(as_define_region(as, 0x1064000, 0x1065000, VM_READ, RK_MMAP, NULL, 0, 0), 0);
	cr_assert_eq(nregions(as), 2, "different rights do not merge");
	host_as_done(as);
}

Test(as, zero_fill_fault)
{
	struct as *as = host_as();

	cr_assert_eq(as_define_region(as, 0x600000, 0x610000, RW, RK_DATA, NULL, 0, 0), 0);
	cr_assert_eq(host_peek(as, 0x605123), -1, "nothing mapped before the first touch");
	cr_assert_eq(frames_in_state(FRAME_USER), 0);
	cr_assert_eq(vm_fault(as, 0x605123, VM_READ), FAULT_OK);
	cr_assert_eq(frames_in_state(FRAME_USER), 0, "a read maps the zero page: no frame");
	cr_assert_eq(as->resident, 0, "the zero page is no page of the RSS");
	for (vaddr_t va = 0x605000; va < 0x606000; va++)
		cr_assert_eq(host_peek(as, va), 0); /* the fake RAM was 0xa5 garbage */
	pte_t pte = host_pte(as, 0x605000);

	/* Read first: the zero page, read-only, as Linux's do_anonymous_page(). */
	cr_assert_eq(pte & PTE_ADDR, zero_page);
	cr_assert_eq(pte & ~PTE_ADDR, PTE_P | PTE_U | PTE_NX);
	cr_assert_eq(pte & PTE_G, 0);
	cr_assert_eq(region_find(&as->regions, 0x605000)->anon, 0);
	/* The first write: a zeroed frame of its own replaces it, and the stale TLB entry goes. */
	unsigned long flushes = host_flushes;

	cr_assert_eq(vm_fault(as, 0x605fff, VM_WRITE), FAULT_OK);
	cr_assert_eq(frames_in_state(FRAME_USER), 1);
	cr_assert_eq(as->resident, 1);
	cr_assert_neq(host_pte(as, 0x605000) & PTE_ADDR, zero_page);
	cr_assert_eq(host_pte(as, 0x605000) & ~PTE_ADDR, PTE_P | PTE_U | PTE_W | PTE_NX | PTE_D,
	             "and dirty, as a write fault leaves it");
	for (vaddr_t va = 0x605000; va < 0x606000; va++)
		cr_assert_eq(host_peek(as, va), 0);
	cr_assert_neq(region_find(&as->regions, 0x605000)->anon, 0, "written: an anon identity");
	cr_assert_gt(host_flushes, flushes);
	cr_assert_eq(host_poke(as, 0x60f000, 7), FAULT_OK);
	cr_assert_eq(host_load(as, 0x60f000), 7);
	cr_assert_eq(as->resident, 2);
	host_as_done(as);
}

Test(as, image_fault_copies_file_bytes_and_zeroes_bss_tail)
{
	static uint8_t image[0x2345];
	struct as *as = host_as();
	const vaddr_t fva = 0x400123, end = fva + sizeof(image);

	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (uint8_t)(i * 7 + 1) | 1; /* never 0 */
	/* A data segment: filesz 0x2345 from 0x400123, memsz reaching 0x404000 (bss). */
	cr_assert_eq(
	    as_define_region(as, 0x400000, 0x404000, RW, RK_DATA, image, fva, sizeof(image)), 0);
	for (vaddr_t va = 0x400000; va < 0x404000; va++) {
		int want = va >= fva && va < end ? image[va - fva] : 0;

		cr_assert_eq(host_load(as, va), want, "byte at %lx", va);
	}
	cr_assert_eq(frames_in_state(FRAME_USER), 4);
	/* Text pages map R-X from the image. */
	cr_assert_eq(as_define_region(as, 0x500000, 0x501000, VM_READ | VM_EXEC, RK_TEXT, image,
	                              0x500000, 100),
	             0);
	cr_assert_eq(vm_fault(as, 0x500010, VM_EXEC), FAULT_OK);
	cr_assert_eq(host_pte(as, 0x500000) & ~PTE_ADDR, PTE_P | PTE_U);
	cr_assert_eq(host_peek(as, 0x500063), image[99]);
	cr_assert_eq(host_peek(as, 0x500064), 0);
	cr_assert_eq(vm_fault(as, 0x500010, VM_WRITE), FAULT_DENIED);
	host_as_done(as);
}

Test(as, rights)
{
	struct as *as = host_as();

	as_define_region(as, 0x10000, 0x11000, VM_READ, RK_RODATA, NULL, 0, 0);
	as_define_region(as, 0x20000, 0x21000, RW, RK_DATA, NULL, 0, 0);
	as_define_region(as, 0x30000, 0x31000, VM_EXEC, RK_TEXT, NULL, 0, 0);
	as_define_region(as, 0x40000, 0x41000, 0, RK_MMAP, NULL, 0, 0);
	as_define_region(as, 0x50000, 0x51000, VM_WRITE, RK_MMAP, NULL, 0, 0);

	cr_assert_eq(vm_fault(as, 0x10000, VM_READ), FAULT_OK);
	cr_assert_eq(vm_fault(as, 0x10000, VM_WRITE), FAULT_DENIED);
	cr_assert_eq(vm_fault(as, 0x10000, VM_EXEC), FAULT_DENIED);
	cr_assert_eq(vm_fault(as, 0x20000, VM_WRITE), FAULT_OK);
	cr_assert_eq(vm_fault(as, 0x20000, VM_EXEC), FAULT_DENIED);
	cr_assert_eq(vm_fault(as, 0x30000, VM_EXEC), FAULT_OK);
	cr_assert_eq(vm_fault(as, 0x30000, VM_READ), FAULT_OK, "x86: exec implies read");
	cr_assert_eq(vm_fault(as, 0x30000, VM_WRITE), FAULT_DENIED);
	cr_assert_eq(vm_fault(as, 0x40000, VM_READ), FAULT_DENIED);
	cr_assert_eq(vm_fault(as, 0x40000, VM_WRITE), FAULT_DENIED);
	cr_assert_eq(vm_fault(as, 0x50000, VM_READ), FAULT_OK, "x86: write implies read");
	cr_assert_eq(vm_fault(as, 0x60000, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(vm_fault(as, 0, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(vm_fault(as, USER_END, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(vm_fault(as, ~0UL, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(frames_in_state(FRAME_USER), 1, "the page written; reads map the zero page");
	cr_assert_eq(host_pte(as, 0x30000) & PTE_ADDR, zero_page, "an execute fault too");
	cr_assert_eq(host_pte(as, 0x30000) & PTE_NX, 0);
	cr_assert_str_eq(fault_reason(FAULT_DENIED), "protection");
	cr_assert_str_eq(fault_reason(FAULT_NO_REGION), "no region");
	cr_assert_str_eq(fault_reason(FAULT_GUARD), "stack overflow, guard gap");
	cr_assert_str_eq(fault_reason(FAULT_OOM), "out of memory");
	host_as_done(as);
}

/* The stack region as exec leaves it: 128 KiB below the page of the argument strings. */
static const struct region *stack_at_exec(struct as *as, vaddr_t args)
{
	cr_assert_eq(as_define_stack(as, args), 0);
	const struct region *r = region_find(&as->regions, STACK_TOP - 1);

	cr_assert_not_null(r);
	cr_assert_eq(r->kind, RK_STACK);
	cr_assert(r->flags & REGION_GROWSDOWN);
	cr_assert_eq(r->end, STACK_TOP);
	return r;
}

Test(as, stack_starts_as_linux_sizes_it)
{
	struct as *as = host_as();

	/* Linux: strings within the top page leave 33 pages, 5000 bytes of them 34. */
	cr_assert_eq(stack_at_exec(as, STACK_TOP - 20)->start, STACK_TOP - 33 * PAGE_SIZE);
	cr_assert_eq(as_define_stack(as, STACK_TOP - 20), -EEXIST);
	host_as_done(as);
	as = host_as();
	cr_assert_eq(stack_at_exec(as, STACK_TOP - 5000)->start, STACK_TOP - 34 * PAGE_SIZE);
	host_as_done(as);
	as = host_as();
	/* never longer than STACK_SIZE, and the strings must lie in it */
	cr_assert_eq(stack_at_exec(as, STACK_BASE + 100)->start, STACK_BASE);
	host_as_done(as);
	as = host_as();
	cr_assert_eq(as_define_stack(as, STACK_BASE - 1), -EINVAL);
	cr_assert_eq(as_define_stack(as, STACK_TOP), -EINVAL);
	cr_assert_eq(nregions(as), 0);
	host_as_done(as);
}

Test(as, stack_grows_to_its_limit_then_overflows)
{
	struct as *as = host_as();
	const struct region *r = stack_at_exec(as, STACK_TOP - 20);

	/* The seed's demonstration: 27 pages on a stack far above 0x20000000. */
	for (int i = 0; i < 27; i++)
		cr_assert_eq(host_poke(as, STACK_TOP - 8 - (vaddr_t)i * PAGE_SIZE, (uint8_t)i),
		             FAULT_OK);
	for (int i = 0; i < 27; i++)
		cr_assert_eq(host_load(as, STACK_TOP - 8 - (vaddr_t)i * PAGE_SIZE), i);
	cr_assert_eq(r->start, STACK_TOP - 33 * PAGE_SIZE, "touches inside do not grow it");
	/* Far below the lowest page, as Linux: no check against the stack pointer. */
	cr_assert_eq(vm_fault(as, STACK_TOP - (4UL << 20) + 5, VM_WRITE), FAULT_OK);
	cr_assert_eq(r->start, STACK_TOP - (4UL << 20));
	cr_assert_eq(nregions(as), 1, "one region, no guard region");
	cr_assert_eq(vm_fault(as, STACK_BASE, VM_WRITE), FAULT_OK);
	cr_assert_eq(r->start, STACK_BASE);
	/* Beyond the limit, and in the STACK_GUARD below it: an overflow; further down nothing. */
	cr_assert_eq(vm_fault(as, STACK_BASE - 1, VM_WRITE), FAULT_GUARD);
	cr_assert_eq(vm_fault(as, STACK_BASE - STACK_GUARD, VM_READ), FAULT_GUARD);
	cr_assert_eq(vm_fault(as, STACK_BASE - STACK_GUARD - 1, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(r->start, STACK_BASE);
	cr_assert_eq(vm_fault(as, STACK_TOP, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(vm_fault(as, STACK_TOP - 1, VM_EXEC), FAULT_DENIED);
	cr_assert_eq(as->resident, 29);
	host_as_done(as);
}

Test(as, stack_overflows_into_the_gap_of_a_mapping_below)
{
	struct as *as = host_as();
	const struct region *r = stack_at_exec(as, STACK_TOP - 20);
	vaddr_t low = STACK_TOP - (4UL << 20);

	/* MAP_FIXED_NOREPLACE may sit in the 8 MiB below the stack (Linux checks only overlap) */
	cr_assert_eq(as_mmap(as, low, PAGE_SIZE, PROT_READ,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
	             (long)low);
	cr_assert_eq(vm_fault(as, low + PAGE_SIZE + STACK_GUARD - 1, VM_WRITE), FAULT_GUARD);
	cr_assert_eq(r->start, STACK_TOP - 33 * PAGE_SIZE);
	cr_assert_eq(vm_fault(as, low + PAGE_SIZE + STACK_GUARD, VM_WRITE), FAULT_OK);
	cr_assert_eq(r->start, low + PAGE_SIZE + STACK_GUARD);
	/* Below that mapping the stack is out of reach: no region. */
	cr_assert_eq(vm_fault(as, low - 1, VM_WRITE), FAULT_NO_REGION);
	/* A PROT_NONE mapping does not keep the stack away (vma_is_accessible()). */
	cr_assert_eq(as_mprotect(as, low, PAGE_SIZE, PROT_NONE), 0);
	cr_assert_eq(vm_fault(as, low + PAGE_SIZE, VM_WRITE), FAULT_OK);
	cr_assert_eq(r->start, low + PAGE_SIZE);
	host_as_done(as);
}

Test(as, stack_below_is_unmapped)
{
	struct as *as = host_as();
	const struct region *r = stack_at_exec(as, STACK_TOP - 20);
	vaddr_t below = r->start - 64 * PAGE_SIZE;

	cr_assert_eq(as_madvise(as, below, PAGE_SIZE, MADV_NORMAL), -ENOMEM);
	cr_assert_eq(as_mprotect(as, below, PAGE_SIZE, PROT_READ), -ENOMEM);
	cr_assert_eq(as_mremap(as, below, PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), -EFAULT);
	cr_assert_eq(as_mlock(as, below, PAGE_SIZE, 0), -ENOMEM);
	cr_assert_eq(as_munmap(as, below, PAGE_SIZE), 0);
	cr_assert_eq(as_mmap(as, STACK_TOP - (2UL << 20), PAGE_SIZE, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	             (long)(STACK_TOP - (2UL << 20)));
	/* munmap of the untouched lower part leaves the stack's top part */
	cr_assert_eq(as_munmap(as, r->start, 8 * PAGE_SIZE), 0);
	cr_assert_eq(region_find(&as->regions, STACK_TOP - 1)->start, STACK_TOP - 25 * PAGE_SIZE);
	host_as_done(as);
}

Test(as, out_of_memory_then_clean_teardown)
{
	host_init(2UL << 20);
	struct as *as = host_as();
	vaddr_t va = 0x1000000;
	enum fault_result r;

	cr_assert_eq(as_define_region(as, va, va + (64UL << 20), RW, RK_HEAP, NULL, 0, 0), 0);
	while ((r = vm_fault(as, va, VM_WRITE)) == FAULT_OK)
		va += PAGE_SIZE;
	cr_assert_eq(r, FAULT_OOM);
	cr_assert_eq(frames_free(), 0);
	cr_assert_gt(as->resident, 400);
	/* Nothing half-done: the failed page is not mapped. */
	cr_assert_eq(host_peek(as, va), -1);
	host_as_done(as);
}

Test(as, map_page_out_of_memory)
{
	host_init(1UL << 20);
	struct as *as = host_as();
	paddr_t f = frame_alloc(FRAME_USER);

	while (frame_alloc(FRAME_KERNEL))
		;
	cr_assert_eq(sos_map_page(as, 0x400000, f, RW), -ENOMEM);
	cr_assert_eq(frame_of(f)->refs, 0, "no reference taken on failure");
}

Test(as, growsdown_region_extends_on_fault)
{
	struct as *as = host_as();
	vaddr_t top = 0x40000000;

	cr_assert_eq(as_mmap(as, top - PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0),
	             (long)(top - PAGE_SIZE));
	cr_assert_eq(host_poke(as, top - 3 * PAGE_SIZE + 5, 1), FAULT_OK);
	const struct region *r = region_find(&as->regions, top - 1);

	cr_assert_eq(r->start, top - 3 * PAGE_SIZE);
	/* Not beyond STACK_SIZE below its end. */
	cr_assert_eq(vm_fault(as, top - STACK_SIZE - 1, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(vm_fault(as, top - STACK_SIZE, VM_READ), FAULT_OK);
	/* Not within the guard gap above another accessible region. */
	cr_assert_eq(as_mmap(as, 0x30000000, PAGE_SIZE, PROT_READ,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	             0x30000000);
	cr_assert_eq(as_mmap(as, 0x30200000, PAGE_SIZE, PROT_READ,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0),
	             0x30200000);
	cr_assert_eq(vm_fault(as, 0x30001000, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(vm_fault(as, 0x30001000 + STACK_GUARD - 1, VM_READ), FAULT_NO_REGION);
	cr_assert_eq(vm_fault(as, 0x30001000 + STACK_GUARD, VM_READ), FAULT_OK);
	host_as_done(as);
}

Test(as, copyout_copyin_fault_pages_in)
{
	struct as *as = host_as();
	uint8_t buf[3 * 4096 + 100], back[sizeof(buf)];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i ^ (i >> 8));
	as_define_region(as, 0x700000, 0x710000, RW, RK_DATA, NULL, 0, 0);
	cr_assert_eq(as_copyout(as, 0x700f80, buf, sizeof(buf)), 0);
	cr_assert_eq(as->resident, 4, "pages faulted in by the copy");
	cr_assert_eq(as_copyin(as, back, 0x700f80, sizeof(buf)), 0);
	cr_assert_eq(memcmp(buf, back, sizeof(buf)), 0);
	cr_assert_eq(host_peek(as, 0x700f80 + 5000), buf[5000]);
	/* Reading an absent page faults it in (zero). */
	cr_assert_eq(as_copyin(as, back, 0x708000, 16), 0);
	for (int i = 0; i < 16; i++)
		cr_assert_eq(back[i], 0);
	cr_assert_eq(as_copyin(as, back, 0x700000, 0), 0);
	host_as_done(as);
}

Test(as, copy_faults_give_efault)
{
	struct as *as = host_as();
	uint8_t buf[64] = {1, 2, 3};

	as_define_region(as, 0x700000, 0x702000, RW, RK_DATA, NULL, 0, 0);
	as_define_region(as, 0x702000, 0x703000, VM_READ, RK_RODATA, NULL, 0, 0);
	as_define_region(as, 0x704000, 0x705000, 0, RK_MMAP, NULL, 0, 0);
	cr_assert_eq(as_copyout(as, 0x701ff0, buf, 32), -EFAULT, "runs into a read-only page");
	cr_assert_eq(as_copyin(as, buf, 0x701ff0, 32), 0, "reading it is fine");
	cr_assert_eq(as_copyin(as, buf, 0x702ff0, 32), -EFAULT, "runs into a hole");
	cr_assert_eq(as_copyin(as, buf, 0x704000, 1), -EFAULT, "PROT_NONE");
	cr_assert_eq(as_copyin(as, buf, 0x7ff000, 1), -EFAULT);
	cr_assert_eq(as_copyin(as, buf, USER_END - 1, 2), -EFAULT);
	cr_assert_eq(as_copyin(as, buf, ~0UL - 3, 8), -EFAULT, "wraps around");
	cr_assert_eq(as_copyout(as, 0, buf, 1), -EFAULT);
	cr_assert_eq(as_copyout(as, 0xffff800000000000UL, buf, 1), -EFAULT, "kernel half");
	host_as_done(as);
}

Test(as, copyout_out_of_memory)
{
	host_init(1UL << 20);
	struct as *as = host_as();
	static uint8_t big[2UL << 20];

	as_define_region(as, 0x700000, 0x700000 + sizeof(big), RW, RK_DATA, NULL, 0, 0);
	cr_assert_eq(as_copyout(as, 0x700000, big, sizeof(big)), -ENOMEM);
	host_as_done(as);
}

static void count_region(const struct region *r, void *arg)
{
	vaddr_t *last = arg;

	cr_assert_geq(r->start, *last);
	*last = r->end;
}

Test(as, for_each_region_in_order_and_resident)
{
	struct as *as = host_as();
	vaddr_t last = 0;

	as_define_stack(as, STACK_TOP - 8);
	as_define_region(as, 0x700000, 0x710000, RW, RK_DATA, NULL, 0, 0);
	as_define_region(as, 0x400000, 0x410000, VM_READ | VM_EXEC, RK_TEXT, NULL, 0, 0);
	as_for_each_region(as, count_region, &last);
	cr_assert_eq(last, STACK_TOP);
	vm_fault(as, 0x700000, VM_WRITE);
	vm_fault(as, 0x70f000, VM_WRITE);
	vm_fault(as, 0x400000, VM_READ);
	cr_assert_eq(as_region_resident(as, region_find(&as->regions, 0x700000)), 2);
	cr_assert_eq(as_region_resident(as, region_find(&as->regions, 0x400000)), 0, "zero page");
	cr_assert_eq(as_region_resident(as, region_find(&as->regions, STACK_TOP - 1)), 0);
	host_as_done(as);
}

/* --- brk --- */

Test(as, brk_basics)
{
	struct as *as = host_as();
	const vaddr_t start = 0x600000;

	as_define_region(as, 0x400000, 0x5ff000, RW, RK_DATA, NULL, 0, 0);
	as_init_brk(as, 0x5fe123);
	cr_assert_eq(as->brk_start, 0x5ff000);
	as_init_brk(as, start);
	cr_assert_eq(as_brk(as, 0), start);
	cr_assert_eq(as_brk(as, start - 1), start, "below the start: refused");
	cr_assert_eq(vm_fault(as, start, VM_WRITE), FAULT_NO_REGION);
	cr_assert_eq(as_brk(as, start + 10), start + 10);
	cr_assert_eq(vm_fault(as, start, VM_WRITE), FAULT_OK);
	cr_assert_eq(vm_fault(as, start + PAGE_SIZE, VM_WRITE), FAULT_NO_REGION);
	/* The seed's demonstration: 27 pages from malloc (brk). */
	cr_assert_eq(as_brk(as, start + 27 * PAGE_SIZE), start + 27 * PAGE_SIZE);
	for (int i = 0; i < 27; i++)
		cr_assert_eq(host_poke(as, start + (vaddr_t)i * PAGE_SIZE + 100, (uint8_t)(i + 1)),
		             FAULT_OK);
	cr_assert_eq(host_poke(as, start + 27 * PAGE_SIZE, 1), FAULT_NO_REGION);
	cr_assert_eq(region_find(&as->regions, start)->kind, RK_HEAP);
	cr_assert_eq(region_find(&as->regions, start)->end, start + 27 * PAGE_SIZE, "merged");
	size_t used = frames_in_state(FRAME_USER);

	/* Shrink: pages above the new break go, their frames too. */
	cr_assert_eq(as_brk(as, start + 10 * PAGE_SIZE + 1), start + 10 * PAGE_SIZE + 1);
	cr_assert_eq(frames_in_state(FRAME_USER), used - 16);
	cr_assert_eq(host_poke(as, start + 11 * PAGE_SIZE, 1), FAULT_NO_REGION);
	cr_assert_eq(host_load(as, start + 10 * PAGE_SIZE + 100), 11, "kept page keeps data");
	/* Regrow: the pages read zero. */
	cr_assert_eq(as_brk(as, start + 27 * PAGE_SIZE), start + 27 * PAGE_SIZE);
	for (int i = 11; i < 27; i++)
		cr_assert_eq(host_load(as, start + (vaddr_t)i * PAGE_SIZE + 100), 0);
	/* Shrink to the start: no heap at all. */
	cr_assert_eq(as_brk(as, start), start);
	cr_assert_null(region_find(&as->regions, start));
	cr_assert_eq(as_brk(as, ~0UL), start);
	cr_assert_eq(as_brk(as, USER_END + 1), start);
	host_as_done(as);
}

Test(as, brk_stops_a_page_below_the_next_region)
{
	struct as *as = host_as();
	const vaddr_t start = 0x600000;

	as_init_brk(as, start);
	as_define_region(as, 0x610000, 0x611000, RW, RK_MMAP, NULL, 0, 0);
	cr_assert_eq(as_brk(as, 0x610000), start, "would touch the region");
	cr_assert_eq(as_brk(as, 0x60f001), start, "no free page left above");
	cr_assert_eq(as_brk(as, 0x60f000), 0x60f000);
	cr_assert_eq(as_brk(as, 0x620000), 0x60f000, "beyond the region: refused");
	host_as_done(as);
}

Test(as, brk_shrink_unmaps_whatever_is_there)
{
	struct as *as = host_as();
	const vaddr_t start = 0x600000;

	as_init_brk(as, start);
	cr_assert_eq(as_brk(as, start + 8 * PAGE_SIZE), start + 8 * PAGE_SIZE);
	cr_assert_eq(as_mmap(as, start + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	             (long)(start + 4 * PAGE_SIZE));
	cr_assert_eq(as_brk(as, start + PAGE_SIZE), start + PAGE_SIZE);
	cr_assert_null(region_find(&as->regions, start + 4 * PAGE_SIZE));
	cr_assert_eq(nregions(as), 1);
	host_as_done(as);
}
