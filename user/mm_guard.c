/* mm_guard: MADV_GUARD_INSTALL and MADV_GUARD_REMOVE as Linux 6.13+ — markers in the page table,
 * not mappings: what they drop, what reads them, what moves, clears or keeps them. kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

/* True when the kernel can read the page: rt_sigprocmask copies the set in before it looks at
 * how (99: -EINVAL), so -EFAULT means a guard marker (or no mapping) without touching it. */
static int readable(long page)
{
	return !(syscall(SYS_rt_sigprocmask, 99, at(page), NULL, 8) == -1 && errno == EFAULT);
}

/* Print which pages of [page, page + n) the kernel can read ('1') and compare with want. */
static void marks(const char *what, long page, long n, const char *want)
{
	char buf[64];
	long k;

	for (k = 0; k < n; k++)
		buf[k] = readable(page + k) ? '1' : '0';
	buf[k] = 0;
	printf("  %s: %s\n", what, buf);
	if (strcmp(buf, want))
		failures++;
}

static long move(long from, long n, long newn, int flags, long to)
{
	long r = syscall(SYS_mremap, at(from), n * (long)PG, newn * (long)PG, flags, at(to));

	return r == -1 ? -1 : 0;
}

static void install_test(void)
{
	map(0, 8, RW, 0);
	memset(at(0), 'g', 8 * PG);
	adv("MADV_GUARD_INSTALL pages 2-3", 2, 2, MADV_GUARD_INSTALL, 0);
	fact("still one mapping", one(0, 8));
	marks("readable", 0, 8, "11001111");
	fact("the pages around keep their contents", all(1, 1, 'g') && all(4, 4, 'g'));
	res("write(2) from a guarded page", write(1, at(2), 1) == -1 ? -1 : 0, EFAULT);
	adv("MADV_GUARD_INSTALL again", 2, 2, MADV_GUARD_INSTALL, 0);
	adv("MADV_POPULATE_READ over a marker", 1, 3, MADV_POPULATE_READ, EFAULT);
	adv("MADV_POPULATE_WRITE over a marker", 1, 3, MADV_POPULATE_WRITE, EFAULT);
	res("mlock over a marker (locks, cannot fault in)", mlock(at(0), 8 * PG), ENOMEM);
	marks("markers stay", 0, 8, "11001111");
	res("munlock", munlock(at(0), 8 * PG), 0);
	adv("MADV_DONTNEED over them", 0, 8, MADV_DONTNEED, 0);
	marks("kept", 0, 8, "11001111");
	adv("MADV_FREE over them", 0, 8, MADV_FREE, 0);
	marks("kept", 0, 8, "11001111");
	res("mprotect PROT_NONE and back", mprotect(at(0), 8 * PG, 0) | mprotect(at(0), 8 * PG, RW),
	    0);
	marks("kept", 0, 8, "11001111");
	adv("MADV_GUARD_REMOVE page 3", 3, 1, MADV_GUARD_REMOVE, 0);
	marks("page 3 back", 0, 8, "11011111");
	fact("it reads zero (the contents went at install)", all(3, 1, 0));
	adv("MADV_GUARD_REMOVE where there is none", 5, 2, MADV_GUARD_REMOVE, 0);
	fact("pages keep their contents", all(5, 2, 0) || all(5, 2, 'g'));
}

static void move_test(void)
{
	memset(at(4), 'm', 4 * PG);
	res("mremap the 8 pages to page 100", move(0, 8, 8, MREMAP_MAYMOVE | MREMAP_FIXED, 100), 0);
	marks("the marker moved", 100, 8, "11011111");
	fact("contents moved", all(104, 4, 'm'));
	res("mremap grow to 12 pages", move(100, 8, 12, MREMAP_MAYMOVE, 0), 0);
	marks("grown", 100, 12, "110111111111");
	res("MREMAP_DONTUNMAP to page 120",
	    move(100, 12, 12, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, 120), 0);
	marks("the old range, emptied", 100, 12, "111111111111");
	marks("the new one", 120, 12, "110111111111");
	res("mremap shrink to 2 pages", move(120, 12, 2, 0, 0), 0);
	res("mremap grow back to 4", move(120, 2, 4, 0, 0), 0);
	marks("the marker went with the pages", 120, 4, "1111");
	munmap(at(100), 40 * PG);
}

