/* Where regions split and merge: exactly where Linux 6.x's VMAs do (anon identity from the first
 * write, page offsets, flags), since mremap shows it. Each case was checked on Linux. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/layout.h"
#include "mm/uapi.h"

TestSuite(merge, .init = host_setup, .fini = host_teardown);

#define RW   (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define PG   PAGE_SIZE
#define A    0x600000000UL

/* Map n pages at page p of A with prot and extra flags (private unless MAP_SHARED is one). */
static void map_at(struct as *as, size_t p, size_t n, int prot, int flags)
{
	int type = (flags & MAP_SHARED) ? 0 : MAP_PRIVATE;

	cr_assert_eq(
	    as_mmap(as, A + p * PG, n * PG, prot, MAP_ANONYMOUS | MAP_FIXED | type | flags, -1, 0),
	    (long)(A + p * PG));
}

/* Pages of the region holding page p of A (0 for a hole), and its first page. */
static size_t span(struct as *as, size_t p, size_t *first)
{
	const struct region *r = region_find(&as->regions, A + p * PG);

	if (!r)
		return 0;
	if (first)
		*first = (r->start - A) / PG;
	return (r->end - r->start) / PG;
}

static void write_page(struct as *as, size_t p)
{
	cr_assert_eq(host_poke(as, A + p * PG, 1), FAULT_OK);
}

Test(merge, written_apart_stay_apart)
{
	struct as *as = host_as();
	size_t f;

	/* [0,4) written, [8,12) written: two anon identities; [4,8) joins the left one only. */
	map_at(as, 0, 4, RW, 0);
	write_page(as, 0);
	map_at(as, 8, 4, RW, 0);
	write_page(as, 8);
	map_at(as, 4, 4, RW, 0);
	cr_assert_eq(span(as, 0, NULL), 8);
	cr_assert_eq(span(as, 8, &f), 4);
	cr_assert_eq(f, 8);
	cr_assert_eq(as_mremap(as, A, 12 * PG, 13 * PG, 0, 0), -EFAULT, "grows across: no");
	cr_assert_eq(as_mremap(as, A, 12 * PG, 12 * PG, 0, 0), (long)A, "same size: fine");
	host_as_done(as);
}

Test(merge, read_only_touches_do_not_separate)
{
	struct as *as = host_as();

	map_at(as, 0, 4, RW, 0);
	cr_assert_eq(host_load(as, A), 0);
	map_at(as, 8, 4, RW, 0);
	cr_assert_eq(host_load(as, A + 8 * PG), 0);
	map_at(as, 4, 4, RW, 0);
	cr_assert_eq(span(as, 0, NULL), 12, "reads map Linux's zero page: no anon_vma");
	cr_assert_eq(as_madvise(as, A, 4 * PG, MADV_POPULATE_READ), 0);
	map_at(as, 12, 4, RW, 0);
	cr_assert_eq(span(as, 0, NULL), 16);
	host_as_done(as);
}

Test(merge, populate_write_separates)
{
	struct as *as = host_as();

	map_at(as, 0, 4, RW, MAP_POPULATE);
	map_at(as, 8, 4, RW, MAP_POPULATE);
	map_at(as, 4, 4, RW, 0);
	cr_assert_eq(span(as, 0, NULL), 8);
	cr_assert_eq(span(as, 8, NULL), 4);
	host_as_done(as);
}

Test(merge, a_new_neighbour_shares_the_anon_of_its_neighbour)
{
	struct as *as = host_as();

	/* [4,6) is read-faulted next to a written [0,4); made writable and written, it takes
	 * [0,4)'s anon identity, so [0,10) merges in the end. */
	map_at(as, 0, 4, RW, 0);
	write_page(as, 0);
	map_at(as, 6, 4, RW, 0);
	map_at(as, 4, 2, PROT_READ, 0);
	cr_assert_eq(host_load(as, A + 4 * PG), 0);
	cr_assert_eq(as_mprotect(as, A + 4 * PG, 2 * PG, RW), 0);
	write_page(as, 4);
	cr_assert_eq(span(as, 0, NULL), 10);
	host_as_done(as);
}

