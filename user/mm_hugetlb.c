/* mm_hugetlb: MAP_HUGETLB memory as Linux gives it when its huge-page pools are empty: refused
 * without MAP_NORESERVE, made with it (2 MiB aligned, the length in whole huge pages), and every
 * memory call on it with hugetlb's rules (cuts only at huge-page boundaries, no merging, no
 * growth, no locking). Touching it is SIGBUS (kill_hugetlb); kernel copies get EFAULT. kernel/mm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

#define HB       0x640000000UL /* 1 GiB aligned, far from the arena and the program */
#define HP       (2UL << 20)   /* a huge page */
#define ANON     (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED   (MAP_SHARED | MAP_ANONYMOUS)
#define HN       (MAP_HUGETLB | MAP_NORESERVE)
#define SIZE(lg) ((long)(lg) << MAP_HUGE_SHIFT)
#define AWAY     (-100000L) /* where(): expected outside the test area, huge aligned */
#define TARGET   40         /* the huge page mremap moves to */

/* The address of huge page h of the test area. */
static uintptr_t hat(long h)
{
	return HB + (uintptr_t)h * HP;
}

/* The raw system calls, -errno on failure (the libc wrappers check some arguments themselves). */
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(n, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}

static long rawmap(uintptr_t a, size_t len, long prot, long flags, long off)
{
	return sys6(SYS_mmap, (long)a, (long)len, prot, flags, -1, off);
}

/* Prints where a call's result r lies: "huge H" or "huge H + P pages" of the test area, "elsewhere"
 * (with its alignment), or the errno. want is the byte offset from HB, AWAY, or -errno. */
static long where(const char *what, long r, long want)
{
	long off = r - (long)HB;
	int err = r < 0 && r > -4096;

	if (err)
		printf("%s: %s\n", what, ename(-r));
	else if (off >= 0 && off < (4L << 30) && off % (long)HP == 0)
		printf("%s: huge %ld\n", what, off / (long)HP);
	else if (off >= 0 && off < (4L << 30))
		printf("%s: huge %ld + %ld pages\n", what, off / (long)HP,
		       off % (long)HP / (long)PG);
	else
		printf("%s: elsewhere, 2 MiB aligned: %s\n", what, r % (long)HP ? "no" : "yes");
	if (err || want < 0 ? r != want : off != want)
		if (!(want == AWAY && !err && (off < 0 || off >= (4L << 30)) && r % (long)HP == 0))
			failures++;
	return r;
}

/* Print a call's result, "0" or the errno; want is 0 or -errno. */
static long said(const char *what, long r, long want)
{
	if (r < 0 && r > -4096)
		printf("%s: %s\n", what, ename(-r));
	else
		printf("%s: %ld\n", what, r);
	if (r != want)
		failures++;
	return r;
}

/* n hugetlb pages of type at huge page h, counting a failure when they are not made there. */
static void hmap(long h, long n, int prot, int type)
{
	if (rawmap(hat(h), (size_t)n * HP, prot, type | HN | MAP_FIXED, 0) != (long)hat(h))
		fact("hugetlb mmap for the test", 0);
}

/* Unmap the first 64 huge pages of the test area (and the mremap target). */
static void reset(void)
{
	sys6(SYS_munmap, (long)HB, 64 * HP, 0, 0, 0, 0);
}

/* Print whether the mappings around huge page h are cut there, Linux's VMA boundary: mremap
 * cannot move a range across two (-EFAULT). Needs hugetlb memory at [h - 1, h + 1); it moves
 * and unmaps memory, so a test ends with it. */
static void cut(const char *what, long h, int want)
{
	long r = sys6(SYS_mremap, (long)hat(h - 1), 3 * HP, 2 * HP, MREMAP_MAYMOVE | MREMAP_FIXED,
	              (long)hat(TARGET), 0);

	fact(what, (r == -EFAULT) == want);
	if (r != -EFAULT && r != (long)hat(TARGET))
		printf("  (mremap: %ld)\n", r);
	reset();
}

/* True when [p, p + n pages) lies in one mapping (arena.h's one() at any address). */
static int one_at(uintptr_t p, long n)
{
	long r = sys6(SYS_mremap, (long)p, n * PG, (n + 1) * PG, 0, 0, 0);

	if (r == (long)p)
		sys6(SYS_mremap, (long)p, (n + 1) * PG, n * PG, 0, 0, 0);
	return r != -EFAULT;
}

