/* What the memory-call test programs share: an arena of pages at a fixed address, mappings made in
 * it, and how a call's result prints. Header-only, like check.h.
 */
#pragma once
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"
#include "linux_mm.h"

#define PG    4096UL
#define ARENA 0x600000000UL /* page 0 of the arena: far from the program, its heap and stack */
#define RW    (PROT_READ | PROT_WRITE)
#define FIX   (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define MAYM  MREMAP_MAYMOVE
#define FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)

/* The address of arena page page. */
static inline char *at(long page)
{
	return (char *)(ARENA + (uintptr_t)page * PG);
}

/* The arena page address r lies in (one of the first 1024), or -1 for any other r. */
static inline long arena_page(long r)
{
	return r >= (long)ARENA && r < (long)(ARENA + 1024 * PG) ? (r - (long)ARENA) / 4096 : -1;
}

/* n private anonymous pages at arena page page, with flags added to FIX; returns at(page) and
 * counts a failure (printing it) when the mapping is not made there. */
static inline char *map(long page, long n, int prot, int flags)
{
	if (mmap(at(page), (size_t)n * PG, prot, FIX | flags, -1, 0) != at(page))
		fact("mmap for the test", 0);
	return at(page);
}

/* n shared anonymous pages at arena page page, as map() does private ones. */
static inline char *map_shared(long page, long n, int prot)
{
	if (mmap(at(page), (size_t)n * PG, prot, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
	    at(page))
		fact("mmap for the test", 0);
	return at(page);
}

/* Print a call's result, "0" or its errno name; want is 0 or the errno expected. */
static inline void res(const char *what, long r, int want)
{
	int e = errno;

	printf("%s: %s\n", what, r == 0 ? "0" : r == -1 ? ename(e) : "?");
	if (want ? !(r == -1 && e == want) : r != 0)
		failures++;
}

/* madvise(advice) of n pages from arena page page, printed by res(). */
static inline void adv(const char *what, long page, long n, int advice, int want)
{
	res(what, syscall(SYS_madvise, at(page), n * (long)PG, advice), want);
}

/* Print a call's result, "N" or "-1 ENAME"; want is the result expected or -errno. Returns r. */
static inline long call(const char *what, long r, long want)
{
	int e = errno;

	if (r == -1)
		printf("%s: -1 %s\n", what, ename(e));
	else
		printf("%s: %ld\n", what, r);
	if (want < 0 ? !(r == -1 && e == -want) : r != want)
		failures++;
	return r;
}

/* The raw mremap system call on arena pages, printed as the arena page it returns, "elsewhere" or
 * "-1 ENAME"; want is the arena page expected, -1 for outside the arena, or -errno. */
static inline char *rmap(const char *what, long old, long oldn, long newn, long flags, long to,
                         long want)
{
	long r = syscall(SYS_mremap, at(old), oldn * (long)PG, newn * (long)PG, flags, at(to));
	int e = errno;
	long page = arena_page(r);

	if (r == -1)
		printf("%s: -1 %s\n", what, ename(e));
	else if (page >= 0)
		printf("%s: arena page %ld\n", what, page);
	else
		printf("%s: elsewhere\n", what);
	if (r == -1 ? -e != want : page != want)
		failures++;
	return r == -1 ? NULL : (char *)r;
}

/* True when the n pages from address va lie in one mapping: Linux's mremap grows only within one
 * (-EFAULT across two, or where nothing is mapped); a growth that succeeds is undone. */
static inline int spans(uintptr_t va, long n)
{
	long r = syscall(SYS_mremap, va, n * (long)PG, (n + 1) * (long)PG, 0, 0);

	if (r == (long)va)
		syscall(SYS_mremap, va, (n + 1) * (long)PG, n * (long)PG, 0, 0);
	return !(r == -1 && errno == EFAULT);
}

/* True when [page, page + n) of the arena lies in one mapping. */
static inline int one(long page, long n)
{
	return spans((uintptr_t)at(page), n);
}

/* The end of the mapping holding the page at va: from a page of the stack, the stack's top. */
static inline uintptr_t end_of(uintptr_t va)
{
	while (spans(va, 1))
		va += PG;
	return va;
}

/* True when a mapping of any kind holds the page at va: madvise finds a hole (-ENOMEM) where
 * nothing is, and MADV_NORMAL changes nothing where something is. */
static inline int mapped(uintptr_t va)
{
	return syscall(SYS_madvise, va, PG, MADV_NORMAL) == 0;
}

/* True when every 256th byte of the n pages from arena page page is c. */
static inline int all(long page, long n, char c)
{
	for (long k = 0; k < n * (long)PG; k += 256)
		if (((volatile char *)at(page))[k] != c)
			return 0;
	return 1;
}
