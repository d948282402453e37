/* mm_mmap: mmap's flags as Linux treats them (FIXED, FIXED_NOREPLACE, POPULATE, NORESERVE, STACK,
 * GROWSDOWN, SHARED, DROPPABLE, 32BIT, hints) and its errors, in an arena of its own. kernel/mm. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

#define ANON    (MAP_PRIVATE | MAP_ANONYMOUS)
#define TASKTOP 0x7ffffffff000UL

/* The raw mmap system call (musl's wrapper checks some arguments itself). */
static long rawmap(uintptr_t a, size_t len, long prot, long flags, long fd, long off)
{
	long r = syscall(SYS_mmap, a, len, prot, flags, fd, off);

	return r == -1 ? -errno : r;
}

/* Prints where an mmap landed: an arena page, "elsewhere", or the errno; want is the arena page
 * expected, -1 for elsewhere, or -errno. */
static long where(const char *what, long r, long want)
{
	long page = arena_page(r);

	if (r < 0 && r > -4096)
		printf("%s: %s\n", what, ename((int)-r));
	else if (page >= 0)
		printf("%s: arena page %ld\n", what, page);
	else
		printf("%s: elsewhere\n", what);
	if (r < 0 && r > -4096 ? r != want : page != want)
		failures++;
	return r;
}