static void mmap_test(void)
{
	reset();
	where("without MAP_NORESERVE", rawmap(0, HP, RW, ANON | MAP_HUGETLB, 0), -ENOMEM);
	where("shared, without MAP_NORESERVE", rawmap(0, HP, RW, SHARED | MAP_HUGETLB, 0), -ENOMEM);
	long r = where("one page, no hint", rawmap(0, PG, RW, ANON | HN, 0), AWAY);
	said("its second 4 KiB page is mapped", sys6(SYS_madvise, r + PG, PG, MADV_NORMAL, 0, 0, 0),
	     0);
	said("munmap one page of it", sys6(SYS_munmap, r, PG, 0, 0, 0, 0), -EINVAL);
	said("munmap 2 MiB of it", sys6(SYS_munmap, r, HP, 0, 0, 0, 0), 0);
	where("fixed, one page", rawmap(hat(0), PG, RW, ANON | HN | MAP_FIXED, 0), 0);
	where("fixed-noreplace a page at its last page",
	      rawmap(hat(1) - PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, 0), -EEXIST);
	where("fixed-noreplace a page just above",
	      rawmap(hat(1), PG, RW, ANON | MAP_FIXED_NOREPLACE, 0), (long)HP);
	cut("that page and the hugetlb memory are two mappings", 1, 1);
	hmap(0, 1, RW, ANON);
	where("fixed one page in", rawmap(hat(2) + PG, PG, RW, ANON | HN | MAP_FIXED, 0), -EINVAL);
	where("fixed-noreplace over it", rawmap(hat(0), PG, RW, ANON | HN | MAP_FIXED_NOREPLACE, 0),
	      -EEXIST);
	where("fixed-noreplace one page in",
	      rawmap(hat(2) + PG, PG, RW, ANON | HN | MAP_FIXED_NOREPLACE, 0), -EINVAL);
	where("fixed-noreplace at huge 3",
	      rawmap(hat(3), HP + PG, RW, ANON | HN | MAP_FIXED_NOREPLACE, 0), 3 * (long)HP);
	fact("it is two huge pages long", mapped(hat(5) - PG) && !mapped(hat(5)));
	reset();
	/* Linux 6.12 x86's hugetlb_get_unmapped_area() rounds a hint down (6.13 on: up) */
	where("hint one page in", rawmap(hat(4) + PG, PG, RW, ANON | HN, 0), 4 * (long)HP);
	where("hint a byte past huge 6", rawmap(hat(6) + 1, PG, RW, ANON | HN, 0), 6 * (long)HP);
	where("hint at huge 7", rawmap(hat(7), PG, RW, ANON | HN, 0), 7 * (long)HP);
	where("hint on huge 7 (taken)", rawmap(hat(7) - PG, PG, RW, ANON | HN, 0), AWAY);
	where("a page at huge 9 + 1", rawmap(hat(9) + PG, PG, RW, ANON | MAP_FIXED, 0),
	      9 * (long)HP + (long)PG);
	where("hint huge 9 (a page there)", rawmap(hat(9), PG, RW, ANON | HN, 0), AWAY);
	where("fixed over that page", rawmap(hat(9), HP, RW, ANON | HN | MAP_FIXED, 0),
	      9 * (long)HP);
	fact("the page was replaced", mapped(hat(9) + PG));
	where("a small mapping fixed one page into it",
	      rawmap(hat(9) + PG, PG, RW, ANON | MAP_FIXED, 0), -EINVAL);
	where("a small mapping fixed over all of it", rawmap(hat(9), HP, RW, ANON | MAP_FIXED, 0),
	      9 * (long)HP);
	reset();
}

