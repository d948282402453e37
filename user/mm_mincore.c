/* mm_mincore: mincore(2) and msync(2) against the oracle. Residency of private anonymous memory
 * (the pages mapped), of MAP_SHARED|MAP_ANONYMOUS memory (the object's pages, mapped here or
 * not), of PROT_NONE pages and the stack; the errors of both calls, and where mincore stops
 * writing its vector. kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

#define TOP 0x7ffffffff000UL /* Linux's TASK_SIZE_MAX */

static unsigned char vec[64];

/* mincore of n pages from arena page page into vec, printed as "0101" (or the errno) and
 * checked against want. */
static void core(const char *what, long page, long n, const char *want)
{
	char got[80];

	memset(vec, '?', sizeof(vec));
	if (syscall(SYS_mincore, at(page), n * (long)PG, vec)) {
		snprintf(got, sizeof(got), "-1 %s", ename(errno));
	} else {
		for (long i = 0; i < n; i++)
			got[i] = vec[i] <= 1 ? (char)('0' + vec[i]) : 'x';
		got[n] = 0;
	}
	printf("%s: %s\n", what, got);
	if (strcmp(got, want))
		failures++;
}

/* A raw mincore or msync, printed as "0" or its errno name. */
static void raw(const char *what, long r, int want)
{
	res(what, r, want);
}

static void anon_test(void)
{
	char *p = map(0, 4, RW, 0);

	p[PG] = 1;
	(void)((volatile char *)p)[3 * PG]; /* Linux maps the zero page: present */
	core("anon touched 1 and 3", 0, 4, "0101");
	adv("dontneed", 0, 4, MADV_DONTNEED, 0);
	core("anon after dontneed", 0, 4, "0000");
	p[0] = 1;
	res("mprotect none", mprotect(p, PG, PROT_NONE), 0);
	core("prot none keeps its page", 0, 2, "10");
	munmap(p, 4 * PG);
}

static void shared_test(void)
{
	char *p = map_shared(10, 4, RW);

	p[2 * PG] = 'x';
	core("shared written 2", 10, 4, "0010");

	char *q = rmap("second mapping", 10, 0, 4, MAYM | MREMAP_FIXED, 20, 20);

	if (q) {
		core("second mapping sees the object", 20, 4, "0010");
		(void)((volatile char *)q)[0];
		core("read of a hole fills the object", 10, 4, "1010");
	}
	adv("dontneed", 10, 4, MADV_DONTNEED, 0);
	core("shared after dontneed", 10, 4, "1010");
	adv("remove", 10, 1, MADV_REMOVE, 0);
	core("shared after remove", 20, 4, "0010");
	munmap(at(10), 4 * PG);
	munmap(at(20), 4 * PG);
}

static void stack_test(void)
{
	volatile char here = 1;
	uintptr_t page = (uintptr_t)&here & ~(PG - 1);

	memset(vec, 9, sizeof(vec));
	raw("stack page", syscall(SYS_mincore, page, PG, vec), 0);
	fact("stack page resident", vec[0] == 1);
	raw("mincore past TASK_SIZE", syscall(SYS_mincore, TOP - PG, 2 * PG, vec), ENOMEM);
	(void)here;
}

static void error_test(void)
{
	map(30, 2, RW, 0);
	at(30)[0] = 1;
	raw("unaligned", syscall(SYS_mincore, at(30) + 1, PG, vec), EINVAL);
	raw("length 0", syscall(SYS_mincore, at(30), 0, vec), 0);
	raw("length 0, vector NULL", syscall(SYS_mincore, at(30), 0, NULL), 0);
	memset(vec, 7, sizeof(vec));
	raw("hole after", syscall(SYS_mincore, at(30), 3 * PG, vec), ENOMEM);
	printf("written before the hole: %d %d %d\n", vec[0], vec[1], vec[2]);
	raw("hole first", syscall(SYS_mincore, at(40), PG, vec), ENOMEM);
	raw("vector past TASK_SIZE", syscall(SYS_mincore, at(30), 2 * PG, TOP - 1), EFAULT);
	raw("vector NULL", syscall(SYS_mincore, at(30), PG, NULL), EFAULT);
	raw("hole first, vector NULL", syscall(SYS_mincore, at(40), PG, NULL), ENOMEM);
	raw("vector read-only", syscall(SYS_mincore, at(30), PG, "ro"), EFAULT);
	raw("vector kernel", syscall(SYS_mincore, at(30), PG, 0xffff800000000000UL), EFAULT);
	raw("start kernel", syscall(SYS_mincore, 0xffff800000000000UL, PG, vec), ENOMEM);
	raw("length huge", syscall(SYS_mincore, at(30), -1L, vec), ENOMEM);
	raw("length -4096", syscall(SYS_mincore, at(30), -4096L, vec), ENOMEM);
	raw("unaligned length", syscall(SYS_mincore, at(30), PG + 1, vec), 0);
	raw("vector in the range", syscall(SYS_mincore, at(30), 2 * PG, at(31) + 7), 0);
	printf("vector in the range: %d %d\n", at(31)[7], at(31)[8]);
	munmap(at(30), 2 * PG);
}

static void msync_test(void)
{
	map(50, 2, RW, 0);
	map_shared(53, 1, RW);
	raw("msync sync", msync(at(50), 2 * PG, MS_SYNC), 0);
	raw("msync async", msync(at(50), 2 * PG, MS_ASYNC), 0);
	raw("msync 0", syscall(SYS_msync, at(50), 2 * PG, 0), 0);
	raw("msync invalidate", msync(at(50), 2 * PG, MS_INVALIDATE), 0);
	raw("msync unaligned", msync(at(50) + 1, PG, MS_SYNC), EINVAL);
	raw("msync bad flag", syscall(SYS_msync, at(50), PG, 8), EINVAL);
	raw("msync sync|async", msync(at(50), PG, MS_SYNC | MS_ASYNC), EINVAL);
	raw("msync length 0", msync(at(50), 0, MS_SYNC), 0);
	raw("msync length wraps to 0", syscall(SYS_msync, at(50), -1L, MS_SYNC), 0);
	raw("msync over a hole", msync(at(50), 4 * PG, MS_SYNC), ENOMEM);
	raw("msync async over a hole", msync(at(50), 4 * PG, MS_ASYNC), ENOMEM);
	raw("msync 0 over a hole", syscall(SYS_msync, at(50), 4 * PG, 0), ENOMEM);
	raw("msync hole only", msync(at(60), PG, MS_SYNC), ENOMEM);
	raw("msync ends in a hole", msync(at(51), 2 * PG, MS_SYNC), ENOMEM);
	raw("msync wraps", syscall(SYS_msync, -4096L, 2 * PG, MS_SYNC), ENOMEM);
	raw("mlock", mlock(at(53), PG), 0);
	raw("msync invalidate locked", msync(at(53), PG, MS_INVALIDATE), EBUSY);
	raw("msync invalidate after a hole", msync(at(50), 4 * PG, MS_INVALIDATE), EBUSY);
	raw("msync sync locked", msync(at(53), PG, MS_SYNC), 0);
	munmap(at(50), 4 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	anon_test();
	shared_test();
	stack_test();
	error_test();
	msync_test();
	printf("mm_mincore: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