Test(merge, mprotect_accounting)
{
	struct as *as = host_as();

	/* Never written: RW -> R drops the commit charge, so it merges with a plain R neighbour. */
	map_at(as, 0, 4, PROT_READ, 0);
	map_at(as, 4, 4, RW, 0);
	cr_assert_eq(as_mprotect(as, A + 4 * PG, 4 * PG, PROT_READ), 0);
	cr_assert_eq(span(as, 0, NULL), 8);
	/* Written: the charge stays. */
	map_at(as, 8, 4, PROT_READ, 0);
	map_at(as, 12, 4, RW, 0);
	write_page(as, 12);
	cr_assert_eq(as_mprotect(as, A + 12 * PG, 4 * PG, PROT_READ), 0);
	cr_assert_eq(span(as, 12, NULL), 4);
	/* RW -> R -> RW unwritten comes back whole. */
	map_at(as, 20, 4, RW, 0);
	map_at(as, 24, 4, RW, 0);
	cr_assert_eq(as_mprotect(as, A + 24 * PG, 4 * PG, PROT_READ), 0);
	cr_assert_eq(as_mprotect(as, A + 24 * PG, 4 * PG, RW), 0);
	cr_assert_eq(span(as, 20, NULL), 8);
	host_as_done(as);
}

Test(merge, mapping_flags_separate)
{
	struct as *as = host_as();
	static const int flags[] = {MAP_NORESERVE, MAP_STACK, MAP_SYNC, MAP_GROWSDOWN};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		size_t p = i * 16;

		map_at(as, p, 4, RW, 0);
		map_at(as, p + 4, 4, RW, flags[i]);
		cr_assert_eq(span(as, p, NULL), 4, "flag %#x", flags[i]);
		map_at(as, p + 8, 4, RW, flags[i]);
		cr_assert_eq(span(as, p + 4, NULL), 8, "flag %#x: alike merge", flags[i]);
	}
	host_as_done(as);
}

Test(merge, madvise_flags_split_and_rejoin)
{
	struct as *as = host_as();

	map_at(as, 0, 8, RW, 0);
	cr_assert_eq(as_madvise(as, A + 2 * PG, 2 * PG, MADV_RANDOM), 0);
	cr_assert_eq(span(as, 0, NULL), 2);
	cr_assert_eq(as_mremap(as, A, 8 * PG, 9 * PG, 0, 0), -EFAULT);
	cr_assert_eq(as_madvise(as, A + 2 * PG, 2 * PG, MADV_NORMAL), 0);
	cr_assert_eq(span(as, 0, NULL), 8);
	cr_assert_eq(as_madvise(as, A, 8 * PG, MADV_MERGEABLE), 0);
	map_at(as, 8, 4, RW, 0);
	cr_assert_eq(span(as, 0, NULL), 8, "KSM-mergeable stays apart");
	cr_assert_eq(as_madvise(as, A, 8 * PG, MADV_WILLNEED), 0);
	cr_assert_eq(span(as, 0, NULL), 8, "hints without a flag change nothing");
	host_as_done(as);
}

Test(merge, shared_objects)
{
	struct as *as = host_as();

	map_at(as, 0, 4, RW, MAP_SHARED);
	map_at(as, 4, 4, RW, MAP_SHARED);
	cr_assert_eq(span(as, 0, NULL), 4, "two shared objects never merge");
	cr_assert_eq(as_mprotect(as, A + PG, PG, PROT_READ), 0);
	cr_assert_eq(span(as, 0, NULL), 1);
	cr_assert_eq(as_mprotect(as, A + PG, PG, RW), 0);
	cr_assert_eq(span(as, 0, NULL), 4, "pieces of one object join again");
	host_as_done(as);
}

Test(merge, droppable)
{
	struct as *as = host_as();
	const int drop = MAP_ANONYMOUS | MAP_FIXED | 0x08;

	map_at(as, 0, 4, RW, 0);
	cr_assert_eq(as_mmap(as, A + 4 * PG, 4 * PG, RW, drop, -1, 0), (long)(A + 4 * PG));
	cr_assert_eq(as_mmap(as, A + 8 * PG, 4 * PG, RW, drop, -1, 0), (long)(A + 8 * PG));
	cr_assert_eq(span(as, 0, NULL), 4);
	cr_assert_eq(span(as, 4, NULL), 8);
	cr_assert_eq(as_madvise(as, A + 4 * PG, 4 * PG, MADV_KEEPONFORK), -EINVAL);
	cr_assert_eq(as_madvise(as, A + 4 * PG, 4 * PG, MADV_DODUMP), -EINVAL);
	cr_assert_eq(as_madvise(as, A + 4 * PG, 4 * PG, MADV_WIPEONFORK), 0);
	cr_assert_eq(as_madvise(as, A + 4 * PG, 4 * PG, MADV_FREE), 0);
	cr_assert_eq(as_mmap(as, A + 20 * PG, PG, RW, drop | MAP_GROWSDOWN, -1, 0), -EINVAL);
	host_as_done(as);
}

