/* mm_overcommit: Linux 6.12's overcommit heuristic (vm.overcommit_memory = 0, the oracle's): one
 * accountable request larger than RAM + swap is refused with ENOMEM, whatever is in use. What is
 * accountable: private writable mappings without MAP_NORESERVE (mmap, brk, mprotect making one
 * writable for the first time, mremap growing one), and shared anonymous memory by its size unless
 * MAP_NORESERVE; hugetlb memory never. The case runs with 512 MiB of RAM and no swap, and every
 * size is far from that boundary: 384 MiB or less is granted, 640 MiB or more refused. kernel/mm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"
#include "include/linux_mm.h"

#define PG     4096UL
#define MIB    (1UL << 20)
#define GIB    (1UL << 30)
#define SMALL  (128 * MIB) /* a quarter of RAM: granted */
#define PART   (384 * MIB) /* three quarters of RAM: granted */
#define OVER   (640 * MIB) /* more than RAM: refused when charged at once */
#define HUGE   (64 * GIB)
#define BASE   0x100000000000UL /* 16 TiB: room for mappings of 64 GiB at fixed places */
#define RW     (PROT_READ | PROT_WRITE)
#define ANON   (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)
#define FIX    (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define SFIX   (MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)
#define OK     0

/* The raw system calls, -errno on failure (the libc wrappers check some arguments themselves). */
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(n, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}

/* Print "what: ok" or "what: ENAME" for r (a result or -errno); want is OK or -errno. Returns r. */
static long said(const char *what, long r, long want)
{
	int err = r < 0 && r > -4096;

	printf("%s: %s\n", what, err ? ename(-r) : "ok");
	if (err ? r != want : want != OK)
		failures++;
	return r;
}

static long rawmap(uintptr_t a, size_t len, int prot, int flags)
{
	return sys6(SYS_mmap, (long)a, (long)len, prot, flags, -1, 0);
}

static long unmap(uintptr_t a, size_t len)
{
	return sys6(SYS_munmap, (long)a, (long)len, 0, 0, 0, 0);
}

static long protect(uintptr_t a, size_t len, int prot)
{
	return sys6(SYS_mprotect, (long)a, (long)len, prot, 0, 0, 0);
}

static long remap(uintptr_t old, size_t oldlen, size_t newlen, int flags, uintptr_t to)
{
	return sys6(SYS_mremap, (long)old, (long)oldlen, (long)newlen, flags, (long)to, 0);
}

/* An mmap where the kernel chooses, printed by said() and unmapped again. */
static void try_map(const char *what, size_t len, int prot, int flags, long want)
{
	long r = said(what, rawmap(0, len, prot, flags), want);

	if (r >= 0)
		unmap((uintptr_t)r, len);
}

/* len bytes of private (or, with flags, other) memory at BASE + off, for a test's set-up. */
static uintptr_t place(uintptr_t off, size_t len, int prot, int flags)
{
	uintptr_t a = BASE + off;

	if (rawmap(a, len, prot, flags | MAP_FIXED) != (long)a)
		fact("mmap for the test", 0);
	return a;
}

/* Everything the tests put at BASE goes. */
static void reset(void)
{
	unmap(BASE, 4 * HUGE);
}

/* True when a mapping holds the page at a: MADV_NORMAL finds a hole (ENOMEM) where none does. */
static int mapped(uintptr_t a)
{
	return sys6(SYS_madvise, (long)a, (long)PG, MADV_NORMAL, 0, 0, 0) == 0;
}

/* True when the page at a may be written: MADV_POPULATE_WRITE faults it in for writing. */
static int writable(uintptr_t a)
{
	return sys6(SYS_madvise, (long)a, (long)PG, MADV_POPULATE_WRITE, 0, 0, 0) == 0;
}

/* True when [a, a + len) lies in one mapping: mremap cannot grow a range across two (EFAULT). A
 * growth that succeeds is undone. */
static int one(uintptr_t a, size_t len)
{
	long r = remap(a, len, len + PG, 0, 0);

	if (r == (long)a)
		remap(a, len + PG, len, 0, 0);
	return r != -EFAULT;
}

