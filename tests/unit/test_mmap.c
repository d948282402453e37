/* Unit tests of the memory system calls against Linux x86-64 behaviour: mmap placement and
 * errors, munmap, mprotect (PTE rights and TLB flushes), madvise, mremap and merging. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/uapi.h"

TestSuite(mmap, .init = host_setup, .fini = host_teardown);

#define RW   (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define PG   PAGE_SIZE

static long map(struct as *as, vaddr_t addr, size_t len, int prot, int flags)
{
	return as_mmap(as, addr, len, prot, flags, -1, 0);
}

/* Fill [va, va + n pages) with a pattern byte per page. */
static void fill(struct as *as, vaddr_t va, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(host_poke(as, va + i * PG + 1, (uint8_t)(seed + i)), FAULT_OK);
}

static void expect(struct as *as, vaddr_t va, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(host_load(as, va + i * PG + 1), (uint8_t)(seed + i), "page %zu", i);
}

Test(mmap, anonymous_top_down_and_lazy)
{
	struct as *as = host_as();
	long a = map(as, 0, 3 * PG, RW, ANON);

	cr_assert_eq(a, (long)(MMAP_TOP - 3 * PG));
	cr_assert_eq(frames_in_state(FRAME_USER), 0, "nothing until touched");
	long b = map(as, 0, 5000, RW, ANON);

	cr_assert_eq(b, a - 2 * (long)PG, "length rounded up, placed just below");
	cr_assert_eq(host_load(as, (vaddr_t)b + 4999), 0);
	cr_assert_eq(host_load(as, (vaddr_t)b + 8191), 0);
	cr_assert_eq(as->regions.count, 1, "equal neighbours merge");
	fill(as, (vaddr_t)b, 5, 10);
	expect(as, (vaddr_t)b, 5, 10);
	cr_assert_eq(map(as, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS), b - (long)PG);
	cr_assert_eq(host_poke(as, (vaddr_t)b - PG, 1), FAULT_OK);
	host_as_done(as);
}

Test(mmap, errors_as_linux)
{
	struct as *as = host_as();

	cr_assert_eq(map(as, 0, 0, RW, ANON), -EINVAL);
	cr_assert_eq(as_mmap(as, 0, PG, RW, MAP_PRIVATE, -1, 0), -EBADF);
	cr_assert_eq(as_mmap(as, 0, PG, RW, MAP_PRIVATE, 3, 0), -EBADF);
	cr_assert_eq(as_mmap(as, 0, PG, RW, ANON, -1, 100), -EINVAL);
	cr_assert_eq(as_mmap(as, 0, 0, RW, MAP_PRIVATE, -1, 100), -EINVAL, "offset checked first");
	cr_assert_eq(map(as, 0, PG, RW, MAP_ANONYMOUS), -EINVAL);
	cr_assert_eq(map(as, 0, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), -EINVAL);
	cr_assert_eq(map(as, 0, ~0UL, RW, ANON), -ENOMEM);
	cr_assert_eq(map(as, 0, ~0UL - PG - 5, RW, ANON), -ENOMEM);
	cr_assert_eq(map(as, 0, USER_END + 1, RW, ANON), -ENOMEM);
	cr_assert_eq(map(as, 0x100001, PG, RW, ANON | MAP_FIXED), -EINVAL);
	cr_assert_eq(map(as, USER_END - PG, 2 * PG, RW, ANON | MAP_FIXED), -ENOMEM);
	cr_assert_eq(map(as, USER_END - PG + 1, PG, RW, ANON | MAP_FIXED), -ENOMEM);
	cr_assert_eq(map(as, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), -EINVAL);
	cr_assert_eq(map(as, 0, PG, RW, ANON | MAP_HUGETLB), -ENOMEM);
	cr_assert_eq(as->regions.count, 0, "no failed call left a region");
	/* Accepted flags. */
	cr_assert_gt(map(as, 0, PG, RW, ANON | MAP_NORESERVE | MAP_STACK | MAP_DENYWRITE), 0);
	cr_assert_eq(map(as, USER_MIN, PG, RW, ANON | MAP_FIXED), (long)USER_MIN);
	cr_assert_eq(map(as, USER_END - PG, PG, RW, ANON | MAP_FIXED), (long)(USER_END - PG));
	/* The oracle runs as root: CAP_SYS_RAWIO passes mmap_min_addr. */
	cr_assert_eq(map(as, 0, PG, RW, ANON | MAP_FIXED), 0);
	cr_assert_eq(map(as, USER_MIN - PG, PG, RW, ANON | MAP_FIXED), (long)(USER_MIN - PG));
	host_as_done(as);
}

