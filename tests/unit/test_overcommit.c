/* Unit tests of the overcommit heuristic (Linux 6.12's vm.overcommit_memory = 0) on fake RAM: one
 * request of more pages than RAM + swap is refused where Linux charges one (mmap, brk, mprotect,
 * mremap), and only there; nothing is summed across requests. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/place.h"
#include "mm/overcommit.h"
#include "mm/uapi.h"

TestSuite(overcommit, .init = host_setup, .fini = host_teardown);

#define RW        (PROT_READ | PROT_WRITE)
#define ANON      (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED    (MAP_SHARED | MAP_ANONYMOUS)
#define PG        PAGE_SIZE
#define A         0x10000000UL /* far from anything the tests map */
#define DROPPABLE 0x08         /* a MAP_TYPE (mmap.c keeps its own) */

/* RAM in bytes as the heuristic counts it: every frame of the fake RAM, and no swap. */
static size_t ram(void)
{
	return frames_total() * PG;
}

/* num/den of RAM, in whole pages. */
static size_t part(size_t num, size_t den)
{
	return frames_total() * num / den * PG;
}

static long map(struct as *as, vaddr_t addr, size_t len, int prot, int flags)
{
	return as_mmap(as, addr, len, prot, flags, -1, 0);
}

static const struct region *at(struct as *as, vaddr_t va)
{
	return region_find(&as->regions, va);
}

Test(overcommit, the_limit_is_ram_plus_swap)
{
	cr_assert_eq(swap_pages(), 0);
	cr_assert_gt(frames_total(), 0);
	cr_assert_eq(vm_enough_memory(0), 0);
	cr_assert_eq(vm_enough_memory(frames_total()), 0, "all of RAM: granted");
	cr_assert_eq(vm_enough_memory(frames_total() + 1), -ENOMEM);
	cr_assert_eq(vm_enough_memory(UINT64_MAX), -ENOMEM);
}

Test(overcommit, mmap_charges_private_writable_and_shared_memory)
{
	struct as *as = host_as();

	cr_assert_gt(map(as, 0, ram(), RW, ANON), 0, "all of RAM: granted");
	cr_assert_eq(map(as, 0, ram() + PG, RW, ANON), -ENOMEM);
	cr_assert_eq(map(as, 0, ram() + PG, PROT_WRITE, ANON | MAP_GROWSDOWN), -ENOMEM);
	cr_assert_gt(map(as, 0, ram(), RW, ANON), 0, "nothing is summed");
	cr_assert_gt(map(as, 0, 4 * ram(), PROT_READ, ANON), 0, "read-only: not charged");
	cr_assert_gt(map(as, 0, 4 * ram(), RW, ANON | MAP_NORESERVE), 0);
	cr_assert_gt(map(as, 0, 4 * ram(), RW, DROPPABLE | MAP_ANONYMOUS), 0);
	cr_assert_eq(map(as, 0, ram() + PG, PROT_READ, SHARED), -ENOMEM, "charged by size");
	cr_assert_gt(map(as, 0, ram(), PROT_NONE, SHARED), 0);
	cr_assert_gt(map(as, 0, 4 * ram(), RW, SHARED | MAP_NORESERVE), 0);
	cr_assert_gt(map(as, 0, 64 * ram(), RW, ANON | MAP_HUGETLB | MAP_NORESERVE), 0,
	             "hugetlb memory is never charged");
	host_as_done(as);
}