Test(merge, dontunmap_whole_region_forgets_its_anon)
{
	struct as *as = host_as();

	/* All of [0,4) moves away: the emptied region loses its anon identity and can merge with
	 * anything alike; a part moved keeps it. */
	map_at(as, 0, 4, RW, 0);
	write_page(as, 0);
	cr_assert_eq(
	    as_mremap(as, A, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, A + 100 * PG),
	    (long)(A + 100 * PG));
	map_at(as, 8, 4, RW, 0);
	write_page(as, 8);
	map_at(as, 4, 4, RW, 0);
	cr_assert_eq(span(as, 0, NULL), 12);

	map_at(as, 40, 6, RW, 0);
	write_page(as, 40);
	cr_assert_eq(as_mremap(as, A + 42 * PG, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
	                       A + 200 * PG),
	             (long)(A + 200 * PG));
	cr_assert_eq(span(as, 40, NULL), 6, "the source region is not cut");
	map_at(as, 48, 4, RW, 0);
	write_page(as, 48);
	map_at(as, 46, 2, RW, 0);
	cr_assert_eq(span(as, 40, NULL), 8);
	cr_assert_eq(span(as, 48, NULL), 4);
	host_as_done(as);
}

Test(merge, fixed_move_across_regions_fails_after_unmapping_the_target)
{
	struct as *as = host_as();
	size_t f;

	map_at(as, 0, 2, RW, 0);
	map_at(as, 3, 2, PROT_READ, 0);
	map_at(as, 20, 10, RW, 0);
	cr_assert_eq(host_poke(as, A + 22 * PG, 9), FAULT_OK);
	/* Linux 6.12 moves one region only (6.17 moves each), and finds that out late */
	cr_assert_eq(as_mremap(as, A, 5 * PG, 5 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A + 20 * PG),
	             -EFAULT);
	cr_assert_eq(span(as, 0, NULL), 2, "the source stays");
	cr_assert_eq(span(as, 3, NULL), 2);
	cr_assert_eq(span(as, 20, NULL), 0, "the target is gone");
	cr_assert_eq(span(as, 25, &f), 5);
	cr_assert_eq(f, 25);
	/* shrinking to what lies in one region works: the tail goes first */
	cr_assert_eq(as_mremap(as, A, 5 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A + 20 * PG),
	             (long)(A + 20 * PG));
	cr_assert_eq(span(as, 3, NULL), 0, "the cut tail is unmapped");
	cr_assert_eq(span(as, 20, &f), 2);
	cr_assert_eq(
	    as_mremap(as, A + PG, 5 * PG, 5 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A + 40 * PG + 1),
	    -EFAULT, "a hole at the old address before a bad target");
	host_as_done(as);
}

Test(merge, dontunmap_never_joins_its_source)
{
	struct as *as = host_as();
	int du = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;

	/* Never written, a region moved right next to itself continues its page offsets: a plain
	 * move joins it, MREMAP_DONTUNMAP (Linux 6.12) does not. */
	map_at(as, 0, 4, RW, 0);
	cr_assert_eq(as_mremap(as, A, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A + 4 * PG),
	             (long)(A + 4 * PG));
	cr_assert_eq(span(as, 2, NULL), 4, "moved: joined");
	cr_assert_eq(as_munmap(as, A, 8 * PG), 0);
	map_at(as, 0, 4, RW, 0);
	cr_assert_eq(as_mremap(as, A + 2 * PG, 2 * PG, 2 * PG, du, A + 4 * PG), (long)(A + 4 * PG));
	cr_assert_eq(span(as, 0, NULL), 4);
	cr_assert_eq(span(as, 4, NULL), 2);
	map_at(as, 10, 2, RW, 0);
	map_at(as, 20, 2, RW, 0);
	cr_assert_eq(as_mremap(as, A + 20 * PG, 2 * PG, 2 * PG, du, A + 12 * PG),
	             (long)(A + 12 * PG));
	cr_assert_eq(span(as, 10, NULL), 4, "next to another region it joins");
	/* A locked old range is cut out first: the rest of its region is not its source. */
	map_at(as, 30, 4, RW, 0);
	cr_assert_eq(as_mlock(as, A + 30 * PG, 4 * PG, MLOCK_ONFAULT), 0);
	cr_assert_eq(as_mremap(as, A + 30 * PG, 2 * PG, 2 * PG, du, A + 34 * PG),
	             (long)(A + 34 * PG));
	cr_assert_eq(span(as, 30, NULL), 2, "unlocked");
	cr_assert_eq(span(as, 32, NULL), 4, "the locked rest joined the moved pages");
	host_as_done(as);
}