static void fixed_test(void)
{
	where("MAP_FIXED 8 pages", rawmap(ARENA, 8 * PG, RW, FIX, -1, 0), 0);
	memset(at(0), 'a', 8 * PG);
	where("MAP_FIXED_NOREPLACE over them",
	      rawmap(ARENA + 2 * PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
	where("MAP_FIXED_NOREPLACE half over them",
	      rawmap(ARENA + 7 * PG, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
	fact("pages kept after EEXIST", all(0, 8, 'a'));
	where("MAP_FIXED_NOREPLACE next to them",
	      rawmap(ARENA + 8 * PG, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), 8);
	where("MAP_FIXED_NOREPLACE with MAP_FIXED over them",
	      rawmap(ARENA, PG, RW, FIX | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
	where("MAP_FIXED over pages 2-3", rawmap(ARENA + 2 * PG, 2 * PG, PROT_READ, FIX, -1, 0), 2);
	fact("replaced pages read zero", all(2, 2, 0));
	fact("pages around kept", all(0, 2, 'a') && all(4, 4, 'a'));
	where("MAP_FIXED unaligned", rawmap(ARENA + 1, PG, RW, FIX, -1, 0), -EINVAL);
	where("MAP_FIXED reaching the kernel half", rawmap(TASKTOP - PG, 2 * PG, RW, FIX, -1, 0),
	      -ENOMEM);
	where("MAP_FIXED in the kernel half", rawmap(0xffff800000000000UL, PG, RW, FIX, -1, 0),
	      -ENOMEM);
}

static void hint_test(void)
{
	where("hint at a free place", rawmap(ARENA + 20 * PG, 2 * PG, RW, ANON, -1, 0), 20);
	where("hint unaligned (rounded down)", rawmap(ARENA + 24 * PG + 100, PG, RW, ANON, -1, 0),
	      24);
	long r = where("hint at a busy place", rawmap(ARENA + 20 * PG, PG, RW, ANON, -1, 0), -1);

	call("munmap it", munmap((void *)r, PG), 0);
	r = rawmap(0x1000, PG, RW, ANON, -1, 0);
	fact("a hint below 64 KiB is taken as 64 KiB", r == 0x10000);
	munmap((void *)r, PG);
	r = rawmap(0x100, PG, RW, ANON, -1, 0);
	fact("one in the first page is no hint", r != 0x10000 && r > (long)ARENA);
	munmap((void *)r, PG);
	/* the oracle runs as root: CAP_SYS_RAWIO passes mmap_min_addr */
	call("MAP_FIXED at 0x1000 (as root)", rawmap(0x1000, PG, RW, FIX, -1, 0), 0x1000);
	fact("it works", (*(volatile char *)0x1000 = 'n') == 'n');
	call("munmap it", munmap((void *)0x1000, PG), 0);
	r = rawmap(0, 16 * PG, RW, ANON | MAP_32BIT, -1, 0);
	fact("MAP_32BIT lands in [1 GiB, 2 GiB)", r >= 0x40000000L && r + 16 * 4096 <= 0x80000000L);
	munmap((void *)r, 16 * PG);
	where("MAP_32BIT of 4 GiB", rawmap(0, 1UL << 32, RW, ANON | MAP_32BIT, -1, 0), -ENOMEM);
}

static void populate_test(void)
{
	where("MAP_POPULATE 4 pages",
	      rawmap(ARENA + 32 * PG, 4 * PG, RW, FIX | MAP_POPULATE, -1, 0), 32);
	fact("populated pages read zero", all(32, 4, 0));
	memset(at(32), 'p', 4 * PG);
	fact("and keep what is written", all(32, 4, 'p'));
	where("MAP_POPULATE of PROT_NONE",
	      rawmap(ARENA + 36 * PG, 4 * PG, PROT_NONE, FIX | MAP_POPULATE, -1, 0), 36);
	where("MAP_POPULATE read-only shared",
	      rawmap(ARENA + 40 * PG, 2 * PG, PROT_READ,
	             MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0),
	      40);
	fact("reads zero", all(40, 2, 0));
	where("MAP_POPULATE | MAP_NONBLOCK",
	      rawmap(ARENA + 42 * PG, 2 * PG, RW, FIX | MAP_POPULATE | MAP_NONBLOCK, -1, 0), 42);
	fact("reads zero", all(42, 2, 0));
}

static void noreserve_test(void)
{
	/* 64 GiB that will never be backed: touch three pages far apart */
	long r = rawmap(0, 64UL << 30, RW, ANON | MAP_NORESERVE, -1, 0);
	char *p = (char *)r;

	fact("MAP_NORESERVE of 64 GiB", r > 0);
	if (r > 0) {
		p[0] = 1;
		p[(32UL << 30) + 5] = 2;
		p[(64UL << 30) - 1] = 3;
		fact("three pages of it written and read",
		     p[0] == 1 && p[(32UL << 30) + 5] == 2 && p[(64UL << 30) - 1] == 3);
		call("munmap it", munmap(p, 64UL << 30), 0);
	}
	where("MAP_NORESERVE fixed",
	      rawmap(ARENA + 48 * PG, 4 * PG, RW, FIX | MAP_NORESERVE, -1, 0), 48);
	memset(at(48), 'n', 4 * PG);
	fact("written and read", all(48, 4, 'n'));
}

static void stack_and_growsdown_test(void)
{
	where("MAP_STACK", rawmap(ARENA + 56 * PG, 4 * PG, RW, FIX | MAP_STACK, -1, 0), 56);
	memset(at(56), 's', 4 * PG);
	fact("written and read", all(56, 4, 's'));

	where("MAP_GROWSDOWN at page 700",
	      rawmap(ARENA + 700 * PG, 2 * PG, RW, FIX | MAP_GROWSDOWN, -1, 0), 700);
	fact("a touch 3 pages below grows it (reads zero)", all(697, 1, 0));
	memset(at(697), 'g', PG);
	fact("written there", all(697, 1, 'g'));
	call("mprotect PROT_GROWSDOWN from page 701 (to the start: 697)",
	     syscall(SYS_mprotect, at(701), PG, PROT_READ | PROT_GROWSDOWN), 0);
	call("mprotect PROT_GROWSDOWN on a plain mapping",
	     syscall(SYS_mprotect, at(56), PG, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	long r = rawmap(ARENA + 690 * PG, PG, RW, ANON, -1, 0);

	fact("a hint just below it (in its stack gap) is not taken", r > 0 && r != (long)at(690));
	munmap((void *)r, PG);
	where("MAP_FIXED_NOREPLACE just below it ignores the gap",
	      rawmap(ARENA + 690 * PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), 690);
	where("MAP_SHARED | MAP_GROWSDOWN",
	      rawmap(ARENA + 800 * PG, PG, RW,
	             MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0),
	      -EINVAL);
}

static void shared_and_droppable_test(void)
{
	where("MAP_SHARED 2 pages",
	      rawmap(ARENA + 64 * PG, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	      64);
	memset(at(64), 'S', 2 * PG);
	call("madvise MADV_DONTNEED on shared", madvise(at(64), 2 * PG, MADV_DONTNEED), 0);
	fact("shared pages keep their contents", all(64, 2, 'S'));
	where("MAP_DROPPABLE",
	      rawmap(ARENA + 70 * PG, 2 * PG, RW, MAP_ANONYMOUS | MAP_DROPPABLE | MAP_FIXED, -1, 0),
	      70);
	fact("reads zero", all(70, 2, 0));
	where("MAP_DROPPABLE | MAP_GROWSDOWN",
	      rawmap(ARENA + 72 * PG, PG, RW,
	             MAP_ANONYMOUS | MAP_DROPPABLE | MAP_GROWSDOWN | MAP_FIXED, -1, 0),
	      -EINVAL);
}

/* MAP_HUGETLB | MAP_FIXED that fails for want of huge pages has already unmapped the 2 MiB it
 * would have replaced; a misaligned address fails before anything changes. */
static void hugetlb_fixed_test(void)
{
	const long h = 512; /* the arena's second 2 MiB block */

	where("8 pages at the second 2 MiB", rawmap((uintptr_t)at(h), 8 * PG, RW, FIX, -1, 0), h);
	memset(at(h), 'h', 8 * PG);
	where("MAP_HUGETLB fixed one page in",
	      rawmap((uintptr_t)at(h + 1), PG, RW, FIX | MAP_HUGETLB, -1, 0), -EINVAL);
	fact("the old pages are still there", mapped((uintptr_t)at(h)) && all(h, 8, 'h'));
	where("MAP_HUGETLB fixed, length one page",
	      rawmap((uintptr_t)at(h), PG, RW, FIX | MAP_HUGETLB, -1, 0), -ENOMEM);
	fact("all 8 old pages are gone",
	     !mapped((uintptr_t)at(h)) && !mapped((uintptr_t)at(h + 7)));
	where("a page at 2 MiB + 20 pages", rawmap((uintptr_t)at(h + 20), PG, RW, FIX, -1, 0),
	      h + 20);
	where("MAP_HUGETLB fixed-noreplace, length one page",
	      rawmap((uintptr_t)at(h), PG, RW, ANON | MAP_FIXED_NOREPLACE | MAP_HUGETLB, -1, 0),
	      -EEXIST);
	fact("that page stays", mapped((uintptr_t)at(h + 20)));
	where("MAP_HUGETLB fixed, shared",
	      rawmap((uintptr_t)at(h), PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED | MAP_HUGETLB,
	             -1, 0),
	      -ENOMEM);
	fact("and now it is gone", !mapped((uintptr_t)at(h + 20)));
	where("MAP_HUGETLB fixed, length 2^64 - 1",
	      rawmap((uintptr_t)at(h), -1UL, RW, FIX | MAP_HUGETLB, -1, 0), -EINVAL);
	where("MAP_HUGETLB fixed at 0", rawmap(0, PG, RW, FIX | MAP_HUGETLB, -1, 0), -ENOMEM);
}

/* True when the kernel turned protection keys on (CPUID.7.0:ECX OSPKE): Linux and SOS both do
 * where the CPU has them (TCG's -cpu max does), and then PROT_EXEC alone gets a key that forbids
 * reading the memory. */
static int pkeys_on(void)
{
	unsigned a, b, c, d;

	__cpuid_count(7, 0, a, b, c, d);
	return (c >> 4) & 1;
}

/* rt_sigprocmask copies the set in before it looks at how (99): EINVAL when the kernel could
 * read the page at va, EFAULT when not. */
static long kernel_reads(uintptr_t va)
{
	return syscall(SYS_rt_sigprocmask, 99, va, NULL, 8);
}

static void exec_only_test(void)
{
	int keys = pkeys_on();

	printf("protection keys: %s\n", keys ? "on" : "off");
	map(300, 2, PROT_EXEC, 0);
	res("the kernel reads PROT_EXEC memory", kernel_reads((uintptr_t)at(300)),
	    keys ? EFAULT : EINVAL);
	res("mlock it (locks, cannot fault in with keys)", mlock(at(300), 2 * PG),
	    keys ? ENOMEM : 0);
	munlock(at(300), 2 * PG);
	where("PROT_EXEC | PROT_SEM", rawmap(ARENA + 302 * PG, PG, PROT_EXEC | 8, FIX, -1, 0), 302);
	res("the kernel reads that", kernel_reads((uintptr_t)at(302)), EINVAL);
	fact("a mapping of its own with keys", one(300, 3) == !keys);
	call("mprotect PROT_EXEC | PROT_SEM", mprotect(at(300), PG, PROT_EXEC | 8), 0);
	res("the kernel reads it now", kernel_reads((uintptr_t)at(300)), EINVAL);
	call("mprotect PROT_EXEC", mprotect(at(302), PG, PROT_EXEC), 0);
	res("and not that", kernel_reads((uintptr_t)at(302)), keys ? EFAULT : EINVAL);
	munmap(at(300), 3 * PG);
}

static void error_test(void)
{
	where("length 0", rawmap(0, 0, RW, ANON, -1, 0), -EINVAL);
	where("neither private nor shared", rawmap(0, PG, RW, MAP_ANONYMOUS, -1, 0), -EINVAL);
	where("MAP_SHARED_VALIDATE anonymous",
	      rawmap(0, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
	where("type 0xf", rawmap(0, PG, RW, 0xf | MAP_ANONYMOUS, -1, 0), -EINVAL);
	where("a file with fd -1", rawmap(0, PG, RW, MAP_PRIVATE, -1, 0), -EBADF);
	where("a file with fd 7", rawmap(0, PG, RW, MAP_PRIVATE, 7, 0), -EBADF);
	where("offset not page aligned", rawmap(0, PG, RW, ANON, -1, 100), -EINVAL);
	where("length 2^64 - 4096", rawmap(0, -PG, RW, ANON, -1, 0), -ENOMEM);
	where("length 2^47", rawmap(0, 1UL << 47, RW, ANON | MAP_NORESERVE, -1, 0), -ENOMEM);
	where("MAP_HUGETLB (no huge pages)", rawmap(0, 2UL << 20, RW, ANON | MAP_HUGETLB, -1, 0),
	      -ENOMEM);
	where("MAP_HUGETLB fixed, not 2 MiB aligned",
	      rawmap(ARENA + PG, 2UL << 20, RW, FIX | MAP_HUGETLB, -1, 0), -EINVAL);
	where("unknown prot bits are ignored", rawmap(ARENA + 80 * PG, PG, RW | 0x10, FIX, -1, 0),
	      80);
	where("unknown flag bits are ignored",
	      rawmap(ARENA + 81 * PG, PG, RW, FIX | 0x200000, -1, 0), 81);
	where("MAP_SYNC on private memory is ignored",
	      rawmap(ARENA + 82 * PG, PG, RW, FIX | MAP_SYNC, -1, 0), 82);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fixed_test();
	hint_test();
	populate_test();
	noreserve_test();
	stack_and_growsdown_test();
	shared_and_droppable_test();
	exec_only_test();
	error_test();
	hugetlb_fixed_test();
	call("munmap the arena", munmap((void *)ARENA, 1024 * PG), 0);
	printf("mm_mmap: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