static void size_and_flag_test(void)
{
	long r;

	where("MAP_HUGE_2MB", rawmap(hat(0), PG, RW, ANON | HN | MAP_FIXED | SIZE(21), 0), 0);
	where("MAP_HUGE_1GB at a 2 MiB boundary",
	      rawmap(hat(1), PG, RW, ANON | HN | MAP_FIXED | SIZE(30), 0), -EINVAL);
	where("MAP_HUGE_1GB without MAP_NORESERVE",
	      rawmap(0, PG, RW, ANON | MAP_HUGETLB | SIZE(30), 0), -ENOMEM);
	where("MAP_HUGE_1GB", rawmap(HB + (1UL << 30), PG, RW, ANON | HN | MAP_FIXED | SIZE(30), 0),
	      1L << 30);
	fact("it is 1 GiB long", mapped(HB + (2UL << 30) - PG) && !mapped(HB + (2UL << 30)));
	said("munmap 2 MiB of it", sys6(SYS_munmap, (long)HB + (1L << 30), HP, 0, 0, 0, 0),
	     -EINVAL);
	said("munmap it", sys6(SYS_munmap, (long)HB + (1L << 30), 1L << 30, 0, 0, 0, 0), 0);
	r = rawmap(0, PG, RW, ANON | HN | SIZE(30), 0);
	fact("1 GiB pages, no hint: 1 GiB aligned", r > 0 && r % (1L << 30) == 0);
	sys6(SYS_munmap, r, 1L << 30, 0, 0, 0, 0);
	where("64 KiB pages", rawmap(0, PG, RW, ANON | HN | SIZE(16), 0), -EINVAL);
	where("4 MiB pages", rawmap(0, PG, RW, ANON | HN | SIZE(22), 0), -EINVAL);
	where("size 63", rawmap(0, PG, RW, ANON | HN | SIZE(63), 0), -EINVAL);
	where("shared", rawmap(hat(2), PG, RW, SHARED | HN | MAP_FIXED, 0), 2 * (long)HP);
	where("MAP_SHARED_VALIDATE",
	      rawmap(hat(3), PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | HN | MAP_FIXED, 0),
	      3 * (long)HP);
	where("MAP_SHARED_VALIDATE with MAP_HUGE_2MB",
	      rawmap(hat(4), PG, RW,
	             MAP_SHARED_VALIDATE | MAP_ANONYMOUS | HN | MAP_FIXED | SIZE(21), 0),
	      4 * (long)HP);
	where("MAP_SHARED_VALIDATE with MAP_SYNC",
	      rawmap(hat(5), PG, RW,
	             MAP_SHARED_VALIDATE | MAP_ANONYMOUS | HN | MAP_FIXED | MAP_SYNC, 0),
	      -EOPNOTSUPP);
	where("MAP_SHARED_VALIDATE with an unknown flag",
	      rawmap(hat(5), PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | HN | 0x200000, 0),
	      -EOPNOTSUPP);
	where("MAP_SHARED_VALIDATE fixed-noreplace over huge 4",
	      rawmap(hat(4), PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | HN | MAP_FIXED_NOREPLACE,
	             0),
	      -EEXIST);
	where("MAP_SHARED_VALIDATE fixed-noreplace",
	      rawmap(hat(5), PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | HN | MAP_FIXED_NOREPLACE,
	             0),
	      -EOPNOTSUPP);
	where("MAP_SYNC, shared", rawmap(hat(5), PG, RW, SHARED | HN | MAP_FIXED | MAP_SYNC, 0),
	      5 * (long)HP);
	where("MAP_GROWSDOWN", rawmap(hat(6), PG, RW, ANON | HN | MAP_FIXED | MAP_GROWSDOWN, 0),
	      -EINVAL);
	where("MAP_DROPPABLE",
	      rawmap(hat(6), PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | HN | MAP_FIXED, 0), -EINVAL);
	where("type 0", rawmap(hat(6), PG, RW, MAP_ANONYMOUS | HN | MAP_FIXED, 0), -EINVAL);
	where("MAP_POPULATE", rawmap(hat(6), PG, RW, ANON | HN | MAP_FIXED | MAP_POPULATE, 0),
	      6 * (long)HP);
	where("MAP_LOCKED | MAP_POPULATE",
	      rawmap(hat(7), PG, RW, ANON | HN | MAP_FIXED | MAP_LOCKED | MAP_POPULATE, 0),
	      7 * (long)HP);
	where("MAP_POPULATE, shared",
	      rawmap(hat(8), PG, RW, SHARED | HN | MAP_FIXED | MAP_POPULATE, 0), 8 * (long)HP);
	where("PROT_NONE", rawmap(hat(9), PG, PROT_NONE, ANON | HN | MAP_FIXED | MAP_POPULATE, 0),
	      9 * (long)HP);
	where("PROT_READ | PROT_WRITE | PROT_EXEC",
	      rawmap(hat(10), PG, 7, ANON | HN | MAP_FIXED, 0), 10 * (long)HP);
	where("MAP_STACK", rawmap(hat(11), PG, RW, ANON | HN | MAP_FIXED | MAP_STACK, 0),
	      11 * (long)HP);
	r = rawmap(0, PG, RW, ANON | HN | MAP_32BIT, 0);
	/* 6.12 places hugetlb memory without arch_get_unmapped_area(), which knows MAP_32BIT */
	fact("MAP_32BIT ignored: above 4 GiB, 2 MiB aligned", r >= (1L << 32) && r % (long)HP == 0);
	sys6(SYS_munmap, r, HP, 0, 0, 0, 0);
	said("fixed at address 0 (the oracle runs as root)",
	     rawmap(0, PG, RW, ANON | HN | MAP_FIXED, 0), 0);
	said("munmap it", sys6(SYS_munmap, 0, HP, 0, 0, 0, 0), 0);
	where("fixed at the top", rawmap(0x800000000000UL - HP, PG, RW, ANON | HN | MAP_FIXED, 0),
	      -ENOMEM);
	where("length 0", rawmap(0, 0, RW, ANON | HN, 0), -EINVAL);
	where("length 2^64 - 1", rawmap(hat(12), -1UL, RW, ANON | HN | MAP_FIXED, 0), -EINVAL);
	where("length 2^47", rawmap(0, 1UL << 47, RW, ANON | HN, 0), -ENOMEM);
	where("offset 2 MiB", rawmap(hat(12), PG, RW, ANON | HN | MAP_FIXED, (long)HP),
	      12 * (long)HP);
	where("offset 2^62", rawmap(hat(13), PG, RW, ANON | HN | MAP_FIXED, 1L << 62),
	      13 * (long)HP);
	where("offset -2 MiB", rawmap(hat(13), PG, RW, ANON | HN | MAP_FIXED, -(long)HP),
	      -EOVERFLOW);
	fact("the mapping there stays", mapped(hat(13)));
	where("offset one page", rawmap(hat(13), PG, RW, ANON | HN | MAP_FIXED, PG), -EINVAL);
	fact("the mapping there is gone", !mapped(hat(13)));
	where("1 GiB pages at offset 2 MiB",
	      rawmap(HB + (1UL << 30), PG, RW, ANON | HN | MAP_FIXED | SIZE(30), (long)HP),
	      -EINVAL);
	hmap(14, 1, RW, ANON);
	where("fixed without MAP_NORESERVE over it",
	      rawmap(hat(14), PG, RW, ANON | MAP_HUGETLB | MAP_FIXED, 0), -ENOMEM);
	fact("it is gone", !mapped(hat(14)));
	said("mlockall(MCL_CURRENT | MCL_FUTURE)", sys6(SYS_mlockall, 3, 0, 0, 0, 0, 0), 0);
	where("MAP_HUGETLB after mlockall", rawmap(hat(15), PG, RW, ANON | HN | MAP_FIXED, 0),
	      15 * (long)HP);
	said("munlockall", sys6(SYS_munlockall, 0, 0, 0, 0, 0, 0), 0);
	reset();
	sys6(SYS_munmap, (long)HB + (1L << 30), 1L << 30, 0, 0, 0, 0);
}

