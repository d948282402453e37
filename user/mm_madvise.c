/* mm_madvise: every advice Linux accepts on anonymous memory — contents after it, where it refuses
 * (shared, private, rights, holes) and the errors of bad advice and ranges. Owned by kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

#define PG    4096UL
#define ARENA 0x600000000UL
#define RW    (PROT_READ | PROT_WRITE)
#define FIX   (MAP_ANONYMOUS | MAP_FIXED)

#define MADV_DONTNEED_LOCKED_ 24
#define MADV_COLLAPSE_        25
#define MADV_POPULATE_READ_   22
#define MADV_POPULATE_WRITE_  23

static char *at(long page)
{
	return (char *)(ARENA + (uintptr_t)page * PG);
}

/* madvise(page, n pages, advice) printed as "0" or "-1 ENAME"; want is 0 or an errno. */
static void adv(const char *what, long page, long n, int advice, int want)
{
	long r = syscall(SYS_madvise, at(page), n * (long)PG, advice);
	int e = errno;

	printf("%s: %s\n", what, r == 0 ? "0" : ename(e));
	if (want ? !(r == -1 && e == want) : r != 0)
		failures++;
}

static void map(long page, long n, int prot, int type)
{
	if (mmap(at(page), (size_t)n * PG, prot, FIX | type, -1, 0) != at(page))
		fact("mmap for the test", 0);
}

static int all(long page, long n, char c)
{
	for (long k = 0; k < n * (long)PG; k += 128)
		if (((volatile char *)at(page))[k] != c)
			return 0;
	return 1;
}

static void discard_test(void)
{
	map(0, 4, RW, MAP_PRIVATE);
	memset(at(0), 'p', 4 * PG);
	adv("MADV_DONTNEED pages 1-2 of private memory", 1, 2, MADV_DONTNEED, 0);
	fact("they read zero", all(1, 2, 0));
	fact("pages 0 and 3 kept", all(0, 1, 'p') && all(3, 1, 'p'));
	adv("MADV_DONTNEED_LOCKED", 3, 1, MADV_DONTNEED_LOCKED_, 0);
	fact("reads zero", all(3, 1, 0));
	memset(at(0), 'q', 4 * PG);
	adv("MADV_FREE", 0, 4, MADV_FREE, 0);
	memset(at(0), 'r', 4 * PG); /* contents after MADV_FREE are either: write them again */
	fact("written again after MADV_FREE", all(0, 4, 'r'));
	adv("MADV_REMOVE on private memory", 0, 4, MADV_REMOVE, EINVAL);

	map(8, 4, RW, MAP_SHARED);
	memset(at(8), 's', 4 * PG);
	adv("MADV_DONTNEED on shared memory", 8, 4, MADV_DONTNEED, 0);
	fact("shared memory keeps its contents", all(8, 4, 's'));
	adv("MADV_FREE on shared memory", 8, 4, MADV_FREE, EINVAL);
	adv("MADV_WIPEONFORK on shared memory", 8, 4, MADV_WIPEONFORK, EINVAL);
	adv("MADV_REMOVE on shared memory", 9, 2, MADV_REMOVE, 0);
	fact("the removed pages read zero", all(9, 2, 0));
	fact("the others kept", all(8, 1, 's') && all(11, 1, 's'));
	/* private then shared in one call: the private part is freed first, then the error */
	memset(at(0), 'w', 4 * PG);
	adv("MADV_FREE over private, a hole, then shared", 0, 12, MADV_FREE, EINVAL);
}

