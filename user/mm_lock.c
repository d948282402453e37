/* mm_lock: mlock, mlock2 (MLOCK_ONFAULT), munlock, mlockall and munlockall as Linux 6.12 — where
 * locking splits and merges mappings, what it populates, holes, errors and the calls it changes.
 * Populating gives memory an anon identity, and 6.12 merges none into a mapping without one. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

/* True when the page is locked: Linux refuses MADV_COLD on locked memory (and ignores it
 * elsewhere, contents kept). */
static int locked(long page)
{
	return syscall(SYS_madvise, at(page), PG, MADV_COLD) == -1 && errno == EINVAL;
}

/* Print the mapping lengths and the locked pages of [page, page + n), compared with want. */
static void layout(const char *what, long page, long n, const char *want)
{
	char buf[256];
	int len = 0;
	long s = page;

	for (long k = page + 1; k <= page + n; k++)
		if (k == page + n || !one(s, k - s + 1)) {
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%ld ", k - s);
			s = k;
		}
	len += snprintf(buf + len, sizeof(buf) - (size_t)len, "locked ");
	for (long k = page; k < page + n; k++)
		buf[len++] = locked(k) ? '1' : '0';
	buf[len] = 0;
	printf("  %s: %s\n", what, buf);
	if (strcmp(buf, want))
		failures++;
}

static void split_test(void)
{
	map(0, 8, RW, 0);
	memset(at(0), 'a', 8 * PG);
	res("mlock pages 2-3", mlock(at(2), 2 * PG), 0);
	layout("mappings", 0, 8, "2 2 4 locked 00110000");
	fact("contents kept", all(0, 8, 'a'));
	res("munlock pages 2-3", munlock(at(2), 2 * PG), 0);
	layout("merged back", 0, 8, "8 locked 00000000");
	res("mlock 10 bytes at page 1 + 100", mlock(at(1) + 100, 10), 0);
	layout("one page", 0, 8, "1 1 6 locked 01000000");
	res("munlock all 8", munlock(at(0), 8 * PG), 0);
	res("mlock2 MLOCK_ONFAULT pages 2-3", syscall(SYS_mlock2, at(2), 2 * PG, MLOCK_ONFAULT), 0);
	layout("mappings", 0, 8, "2 2 4 locked 00110000");
	res("mlock pages 3-4 (not on fault)", mlock(at(3), 2 * PG), 0);
	layout("on-fault and plain locks differ", 0, 8, "2 1 2 3 locked 00111000");
	res("mprotect page 4 read-only", mprotect(at(4), PG, PROT_READ), 0);
	layout("still locked", 0, 8, "2 1 1 1 3 locked 00111000");
	res("mprotect page 4 back", mprotect(at(4), PG, RW), 0);
	res("munlock all 8", munlock(at(0), 8 * PG), 0);
	layout("one mapping again", 0, 8, "8 locked 00000000");
	fact("contents kept", all(0, 8, 'a'));
}