Test(mmap, hints)
{
	struct as *as = host_as();

	cr_assert_eq(map(as, 0x20000000, PG, RW, ANON), 0x20000000, "free hint used");
	cr_assert_eq(map(as, 0x30000123, PG, RW, ANON), 0x30000000, "rounded down");
	cr_assert_eq(map(as, 0x20000000, PG, RW, ANON), (long)(MMAP_TOP - PG), "taken: top-down");
	cr_assert_eq(map(as, 0x1fff000, 2 * PG, RW, ANON), 0x1fff000);
	cr_assert_eq(map(as, 0x1ffe000, 2 * PG, RW, ANON), (long)(MMAP_TOP - 3 * PG),
	             "hint overlapping the next region is not used");
	cr_assert_eq(map(as, 0x1100, PG, RW, ANON), (long)USER_MIN, "low hints go to USER_MIN");
	cr_assert_eq(map(as, 0x100, PG, RW, ANON), (long)(MMAP_TOP - 4 * PG),
	             "one in the first page is no hint");
	cr_assert_eq(map(as, USER_END - PG, 2 * PG, RW, ANON), (long)(MMAP_TOP - 6 * PG));
	host_as_done(as);
}

Test(mmap, map_32bit_low)
{
	struct as *as = host_as();
	long a = map(as, 0, PG, RW, ANON | MAP_32BIT);

	cr_assert_eq(a, 0x40000000);
	cr_assert_eq(map(as, 0, PG, RW, ANON | MAP_32BIT), 0x40001000);
	cr_assert_eq(map(as, 0x50000123, PG, RW, ANON | MAP_32BIT), 0x50000000, "a hint is taken");
	cr_assert_eq(map(as, 0x20000000, PG, RW, ANON | MAP_32BIT), 0x20000000, "even below 1 GiB");
	cr_assert_eq(map(as, 0x600000000, PG, RW, ANON | MAP_32BIT), 0x40002000, "not above 2 GiB");
	cr_assert_eq(map(as, 0x7ffff000, 2 * PG, RW, ANON | MAP_32BIT), 0x40003000);
	host_as_done(as);
}

Test(mmap, no_room_gives_enomem)
{
	struct as *as = host_as();

	cr_assert_eq(map(as, 0, MMAP_TOP - USER_MIN, PROT_NONE, ANON | MAP_NORESERVE),
	             (long)USER_MIN);
	cr_assert_eq(map(as, 0, PG, RW, ANON), -ENOMEM);
	cr_assert_eq(as_munmap(as, 0x50000000, PG), 0);
	cr_assert_eq(map(as, 0, 2 * PG, RW, ANON), -ENOMEM);
	cr_assert_eq(map(as, 0, PG, RW, ANON), 0x50000000);
	host_as_done(as);
}