Test(merge, anon_identity_joins_no_neighbour_without_one)
{
	struct as *as = host_as();

	/* Linux 6.12's is_mergeable_anon_vma(): a region written (with an anon identity) that is
	 * changed, moved or grown next to one never written stays apart; the other way it joins. */
	map_at(as, 0, 2, RW, 0);
	write_page(as, 0);
	map_at(as, 2, 2, PROT_READ, 0);
	cr_assert_eq(as_mprotect(as, A, 2 * PG, PROT_READ), 0);
	cr_assert_eq(span(as, 0, NULL), 2, "changed to match, it stays apart");
	cr_assert_eq(as_mprotect(as, A + 2 * PG, 2 * PG, RW), 0);
	cr_assert_eq(as_mprotect(as, A, 2 * PG, RW), 0);
	cr_assert_eq(span(as, 0, NULL), 2, "either way round");
	map_at(as, 10, 2, RW, 0);
	write_page(as, 10);
	cr_assert_eq(
	    as_mremap(as, A + 10 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A + 4 * PG),
	    (long)(A + 4 * PG));
	cr_assert_eq(span(as, 4, NULL), 2, "moved next to it, it stays apart");
	cr_assert_eq(as_munmap(as, A + 4 * PG, 2 * PG), 0);
	map_at(as, 5, 2, RW, 0);
	cr_assert_eq(as_mremap(as, A + 2 * PG, 2 * PG, 3 * PG, 0, 0), (long)(A + 2 * PG));
	cr_assert_eq(span(as, 0, NULL), 2, "unwritten, grown: it joins the written one below");
	cr_assert_eq(span(as, 2, NULL), 5, "and the one above");
	host_as_done(as);
}

Test(merge, unwritten_move_lands_mergeable)
{
	struct as *as = host_as();

	/* Never written, a moved region takes the page offset of where it lands. */
	map_at(as, 0, 4, RW, 0);
	map_at(as, 10, 4, RW, 0);
	cr_assert_eq(
	    as_mremap(as, A + 10 * PG, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A + 4 * PG),
	    (long)(A + 4 * PG));
	cr_assert_eq(span(as, 0, NULL), 8);
	/* Written, it keeps its offset and stays apart from its new neighbour. */
	map_at(as, 20, 4, RW, 0);
	map_at(as, 30, 4, RW, 0);
	write_page(as, 30);
	cr_assert_eq(
	    as_mremap(as, A + 30 * PG, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, A + 24 * PG),
	    (long)(A + 24 * PG));
	cr_assert_eq(span(as, 20, NULL), 4);
	host_as_done(as);
}

Test(merge, growsdown_expansion_moves_the_page_offset)
{
	struct as *as = host_as();
	size_t f;

	map_at(as, 300, 4, RW, MAP_GROWSDOWN);
	cr_assert_eq(host_load(as, A + 299 * PG), 0, "a touch just below grows it");
	cr_assert_eq(span(as, 300, &f), 5);
	cr_assert_eq(f, 299);
	const struct region *r = region_find(&as->regions, A + 299 * PG);

	cr_assert_eq(r->pgoff, (A >> PAGE_SHIFT) + 299);
	cr_assert_neq(r->anon, 0, "growing prepares the anon identity, even for a read");
	map_at(as, 100, 4, RW, 0);
	cr_assert_eq(host_load(as, A + 280 * PG), -1 - FAULT_NO_REGION, "guard gap");
	map_at(as, 100, 4, PROT_NONE, 0);
	cr_assert_eq(host_load(as, A + 280 * PG), 0, "no gap under an inaccessible neighbour");
	host_as_done(as);
}

