/* mm_mremap: mremap as Linux 6.12 — shrink, grow in place, MAYMOVE, FIXED, DONTUNMAP, the
 * one-mapping rule (where Linux merges; a FIXED move of several mappings fails after unmapping
 * the target) and the errors. kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

/* Stamp each of n pages from page with c + its index. */
static void stamp(long page, long n, char c)
{
	for (long i = 0; i < n; i++)
		memset(at(page + i), c + (char)i, PG);
}

static int stamped(const char *p, long n, char c)
{
	for (long i = 0; i < n; i++)
		for (unsigned long k = 0; k < PG; k += 512)
			if (((const volatile char *)p)[i * (long)PG + (long)k] != c + (char)i)
				return 0;
	return 1;
}

static int zero(const char *p, long n)
{
	for (long k = 0; k < n * (long)PG; k += 256)
		if (((const volatile char *)p)[k])
			return 0;
	return 1;
}

/* A call that must fail with errno want. */
static void errs(const char *what, long r, int want)
{
	int e = errno;

	printf("%s: %s\n", what, r != -1 ? "succeeded" : e == want ? "as expected" : "other errno");
	if (r != -1 || e != want)
		failures++;
}

static void resize_test(void)
{
	map(0, 4, RW, 0);
	stamp(0, 4, 'a');
	rmap("shrink to 2 pages", 0, 4, 2, 0, 0, 0);
	fact("pages 2-3 gone", mmap(at(2), PG, RW, FIX | MAP_FIXED_NOREPLACE, -1, 0) == at(2));
	munmap(at(2), PG);
	rmap("grow to 6 pages in place", 0, 2, 6, 0, 0, 0);
	fact("kept what was there", stamped(at(0), 2, 'a'));
	fact("new pages read zero", zero(at(2), 4));
	rmap("same size", 0, 6, 6, 0, 0, 0);
	map(6, 1, PROT_READ, 0);
	rmap("grow, blocked above, may not move", 0, 6, 8, 0, 0, -ENOMEM);
	char *moved = rmap("grow, blocked above, may move", 0, 6, 8, MAYM, 0, -1);

	fact("contents moved along", stamped(moved, 2, 'a') && zero(moved + 2 * PG, 6));
	fact("the old place is free",
	     mmap(at(0), 6 * PG, RW, FIX | MAP_FIXED_NOREPLACE, -1, 0) == at(0));
	munmap(moved, 8 * PG);
	munmap(at(0), 8 * PG);
}

static void fixed_test(void)
{
	map(10, 3, RW, 0);
	stamp(10, 3, 'f');
	map(20, 4, RW, 0);
	stamp(20, 4, 'T');
	rmap("MREMAP_FIXED onto a mapping, growing", 10, 3, 5, FIXED, 21, 21);
	fact("moved pages there", stamped(at(21), 3, 'f') && zero(at(24), 2));
	fact("the page before the target kept", stamped(at(20), 1, 'T'));
	rmap("MREMAP_FIXED shrinking", 21, 5, 2, FIXED, 40, 40);
	fact("two pages moved", stamped(at(40), 2, 'f'));
	fact("the rest unmapped",
	     mmap(at(21), 5 * PG, RW, FIX | MAP_FIXED_NOREPLACE, -1, 0) == at(21));
	munmap(at(21), 5 * PG);

	/* several mappings at once: Linux 6.12 moves one (6.17 moves each), and finds out only
	 * after it unmapped the target */
	map(50, 2, RW, 0);
	map(53, 2, PROT_READ, 0);
	stamp(50, 2, 'm');
	map(70, 10, RW, 0);
	stamp(70, 10, 'x');
	rmap("MREMAP_FIXED of two mappings and a hole", 50, 5, 5, FIXED, 70, -EFAULT);
	fact("the target was unmapped all the same",
	     mmap(at(70), 5 * PG, RW, FIX | MAP_FIXED_NOREPLACE, -1, 0) == at(70));
	fact("the pages past it kept", stamped(at(75), 1, 'x' + 5));
	fact("the mappings stayed", stamped(at(50), 2, 'm') && zero(at(53), 2));
	rmap("MREMAP_FIXED of the first mapping and the hole, shrinking to it", 50, 3, 2, FIXED, 90,
	     90);
	fact("it moved", stamped(at(90), 2, 'm'));
	rmap("MREMAP_FIXED from a hole", 50, 5, 5, FIXED, 90, -EFAULT);
	munmap(at(0), 100 * PG);
}