static void mmap_test(void)
{
	try_map("private rw 64 GiB", HUGE, RW, ANON, -ENOMEM);
	try_map("private rw 1 GiB", GIB, RW, ANON, -ENOMEM);
	try_map("private rw 640 MiB", OVER, RW, ANON, -ENOMEM);
	try_map("private rw 384 MiB", PART, RW, ANON, OK);
	try_map("private write-only 1 GiB", GIB, PROT_WRITE, ANON, -ENOMEM);
	try_map("private rwx 1 GiB", GIB, RW | PROT_EXEC, ANON, -ENOMEM);
	try_map("private r 64 GiB (not charged while read-only)", HUGE, PROT_READ, ANON, OK);
	try_map("private rx 64 GiB", HUGE, PROT_READ | PROT_EXEC, ANON, OK);
	try_map("private none 64 GiB", HUGE, PROT_NONE, ANON, OK);
	try_map("private rw NORESERVE 64 GiB", HUGE, RW, ANON | MAP_NORESERVE, OK);
	try_map("private rw GROWSDOWN 1 GiB", GIB, RW, ANON | MAP_GROWSDOWN, -ENOMEM);
	try_map("private rw POPULATE 1 GiB", GIB, RW, ANON | MAP_POPULATE, -ENOMEM);
	try_map("droppable rw 64 GiB (never charged)", HUGE, RW, MAP_DROPPABLE | MAP_ANONYMOUS, OK);
	try_map("shared rw 64 GiB", HUGE, RW, SHARED, -ENOMEM);
	try_map("shared r 64 GiB (charged by size)", HUGE, PROT_READ, SHARED, -ENOMEM);
	try_map("shared none 1 GiB", GIB, PROT_NONE, SHARED, -ENOMEM);
	try_map("shared rw 128 MiB", SMALL, RW, SHARED, OK);
	try_map("shared rw NORESERVE 64 GiB", HUGE, RW, SHARED | MAP_NORESERVE, OK);
	try_map("shared r NORESERVE 64 GiB", HUGE, PROT_READ, SHARED | MAP_NORESERVE, OK);
	try_map("hugetlb private rw NORESERVE 64 GiB", HUGE, RW, ANON | MAP_HUGETLB | MAP_NORESERVE,
	        OK);
	try_map("hugetlb shared rw NORESERVE 64 GiB", HUGE, RW,
	        SHARED | MAP_HUGETLB | MAP_NORESERVE, OK);
	try_map("hugetlb private rw 2 MiB without a pool", 2 * MIB, RW, ANON | MAP_HUGETLB,
	        -ENOMEM);
}

/* MAP_FIXED over memory already charged charges only the difference (mmap_region()'s
 * nr_accounted); a refused one leaves the old mappings, cut where the new one would start. */
static void fixed_test(void)
{
	reset();
	place(0, PART, RW, ANON);
	said("MAP_FIXED 640 MiB over 384 MiB of private rw", rawmap(BASE, OVER, RW, FIX), OK);
	reset();
	said("MAP_FIXED 640 MiB over nothing", rawmap(BASE, OVER, RW, FIX), -ENOMEM);
	place(0, PART, PROT_READ, ANON);
	said("MAP_FIXED 640 MiB over 384 MiB of private r", rawmap(BASE, OVER, RW, FIX), -ENOMEM);
	reset();
	place(0, PART, RW, ANON | MAP_NORESERVE);
	said("MAP_FIXED 640 MiB over 384 MiB of NORESERVE", rawmap(BASE, OVER, RW, FIX), -ENOMEM);
	reset();
	place(0, PART, RW, SHARED);
	said("MAP_FIXED 640 MiB over 384 MiB of shared", rawmap(BASE, OVER, RW, FIX), -ENOMEM);
	reset();

	uintptr_t a = place(0, 4 * PG, RW, ANON);

	((volatile char *)a)[PG] = 'x';
	said("MAP_FIXED private rw 1 GiB from page 1 of four", rawmap(a + PG, GIB, RW, FIX),
	     -ENOMEM);
	fact("the four pages are still mapped", mapped(a) && mapped(a + 3 * PG));
	fact("page 1 still holds its byte", mapped(a + PG) && ((volatile char *)a)[PG] == 'x');
	fact("a cut at page 1", !one(a, 2 * PG) && one(a + PG, 3 * PG));
	reset();

	a = place(0, 4 * PG, RW, ANON);
	((volatile char *)a)[PG] = 'y';
	said("MAP_FIXED shared rw 64 GiB from page 1 of four", rawmap(a + PG, HUGE, RW, SFIX),
	     -ENOMEM);
	fact("page 0 is still mapped", mapped(a));
	fact("pages 1-3 are unmapped", !mapped(a + PG) && !mapped(a + 3 * PG));
	reset();
	a = place(0, 4 * PG, RW, ANON);
	said("MAP_FIXED shared rw NORESERVE 64 GiB from page 1",
	     rawmap(a + PG, HUGE, RW, SFIX | MAP_NORESERVE), OK);
	reset();
}

