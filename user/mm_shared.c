/* mm_shared: MAP_SHARED|MAP_ANONYMOUS memory as Linux's shmem object behind it: faults find the
 * object's pages, mremap with old length 0 maps the object twice, shrink-then-grow shows the old
 * contents, pages past the object's end are EFAULT to the kernel, and madvise/mprotect/munmap on
 * shared memory. Probes past the end use the kernel (a touch would be SIGBUS). kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

/* Write c + i at the start and the end of each page i of n from p. */
static void stamp(char *p, long n, char c)
{
	for (long i = 0; i < n; i++) {
		p[i * (long)PG] = (char)(c + i);
		p[i * (long)PG + (long)PG - 1] = (char)(c + i);
	}
}

/* Print the first byte of each of n pages from p ('.' for zero) and check it is want. */
static void show(const char *what, const char *p, long n, const char *want)
{
	char got[64];

	for (long i = 0; i < n; i++) {
		char c = ((const volatile char *)p)[i * (long)PG];

		got[i] = c ? c : '.';
	}
	got[n] = 0;
	printf("%s: %s\n", what, got);
	if (strcmp(got, want))
		failures++;
}

/* Which of n pages from p the kernel can read: 'r', or 'B' where MADV_POPULATE_READ finds
 * EFAULT (past the object: a touch would be SIGBUS), checked against want. */
static void probe(const char *what, char *p, long n, const char *want)
{
	char got[64];

	for (long i = 0; i < n; i++) {
		long r = madvise(p + i * (long)PG, PG, MADV_POPULATE_READ);

		got[i] = r == 0 ? 'r' : errno == EFAULT ? 'B' : '?';
	}
	got[n] = 0;
	printf("%s: %s\n", what, got);
	if (strcmp(got, want))
		failures++;
}

static void fault_test(void)
{
	map_shared(0, 4, RW);
	show("a fresh shared mapping", at(0), 4, "....");
	stamp(at(0), 4, 'A');
	show("after writing", at(0), 4, "ABCD");
	call("munmap of page 1", munmap(at(1), PG), 0);
	show("page 0 kept", at(0), 1, "A");
	show("pages 2-3 kept (a piece of the same object)", at(2), 2, "CD");
	call("mprotect of page 2 read-only", mprotect(at(2), PG, PROT_READ), 0);
	show("page 2 read-only", at(2), 2, "CD");
	munmap(at(0), 4 * PG);
}

static void dup_test(void)
{
	map_shared(10, 4, RW);
	stamp(at(10), 4, 'a');

	char *c = rmap("old length 0, may move", 10, 0, 4, MAYM, 0, -1);

	if (!c)
		return;
	show("the second mapping", c, 4, "abcd");
	c[0] = 'X';
	at(11)[0] = 'Y';
	show("a write through the second, seen in the first", at(10), 1, "X");
	show("a write through the first, seen in the second", c + PG, 1, "Y");

	char *mid = rmap("old length 0 from page 1 of it", 11, 0, 2, MAYM, 0, -1);

	show("a mapping of pages 1-2 of the object", mid, 2, "Yc");
	rmap("old length 0, may not move", 10, 0, 1, 0, 0, -ENOMEM);
	rmap("old length 0, MREMAP_FIXED", 10, 0, 2, FIXED, 20, 20);
	show("at the fixed place", at(20), 2, "XY");
	rmap("old length 0, MREMAP_DONTUNMAP", 10, 0, 2, MAYM | MREMAP_DONTUNMAP, 0, -EINVAL);
	rmap("old length 0, MREMAP_FIXED without may move", 10, 0, 2, MREMAP_FIXED, 30, -EINVAL);
	rmap("old length 0, new length 0", 10, 0, 0, MAYM, 0, -EINVAL);
	rmap("old length 0 in a hole", 15, 0, 1, MAYM, 0, -EFAULT);
	rmap("old length 0, MREMAP_FIXED onto itself", 13, 0, 1, FIXED, 13, -EFAULT);

	char *big = rmap("old length 0, longer than the object", 10, 0, 8, MAYM, 0, -1);

	probe("pages the kernel can read", big, 8, "rrrrBBBB");
	show("inside the object", big, 3, "XYc");
	call("munmap of the first mapping", munmap(at(10), 4 * PG), 0);
	show("the object lives on in the second", c, 4, "XYcd");
	munmap(c, 4 * PG);
	munmap(mid, 2 * PG);
	munmap(big, 8 * PG);
	show("and in the third", at(20), 2, "XY");
	munmap(at(20), 2 * PG);

	map(40, 2, RW, 0);
	at(40)[0] = 1;
	rmap("old length 0 of private memory, may move", 40, 0, 2, MAYM, 0, -EINVAL);
	rmap("old length 0 of private memory", 40, 0, 2, 0, 0, -EINVAL);
	munmap(at(40), 2 * PG);
}