static void replace_test(void)
{
	map(130, 4, RW, 0);
	adv("MADV_GUARD_INSTALL pages 130-131", 130, 2, MADV_GUARD_INSTALL, 0);
	res("mmap MAP_FIXED over page 130", mmap(at(130), PG, RW, FIX, -1, 0) == at(130) ? 0 : -1,
	    0);
	marks("cleared", 130, 4, "1011");
	res("munmap page 131", munmap(at(131), PG), 0);
	map(131, 1, RW, 0);
	marks("cleared", 130, 4, "1111");
	adv("MADV_GUARD_INSTALL over a hole at 129", 129, 3, MADV_GUARD_INSTALL, ENOMEM);
	marks("installed all the same", 130, 4, "0011");
	adv("MADV_GUARD_INSTALL on a hole only", 200, 1, MADV_GUARD_INSTALL, ENOMEM);
	adv("MADV_GUARD_REMOVE over the hole", 129, 3, MADV_GUARD_REMOVE, ENOMEM);
	marks("removed", 130, 4, "1111");

	map(140, 2, PROT_NONE, 0);
	adv("MADV_GUARD_INSTALL on PROT_NONE", 140, 1, MADV_GUARD_INSTALL, 0);
	res("mprotect read-write", mprotect(at(140), 2 * PG, RW), 0);
	marks("the marker stays", 140, 2, "01");

	map_shared(150, 4, RW);
	memset(at(150), 's', 4 * PG);
	adv("MADV_GUARD_INSTALL on shared memory", 150, 1, MADV_GUARD_INSTALL, 0);
	marks("readable", 150, 4, "0111");
	adv("MADV_GUARD_REMOVE", 150, 1, MADV_GUARD_REMOVE, 0);
	fact("the shared page is still there", all(150, 1, 's'));

	mmap(at(160), 4 * PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	adv("MADV_GUARD_INSTALL on droppable memory", 160, 1, MADV_GUARD_INSTALL, 0);
	res("MADV_GUARD_REMOVE unaligned", syscall(SYS_madvise, at(160) + 1, PG, MADV_GUARD_REMOVE),
	    EINVAL);
	map(170, 4, RW, MAP_GROWSDOWN);
	adv("MADV_GUARD_INSTALL on MAP_GROWSDOWN", 170, 1, MADV_GUARD_INSTALL, 0);
	map(180, 4, RW, MAP_LOCKED);
	adv("MADV_GUARD_INSTALL on locked memory", 181, 1, MADV_GUARD_INSTALL, EINVAL);
	munmap(at(130), 60 * PG);
}

/* A mapping never written has no anon identity and merges where it lands when moved next to one
 * written; a guard marker, even removed, gives it one. */
static void identity_test(void)
{
	map(20, 4, RW, 0);
	memset(at(20), 1, 4 * PG);
	map(0, 2, RW, 0);
	adv("MADV_GUARD_INSTALL and REMOVE on a fresh mapping", 0, 1, MADV_GUARD_INSTALL, 0);
	adv("MADV_GUARD_REMOVE", 0, 1, MADV_GUARD_REMOVE, 0);
	res("mremap it next to a written one", move(0, 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED, 24), 0);
	printf("  they merge: %s\n", one(20, 6) ? "yes" : "no");
	munmap(at(0), 32 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	install_test();
	move_test();
	replace_test();
	identity_test();
	printf("failures: %d\n", failures);
	return failures != 0;
}