/* mprotect charges a private mapping when it first becomes writable, region by region. */
static void mprotect_test(void)
{
	reset();

	uintptr_t a = place(0, HUGE, PROT_READ, ANON);

	said("mprotect rw of private r 64 GiB", protect(a, HUGE, RW), -ENOMEM);
	fact("still read-only", !writable(a));
	said("mprotect rw of its first 128 MiB", protect(a, SMALL, RW), OK);
	said("mprotect rw of its first 1 GiB (896 MiB newly writable)", protect(a, GIB, RW),
	     -ENOMEM);
	said("mprotect rx of it all", protect(a, HUGE, PROT_READ | PROT_EXEC), OK);
	said("mprotect write-only of 1 GiB", protect(a + GIB, GIB, PROT_WRITE), -ENOMEM);
	said("mprotect none of it all", protect(a, HUGE, PROT_NONE), OK);
	reset();

	a = place(0, PART, PROT_READ, ANON);
	place(PART, PART, PROT_READ | PROT_EXEC, ANON);
	said("mprotect rw of two read-only regions of 384 MiB (one at a time)",
	     protect(a, 2 * PART, RW), OK);
	reset();

	a = place(0, SMALL, PROT_READ, ANON);
	place(SMALL, GIB, PROT_READ | PROT_EXEC, ANON);
	said("mprotect rw of 128 MiB then 1 GiB", protect(a, SMALL + GIB, RW), -ENOMEM);
	fact("the first region became writable", writable(a));
	fact("the second did not", !writable(a + SMALL));
	reset();

	a = place(0, HUGE, RW, ANON | MAP_NORESERVE);
	said("mprotect r of NORESERVE rw 64 GiB", protect(a, HUGE, PROT_READ), OK);
	said("mprotect rw of it again", protect(a, HUGE, RW), OK);
	reset();
	a = place(0, GIB, PROT_READ, SHARED | MAP_NORESERVE);
	said("mprotect rw of shared NORESERVE r 1 GiB", protect(a, GIB, RW), OK);
	reset();
	a = place(0, HUGE, PROT_READ, ANON | MAP_HUGETLB | MAP_NORESERVE);
	said("mprotect rw of hugetlb r 64 GiB", protect(a, HUGE, RW), OK);
	reset();
}