static void shrink_grow_test(void)
{
	map_shared(50, 4, RW);
	stamp(at(50), 4, 's');
	rmap("shrink to 1 page", 50, 4, 1, 0, 0, 50);
	rmap("grow to 6 pages in place", 50, 1, 6, 0, 0, 50);
	show("the old contents are back", at(50), 4, "stuv");
	probe("pages the kernel can read", at(50), 6, "rrrrBB");

	char *v = at(53) + PG - 5;

	fflush(stdout);
	call("write(2) from past the object", write(1, at(54), 8), -EFAULT);
	memset(v, 'v', 5);
	fflush(stdout);

	long n = write(1, v, 10);

	printf("\nwrite(2) running past the object: %ld\n", n);
	if (n != 5)
		failures++;
	call("read(2) at end of file into past the object", read(0, at(54), 8), 0);
	call("MADV_POPULATE_WRITE over the end", madvise(at(50), 6 * PG, MADV_POPULATE_WRITE),
	     -EFAULT);

	map(60, 1, PROT_READ, 0);
	rmap("shrink to 2 pages", 50, 6, 2, 0, 0, 50);

	char *m = rmap("grow to 12 pages, blocked, may move", 50, 2, 12, MAYM, 0, -1);

	show("moved, the old contents back", m, 4, "stuv");
	probe("pages the kernel can read", m, 12, "rrrrBBBBBBBB");
	munmap(m, 12 * PG);
	munmap(at(60), PG);
}

static void madvise_test(void)
{
	map_shared(70, 2, RW);
	stamp(at(70), 2, 'd');
	call("MADV_DONTNEED", madvise(at(70), 2 * PG, MADV_DONTNEED), 0);
	show("read back after MADV_DONTNEED", at(70), 2, "de");
	call("MADV_REMOVE", madvise(at(70), 2 * PG, MADV_REMOVE), 0);
	show("read back after MADV_REMOVE", at(70), 2, "..");
	stamp(at(70), 2, 'd');

	char *c = rmap("a second mapping", 70, 0, 2, MAYM, 0, -1);

	call("MADV_REMOVE of page 0 through the first", madvise(at(70), PG, MADV_REMOVE), 0);
	show("the second sees the hole", c, 2, ".e");
	call("MADV_DONTNEED of the second", madvise(c, 2 * PG, MADV_DONTNEED), 0);
	show("the first keeps page 1", at(71), 1, "e");
	munmap(c, 2 * PG);
	call("MADV_FREE", madvise(at(70), 2 * PG, MADV_FREE), -EINVAL);
	call("mprotect read-only", mprotect(at(70), 2 * PG, PROT_READ), 0);
	call("MADV_POPULATE_WRITE of read-only", madvise(at(70), 2 * PG, MADV_POPULATE_WRITE),
	     -EINVAL);
	call("MADV_POPULATE_READ of read-only", madvise(at(70), 2 * PG, MADV_POPULATE_READ), 0);
	call("MADV_REMOVE of read-only", madvise(at(70), 2 * PG, MADV_REMOVE), 0);
	show("read back", at(70), 2, "..");
	call("mprotect PROT_NONE", mprotect(at(70), 2 * PG, PROT_NONE), 0);
	call("MADV_REMOVE of PROT_NONE", madvise(at(70), 2 * PG, MADV_REMOVE), 0);
	call("mprotect read-write", mprotect(at(70), 2 * PG, RW), 0);
	call("MADV_POPULATE_WRITE", madvise(at(70), 2 * PG, MADV_POPULATE_WRITE), 0);
	show("populated pages read zero", at(70), 2, "..");
	munmap(at(70), 2 * PG);

	map(75, 1, RW, 0);
	at(75)[0] = 'p';
	call("MADV_REMOVE of private memory", madvise(at(75), PG, MADV_REMOVE), -EINVAL);
	call("MADV_FREE of private memory", madvise(at(75), PG, MADV_FREE), 0);
	munmap(at(75), PG);

	char *p =
	    mmap(at(80), 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0);

	call("mmap with MAP_POPULATE", p == at(80) ? 0 : -1, 0);
	show("populated shared memory reads zero", at(80), 2, "..");
	munmap(at(80), 2 * PG);
}

static void move_test(void)
{
	map_shared(90, 2, RW);
	stamp(at(90), 2, 'u');
	rmap("move to page 120", 90, 2, 2, FIXED, 120, 120);
	rmap("and back", 120, 2, 2, FIXED, 90, 90);
	show("moved there and back", at(90), 2, "uv");
	rmap("MREMAP_DONTUNMAP to page 100", 90, 2, 2, FIXED | MREMAP_DONTUNMAP, 100, 100);
	show("moved", at(100), 2, "uv");
	show("the old range maps the object still", at(90), 2, "uv");
	at(100)[0] = 'Q';
	show("one object behind both", at(90), 1, "Q");

	char *c = rmap("a second mapping", 100, 0, 2, MAYM, 0, -1);

	map_shared(100, 2, RW);
	show("MAP_FIXED over the first: a new object", at(100), 2, "..");
	show("the second keeps the old one", c, 2, "Qv");
	map(100, 2, RW, 0);
	show("MAP_FIXED private over it", at(100), 2, "..");
	munmap(c, 2 * PG);
	munmap(at(90), 30 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fault_test();
	dup_test();
	shrink_grow_test();
	madvise_test();
	move_test();
	printf("mm_shared: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