Test(mmap, fixed_replaces_and_frees)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000;

	cr_assert_eq(map(as, a, 8 * PG, RW, ANON | MAP_FIXED), (long)a);
	fill(as, a, 8, 1);
	cr_assert_eq(frames_in_state(FRAME_USER), 8);
	cr_assert_eq(map(as, a + 2 * PG, 3 * PG, PROT_READ, ANON | MAP_FIXED), (long)(a + 2 * PG));
	cr_assert_eq(frames_in_state(FRAME_USER), 5);
	cr_assert_eq(as->regions.count, 3);
	expect(as, a, 2, 1);
	expect(as, a + 5 * PG, 3, 6);
	cr_assert_eq(host_load(as, a + 3 * PG + 1), 0, "replaced pages read zero");
	cr_assert_eq(host_poke(as, a + 3 * PG, 1), FAULT_DENIED);
	cr_assert_eq(map(as, a + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	cr_assert_eq(map(as, a + 7 * PG, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	cr_assert_eq(map(as, a + 8 * PG, PG, RW, ANON | MAP_FIXED_NOREPLACE), (long)(a + 8 * PG));
	cr_assert_eq(map(as, a + 8 * PG + 5, PG, RW, ANON | MAP_FIXED_NOREPLACE), -EINVAL);
	host_as_done(as);
}

Test(mmap, populate_prefaults)
{
	struct as *as = host_as();
	long a = map(as, 0, 16 * PG, RW, ANON | MAP_POPULATE);

	cr_assert_gt(a, 0);
	cr_assert_eq(as->resident, 16);
	for (int i = 0; i < 16; i++)
		cr_assert_eq(host_peek(as, (vaddr_t)a + (vaddr_t)i * PG), 0);
	cr_assert_gt(map(as, 0, 4 * PG, PROT_NONE, ANON | MAP_POPULATE), 0);
	cr_assert_eq(as->resident, 16, "PROT_NONE is not populated");
	cr_assert_gt(map(as, 0, 1UL << 40, PROT_NONE, ANON | MAP_POPULATE | MAP_NORESERVE), 0,
	             "a 1 TiB reservation is not walked page by page");
	cr_assert_eq(as->resident, 16);
	host_as_done(as);
}

Test(mmap, prot_none_then_mprotect)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)map(as, 0, 4 * PG, PROT_NONE, ANON);

	cr_assert_eq(vm_fault(as, a, VM_READ), FAULT_DENIED);
	cr_assert_eq(as_mprotect(as, a, 4 * PG, RW), 0);
	fill(as, a, 4, 50);
	cr_assert_eq(as_mprotect(as, a, 4 * PG, PROT_NONE), 0);
	cr_assert_eq(host_load(as, a + 1), -1 - FAULT_DENIED);
	cr_assert_eq(host_pte(as, a) & PTE_U, 0, "no user access through the PTE");
	cr_assert_eq(frames_in_state(FRAME_USER), 4, "frames kept");
	cr_assert_eq(as_mprotect(as, a, 4 * PG, PROT_READ), 0);
	expect(as, a, 4, 50);
	host_as_done(as);
}

Test(mmap, munmap)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000;

	cr_assert_eq(as_munmap(as, a + 1, PG), -EINVAL);
	cr_assert_eq(as_munmap(as, a, 0), -EINVAL);
	cr_assert_eq(as_munmap(as, USER_END, PG), -EINVAL);
	cr_assert_eq(as_munmap(as, USER_END - PG, 2 * PG), -EINVAL);
	cr_assert_eq(as_munmap(as, a, ~0UL), -EINVAL);
	cr_assert_eq(as_munmap(as, a, PG), 0, "nothing there is fine");

	map(as, a, 10 * PG, RW, ANON | MAP_FIXED);
	fill(as, a, 10, 1);
	size_t tables = frames_in_state(FRAME_PAGETABLE);

	cr_assert_eq(as_munmap(as, a + 3 * PG, 2 * PG + 1), 0, "length rounded up");
	cr_assert_eq(as->regions.count, 2);
	cr_assert_eq(frames_in_state(FRAME_USER), 7);
	cr_assert_eq(host_load(as, a + 4 * PG), -1 - FAULT_NO_REGION);
	cr_assert_eq(host_load(as, a + 5 * PG), -1 - FAULT_NO_REGION);
	expect(as, a + 6 * PG, 4, 7);
	/* A range spanning regions and holes. */
	cr_assert_eq(as_munmap(as, a - 100 * PG, 200 * PG), 0);
	cr_assert_eq(as->regions.count, 0);
	cr_assert_eq(frames_in_state(FRAME_USER), 0);
	cr_assert_lt(frames_in_state(FRAME_PAGETABLE), tables, "emptied tables are freed");
	cr_assert_eq(frames_in_state(FRAME_PAGETABLE), 1, "only the root is left");
	host_as_done(as);
}

