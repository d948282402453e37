/* mm_madvise: every advice Linux accepts on anonymous memory — contents after it, where it refuses
 * (shared, private, rights, holes) and the errors of bad advice and ranges. Owned by kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

static void discard_test(void)
{
	map(0, 4, RW, 0);
	memset(at(0), 'p', 4 * PG);
	adv("MADV_DONTNEED pages 1-2 of private memory", 1, 2, MADV_DONTNEED, 0);
	fact("they read zero", all(1, 2, 0));
	fact("pages 0 and 3 kept", all(0, 1, 'p') && all(3, 1, 'p'));
	adv("MADV_DONTNEED_LOCKED", 3, 1, MADV_DONTNEED_LOCKED, 0);
	fact("reads zero", all(3, 1, 0));
	memset(at(0), 'q', 4 * PG);
	adv("MADV_FREE", 0, 4, MADV_FREE, 0);
	memset(at(0), 'r', 4 * PG); /* contents after MADV_FREE are either: write them again */
	fact("written again after MADV_FREE", all(0, 4, 'r'));
	adv("MADV_REMOVE on private memory", 0, 4, MADV_REMOVE, EINVAL);

	map_shared(8, 4, RW);
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
	    {"MADV_POPULATE_READ", MADV_POPULATE_READ},
	    {"MADV_POPULATE_WRITE", MADV_POPULATE_WRITE},
	};

	map(20, 8, RW, 0);
	memset(at(20), 'h', 8 * PG);
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "%s on pages 22-25", hints[i].name);
		adv(what, 22, 4, hints[i].advice, 0);
	}
	fact("contents kept through all the hints", all(20, 8, 'h'));
	adv("MADV_COLLAPSE (no range can be a huge page)", 20, 8, MADV_COLLAPSE, EINVAL);
}

static void populate_test(void)
{
	map(40, 2, PROT_NONE, 0);
	map(42, 2, PROT_READ, 0);
	map(44, 2, PROT_WRITE, 0);
	adv("MADV_POPULATE_READ on PROT_NONE", 40, 2, MADV_POPULATE_READ, EINVAL);
	adv("MADV_POPULATE_READ on read-only", 42, 2, MADV_POPULATE_READ, 0);
	adv("MADV_POPULATE_WRITE on read-only", 42, 2, MADV_POPULATE_WRITE, EINVAL);
	adv("MADV_POPULATE_READ on write-only", 44, 2, MADV_POPULATE_READ, EINVAL);
	adv("MADV_POPULATE_WRITE on write-only", 44, 2, MADV_POPULATE_WRITE, 0);
	adv("MADV_POPULATE_READ into a hole", 44, 4, MADV_POPULATE_READ, EINVAL);
	adv("MADV_POPULATE_WRITE into a hole", 44, 4, MADV_POPULATE_WRITE, ENOMEM);
	fact("populated pages read zero", all(42, 2, 0));
}

static void range_test(void)
{
	map(60, 2, RW, 0);
	map(64, 2, RW, 0);
	memset(at(60), 'x', 2 * PG);
	memset(at(64), 'y', 2 * PG);
	adv("MADV_DONTNEED over a hole", 60, 6, MADV_DONTNEED, ENOMEM);
	fact("both sides of the hole were discarded", all(60, 2, 0) && all(64, 2, 0));
	adv("MADV_NORMAL only over a hole", 62, 2, MADV_NORMAL, ENOMEM);
	adv("MADV_NORMAL past the last mapping", 65, 100, MADV_NORMAL, ENOMEM);

	res("unaligned address", syscall(SYS_madvise, at(60) + 1, PG, MADV_NORMAL), EINVAL);
	res("length 0", syscall(SYS_madvise, at(60), 0, MADV_DONTNEED), 0);
	res("length -4096", syscall(SYS_madvise, at(60), -PG, MADV_DONTNEED), EINVAL);
	res("bad advice, length 0", syscall(SYS_madvise, at(60), 0, 77), EINVAL);
	adv("bad advice 5", 60, 1, 5, EINVAL);
	adv("bad advice 26", 60, 1, 26, EINVAL);
	adv("bad advice -1", 60, 1, -1, EINVAL);
	adv("advice 104", 60, 1, 104, EINVAL);
	res("kernel half", syscall(SYS_madvise, 0xffff800000000000UL, PG, MADV_DONTNEED), ENOMEM);
}

/* MADV_HWPOISON (100) and MADV_SOFT_OFFLINE (101): the oracle's kernel has CONFIG_MEMORY_FAILURE
 * and the program runs as root. Each page is read in as get_user_pages() does; Linux's shared zero
 * page (a private page never written) cannot be offlined; a written page is offlined unseen
 * (poisoning it kills the process: kill_hwpoison). Never MADV_HWPOISON of the zero page: Linux
 * marks it poisoned for the whole machine, and later answers (other programs' too) change. */
static void memory_failure_test(void)
{
	map(80, 4, RW, 0);
	memset(at(81), 'f', PG);
	adv("MADV_HWPOISON, length 0", 80, 0, 100, 0);
	adv("MADV_SOFT_OFFLINE, length 0", 80, 0, 101, 0);
	res("MADV_SOFT_OFFLINE unaligned", syscall(SYS_madvise, at(80) + 1, PG, 101), EINVAL);
	adv("MADV_SOFT_OFFLINE of a hole", 90, 1, 101, EFAULT);
	adv("MADV_HWPOISON of a hole", 90, 1, 100, EFAULT);
	adv("MADV_SOFT_OFFLINE of a page never written", 80, 1, 101, EIO);
	adv("MADV_SOFT_OFFLINE of a written page", 81, 1, 101, 0);
	fact("its contents stay", all(81, 1, 'f'));
	adv("MADV_SOFT_OFFLINE from it over unwritten pages", 81, 3, 101, EIO);
	mprotect(at(83), PG, PROT_WRITE);
	adv("MADV_SOFT_OFFLINE of a write-only page", 83, 1, 101, EFAULT);
	mprotect(at(83), PG, PROT_NONE);
	adv("MADV_HWPOISON of a PROT_NONE page", 83, 1, 100, EFAULT);
	map_shared(86, 2, RW);
	adv("MADV_SOFT_OFFLINE of shared memory", 86, 2, 101, 0);
	adv("MADV_HWPOISON of a clean shared page", 86, 1, 100, 0);
	munmap(at(80), 8 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	discard_test();
	hint_test();
	populate_test();
	range_test();
	memory_failure_test();
	munmap(at(0), 256 * PG);
	printf("mm_madvise: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