static void error_test(void)
{
	res("mlock2 flags 2", syscall(SYS_mlock2, at(3), PG, 2), EINVAL);
	res("mlock length 0", mlock(at(3), 0), 0);
	res("mlock wrapping", mlock(at(3), (size_t)-2 * PG), EINVAL);
	res("munlock wrapping", munlock(at(3), (size_t)-2 * PG), EINVAL);
	res("mlock at 0", mlock(NULL, 4), ENOMEM);
	res("mlock 2^50 bytes", mlock(at(1), 1UL << 50), ENOMEM);
	res("mlock a kernel address", mlock((void *)0xffff800000000000UL, PG), ENOMEM);
	res("mlockall 0", mlockall(0), EINVAL);
	res("mlockall MCL_ONFAULT alone", mlockall(MCL_ONFAULT), EINVAL);
	res("mlockall 8", mlockall(8), EINVAL);
	layout("2^50 bytes from page 1 locked up to the first hole", 0, 8, "1 7 locked 01111111");
	res("munlock them", munlock(at(1), 7 * PG), 0);

	munmap(at(4), PG);
	res("mlock pages 2-6, hole at 4", mlock(at(2), 5 * PG), ENOMEM);
	layout("below the hole", 0, 4, "2 2 locked 0011");
	layout("above the hole", 5, 3, "3 locked 000");
	res("munlock pages 2-6", munlock(at(2), 5 * PG), ENOMEM);
	layout("unlocked", 0, 4, "4 locked 0000");
	res("mlock starting in the hole", mlock(at(4), 2 * PG), ENOMEM);
	layout("untouched", 5, 3, "3 locked 000");
	res("mlock pages 0-4, hole at the end", mlock(at(0), 5 * PG), ENOMEM);
	layout("locked all the same", 0, 4, "4 locked 1111");
	munlock(at(0), 8 * PG);

	map(8, 4, PROT_NONE, 0);
	res("mlock PROT_NONE (locked, but nothing to fault in)", mlock(at(8), 4 * PG), ENOMEM);
	layout("locked", 8, 4, "4 locked 1111");
	res("mprotect 2 pages read-write", mprotect(at(8), 2 * PG, RW), 0);
	layout("mappings", 8, 4, "2 2 locked 1111");
	fact("reads zero", all(8, 2, 0));
	munmap(at(0), 16 * PG);
}