static void copy_test(void)
{
	struct timespec *ts = (struct timespec *)hat(0);

	hmap(0, 1, RW, ANON);
	hmap(1, 1, RW, SHARED);
	said("write(2) from it", sys6(SYS_write, 1, (long)hat(0), 10, 0, 0, 0), -EFAULT);
	said("write(2) from it, shared", sys6(SYS_write, 1, (long)hat(1), 10, 0, 0, 0), -EFAULT);
	said("clock_gettime into it",
	     sys6(SYS_clock_gettime, CLOCK_MONOTONIC, (long)ts, 0, 0, 0, 0), -EFAULT);
	said("gettimeofday into it", sys6(SYS_gettimeofday, (long)hat(1), 0, 0, 0, 0, 0), -EFAULT);
	reset();
}

static void munmap_test(void)
{
	hmap(0, 3, RW, ANON);
	said("munmap one page at its start", sys6(SYS_munmap, (long)hat(0), PG, 0, 0, 0, 0),
	     -EINVAL);
	said("munmap one page in", sys6(SYS_munmap, (long)hat(0) + PG, PG, 0, 0, 0, 0), -EINVAL);
	said("munmap from a page below it", sys6(SYS_munmap, (long)hat(0) - PG, 2 * PG, 0, 0, 0, 0),
	     -EINVAL);
	said("munmap to a page past it", sys6(SYS_munmap, (long)hat(3) - PG, 2 * PG, 0, 0, 0, 0),
	     -EINVAL);
	fact("nothing went", mapped(hat(0)) && mapped(hat(3) - PG));
	cut("and it is still one mapping at huge 1", 1, 0);
	hmap(0, 3, RW, ANON);
	said("munmap huge 1 and a page", sys6(SYS_munmap, (long)hat(1), HP + PG, 0, 0, 0, 0),
	     -EINVAL);
	cut("but cut at huge 1 (the cut at the start stays)", 1, 1);
	hmap(0, 3, RW, ANON);
	said("munmap one page at huge 1", sys6(SYS_munmap, (long)hat(1), PG, 0, 0, 0, 0), -EINVAL);
	fact("huge 1 is still mapped", mapped(hat(1)));
	cut("cut at huge 1 too", 1, 1);
	hmap(0, 3, RW, ANON);
	said("munmap huge 1", sys6(SYS_munmap, (long)hat(1), HP, 0, 0, 0, 0), 0);
	fact("huge 0 and 2 stay, 1 is gone", mapped(hat(0)) && mapped(hat(2)) && !mapped(hat(1)));
	reset();
	hmap(0, 1, RW, ANON);
	rawmap(hat(1), PG, RW, ANON | MAP_FIXED, 0);
	said("munmap huge 0 and the page above",
	     sys6(SYS_munmap, (long)hat(0), HP + PG, 0, 0, 0, 0), 0);
	fact("both gone", !mapped(hat(0)) && !mapped(hat(1)));
	reset();
}

