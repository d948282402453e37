/* mm_iobuf: system-call buffers on pages not yet present (faulted in, the call succeeds) and on
 * PROT_NONE, read-only, unmapped, NULL and kernel-half memory (-EFAULT). Owned by kernel/mm. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "include/arena.h"
#include "include/check.h"

#define KERNEL 0xffffffff80000000UL
#define NONCAN 0x0000800000000000UL

/* write(1, buf, n) with the output framed, so the bytes written show in the output too. */
static void write_out(const char *what, uintptr_t buf, size_t n, long want)
{
	printf("%s: [", what);
	fflush(stdout);
	long r = syscall(SYS_write, 1, buf, n);
	int e = errno;

	printf("]\n");
	errno = e;
	call(what, r, want);
}

static void write_test(void)
{
	char *fresh = map(0, 4, RW, 0);
	char *ro = map(4, 1, PROT_READ, 0);
	char *none = map(5, 1, PROT_NONE, 0);

	write_out("write from a page never touched (zeros)", (uintptr_t)fresh + 100, 8, 8);
	memcpy(fresh + PG - 3, "abcdef", 6);
	write_out("write across two pages", (uintptr_t)fresh + PG - 3, 6, 6);
	write_out("write from a read-only page never touched", (uintptr_t)ro, 4, 4);
	write_out("write 3 pages, 2 never touched", (uintptr_t)fresh + PG, 3 * PG, 3 * PG);
	write_out("write from PROT_NONE", (uintptr_t)none, 4, -EFAULT);
	write_out("write from an unmapped page", ARENA + 6 * PG, 4, -EFAULT);
	write_out("write from NULL", 0, 4, -EFAULT);
	write_out("write from page 0x1000", 0x1000, 4, -EFAULT);
	write_out("write from the kernel half", KERNEL, 4, -EFAULT);
	write_out("write from a non-canonical address", NONCAN, 4, -EFAULT);
	write_out("write of 0 bytes from NULL", 0, 0, 0);
}

static void writev_test(void)
{
	char *a = map(16, 4, RW, 0);
	struct iovec *v = (struct iovec *)a;
	char *none = map(20, 1, PROT_NONE, 0);
	long r;

	strcpy(a + 512, "hello ");
	strcpy(a + 1024, "world");
	v[0] = (struct iovec){a + 512, 6};
	v[1] = (struct iovec){a + 1024, 5};
	v[2] = (struct iovec){a + 2 * PG, 3}; /* never touched: zeros */
	printf("writev three buffers: [");
	fflush(stdout);
	r = syscall(SYS_writev, 1, v, 3);
	printf("]\n");
	call("writev three buffers", r, 14);
	v[3] = (struct iovec){none, 4};
	call("writev, the only buffer PROT_NONE", syscall(SYS_writev, 1, &v[3], 1), -EFAULT);
	v[4] = (struct iovec){(void *)KERNEL, 4};
	call("writev, the only buffer in the kernel", syscall(SYS_writev, 1, &v[4], 1), -EFAULT);
	call("writev, the vector in PROT_NONE", syscall(SYS_writev, 1, none, 1), -EFAULT);
	call("writev, the vector unmapped", syscall(SYS_writev, 1, ARENA + 21 * PG, 1), -EFAULT);
	call("writev, the vector in the kernel", syscall(SYS_writev, 1, KERNEL, 1), -EFAULT);
	call("writev, a vector of zeros never touched", syscall(SYS_writev, 1, a + 3 * PG, 4), 0);
}

static void read_test(void)
{
	char *a = map(32, 2, RW, 0);

	/* stdin is at its end (/dev/null on Linux): nothing is copied, whatever the buffer */
	call("read at end of input into a fresh page", syscall(SYS_read, 0, a, 16), 0);
	call("read at end of input, 0 bytes", syscall(SYS_read, 0, a, 0), 0);
}

static void copyout_test(void)
{
	char *a = map(40, 1, RW, 0);
	char *ro = map(41, 1, PROT_READ, 0);
	char *none = map(42, 1, PROT_NONE, 0);

	/* the raw system call: the vDSO would write from user space and crash instead */
	call("clock_gettime into a page never touched",
	     syscall(SYS_clock_gettime, CLOCK_MONOTONIC, a + PG - sizeof(struct timespec)), 0);
	call("clock_gettime into a read-only page", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ro),
	     -EFAULT);
	call("clock_gettime into PROT_NONE", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, none),
	     -EFAULT);
	call("clock_gettime into an unmapped page",
	     syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ARENA + 43 * PG), -EFAULT);
	call("clock_gettime into the kernel half",
	     syscall(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL), -EFAULT);
	call("clock_gettime across into PROT_NONE",
	     syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ro - 8), -EFAULT);
}

/* A buffer in the hole just below a MAP_GROWSDOWN mapping: the kernel's copy grows it. */
static void growsdown_test(void)
{
	char *g = map(300, 2, RW, MAP_GROWSDOWN);

	write_out("write from just below a grows-down mapping", (uintptr_t)g - 64, 8, 8);
	call("clock_gettime two pages below it",
	     syscall(SYS_clock_gettime, CLOCK_MONOTONIC, g - 2 * PG), 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	write_test();
	writev_test();
	read_test();
	copyout_test();
	growsdown_test();
	munmap((void *)ARENA, 512 * PG);
	printf("mm_iobuf: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