static void dontunmap_test(void)
{
	map(100, 4, RW, 0);
	stamp(100, 4, 'd');
	rmap("MREMAP_DONTUNMAP with MREMAP_FIXED", 100, 4, 4, FIXED | MREMAP_DONTUNMAP, 110, 110);
	fact("the pages moved", stamped(at(110), 4, 'd'));
	fact("the old range stays mapped, reading zero", zero(at(100), 4));
	memset(at(100), 'z', PG);
	fact("and writable", at(100)[7] == 'z');
	rmap("MREMAP_DONTUNMAP to a free hint", 110, 2, 2, MAYM | MREMAP_DONTUNMAP, 120, 120);
	fact("the pages moved", stamped(at(120), 2, 'd'));
	rmap("MREMAP_DONTUNMAP resizing", 110, 2, 3, MAYM | MREMAP_DONTUNMAP, 130, -EINVAL);
	munmap(at(100), 40 * PG);
}

static void one_mapping_test(void)
{
	/* [150,154) and [158,162) written while apart get separate identities in Linux; the
	 * mapping put between joins the first only, so a growth across the join fails */
	map(150, 4, RW, 0);
	at(150)[0] = 1;
	map(158, 4, RW, 0);
	at(158)[0] = 1;
	map(154, 4, RW, 0);
	rmap("grow across mappings written apart", 150, 12, 13, 0, 0, -EFAULT);
	rmap("move across them, same size", 150, 12, 12, FIXED, 200, -EFAULT);
	char *m = rmap("grow the joined part (it moves)", 150, 8, 9, MAYM, 0, -1);

	munmap(m, 9 * PG);

	/* only read: Linux's zero page, no identity, one mapping */
	map(250, 4, RW, 0);
	fact("read", zero(at(250), 1));
	map(258, 4, RW, 0);
	fact("read", zero(at(258), 1));
	map(254, 4, RW, 0);
	rmap("grow across mappings only read", 250, 12, 13, 0, 0, 250);

	/* rights changed and changed back merge again; a hint changes nothing */
	map(300, 8, RW, 0);
	mprotect(at(302), 2 * PG, PROT_READ);
	rmap("grow across different rights", 300, 8, 9, 0, 0, -EFAULT);
	mprotect(at(302), 2 * PG, RW);
	rmap("rights back: one mapping again", 300, 8, 9, 0, 0, 300);
	madvise(at(302), 2 * PG, MADV_RANDOM);
	rmap("grow across MADV_RANDOM", 300, 9, 10, 0, 0, -EFAULT);
	madvise(at(302), 2 * PG, MADV_NORMAL);
	rmap("after MADV_NORMAL", 300, 9, 10, 0, 0, 300);
	munmap(at(150), 200 * PG);
}

static void error_test(void)
{
	map(400, 2, RW, 0);
	rmap("unknown flag", 400, 1, 1, 8, 0, -EINVAL);
	rmap("MREMAP_FIXED without MREMAP_MAYMOVE", 400, 1, 1, MREMAP_FIXED, 410, -EINVAL);
	rmap("MREMAP_DONTUNMAP without MREMAP_MAYMOVE", 400, 1, 1, MREMAP_DONTUNMAP, 410, -EINVAL);
	rmap("new length 0", 400, 1, 0, 0, 0, -EINVAL);
	rmap("old length 0 of private memory", 400, 0, 1, MAYM, 0, -EINVAL);
	rmap("not mapped", 420, 1, 2, MAYM, 0, -EFAULT);
	rmap("runs past the mapping", 400, 3, 4, MAYM, 0, -EFAULT);
	rmap("target overlaps", 400, 2, 2, FIXED, 401, -EINVAL);
	errs("unaligned address", syscall(SYS_mremap, at(400) + 1, PG, PG, 0, 0), EINVAL);
	errs("unaligned target", syscall(SYS_mremap, at(400), PG, PG, FIXED, at(410) + 1), EINVAL);
	/* 6.12 checks the new length only for a move to a given address: here no room is left */
	errs("new length 2^47", syscall(SYS_mremap, at(400), PG, 1UL << 47, MAYM, 0), ENOMEM);
	errs("new length 2^47, MREMAP_FIXED",
	     syscall(SYS_mremap, at(400), PG, 1UL << 47, FIXED, at(410)), EINVAL);
	errs("MREMAP_DONTUNMAP, lengths equal only once rounded",
	     syscall(SYS_mremap, at(400), PG - 1, PG, MAYM | MREMAP_DONTUNMAP, at(410)), EINVAL);
	errs("target past the user half",
	     syscall(SYS_mremap, at(400), PG, 2 * PG, FIXED, 0x7ffffffff000UL - PG), EINVAL);
	fact("a target address without MREMAP_FIXED is ignored",
	     syscall(SYS_mremap, at(400), PG, PG, 0, 0xffff800000000000UL) == (long)at(400));
	munmap(at(400), 2 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	resize_test();
	fixed_test();
	dontunmap_test();
	one_mapping_test();
	error_test();
	printf("mm_mremap: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