Test(merge, populate_advice)
{
	struct as *as = host_as();

	map_at(as, 0, 2, PROT_WRITE, 0);
	map_at(as, 2, 2, PROT_READ, 0);
	cr_assert_eq(as_madvise(as, A, 2 * PG, MADV_POPULATE_READ), -EINVAL, "needs VM_READ");
	cr_assert_eq(as_madvise(as, A + 2 * PG, 2 * PG, MADV_POPULATE_WRITE), -EINVAL);
	cr_assert_eq(as_madvise(as, A, 2 * PG, MADV_POPULATE_WRITE), 0);
	cr_assert_eq(as_madvise(as, A + 2 * PG, 4 * PG, MADV_POPULATE_READ), -ENOMEM);
	map_at(as, 10, 2, RW, 0);
	cr_assert_eq(as_madvise(as, A + 8 * PG, 4 * PG, MADV_POPULATE_WRITE), -ENOMEM);
	cr_assert_eq(host_pte(as, A + 10 * PG), 0, "a hole stops it: nothing after is populated");
	host_as_done(as);
}

Test(merge, brk_only_shrinks_over_something)
{
	struct as *as = host_as();
	vaddr_t b = 0x1000000;

	as_init_brk(as, b);
	cr_assert_eq(as_brk(as, b + 10 * PG), b + 10 * PG);
	cr_assert_eq(as_munmap(as, b, 10 * PG), 0);
	cr_assert_eq(as_brk(as, b + 5 * PG), b + 10 * PG, "nothing mapped there: refused");
	cr_assert_eq(as_brk(as, b + 12 * PG), b + 12 * PG);
	cr_assert_eq(as_brk(as, b), b);
	/* The heap grows the alike anonymous memory that ends at the break. */
	cr_assert_eq(as_brk(as, b + 2 * PG), b + 2 * PG);
	cr_assert_eq(as_munmap(as, b, 2 * PG), 0);
	cr_assert_eq(as_mmap(as, b, 2 * PG, RW, ANON | MAP_FIXED, -1, 0), (long)b);
	cr_assert_eq(as_brk(as, b + 5 * PG), b + 5 * PG);
	cr_assert_eq(region_find(&as->regions, b)->end, b + 5 * PG);
	host_as_done(as);
}

Test(merge, argument_errors_of_6_x)
{
	struct as *as = host_as();

	map_at(as, 0, 2, RW, 0);
	cr_assert_eq(as_mremap(as, A, PG, 1UL << 47, MREMAP_MAYMOVE, 0), -ENOMEM, "no room: 6.12");
	cr_assert_eq(as_mremap(as, A, PG + 1, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, A + 8 * PG),
	             -EINVAL, "MREMAP_DONTUNMAP compares the lengths as given");
	cr_assert_eq(as_mremap(as, A, PG, PG, 0, 0xffff800000000000UL), (long)A,
	             "new_addr is ignored without MREMAP_FIXED");
	cr_assert_eq(as_mremap(as, A, -PG, PG, MREMAP_MAYMOVE, 0), -EINVAL);
	cr_assert_eq(as_mmap(as, 0, 0, RW, ANON | MAP_HUGETLB, -1, 0), -EINVAL);
	cr_assert_eq(as_mmap(as, A + PG, PG, RW, ANON | MAP_HUGETLB | MAP_FIXED, -1, 0), -EINVAL);
	cr_assert_eq(as_mmap(as, A, PG, RW, ANON | MAP_HUGETLB | MAP_FIXED, -1, 0), -ENOMEM);
	cr_assert_null(region_find(&as->regions, A), "unmapped before the failure, as Linux");
	map_at(as, 0, 2, RW, 0);
	cr_assert_eq(as_madvise(as, A, 2 * PG, 25 /* MADV_COLLAPSE */), -EINVAL);
	cr_assert_eq(as_madvise(as, A + 8 * PG, PG, 25), -ENOMEM);
	cr_assert_eq(as_madvise(as, A, 2 * PG, 24 /* MADV_DONTNEED_LOCKED */), 0);
	cr_assert_eq(as_mprotect(as, A + 8 * PG, PG, PROT_READ | PROT_GROWSUP), -ENOMEM);
	cr_assert_eq(as_mprotect(as, A, PG, PROT_READ | PROT_GROWSUP), -EINVAL);
	host_as_done(as);
}