static void hint_test(void)
{
	static const struct {
		const char *name;
		int advice;
	} hints[] = {
	    {"MADV_NORMAL", MADV_NORMAL},
	    {"MADV_RANDOM", MADV_RANDOM},
	    {"MADV_SEQUENTIAL", MADV_SEQUENTIAL},
	    {"MADV_WILLNEED", MADV_WILLNEED},
	    {"MADV_DONTFORK", MADV_DONTFORK},
	    {"MADV_DOFORK", MADV_DOFORK},
	    {"MADV_MERGEABLE", MADV_MERGEABLE},
	    {"MADV_UNMERGEABLE", MADV_UNMERGEABLE},
	    {"MADV_HUGEPAGE", MADV_HUGEPAGE},
	    {"MADV_NOHUGEPAGE", MADV_NOHUGEPAGE},
	    {"MADV_DONTDUMP", MADV_DONTDUMP},
	    {"MADV_DODUMP", MADV_DODUMP},
	    {"MADV_WIPEONFORK", MADV_WIPEONFORK},
	    {"MADV_KEEPONFORK", MADV_KEEPONFORK},
	    {"MADV_COLD", MADV_COLD},
	    {"MADV_PAGEOUT", MADV_PAGEOUT},
	    {"MADV_POPULATE_READ", MADV_POPULATE_READ_},
	    {"MADV_POPULATE_WRITE", MADV_POPULATE_WRITE_},
	};

	map(20, 8, RW, MAP_PRIVATE);
	memset(at(20), 'h', 8 * PG);
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "%s on pages 22-25", hints[i].name);
		adv(what, 22, 4, hints[i].advice, 0);
	}
	fact("contents kept through all the hints", all(20, 8, 'h'));
	adv("MADV_COLLAPSE (no range can be a huge page)", 20, 8, MADV_COLLAPSE_, EINVAL);
}

static void populate_test(void)
{
	map(40, 2, PROT_NONE, MAP_PRIVATE);
	map(42, 2, PROT_READ, MAP_PRIVATE);
	map(44, 2, PROT_WRITE, MAP_PRIVATE);
	adv("MADV_POPULATE_READ on PROT_NONE", 40, 2, MADV_POPULATE_READ_, EINVAL);
	adv("MADV_POPULATE_READ on read-only", 42, 2, MADV_POPULATE_READ_, 0);
	adv("MADV_POPULATE_WRITE on read-only", 42, 2, MADV_POPULATE_WRITE_, EINVAL);
	adv("MADV_POPULATE_READ on write-only", 44, 2, MADV_POPULATE_READ_, EINVAL);
	adv("MADV_POPULATE_WRITE on write-only", 44, 2, MADV_POPULATE_WRITE_, 0);
	adv("MADV_POPULATE_READ into a hole", 44, 4, MADV_POPULATE_READ_, EINVAL);
	adv("MADV_POPULATE_WRITE into a hole", 44, 4, MADV_POPULATE_WRITE_, ENOMEM);
	fact("populated pages read zero", all(42, 2, 0));
}

static void range_test(void)
{
	map(60, 2, RW, MAP_PRIVATE);
	map(64, 2, RW, MAP_PRIVATE);
	memset(at(60), 'x', 2 * PG);
	memset(at(64), 'y', 2 * PG);
	adv("MADV_DONTNEED over a hole", 60, 6, MADV_DONTNEED, ENOMEM);
	fact("both sides of the hole were discarded", all(60, 2, 0) && all(64, 2, 0));
	adv("MADV_NORMAL only over a hole", 62, 2, MADV_NORMAL, ENOMEM);
	adv("MADV_NORMAL past the last mapping", 65, 100, MADV_NORMAL, ENOMEM);

	long r = syscall(SYS_madvise, at(60) + 1, PG, MADV_NORMAL);

	printf("unaligned address: %s\n", r == 0 ? "0" : ename(errno));
	failures += !(r == -1 && errno == EINVAL);
	r = syscall(SYS_madvise, at(60), 0, MADV_DONTNEED);
	printf("length 0: %ld\n", r);
	failures += r != 0;
	r = syscall(SYS_madvise, at(60), -PG, MADV_DONTNEED);
	printf("length -4096: %s\n", r == 0 ? "0" : ename(errno));
	failures += !(r == -1 && errno == EINVAL);
	r = syscall(SYS_madvise, at(60), 0, 77);
	printf("bad advice, length 0: %s\n", r == 0 ? "0" : ename(errno));
	failures += !(r == -1 && errno == EINVAL);
	adv("bad advice 5", 60, 1, 5, EINVAL);
	adv("bad advice 26", 60, 1, 26, EINVAL);
	adv("bad advice -1", 60, 1, -1, EINVAL);
	r = syscall(SYS_madvise, 0xffff800000000000UL, PG, MADV_DONTNEED);
	printf("kernel half: %s\n", r == 0 ? "0" : ename(errno));
	failures += !(r == -1 && errno == ENOMEM);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	discard_test();
	hint_test();
	populate_test();
	range_test();
	munmap(at(0), 256 * PG);
	printf("mm_madvise: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