/* mremap charges the growth of a charged mapping (all of it with MREMAP_DONTUNMAP). */
static void mremap_test(void)
{
	reset();

	uintptr_t a = place(0, 4 * MIB, RW, ANON);

	said("mremap private rw 4 MiB to 1 GiB in place", remap(a, 4 * MIB, GIB, 0, 0), -ENOMEM);
	said("mremap private rw 4 MiB to 1 GiB, may move",
	     remap(a, 4 * MIB, GIB, MREMAP_MAYMOVE, 0), -ENOMEM);
	fact("still 4 MiB in one mapping", one(a, 4 * MIB) && mapped(a + 4 * MIB - PG));
	place(GIB, PG, PROT_READ, ANON);
	said("mremap private rw 4 MiB to 1 GiB at a fixed place",
	     remap(a, 4 * MIB, GIB, MREMAP_MAYMOVE | MREMAP_FIXED, BASE + GIB), -ENOMEM);
	fact("the target was unmapped first", !mapped(BASE + GIB));
	said("mremap private rw 384 MiB to 640 MiB in place (256 MiB charged)",
	     remap(place(0, PART, RW, ANON), PART, OVER, 0, 0), OK);
	reset();

	a = place(0, PART, RW, ANON);
	place(PART, PG, PROT_READ, ANON);
	said("mremap private rw 384 MiB to 640 MiB, moved", remap(a, PART, OVER, MREMAP_MAYMOVE, 0),
	     OK);
	reset();

	a = place(0, 320 * MIB, RW, ANON);
	place(320 * MIB, 320 * MIB, RW, ANON);
	fact("two private rw mappings of 320 MiB merge", one(a, OVER));
	said("MREMAP_DONTUNMAP of the 640 MiB (all of it charged)",
	     remap(a, OVER, OVER, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -ENOMEM);
	said("MREMAP_DONTUNMAP of 320 MiB of it",
	     remap(a, 320 * MIB, 320 * MIB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), OK);
	reset();

	/* Linux cuts a locked range out of its mapping before it charges the move. */
	a = place(0, 320 * MIB, RW, ANON);
	place(320 * MIB, 320 * MIB, RW, ANON);
	place(OVER, 320 * MIB, RW, ANON);
	said("mlock2 ONFAULT of 960 MiB",
	     sys6(SYS_mlock2, (long)a, (long)(3 * 320 * MIB), MLOCK_ONFAULT, 0, 0, 0), OK);
	said("MREMAP_DONTUNMAP of 640 MiB of it",
	     remap(a, OVER, OVER, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -ENOMEM);
	fact("cut at 640 MiB all the same", !one(a, 3 * 320 * MIB) && one(a, OVER));
	reset();

	a = place(0, 4 * MIB, PROT_READ, ANON);
	said("mremap private r 4 MiB to 64 GiB", remap(a, 4 * MIB, HUGE, MREMAP_MAYMOVE, 0), OK);
	reset();
	a = place(0, 4 * MIB, RW, ANON | MAP_NORESERVE);
	said("mremap private rw NORESERVE 4 MiB to 64 GiB", remap(a, 4 * MIB, HUGE, 0, 0), OK);
	reset();
	a = place(0, 4 * MIB, RW, SHARED);
	said("mremap shared rw 4 MiB to 64 GiB", remap(a, 4 * MIB, HUGE, 0, 0), OK);
	reset();

	/* Made read-only before a write, private memory is no longer charged; after one, it is. */
	a = place(0, 4 * MIB, RW, ANON);
	protect(a, 4 * MIB, PROT_READ);
	said("mremap to 1 GiB of rw memory made r unwritten", remap(a, 4 * MIB, GIB, 0, 0), OK);
	reset();
	a = place(0, 4 * MIB, RW, ANON);
	*(volatile char *)a = 1;
	protect(a, 4 * MIB, PROT_READ);
	said("mremap to 1 GiB of rw memory made r after a write", remap(a, 4 * MIB, GIB, 0, 0),
	     -ENOMEM);
	reset();
}

/* brk to cur + len: OK when the break moved there, -ENOMEM when it stayed at was. */
static long set_brk(long cur, unsigned long len, long was)
{
	long r = syscall(SYS_brk, cur + (long)len);

	return r == cur + (long)len ? OK : r == was ? -ENOMEM : -EINVAL;
}

/* brk(2) charges the pages it adds, each request alone. */
static void brk_test(void)
{
	long cur = syscall(SYS_brk, 0);

	said("brk +1 GiB", set_brk(cur, GIB, cur), -ENOMEM);
	said("brk +640 MiB", set_brk(cur, OVER, cur), -ENOMEM);
	said("brk +128 MiB", set_brk(cur, SMALL, cur), OK);
	said("brk 640 MiB more", set_brk(cur, SMALL + OVER, cur + (long)SMALL), -ENOMEM);
	said("brk 384 MiB more", set_brk(cur, SMALL + PART, cur + (long)SMALL), OK);
	said("brk 384 MiB more again", set_brk(cur, SMALL + 2 * PART, cur + (long)(SMALL + PART)),
	     OK);
	said("brk back", set_brk(cur, 0, 0), OK);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	mmap_test();
	fixed_test();
	mprotect_test();
	mremap_test();
	brk_test();
	printf("mm_overcommit: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