static void advice_test(void)
{
	map(16, 4, RW, 0);
	memset(at(16), 'b', 4 * PG);
	res("mlock pages 16-19", mlock(at(16), 4 * PG), 0);
	res("MADV_DONTNEED", madvise(at(16), PG, MADV_DONTNEED), EINVAL);
	res("MADV_FREE", madvise(at(16), PG, MADV_FREE), EINVAL);
	res("MADV_COLD", madvise(at(16), PG, MADV_COLD), EINVAL);
	res("MADV_PAGEOUT", madvise(at(16), PG, MADV_PAGEOUT), EINVAL);
	res("MADV_WILLNEED", madvise(at(16), PG, MADV_WILLNEED), 0);
	res("MADV_GUARD_INSTALL", madvise(at(17), PG, MADV_GUARD_INSTALL), EINVAL);
	res("MADV_GUARD_REMOVE", madvise(at(17), PG, MADV_GUARD_REMOVE), EINVAL);
	fact("contents kept", all(16, 4, 'b'));
	res("MADV_DONTNEED_LOCKED", madvise(at(16), PG, MADV_DONTNEED_LOCKED), 0);
	fact("that page reads zero", all(16, 1, 0));
	fact("the others kept", all(17, 3, 'b'));

	res("mremap grow in place",
	    syscall(SYS_mremap, at(16), 4 * PG, 6 * PG, 0, 0) == (long)at(16) ? 0 : -1, 0);
	layout("grown, locked", 16, 6, "6 locked 111111");
	res("MREMAP_DONTUNMAP pages 17-18 to 28",
	    syscall(SYS_mremap, at(17), 2 * PG, 2 * PG,
	            MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, at(28)) == (long)at(28)
	        ? 0
	        : -1,
	    0);
	layout("the old range cut out and unlocked, the rest locked", 16, 6, "1 2 3 locked 100111");
	layout("the new one", 28, 2, "2 locked 11");
	fact("moved contents", all(28, 2, 'b'));

	map_shared(40, 4, RW);
	res("mlock shared", mlock(at(40), 4 * PG), 0);
	res("MADV_REMOVE on locked shared", madvise(at(40), PG, MADV_REMOVE), EINVAL);
	res("MADV_DONTNEED on locked shared", madvise(at(40), PG, MADV_DONTNEED), EINVAL);
	mmap(at(48), 4 * PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	res("mlock droppable (never locked)", mlock(at(49), PG), 0);
	layout("droppable", 48, 4, "4 locked 0000");
	res("mmap MAP_LOCKED",
	    mmap(at(56), 4 * PG, RW, FIX | MAP_LOCKED | MAP_NONBLOCK, -1, 0) == at(56) ? 0 : -1, 0);
	map(60, 2, RW, 0);
	layout("MAP_LOCKED and its plain neighbour", 56, 6, "4 2 locked 111100");
	munmap(at(16), 48 * PG);
}

static void all_test(void)
{
	res("mlockall MCL_FUTURE", mlockall(MCL_FUTURE), 0);
	map(64, 2, RW, 0);
	layout("a new mapping", 64, 2, "2 locked 11");
	mmap(at(70), 2 * PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	layout("new droppable memory", 70, 2, "2 locked 00");
	long b = syscall(SYS_brk, 0), top = (b + (long)PG - 1) & ~(long)(PG - 1);

	fact("brk grows", syscall(SYS_brk, top + 2 * (long)PG) == top + 2 * (long)PG);
	fact("the new heap is locked", syscall(SYS_madvise, top, PG, MADV_COLD) == -1);
	res("mlockall MCL_CURRENT (forgets MCL_FUTURE)", mlockall(MCL_CURRENT), 0);
	map(66, 2, RW, 0);
	layout("an old and a new mapping", 64, 4, "2 2 locked 1100");
	res("munlockall", munlockall(), 0);
	layout("unlocked; the populated one does not join the new one", 64, 4, "2 2 locked 0000");
	res("mlockall MCL_FUTURE | MCL_ONFAULT", mlockall(MCL_FUTURE | MCL_ONFAULT), 0);
	map(72, 2, RW, 0);
	map(74, 2, RW, 0);
	layout("new mappings", 72, 4, "4 locked 1111");
	res("mlock pages 74-75", mlock(at(74), 2 * PG), 0);
	layout("on-fault and plain", 72, 4, "2 2 locked 1111");
	res("munlockall", munlockall(), 0);
	map(76, 2, RW, 0);
	layout("unlocked; the populated pages join the new mapping only", 72, 6,
	       "2 4 locked 000000");
	res("mlockall MCL_CURRENT | MCL_ONFAULT", mlockall(MCL_CURRENT | MCL_ONFAULT), 0);
	res("munlockall", munlockall(), 0);
	syscall(SYS_brk, b);
	munmap(at(64), 16 * PG);
}

/* A mapping never written has no anon identity and merges where it lands when moved next to one
 * written: what a lock does to it shows in whether it still does. */
static void moved_next_to_written(const char *what, int prot, int op)
{
	munmap(at(0), 32 * PG);
	map(20, 4, RW, 0);
	memset(at(20), 1, 4 * PG);
	map(0, 2, prot, 0);
	if (op == 1) {
		mlock(at(0), 2 * PG);
	} else if (op == 2) {
		syscall(SYS_mlock2, at(0), 2 * PG, MLOCK_ONFAULT);
	} else if (op == 3) {
		mlock(at(0), 2 * PG);
		mprotect(at(0), 2 * PG, RW);
	} else if (op == 4) {
		syscall(SYS_mlock2, at(0), 2 * PG, MLOCK_ONFAULT);
		mprotect(at(0), 2 * PG, RW);
	}
	munlock(at(0), 2 * PG);
	if (syscall(SYS_mremap, at(0), 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, at(24)) !=
	    (long)at(24))
		fact("mremap for the test", 0);
	printf("%s: %s\n", what, one(20, 6) ? "merges (never written)" : "stays apart");
}

static void populate_test(void)
{
	moved_next_to_written("nothing done", RW, 0);
	moved_next_to_written("mlock", RW, 1);
	moved_next_to_written("mlock2 MLOCK_ONFAULT", RW, 2);
	moved_next_to_written("mlock read-only, mprotect read-write", PROT_READ, 3);
	moved_next_to_written("mlock PROT_NONE, mprotect read-write", PROT_NONE, 3);
	moved_next_to_written("on-fault lock read-only, mprotect read-write", PROT_READ, 4);
	munmap(at(0), 32 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	split_test();
	error_test();
	advice_test();
	all_test();
	populate_test();
	printf("failures: %d\n", failures);
	return failures != 0;
}