Test(mmap, mprotect_rights_and_flush)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000;

	map(as, a, 4 * PG, RW, ANON | MAP_FIXED);
	fill(as, a, 4, 1);
	cr_assert_eq(as_mprotect(as, a + 1, PG, PROT_READ), -EINVAL);
	cr_assert_eq(as_mprotect(as, a, PG, 0x10), -EINVAL);
	cr_assert_eq(as_mprotect(as, a, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	cr_assert_eq(as_mprotect(as, a, PG, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	cr_assert_eq(as_mprotect(as, a, PG, PROT_READ | PROT_GROWSUP), -EINVAL);
	cr_assert_eq(as_mprotect(as, a, 0, PROT_READ), 0);
	cr_assert_eq(as_mprotect(as, a, ~0UL, PROT_READ), -ENOMEM);
	cr_assert_eq(as_mprotect(as, a, PG, RW | 0x8), 0, "PROT_SEM is accepted");

	unsigned long flushes = host_flushes;

	cr_assert_eq(as_mprotect(as, a + PG, 2 * PG, PROT_READ), 0);
	cr_assert_geq(host_flushes, flushes + 2, "each present page flushed");
	cr_assert_eq(as->regions.count, 3);
	cr_assert_eq(host_pte(as, a + PG) & (PTE_W | PTE_NX | PTE_U), PTE_NX | PTE_U);
	cr_assert_eq(host_pte(as, a) & PTE_W, PTE_W);
	cr_assert_eq(host_poke(as, a + PG, 9), FAULT_DENIED);
	cr_assert_eq(host_poke(as, a + 3 * PG, 9), FAULT_OK);
	cr_assert_eq(as_mprotect(as, a + PG, 2 * PG, PROT_READ | PROT_EXEC), 0);
	cr_assert_eq(host_pte(as, a + PG) & (PTE_W | PTE_NX), 0);
	cr_assert_eq(as_mprotect(as, a, 4 * PG, RW), 0);
	cr_assert_eq(as->regions.count, 1, "merged back");
	cr_assert_eq(host_poke(as, a + PG, 9), FAULT_OK);
	host_as_done(as);
}

Test(mmap, mprotect_holes)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000;

	map(as, a, 2 * PG, RW, ANON | MAP_FIXED);
	map(as, a + 3 * PG, 2 * PG, RW, ANON | MAP_FIXED);
	cr_assert_eq(as_mprotect(as, a - PG, 2 * PG, PROT_READ), -ENOMEM);
	cr_assert_eq(region_find(&as->regions, a)->prot, VM_READ | VM_WRITE, "nothing changed");
	/* Linux changes the regions before the hole, then fails. */
	cr_assert_eq(as_mprotect(as, a, 5 * PG, PROT_READ), -ENOMEM);
	cr_assert_eq(region_find(&as->regions, a)->prot, VM_READ);
	cr_assert_eq(region_find(&as->regions, a + 3 * PG)->prot, VM_READ | VM_WRITE);
	cr_assert_eq(as_mprotect(as, a + 3 * PG, 3 * PG, PROT_READ), -ENOMEM, "hole at the end");
	cr_assert_eq(region_find(&as->regions, a + 3 * PG)->prot, VM_READ);
	host_as_done(as);
}

Test(mmap, madvise)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000;

	map(as, a, 8 * PG, RW, ANON | MAP_FIXED);
	fill(as, a, 8, 1);
	cr_assert_eq(as_madvise(as, a, PG, 999), -EINVAL);
	/* MADV_GUARD_INSTALL and MADV_GUARD_REMOVE came in Linux 6.13: unknown advice to 6.12,
	 * refused before the range is looked at. */
	cr_assert_eq(as_madvise(as, a, PG, 102), -EINVAL);
	cr_assert_eq(as_madvise(as, a, 0, 103), -EINVAL);
	cr_assert_eq(as_madvise(as, a + 1, PG, MADV_DONTNEED), -EINVAL);
	cr_assert_eq(as_madvise(as, a, ~0UL, MADV_DONTNEED), -EINVAL);
	cr_assert_eq(as_madvise(as, a, 0, MADV_DONTNEED), 0);
	cr_assert_eq(as_madvise(as, a, PG, MADV_NORMAL), 0);
	cr_assert_eq(as_madvise(as, a, PG, MADV_WILLNEED), 0);
	cr_assert_eq(as_madvise(as, a, PG, MADV_HUGEPAGE), 0);
	cr_assert_eq(as_madvise(as, a, PG, MADV_DONTDUMP), 0);
	cr_assert_eq(frames_in_state(FRAME_USER), 8);

	cr_assert_eq(as_madvise(as, a + PG, 2 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(frames_in_state(FRAME_USER), 6);
	cr_assert_eq(host_load(as, a + PG + 1), 0, "reads back zero");
	expect(as, a, 1, 1);
	expect(as, a + 3 * PG, 5, 4);
	cr_assert_eq(as_madvise(as, a + 3 * PG, PG, MADV_FREE), 0);
	expect(as, a + 3 * PG, 5, 4); /* lazily freed: the contents stay until reclaim wants them */
	cr_assert_eq(frames_in_state(FRAME_USER), 6);

	/* A hole: the mapped part is still advised, the result is -ENOMEM. */
	cr_assert_eq(as_madvise(as, a + 6 * PG, 4 * PG, MADV_DONTNEED), -ENOMEM);
	cr_assert_eq(host_peek(as, a + 6 * PG), -1);
	cr_assert_eq(host_peek(as, a + 7 * PG), -1);
	cr_assert_eq(as_madvise(as, a - 4 * PG, 2 * PG, MADV_NORMAL), -ENOMEM);
	cr_assert_eq(as_madvise(as, a + 100 * PG, PG, MADV_NORMAL), -ENOMEM);

	cr_assert_eq(as_madvise(as, a, PG, MADV_REMOVE), -EINVAL, "private memory");
	cr_assert_eq(as_madvise(as, a, 8 * PG, MADV_POPULATE_WRITE), 0);
	cr_assert_eq(as->resident, 8);
	as_mprotect(as, a, PG, PROT_READ);
	cr_assert_eq(as_madvise(as, a, PG, MADV_POPULATE_WRITE), -EINVAL);
	cr_assert_eq(as_madvise(as, a, PG, MADV_POPULATE_READ), 0);
	host_as_done(as);
}

Test(mmap, madvise_shared_and_image)
{
	static uint8_t image[3 * PAGE_SIZE];
	struct as *as = host_as();
	vaddr_t s = (vaddr_t)map(as, 0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS);

	fill(as, s, 2, 30);
	cr_assert_eq(as_madvise(as, s, 2 * PG, MADV_DONTNEED), 0);
	expect(as, s, 2, 30); /* shared memory lives on in its object on Linux */
	cr_assert_eq(as_madvise(as, s, 2 * PG, MADV_FREE), -EINVAL);
	cr_assert_eq(as_madvise(as, s, PG, MADV_REMOVE), 0);
	cr_assert_eq(host_load(as, s + 1), 0);

	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (uint8_t)(i % 251);
	as_define_region(as, 0x600000, 0x603000, VM_READ | VM_WRITE, RK_DATA, image, 0x600000,
	                 sizeof(image));
	cr_assert_eq(host_poke(as, 0x600010, 0xee), FAULT_OK);
	cr_assert_eq(as_madvise(as, 0x600000, PG, MADV_DONTNEED), 0);
	cr_assert_eq(host_load(as, 0x600010), 16, "private file pages come back from the file");
	cr_assert_eq(as_madvise(as, 0x600000, PG, MADV_FREE), -EINVAL);
	host_as_done(as);
}

Test(mmap, mremap_shrink_grow_move)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000;

	map(as, a, 4 * PG, RW, ANON | MAP_FIXED);
	fill(as, a, 4, 1);
	cr_assert_eq(as_mremap(as, a, 4 * PG, 2 * PG, 0, 0), (long)a);
	cr_assert_eq(frames_in_state(FRAME_USER), 2);
	cr_assert_eq(host_load(as, a + 2 * PG), -1 - FAULT_NO_REGION);
	cr_assert_eq(as_mremap(as, a, 2 * PG, 6 * PG, 0, 0), (long)a, "grown in place");
	expect(as, a, 2, 1);
	cr_assert_eq(host_load(as, a + 5 * PG + 1), 0);
	cr_assert_eq(as->regions.count, 1);

	map(as, a + 6 * PG, PG, PROT_READ, ANON | MAP_FIXED);
	cr_assert_eq(as_mremap(as, a, 6 * PG, 8 * PG, 0, 0), -ENOMEM, "blocked, may not move");
	size_t frames = frames_in_state(FRAME_USER);
	pte_t before = host_pte(as, a);
	long b = as_mremap(as, a, 6 * PG, 8 * PG, MREMAP_MAYMOVE, 0);

	cr_assert_eq(b, (long)(MMAP_TOP - 8 * PG));
	cr_assert_eq(host_pte(as, (vaddr_t)b) & PTE_ADDR, before & PTE_ADDR, "PTEs move, not data");
	cr_assert_eq(frames_in_state(FRAME_USER), frames);
	expect(as, (vaddr_t)b, 2, 1);
	cr_assert_eq(host_load(as, a + 1), -1 - FAULT_NO_REGION);
	cr_assert_eq(host_load(as, (vaddr_t)b + 7 * PG), 0);
	host_as_done(as);
}

Test(mmap, mremap_fixed_and_dontunmap)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000, t = 0x20000000;

	map(as, a, 2 * PG, RW, ANON | MAP_FIXED);
	map(as, t, 4 * PG, RW, ANON | MAP_FIXED);
	fill(as, a, 2, 5);
	fill(as, t, 4, 90);
	cr_assert_eq(as_mremap(as, a, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t + PG),
	             (long)(t + PG));
	cr_assert_eq(frames_in_state(FRAME_USER), 1 + 2, "the target's old pages are freed");
	expect(as, t, 1, 90);
	expect(as, t + PG, 2, 5);
	cr_assert_eq(host_load(as, t + 3 * PG + 1), 0, "old data at the target is gone");
	cr_assert_eq(host_load(as, a), -1 - FAULT_NO_REGION);

	/* DONTUNMAP: the old range stays mapped and reads zero; the data moves. */
	long d = as_mremap(as, t + PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);

	cr_assert_gt(d, 0);
	expect(as, (vaddr_t)d, 2, 5);
	cr_assert_eq(host_load(as, t + PG + 1), 0);
	host_as_done(as);
}

Test(mmap, mremap_errors)
{
	struct as *as = host_as();
	vaddr_t a = 0x10000000;

	map(as, a, 2 * PG, RW, ANON | MAP_FIXED);
	cr_assert_eq(as_mremap(as, a, PG, PG, 8, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, a, PG, PG, MREMAP_FIXED, a + 8 * PG), -EINVAL);
	cr_assert_eq(as_mremap(as, a, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, a, PG, PG, MREMAP_DONTUNMAP, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, a + 1, PG, PG, 0, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, a, PG, 0, 0, 0), -EINVAL);
	cr_assert_eq(as_mremap(as, a + 4 * PG, PG, 2 * PG, 0, 0), -EFAULT);
	cr_assert_eq(as_mremap(as, a, 3 * PG, 4 * PG, MREMAP_MAYMOVE, 0), -EFAULT,
	             "old range runs past its region");
	cr_assert_eq(as_mremap(as, a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + PG),
	             -EINVAL, "overlap");
	cr_assert_eq(as_mremap(as, a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 0x801),
	             -EINVAL);
	cr_assert_eq(as_mremap(as, a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, USER_END - PG),
	             -EINVAL);
	cr_assert_eq(as_mremap(as, a, 2 * PG, 2 * PG, 0, 0), (long)a, "same size: nothing to do");
	cr_assert_eq(as_mremap(as, a, 0, PG, MREMAP_MAYMOVE, 0), -EINVAL);
	host_as_done(as);
}

Test(mmap, page_by_page_mapping_merges)
{
	struct as *as = host_as();

	for (int i = 0; i < 1000; i++)
		cr_assert_gt(map(as, 0, PG, RW, ANON), 0);
	cr_assert_eq(as->regions.count, 1);
	for (int i = 0; i < 1000; i += 2)
		as_mprotect(as, MMAP_TOP - (vaddr_t)(i + 1) * PG, PG, PROT_READ);
	cr_assert_eq(as->regions.count, 1000);
	for (int i = 0; i < 1000; i += 2)
		as_mprotect(as, MMAP_TOP - (vaddr_t)(i + 1) * PG, PG, RW);
	cr_assert_eq(as->regions.count, 1);
	host_as_done(as);
}

Test(mmap, many_regions_stay_fast)
{
	/* 20,000+ regions that cannot merge (alternating rights): every call stays O(log n). */
	struct as *as = host_as();

	for (int i = 0; i < 25000; i++)
		cr_assert_gt(map(as, 0, PG, (i & 1) ? PROT_READ : RW, ANON), 0);
	cr_assert_eq(as->regions.count, 25000);
	for (int i = 0; i < 25000; i += 7) {
		vaddr_t va = MMAP_TOP - (vaddr_t)(i + 1) * PG;

		cr_assert_eq(vm_fault(as, va, VM_READ), FAULT_OK);
	}
	for (int i = 0; i < 25000; i += 2)
		cr_assert_eq(as_munmap(as, MMAP_TOP - (vaddr_t)(i + 1) * PG, PG), 0);
	for (int i = 0; i < 12500; i++)
		cr_assert_gt(map(as, 0, PG, RW, ANON), 0);
	host_as_done(as);
}

Test(mmap, out_of_memory_for_regions)
{
	host_init(1UL << 20);
	struct as *as = host_as();
	vaddr_t big = 0x10000000;
	long r = 0;
	int n = 0;

	cr_assert_eq(map(as, big, 16 * PG, RW, ANON | MAP_FIXED), (long)big);
	while ((r = map(as, 0, PG, (n & 1) ? PROT_READ : RW, ANON)) > 0)
		n++;
	cr_assert_eq(r, -ENOMEM);
	cr_assert_gt(n, 1000);
	/* Cutting a region needs a new one: the calls fail and change nothing. */
	size_t count = as->regions.count;

	cr_assert_eq(as_mprotect(as, big + 4 * PG, PG, PROT_READ), -ENOMEM);
	cr_assert_eq(as_munmap(as, big + 4 * PG, PG), -ENOMEM);
	cr_assert_eq(as->regions.count, count);
	const struct region *reg = region_find(&as->regions, big);

	cr_assert_eq(reg->start, big);
	cr_assert_eq(reg->end, big + 16 * PG);
	cr_assert_eq(reg->prot, VM_READ | VM_WRITE);
	host_as_done(as);
}

Test(mmap, mremap_moves_image_backed_pages)
{
	static uint8_t image[4 * PAGE_SIZE];
	struct as *as = host_as();
	const vaddr_t a = 0x600000;

	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (uint8_t)(1 + i % 253);
	/* File bytes from a + 0x100 for 3.5 pages; the region is 5 pages. */
	as_define_region(as, a, a + 5 * PG, VM_READ | VM_WRITE, RK_DATA, image, a + 0x100,
	                 3 * PG + PG / 2);
	cr_assert_eq(host_poke(as, a + PG + 7, 0xcc), FAULT_OK);
	/* Move pages 1..3 (one touched, two still in the file) and grow to 5 pages. */
	long b = as_mremap(as, a + PG, 3 * PG, 5 * PG, MREMAP_MAYMOVE, 0);

	cr_assert_gt(b, 0);
	cr_assert_eq(host_load(as, (vaddr_t)b + 7), 0xcc, "the touched page moved");
	for (vaddr_t off = 8; off < 3 * PG; off += 111) {
		vaddr_t was = a + PG + off;
		int want = was < a + 0x100 + 3 * PG + PG / 2 ? image[was - a - 0x100] : 0;

		cr_assert_eq(host_load(as, (vaddr_t)b + off), want, "offset %lx", off);
	}
	cr_assert_eq(host_load(as, (vaddr_t)b + 4 * PG + 5), 0, "grown part is zero");
	cr_assert_eq(host_load(as, a + 5), 0, "before the file bytes: zero");
	cr_assert_eq(host_load(as, a + 0x100), image[0]);
	cr_assert_eq(host_load(as, a + PG), -1 - FAULT_NO_REGION);
	cr_assert_eq(host_load(as, a + 4 * PG + 1), 0);
	host_as_done(as);
}

Test(mmap, mprotect_growsdown)
{
	struct as *as = host_as();
	const vaddr_t a = 0x20000000;

	cr_assert_eq(map(as, a, 4 * PG, RW, ANON | MAP_GROWSDOWN | MAP_FIXED), (long)a);
	cr_assert_eq(as_mprotect(as, a + 2 * PG, PG, PROT_READ | PROT_GROWSDOWN), 0);
	/* PROT_GROWSDOWN extends the change down to the start of the region. */
	cr_assert_eq(region_find(&as->regions, a)->prot, VM_READ);
	cr_assert_eq(region_find(&as->regions, a + 2 * PG)->prot, VM_READ);
	cr_assert_eq(region_find(&as->regions, a + 3 * PG)->prot, VM_READ | VM_WRITE);
	host_as_done(as);
}