static void mprotect_test(void)
{
	hmap(0, 3, RW, ANON);
	said("mprotect one page", sys6(SYS_mprotect, (long)hat(0), PG, PROT_READ, 0, 0, 0),
	     -EINVAL);
	said("mprotect one page in", sys6(SYS_mprotect, (long)hat(0) + PG, PG, PROT_READ, 0, 0, 0),
	     -EINVAL);
	said("mprotect one page, rights unchanged",
	     sys6(SYS_mprotect, (long)hat(0) + PG, PG, RW, 0, 0, 0), 0);
	said("mprotect huge 1 read-only", sys6(SYS_mprotect, (long)hat(1), HP, PROT_READ, 0, 0, 0),
	     0);
	said("mprotect huge 1 back", sys6(SYS_mprotect, (long)hat(1), HP, RW, 0, 0, 0), 0);
	cut("no merge: still cut at huge 1", 1, 1);
	hmap(0, 3, RW, ANON);
	said("mprotect all but the last page",
	     sys6(SYS_mprotect, (long)hat(0), 3 * HP - PG, PROT_READ, 0, 0, 0), -EINVAL);
	said("mprotect one page past it (a hole)",
	     sys6(SYS_mprotect, (long)hat(0), 3 * HP + PG, PROT_READ, 0, 0, 0), -ENOMEM);
	said("mprotect PROT_NONE", sys6(SYS_mprotect, (long)hat(0), 3 * HP, PROT_NONE, 0, 0, 0), 0);
	said("mprotect rwx", sys6(SYS_mprotect, (long)hat(0), 3 * HP, 7, 0, 0, 0), 0);
	cut("not cut: mprotect failed before changing anything", 1, 0);
	hmap(0, 2, RW, ANON);
	said("mprotect one page at huge 1",
	     sys6(SYS_mprotect, (long)hat(1), PG, PROT_READ, 0, 0, 0), -EINVAL);
	cut("cut at huge 1 all the same", 1, 1);
	hmap(0, 1, RW, ANON);
	hmap(1, 1, RW, ANON);
	cut("two hugetlb mappings side by side never merge", 1, 1);
}

