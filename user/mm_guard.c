/* mm_guard: MADV_GUARD_INSTALL and MADV_GUARD_REMOVE came in Linux 6.13. The oracle, Linux 6.12,
 * does not know them: madvise refuses them with EINVAL before it looks at the range, where advice
 * it knows gives 0 (length 0) or ENOMEM (a hole), and nothing changes. kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

/* Both guard advices on n pages from arena page page: EINVAL, whatever lies there. */
static void refused(const char *what, long page, long n)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "MADV_GUARD_INSTALL, %s", what);
	adv(buf, page, n, MADV_GUARD_INSTALL, EINVAL);
	snprintf(buf, sizeof(buf), "MADV_GUARD_REMOVE, %s", what);
	adv(buf, page, n, MADV_GUARD_REMOVE, EINVAL);
}

/* Refused on every kind of range, where known advice answers otherwise. */
static void range_test(void)
{
	map(0, 8, RW, 0);
	memset(at(0), 'g', 8 * PG);
	refused("pages 2-3 of a mapping", 2, 2);
	adv("MADV_NORMAL there (known advice)", 2, 2, MADV_NORMAL, 0);
	refused("length 0", 2, 0);
	adv("MADV_NORMAL, length 0", 2, 0, MADV_NORMAL, 0);
	refused("a hole", 100, 1);
	adv("MADV_NORMAL on the hole", 100, 1, MADV_NORMAL, ENOMEM);
	refused("pages 6-9, past the mapping's end", 6, 4);
	res("MADV_GUARD_INSTALL unaligned", syscall(SYS_madvise, at(2) + 1, PG, MADV_GUARD_INSTALL),
	    EINVAL);
	map(20, 4, RW, MAP_LOCKED);
	refused("locked memory", 21, 1);
	map_shared(30, 2, RW);
	refused("shared memory", 30, 1);
	mmap(at(40), 2 * PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	refused("droppable memory", 40, 1);
	map(50, 2, PROT_NONE, 0);
	refused("PROT_NONE memory", 50, 1);
}

/* Nothing changed: no page dropped or made unreadable, no mapping cut. */
static void unchanged_test(void)
{
	fact("the pages keep their contents", all(0, 8, 'g'));
	/* rt_sigprocmask copies the set in before it looks at how (99): EINVAL, not EFAULT */
	res("the kernel reads page 2", syscall(SYS_rt_sigprocmask, 99, at(2), NULL, 8), EINVAL);
	fact("still one mapping", one(0, 8));
	munmap(at(0), 64 * PG);
}

/* A mapping never written has no anon identity and merges where it lands when moved next to one
 * written: the refused advice does not give it one (on 6.13 installing a marker does). */
static void identity_test(void)
{
	map(20, 4, RW, 0);
	memset(at(20), 1, 4 * PG);
	map(0, 2, RW, 0);
	refused("a fresh mapping", 0, 1);
	if (syscall(SYS_mremap, at(0), 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, at(24)) !=
	    (long)at(24))
		fact("mremap for the test", 0);
	fact("moved next to a written mapping, it merges", one(20, 6));
	munmap(at(0), 32 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	range_test();
	unchanged_test();
	identity_test();
	printf("failures: %d\n", failures);
	return failures != 0;
}
