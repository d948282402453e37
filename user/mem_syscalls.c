/* mem_syscalls: the memory system calls one by one — brk, mmap, munmap, mprotect, madvise,
 * mremap — and their error cases, printed as results and errno names. Owned by user/tests. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

#define PG   4096UL
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW   (PROT_READ | PROT_WRITE)

/* A call returning 0 or -1/errno: prints "what: 0" or "what: -1 ENAME"; want is the errno
 * expected, 0 for success. */
static void result(const char *what, long r, int want)
{
	if (r < 0)
		printf("%s: %ld %s\n", what, r, ename(errno));
	else
		printf("%s: %ld\n", what, r);
	if (want ? !(r == -1 && errno == want) : r != 0)
		failures++;
}

/* mmap's result: "ok" rather than the address, or MAP_FAILED and the errno name. */
static void *mapped(const char *what, void *p, int want)
{
	if (p == MAP_FAILED)
		printf("%s: MAP_FAILED %s\n", what, ename(errno));
	else
		printf("%s: ok\n", what);
	if (want ? !(p == MAP_FAILED && errno == want) : p == MAP_FAILED)
		failures++;
	return p;
}

static uintptr_t brk_to(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

static void stamp(char *p, size_t n, char c)
{
	memset(p, c, n);
}

/* Reads every byte (volatile: really from memory, never folded into the last memset). */
static int all(const volatile char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void brk_test(void)
{
	uintptr_t b0 = brk_to(0), base = (b0 + PG - 1) & ~(PG - 1);
	char *p = (char *)base;

	fact("brk grow by 64 KiB", brk_to(base + 16 * PG) == base + 16 * PG);
	fact("brk: new memory reads zero", all(p, 16 * PG, 0));
	stamp(p, 16 * PG, 0x11);
	fact("brk: written and read back", all(p, 16 * PG, 0x11));
	fact("brk shrink to 4 KiB", brk_to(base + PG) == base + PG);
	fact("brk regrow to 64 KiB", brk_to(base + 16 * PG) == base + 16 * PG);
	fact("brk: page below the shrink point kept", all(p, PG, 0x11));
	fact("brk: regrown memory reads zero", all(p + PG, 15 * PG, 0));
	fact("brk below its start refused (break unchanged)", brk_to(1) == base + 16 * PG);
	fact("brk grow by 64 MiB", brk_to(base + (64UL << 20)) == base + (64UL << 20));
	p[(64UL << 20) - 1] = 1; /* demand paging: one page of the 64 MiB is touched */
	fact("brk: last byte of 64 MiB written", p[(64UL << 20) - 1] == 1);
	fact("brk restored", brk_to(b0) == b0);
}

static void mmap_test(void)
{
	volatile char here;
	char *a = mapped("mmap anon 4 pages", mmap(NULL, 4 * PG, RW, ANON, -1, 0), 0);
	char *b = mapped("mmap anon 4 more pages", mmap(NULL, 4 * PG, RW, ANON, -1, 0), 0);
	char *r, *n;

	fact("unhinted mmap: second mapping below the first", b + 4 * PG <= a);
	fact("mmap area below the stack", (uintptr_t)a < (uintptr_t)&here);
	fact("mmap area above the break", (uintptr_t)b > brk_to(0));
	fact("fresh anonymous pages read zero", all(a, 4 * PG, 0) && all(b, 4 * PG, 0));
	stamp(a, 4 * PG, (char)0xaa);
	fact("anonymous pages written and read back", all(a, 4 * PG, (char)0xaa));

	r = mapped("mmap MAP_FIXED over the middle 2 pages",
	           mmap(a + PG, 2 * PG, RW, ANON | MAP_FIXED, -1, 0), 0);
	fact("MAP_FIXED returns the requested address", r == a + PG);
	fact("MAP_FIXED replacement reads zero", all(a + PG, 2 * PG, 0));
	fact("pages around the replacement kept",
	     all(a, PG, (char)0xaa) && all(a + 3 * PG, PG, (char)0xaa));

	n = mapped("mmap PROT_NONE 4 pages", mmap(NULL, 4 * PG, PROT_NONE, ANON, -1, 0), 0);
	result("mprotect one PROT_NONE page to read-write", mprotect(n + PG, PG, RW), 0);
	stamp(n + PG, PG, 0x33);
	fact("that page written and read back", all(n + PG, PG, 0x33));

	result("munmap the second page of 4", munmap(b + PG, PG), 0);
	fact("pages beside the hole still there", all(b, PG, 0) && all(b + 2 * PG, 2 * PG, 0));
	r = mapped("mmap hinted at the hole", mmap(b + PG, PG, RW, ANON, -1, 0), 0);
	fact("hint into the hole honoured", r == b + PG);
	fact("hinted page reads zero", all(r, PG, 0));
	result("munmap all 4 pages", munmap(b, 4 * PG), 0);
	result("munmap them again (nothing mapped)", munmap(b, 4 * PG), 0);
	result("munmap the rest", munmap(a, 4 * PG) | munmap(n, 4 * PG), 0);
}

static void mprotect_test(void)
{
	char *m = mapped("mmap 2 pages", mmap(NULL, 2 * PG, RW, ANON, -1, 0), 0);

	stamp(m, 2 * PG, 0x44);
	result("mprotect read-only", mprotect(m, 2 * PG, PROT_READ), 0);
	fact("read-only pages still read", all(m, 2 * PG, 0x44));
	result("mprotect read-write again", mprotect(m, 2 * PG, RW), 0);
	stamp(m, PG, 0x45);
	fact("written again", all(m, PG, 0x45) && all(m + PG, PG, 0x44));
	/* raw syscall: musl's mprotect() rounds the address down to a page itself */
	result("mprotect unaligned address", syscall(SYS_mprotect, m + 1, PG, PROT_READ), EINVAL);
	result("munmap 2 pages", munmap(m, 2 * PG), 0);
	result("mprotect unmapped range", mprotect(m, 2 * PG, PROT_READ), ENOMEM);
}

static void madvise_test(void)
{
	char *d = mapped("mmap 4 pages", mmap(NULL, 4 * PG, RW, ANON, -1, 0), 0);

	stamp(d, 4 * PG, 0x5a);
	result("madvise MADV_DONTNEED middle 2 pages", madvise(d + PG, 2 * PG, MADV_DONTNEED), 0);
	fact("MADV_DONTNEED pages read zero", all(d + PG, 2 * PG, 0));
	fact("pages outside kept", all(d, PG, 0x5a) && all(d + 3 * PG, PG, 0x5a));
	result("madvise MADV_FREE", madvise(d, PG, MADV_FREE), 0);
	result("madvise unaligned address", madvise(d + 1, PG, MADV_DONTNEED), EINVAL);
	result("munmap 4 pages", munmap(d, 4 * PG), 0);
}

static void mremap_test(void)
{
	char *r = mapped("mmap 2 pages", mmap(NULL, 2 * PG, RW, ANON, -1, 0), 0), *g, *s;

	stamp(r, 2 * PG, 0x66);
	g = mapped("mremap grow to 8 pages (may move)", mremap(r, 2 * PG, 8 * PG, MREMAP_MAYMOVE),
	           0);
	fact("mremap kept the contents", all(g, 2 * PG, 0x66));
	fact("mremap grown part reads zero", all(g + 2 * PG, 6 * PG, 0));
	stamp(g + 2 * PG, 6 * PG, 0x67);
	s = mapped("mremap shrink to 3 pages", mremap(g, 8 * PG, 3 * PG, 0), 0);
	fact("shrink stays in place", s == g);
	fact("shrunk mapping kept the contents", all(s, 2 * PG, 0x66) && all(s + 2 * PG, PG, 0x67));
	result("munmap 3 pages", munmap(s, 3 * PG), 0);
}

static void errno_test(void)
{
	char *p;
	long r;

	mapped("mmap length 0", mmap(NULL, 0, RW, ANON, -1, 0), EINVAL);
	mapped("mmap neither private nor shared", mmap(NULL, PG, RW, MAP_ANONYMOUS, -1, 0), EINVAL);
	mapped("mmap a file with fd -1", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	mapped("mmap 128 TiB", mmap(NULL, 1UL << 47, RW, ANON, -1, 0), ENOMEM);
	p = mapped("mmap 1 page", mmap(NULL, PG, RW, ANON, -1, 0), 0);
	mapped("mmap MAP_FIXED unaligned", mmap(p + 1, PG, RW, ANON | MAP_FIXED, -1, 0), EINVAL);
	result("munmap unaligned", munmap(p + 1, PG), EINVAL);
	result("munmap length 0", munmap(p, 0), EINVAL);
	result("munmap 1 page", munmap(p, PG), 0);
	r = write(1, (const void *)16, 10);
	result("write(1, bad pointer)", r, EFAULT);
	r = syscall(1000);
	result("unknown syscall 1000", r, ENOSYS);
}

int main(void)
{
	/* line-buffered, so that when SOS kills the program the last line shows how far it got */
	setvbuf(stdout, NULL, _IOLBF, 0);
	brk_test();
	mmap_test();
	mprotect_test();
	madvise_test();
	mremap_test();
	errno_test();
	printf("mem_syscalls: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