/* madvise(advice) on five ranges of two private and of two shared huge pages. */
static void advise(const char *name, int advice, const long want[7])
{
	static const struct {
		const char *what;
		long off, len;
		int shared, prot;
	} ranges[7] = {
	    {"all", 0, 2 * HP, 0, RW},
	    {"its first page", 0, PG, 0, RW},
	    {"one page in", PG, PG, 0, RW},
	    {"its second huge page and a page", HP, HP + PG, 0, RW},
	    {"its first huge page and a page", 0, HP + PG, 0, RW},
	    {"shared: one page in", PG, PG, 1, RW},
	    {"shared read-only: all", 0, 2 * HP, 1, PROT_READ},
	};
	char what[96];

	for (int i = 0; i < 7; i++) {
		hmap(0, 2, ranges[i].prot, ranges[i].shared ? SHARED : ANON);
		snprintf(what, sizeof(what), "madvise %s, %s", name, ranges[i].what);
		said(
		    what,
		    sys6(SYS_madvise, (long)hat(0) + ranges[i].off, ranges[i].len, advice, 0, 0, 0),
		    want[i]);
		reset();
	}
}

static void madvise_test(void)
{
	const long none[7] = {0, 0, 0, -ENOMEM, 0, 0, 0};
	const long flag[7] = {0, -EINVAL, -EINVAL, -ENOMEM, -EINVAL, -EINVAL, 0};
	const long bad[7] = {-EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL};
	const long drop[7] = {0, 0, -EINVAL, -ENOMEM, 0, -EINVAL, 0};
	const long rm[7] = {-EACCES, -EACCES, -EACCES, -EACCES, -EACCES, 0, 0};
	const long pop[7] = {-EFAULT, -EFAULT, -EFAULT, -EFAULT, -EFAULT, -EFAULT, -EFAULT};
	const long popw[7] = {-EFAULT, -EFAULT, -EFAULT, -EFAULT, -EFAULT, -EFAULT, -EINVAL};

	advise("NORMAL", MADV_NORMAL, none);
	advise("RANDOM", MADV_RANDOM, flag);
	advise("SEQUENTIAL", MADV_SEQUENTIAL, flag);
	advise("WILLNEED", MADV_WILLNEED, none);
	advise("DONTNEED", MADV_DONTNEED, drop);
	advise("DONTNEED_LOCKED", MADV_DONTNEED_LOCKED, drop);
	advise("FREE", MADV_FREE, bad);
	advise("REMOVE", MADV_REMOVE, rm);
	advise("DONTFORK", MADV_DONTFORK, flag);
	advise("DOFORK", MADV_DOFORK, none);
	advise("MERGEABLE", MADV_MERGEABLE, none);
	advise("HUGEPAGE", MADV_HUGEPAGE, flag);
	advise("NOHUGEPAGE", MADV_NOHUGEPAGE, flag);
	advise("DONTDUMP", MADV_DONTDUMP, flag);
	advise("DODUMP", MADV_DODUMP, none);
	advise("WIPEONFORK", MADV_WIPEONFORK, bad);
	advise("KEEPONFORK", MADV_KEEPONFORK, none);
	advise("COLD", MADV_COLD, bad);
	advise("PAGEOUT", MADV_PAGEOUT, bad);
	advise("POPULATE_READ", MADV_POPULATE_READ, pop);
	advise("POPULATE_WRITE", MADV_POPULATE_WRITE, popw);
	advise("COLLAPSE", MADV_COLLAPSE, bad);
	advise("GUARD_INSTALL", MADV_GUARD_INSTALL, bad);
	advise("GUARD_REMOVE", MADV_GUARD_REMOVE, bad);
	hmap(0, 2, PROT_NONE, ANON);
	said("madvise POPULATE_READ, PROT_NONE",
	     sys6(SYS_madvise, (long)hat(0), 2 * HP, MADV_POPULATE_READ, 0, 0, 0), -EINVAL);
	said("madvise REMOVE, PROT_NONE",
	     sys6(SYS_madvise, (long)hat(0), 2 * HP, MADV_REMOVE, 0, 0, 0), -EACCES);
	said("madvise DONTFORK, huge 1",
	     sys6(SYS_madvise, (long)hat(1), HP, MADV_DONTFORK, 0, 0, 0), 0);
	cut("DONTFORK cut at huge 1", 1, 1);
	hmap(0, 2, RW, ANON);
	said("madvise RANDOM, one page at huge 1",
	     sys6(SYS_madvise, (long)hat(1), PG, MADV_RANDOM, 0, 0, 0), -EINVAL);
	cut("cut at huge 1 all the same", 1, 1);
}