Test(overcommit, map_fixed_charges_only_what_it_adds)
{
	struct as *as = host_as();
	size_t most = part(3, 4);

	cr_assert_eq(map(as, A, most, RW, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(map(as, A, ram() + PG, RW, ANON | MAP_FIXED), (long)A, "a quarter added");
	cr_assert_eq(as_munmap(as, A, ram() + PG), 0);
	cr_assert_eq(map(as, A, ram() + PG, RW, ANON | MAP_FIXED), -ENOMEM);
	cr_assert_eq(map(as, A, most, PROT_READ, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(map(as, A, ram() + PG, RW, ANON | MAP_FIXED), -ENOMEM,
	             "read-only memory was never charged");
	host_as_done(as);
}

Test(overcommit, refused_map_fixed_keeps_the_old_mappings_cut)
{
	struct as *as = host_as();

	cr_assert_eq(map(as, A, 4 * PG, RW, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(host_poke(as, A + PG, 7), FAULT_OK);
	cr_assert_eq(map(as, A + PG, ram() + 4 * PG, RW, ANON | MAP_FIXED), -ENOMEM,
	             "three charged pages replaced: one page too many");
	cr_assert_eq(as->regions.count, 2, "cut at A + PG, as Linux's gather left it");
	cr_assert_eq(at(as, A)->end, A + PG);
	cr_assert_eq(at(as, A + PG)->end, A + 4 * PG);
	cr_assert_eq(host_load(as, A + PG), 7);
	host_as_done(as);
}

Test(overcommit, refused_shared_map_fixed_leaves_a_hole)
{
	struct as *as = host_as();

	cr_assert_eq(map(as, A, 4 * PG, RW, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(host_poke(as, A + PG, 7), FAULT_OK);
	cr_assert_eq(map(as, A + PG, ram() + PG, RW, SHARED | MAP_FIXED), -ENOMEM);
	cr_assert_eq(as->regions.count, 1);
	cr_assert_eq(at(as, A)->end, A + PG, "the old pages went before the object was charged");
	cr_assert_eq(as->resident, 0);
	host_as_done(as);
}

Test(overcommit, mprotect_charges_memory_made_writable_region_by_region)
{
	struct as *as = host_as();
	size_t most = part(3, 4);

	cr_assert_eq(map(as, A, 2 * ram(), PROT_READ, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(as_mprotect(as, A, 2 * ram(), RW), -ENOMEM);
	cr_assert_eq(at(as, A)->prot, VM_READ, "unchanged");
	cr_assert_eq(as->regions.count, 1, "uncut");
	cr_assert_eq(as_mprotect(as, A, most, RW), 0);
	cr_assert(at(as, A)->flags & REGION_ACCOUNT);
	cr_assert_eq(as_mprotect(as, A, most + ram() + PG, RW), -ENOMEM);
	cr_assert_eq(as_mprotect(as, A, most + ram(), RW), 0, "only the new part is charged");
	cr_assert_eq(as_mprotect(as, A, 2 * ram(), PROT_READ), 0);
	cr_assert_eq(as_munmap(as, A, 2 * ram()), 0);

	/* two regions of three quarters each: charged one at a time */
	cr_assert_eq(map(as, A, most, PROT_READ, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(map(as, A + most, most, PROT_READ | PROT_EXEC, ANON | MAP_FIXED),
	             (long)(A + most));
	cr_assert_eq(as_mprotect(as, A, 2 * most, RW), 0);

	/* a refusal keeps what changed before it */
	cr_assert_eq(map(as, A, PG, PROT_READ, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(map(as, A + PG, ram() + PG, PROT_READ | PROT_EXEC, ANON | MAP_FIXED),
	             (long)(A + PG));
	cr_assert_eq(as_mprotect(as, A, 2 * PG + ram(), RW), -ENOMEM);
	cr_assert_eq(at(as, A)->prot, VM_READ | VM_WRITE);
	cr_assert_eq(at(as, A + PG)->prot, VM_READ | VM_EXEC);

	cr_assert_eq(map(as, A, ram() + PG, RW, ANON | MAP_FIXED | MAP_NORESERVE), (long)A);
	cr_assert_eq(as_mprotect(as, A, ram() + PG, PROT_READ), 0);
	cr_assert_eq(as_mprotect(as, A, ram() + PG, RW), 0, "NORESERVE is never charged");
	cr_assert_eq(map(as, A, ram() + PG, PROT_READ, SHARED | MAP_FIXED | MAP_NORESERVE),
	             (long)A);
	cr_assert_eq(as_mprotect(as, A, ram() + PG, RW), 0, "nor is shared memory here");
	host_as_done(as);
}

Test(overcommit, mremap_charges_the_growth_of_charged_memory)
{
	struct as *as = host_as();
	size_t most = part(3, 4);

	cr_assert_eq(map(as, A, 4 * PG, RW, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(as_mremap(as, A, 4 * PG, ram() + 4 * PG, 0, 0), (long)A, "growth: all of RAM");
	cr_assert_eq(as_mremap(as, A, ram() + 4 * PG, 4 * PG, 0, 0), (long)A);
	cr_assert_eq(as_mremap(as, A, 4 * PG, ram() + 5 * PG, 0, 0), -ENOMEM, "in place");
	cr_assert_eq(as_mremap(as, A, 4 * PG, ram() + 5 * PG, MREMAP_MAYMOVE, 0), -ENOMEM);
	cr_assert_eq(at(as, A)->end, A + 4 * PG, "unchanged");
	cr_assert_eq(as_munmap(as, A, 4 * PG), 0);

	cr_assert_eq(map(as, A, most, RW, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(as_mremap(as, A, most, ram() + PG, 0, 0), (long)A, "a quarter added");
	cr_assert_eq(as_munmap(as, A, ram() + PG), 0);

	/* two halves merged: MREMAP_DONTUNMAP charges all of the new range */
	size_t half = part(1, 2), rest = ram() + PG - half;

	cr_assert_eq(map(as, A, half, RW, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(map(as, A + half, rest, RW, ANON | MAP_FIXED), (long)(A + half));
	cr_assert_eq(as->regions.count, 1);
	cr_assert_eq(as_mremap(as, A, ram() + PG, ram() + PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0),
	             -ENOMEM);
	cr_assert_eq(as_munmap(as, A, ram() + PG), 0);

	cr_assert_eq(map(as, A, 4 * PG, PROT_READ, ANON | MAP_FIXED), (long)A);
	cr_assert_eq(as_mremap(as, A, 4 * PG, 4 * ram(), 0, 0), (long)A, "read-only: free");
	cr_assert_eq(as_munmap(as, A, 4 * ram()), 0);
	cr_assert_eq(map(as, A, 4 * PG, RW, SHARED | MAP_FIXED), (long)A);
	cr_assert_eq(as_mremap(as, A, 4 * PG, 4 * ram(), 0, 0), (long)A, "shared: free");
	host_as_done(as);
}

Test(overcommit, brk_charges_each_growth_alone)
{
	struct as *as = host_as();
	const vaddr_t start = 0x600000;

	as_init_brk(as, start);
	cr_assert_eq(as_brk(as, start + ram() + PG), start);
	cr_assert_eq(as_brk(as, start + part(1, 2)), start + part(1, 2));
	cr_assert_eq(as_brk(as, start + ram()), start + ram(), "nothing is summed");
	cr_assert_eq(as_brk(as, start + 2 * ram() + PG), start + ram());
	host_as_done(as);
}

Test(overcommit, writable_program_memory_is_charged)
{
	struct as *as = host_as();

	cr_assert_eq(
	    as_define_region(as, 0x400000, 0x401000, VM_READ | VM_EXEC, RK_TEXT, NULL, 0, 0), 0);
	cr_assert_eq(
	    as_define_region(as, 0x402000, 0x404000, VM_READ | VM_WRITE, RK_DATA, NULL, 0, 0), 0);
	cr_assert_not(at(as, 0x400000)->flags & REGION_ACCOUNT);
	cr_assert(at(as, 0x402000)->flags & REGION_ACCOUNT, "Linux's VM_ACCOUNT of data and bss");
	host_as_done(as);
}
