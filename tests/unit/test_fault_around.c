/* Unit tests of fault-around: a write fault that continues a sequential run through private
 * anonymous memory maps the next pages too, and never where it could change what a program sees. */
#include <criterion/criterion.h>

#include "host.h"
#include "arch/x86_64/pte.h"
#include "mm/layout.h"
#include "mm/uapi.h"

#define PG PAGE_SIZE
#define BASE                                                                                       \
	0x40000000UL /* 2 MiB aligned: one last-level table covers BASE .. BASE + 512 pages        \
	              */
#define RW (VM_READ | VM_WRITE)

static void setup(void)
{
	host_setup();
	fault_around_pages = FAULT_AROUND_DEFAULT;
}

TestSuite(fault_around, .init = setup, .fini = host_teardown);

/* A private read-write anonymous region of n pages at va. */
static void define(struct as *as, vaddr_t va, size_t n)
{
	cr_assert_eq(as_define_region(as, va, va + n * PG, RW, RK_MMAP, NULL, 0, 0), 0);
}

/* Write byte v to page i of BASE. */
static void poke(struct as *as, size_t i, uint8_t v)
{
	cr_assert_eq(host_poke(as, BASE + i * PG, v), FAULT_OK, "page %zu", i);
}

Test(fault_around, an_upward_run_maps_the_next_pages_zeroed)
{
	struct as *as = host_as();

	define(as, BASE, 64);
	poke(as, 0, 1);
	cr_assert_eq(as->resident, 1, "a first fault maps one page");
	poke(as, 1, 2);
	cr_assert_eq(as->resident, 1 + FAULT_AROUND_DEFAULT, "the second continues a run");
	for (size_t i = 2; i <= FAULT_AROUND_DEFAULT; i++) {
		cr_assert_neq(host_pte(as, BASE + i * PG) & PTE_W, 0, "page %zu mapped writable",
		              i);
		cr_assert_eq(host_peek(as, BASE + i * PG), 0, "page %zu reads zero", i);
	}
	cr_assert_eq(host_pte(as, BASE + (FAULT_AROUND_DEFAULT + 1) * PG), 0);
	poke(as, FAULT_AROUND_DEFAULT + 1, 3);
	cr_assert_eq(as->resident, 1 + 2 * FAULT_AROUND_DEFAULT, "the run goes on");
	cr_assert_eq(host_peek(as, BASE + PG), 2);
	host_as_done(as);
}

Test(fault_around, a_downward_run_maps_the_pages_below)
{
	struct as *as = host_as();

	define(as, BASE, 64);
	poke(as, 63, 1);
	poke(as, 62, 2);
	cr_assert_eq(as->resident, 1 + FAULT_AROUND_DEFAULT);
	cr_assert_neq(host_pte(as, BASE + (63 - FAULT_AROUND_DEFAULT) * PG), 0);
	cr_assert_eq(host_pte(as, BASE + (62 - FAULT_AROUND_DEFAULT) * PG), 0);
	host_as_done(as);
}

Test(fault_around, scattered_faults_map_one_page_each)
{
	struct as *as = host_as();

	define(as, BASE, 64);
	for (size_t i = 0; i < 60; i += 5)
		poke(as, i, (uint8_t)i);
	cr_assert_eq(as->resident, 12);
	host_as_done(as);
}

Test(fault_around, stops_at_the_region_end_and_the_table_end)
{
	struct as *as = host_as();

	define(as, BASE, 8);
	define(as, BASE + 8 * PG, 8); /* the run below happens in this one */
	cr_assert_eq(
	    as_define_region(as, BASE + 16 * PG, BASE + 24 * PG, VM_READ, RK_MMAP, NULL, 0, 0), 0);
	poke(as, 10, 1);
	poke(as, 11, 1);
	cr_assert_eq(as->resident, 6, "pages 10 to 15: the read-only region above is left alone");
	cr_assert_eq(host_pte(as, BASE + 16 * PG), 0);

	/* The last page of the last-level table: a run there maps nothing beyond it. */
	vaddr_t edge = BASE + 510 * PG;

	define(as, edge, 8);
	cr_assert_eq(host_poke(as, edge, 1), FAULT_OK);
	cr_assert_eq(host_poke(as, edge + PG, 1), FAULT_OK);
	cr_assert_eq(as->resident, 8, "two more pages, the rest is in the next table");
	cr_assert_eq(host_pte(as, edge + 2 * PG), 0);
	host_as_done(as);
}

Test(fault_around, never_replaces_a_page_already_there)
{
	struct as *as = host_as();

	define(as, BASE, 64);
	poke(as, 5, 0x55);
	poke(as, 0, 1);
	poke(as, 1, 1);
	cr_assert_eq(as->resident, 2 + FAULT_AROUND_DEFAULT - 1, "page 5 counted once");
	cr_assert_eq(host_peek(as, BASE + 5 * PG), 0x55);
	host_as_done(as);
}

Test(fault_around, not_for_reads_random_advice_or_shared_memory)
{
	struct as *as = host_as();

	define(as, BASE, 64);
	cr_assert_geq(host_load(as, BASE), 0);
	cr_assert_geq(host_load(as, BASE + PG), 0);
	cr_assert_eq(as->resident, 0, "reads map the zero page");
	cr_assert_eq(host_pte(as, BASE + 2 * PG), 0, "and nothing around it");

	cr_assert_eq(as_madvise(as, BASE, 64 * PG, MADV_RANDOM), 0);
	poke(as, 10, 1);
	poke(as, 11, 1);
	cr_assert_eq(as->resident, 2, "MADV_RANDOM: one page per fault");

	long s = as_mmap(as, 0, 64 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	cr_assert_gt(s, 0);
	cr_assert_eq(host_poke(as, (vaddr_t)s, 1), FAULT_OK);
	cr_assert_eq(host_poke(as, (vaddr_t)s + PG, 1), FAULT_OK);
	cr_assert_eq(as->resident, 4, "shared memory: one page per fault");
	host_as_done(as);
}

/* Pages written in order through a region of n pages until a fault fails: the OOM point. */
static size_t pages_until_oom(size_t n)
{
	struct as *as = host_as();
	size_t i = 0;

	define(as, BASE, n);
	while (i < n && host_poke(as, BASE + i * PG, 1) == FAULT_OK)
		i++;
	host_as_done(as);
	return i;
}

Test(fault_around, out_of_memory_comes_at_the_same_page)
{
	host_init(16UL << 20);
	fault_around_pages = 1;
	size_t without = pages_until_oom(8192);

	fault_around_pages = FAULT_AROUND_DEFAULT;
	size_t with = pages_until_oom(8192);

	cr_assert_lt(without, 8192, "the region is larger than memory");
	cr_assert_eq(with, without);
}