/* mremap of hugetlb memory at huge 0 (n huge pages of type), printed by where(). */
static void remap(const char *what, int type, long n, long old, long oldlen, long newlen,
                  long flags, long to, long want)
{
	hmap(0, n, RW, type);
	where(what, sys6(SYS_mremap, (long)HB + old, oldlen, newlen, flags, (long)HB + to, 0),
	      want);
}

static void mremap_test(int type)
{
	const long H = (long)HP, T = TARGET * (long)HP;

	remap("shrink 2 huge pages to 1", type, 2, 0, 2 * H, H, 0, 0, 0);
	fact("the second is gone", mapped(hat(0)) && !mapped(hat(1)));
	reset();
	remap("shrink 2 huge pages to 1 and a page (no change)", type, 2, 0, 2 * H, H + PG, 0, 0,
	      0);
	fact("both stay", mapped(hat(1)));
	reset();
	remap("shrink to one page", type, 2, 0, 2 * H, PG, 0, 0, 0);
	fact("one huge page stays", mapped(hat(0) + PG) && !mapped(hat(1)));
	reset();
	remap("one page to one page", type, 2, 0, PG, PG, 0, 0, 0);
	remap("from one page in", type, 2, PG, PG, PG, 0, 0, -EINVAL);
	remap("grow one page to two (one huge page both)", type, 2, 0, PG, 2 * PG, 0, 0, 0);
	remap("grow 2 huge pages to 3", type, 2, 0, 2 * H, 3 * H, 0, 0, -EINVAL);
	remap("grow 2 huge pages to 3, may move", type, 2, 0, 2 * H, 3 * H, MREMAP_MAYMOVE, 0,
	      -EINVAL);
	remap("grow by a page, may move", type, 2, 0, 2 * H, 2 * H + PG, MREMAP_MAYMOVE, 0,
	      -EINVAL);
	remap("old length 0", type, 2, 0, 0, H, MREMAP_MAYMOVE, 0, -EINVAL);
	remap("same length, may move", type, 2, 0, 2 * H, 2 * H, MREMAP_MAYMOVE, 0, 0);
	remap("move both", type, 2, 0, 2 * H, 2 * H, FIXED, T, T);
	fact("gone from huge 0, at the target", !mapped(hat(0)) && mapped(hat(TARGET + 1)));
	reset();
	remap("move the first", type, 2, 0, H, H, FIXED, T, T);
	fact("huge 1 stays", mapped(hat(1)) && !mapped(hat(0)));
	reset();
	remap("move one page (its huge page)", type, 2, 0, PG, PG, FIXED, T, T);
	fact("huge 1 stays", mapped(hat(1)) && !mapped(hat(0)));
	reset();
	remap("move the second", type, 2, H, H, H, FIXED, T, T);
	reset();
	remap("move and shrink", type, 2, 0, 2 * H, H, FIXED, T, T);
	fact("nothing left behind", !mapped(hat(0)) && !mapped(hat(1)));
	reset();
	rawmap(hat(TARGET) + PG, PG, RW, ANON | MAP_FIXED, 0);
	remap("move to one page past the target", type, 2, 0, 2 * H, 2 * H, FIXED, T + PG, -EINVAL);
	fact("the page at the target stays", mapped(hat(TARGET) + PG));
	reset();
	remap("move from one page in", type, 2, PG, PG, PG, FIXED, T, -EINVAL);
	remap("move and grow", type, 2, 0, 2 * H, 3 * H, FIXED, T, -EINVAL);
	remap("MREMAP_DONTUNMAP", type, 2, 0, 2 * H, 2 * H, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0,
	      -EINVAL);
	remap("MREMAP_DONTUNMAP fixed", type, 2, 0, 2 * H, 2 * H, FIXED | MREMAP_DONTUNMAP, T,
	      -EINVAL);
	reset();
	rawmap(hat(1) - PG, PG, RW, ANON | MAP_FIXED, 0);
	hmap(1, 1, RW, type);
	/* Linux 6.12 moves one mapping only: -EFAULT, after unmapping the target */
	where("move a page and the hugetlb memory above it",
	      sys6(SYS_mremap, (long)hat(1) - PG, H + PG, H + PG, FIXED, (long)hat(TARGET), 0),
	      -EFAULT);
	fact("the page stayed", mapped(hat(1) - PG) && !mapped(hat(TARGET)));
	fact("the huge page stayed", mapped(hat(1)));
	reset();
	rawmap(hat(0), PG, RW, ANON | MAP_FIXED, 0);
	hmap(1, 1, RW, type);
	where("move a page onto one page in",
	      sys6(SYS_mremap, (long)hat(0), PG, PG, FIXED, (long)hat(1) + PG, 0), -EINVAL);
	where("move a page onto its start",
	      sys6(SYS_mremap, (long)hat(0), PG, PG, FIXED, (long)hat(1), 0), -EINVAL);
	fact("all stay", mapped(hat(0)) && mapped(hat(1)) && mapped(hat(2) - PG));
	reset();
	hmap(0, 1, RW, type);
	rawmap(hat(1), PG, RW, ANON | MAP_FIXED, 0);
	where("grow the page above it", sys6(SYS_mremap, (long)hat(1), PG, 2 * PG, 0, 0, 0),
	      (long)HP);
	reset();
}

static void mlock_test(void)
{
	hmap(0, 2, RW, ANON);
	said("mlock one page", sys6(SYS_mlock, (long)hat(0), PG, 0, 0, 0, 0), -ENOMEM);
	said("mlock all", sys6(SYS_mlock, (long)hat(0), 2 * HP, 0, 0, 0, 0), -ENOMEM);
	said("mlock2 MLOCK_ONFAULT", sys6(SYS_mlock2, (long)hat(0), 2 * HP, 1, 0, 0, 0), -ENOMEM);
	said("munlock one page in", sys6(SYS_munlock, (long)hat(0) + PG, PG, 0, 0, 0, 0), 0);
	said("munlock all", sys6(SYS_munlock, (long)hat(0), 2 * HP, 0, 0, 0, 0), 0);
	cut("never cut by mlock", 1, 0);
	hmap(0, 1, PROT_NONE, SHARED);
	said("mlock shared PROT_NONE", sys6(SYS_mlock, (long)hat(0), HP, 0, 0, 0, 0), -ENOMEM);
	reset();
	rawmap(hat(1) - PG, PG, RW, ANON | MAP_FIXED, 0);
	hmap(1, 1, RW, ANON);
	rawmap(hat(2), PG, RW, ANON | MAP_FIXED, 0);
	said("mlock a page, the huge page and a page",
	     sys6(SYS_mlock, (long)hat(1) - PG, HP + 2 * PG, 0, 0, 0, 0), -ENOMEM);
	said("the page below is locked: DONTNEED",
	     sys6(SYS_madvise, (long)hat(1) - PG, PG, MADV_DONTNEED, 0, 0, 0), -EINVAL);
	said("the page above too", sys6(SYS_madvise, (long)hat(2), PG, MADV_DONTNEED, 0, 0, 0),
	     -EINVAL);
	said("mlockall(MCL_CURRENT)", sys6(SYS_mlockall, 1, 0, 0, 0, 0, 0), 0);
	said("munlockall", sys6(SYS_munlockall, 0, 0, 0, 0, 0, 0), 0);
	reset();
}

/* The program break next to hugetlb memory: brk stops a page short of it. */
static void brk_test(void)
{
	long b = sys6(SYS_brk, 0, 0, 0, 0, 0, 0);
	long h = (b + 2 * (long)HP) & ~((long)HP - 1), below = h - (long)PG;

	fact("hugetlb memory above the break",
	     rawmap((uintptr_t)h, PG, RW, ANON | HN | MAP_FIXED, 0) == h);
	fact("brk to a page below it", sys6(SYS_brk, below, 0, 0, 0, 0, 0) == below);
	fact("brk up to it is refused", sys6(SYS_brk, h, 0, 0, 0, 0, 0) == below);
	fact("the heap and it are two mappings", !one_at((uintptr_t)below, 2));
	fact("brk back", sys6(SYS_brk, b, 0, 0, 0, 0, 0) == b);
	sys6(SYS_munmap, h, HP, 0, 0, 0, 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	mmap_test();
	size_and_flag_test();
	copy_test();
	munmap_test();
	mprotect_test();
	madvise_test();
	printf("-- private\n");
	mremap_test(ANON);
	printf("-- shared\n");
	mremap_test(SHARED);
	mlock_test();
	brk_test();
	printf("mm_hugetlb: %s\n", failures ? "FAILED" : "passed");
	return failures != 0;
}
