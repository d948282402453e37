/* sysinfo: what sysinfo(2) and getrandom(2) give on Linux 6.12 and on SOS alike. sysinfo's
 * stable fields are printed (units, swap, high memory), the rest by their relations (free RAM
 * falls as memory is touched, uptime is CLOCK_BOOTTIME rounded up); getrandom's flags, lengths
 * and bad buffers by what the calls return. Owned by kernel/sys (sys_sysinfo.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "include/check.h"

#define PG        4096L
#define MIB       (1L << 20)
#define TOUCHED   (64 * MIB)
#define BIG       (1L << 20)
#define TOP       0x7ffffffff000UL /* the end of the user half: Linux's TASK_SIZE */
#define GRND_NB   1
#define GRND_RAND 2
#define GRND_INS  4

static long boottime_sec_up(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + (ts.tv_nsec ? 1 : 0);
}

static void fields_test(void)
{
	struct sysinfo si;
	long before = boottime_sec_up();

	memset(&si, 0x55, sizeof(si));
	show_result("sysinfo", neg_errno(syscall(SYS_sysinfo, &si)), 0);
	long after = boottime_sec_up();
	printf("mem_unit %u, swap %lu/%lu, high %lu/%lu, buffers %lu\n", si.mem_unit, si.totalswap,
	       si.freeswap, si.totalhigh, si.freehigh, si.bufferram);
	fact("uptime is CLOCK_BOOTTIME rounded up",
	     (long)si.uptime >= before && (long)si.uptime <= after);
	fact("at least one process", si.procs >= 1);
	long ram = (long)si.totalram;
	fact("RAM between 400 and 512 MiB", ram > 400 * MIB && ram <= 512 * MIB);
	fact("over half of it free", si.freeram > si.totalram / 2 && si.freeram < si.totalram);
	fact("some shared memory (files in tmpfs), far from all",
	     si.sharedram > 0 && si.sharedram < si.totalram / 4);
}

/* Free RAM falls by about what the program touches, and rises when it lets go. Linux counts
 * free pages per CPU and sums them lazily, so only the rough size is stable. */
static void live_test(void)
{
	struct sysinfo a, b, c;
	char *m = mmap(NULL, TOUCHED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		fact("mmap for the test", 0);
		return;
	}
	sysinfo(&a);
	for (long i = 0; i < TOUCHED; i += PG)
		m[i] = 1;
	sysinfo(&b);
	munmap(m, TOUCHED);
	sysinfo(&c);
	long used = (long)(a.freeram - b.freeram), back = (long)(c.freeram - b.freeram);
	fact("free RAM falls by more than half of 64 MiB touched",
	     used > TOUCHED / 2 && used < TOUCHED + 16 * MIB);
	fact("and rises at munmap", back >= MIB);
}

static void bad_buffer_test(void)
{
	char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_result("sysinfo(NULL)", neg_errno(syscall(SYS_sysinfo, NULL)), -EFAULT);
	show_result("sysinfo(16)", neg_errno(syscall(SYS_sysinfo, 16)), -EFAULT);
	if (m == MAP_FAILED)
		return;
	munmap(m + PG, PG);
	show_result("sysinfo into a page and a hole", neg_errno(syscall(SYS_sysinfo, m + PG - 50)),
	            -EFAULT);
	mprotect(m, PG, PROT_READ);
	show_result("sysinfo into a read-only page", neg_errno(syscall(SYS_sysinfo, m)), -EFAULT);
	munmap(m, PG);
}

static long grnd(void *buf, unsigned long len, unsigned long flags)
{
	return neg_errno(syscall(SYS_getrandom, buf, len, flags));
}

static void random_flags_test(void)
{
	char b[64];

	show_result("getrandom 16", grnd(b, 16, 0), 16);
	show_result("getrandom GRND_NONBLOCK", grnd(b, 16, GRND_NB), 16);
	show_result("getrandom GRND_RANDOM", grnd(b, 16, GRND_RAND), 16);
	show_result("getrandom GRND_INSECURE", grnd(b, 16, GRND_INS), 16);
	show_result("getrandom GRND_INSECURE|GRND_NONBLOCK", grnd(b, 16, GRND_INS | GRND_NB), 16);
	show_result("getrandom GRND_RANDOM|GRND_NONBLOCK", grnd(b, 16, GRND_RAND | GRND_NB), 16);
	show_result("getrandom GRND_INSECURE|GRND_RANDOM", grnd(b, 16, GRND_INS | GRND_RAND),
	            -EINVAL);
	show_result("getrandom flags 8", grnd(b, 16, 8), -EINVAL);
	show_result("getrandom flags 0xffffffff", grnd(b, 16, 0xffffffffUL), -EINVAL);
	show_result("getrandom flags 1 << 32 (an unsigned int)", grnd(b, 16, 1UL << 32), 16);
	show_result("getrandom(NULL, 0)", grnd(NULL, 0, 0), 0);
	show_result("getrandom(NULL, 0, flags 8)", grnd(NULL, 0, 8), -EINVAL);
}

static void random_buffer_test(void)
{
	char b[64], c[64];
	char *m = mmap(NULL, BIG + PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_result("getrandom(NULL, 16)", grnd(NULL, 16, 0), -EFAULT);
	show_result("getrandom(16, 16)", grnd((void *)16, 16, 0), -EFAULT);
	/* a length clamped to 2 GiB that ends past the user half, and one that does not */
	show_result("getrandom(top - 100, 200)", grnd((void *)(TOP - 100), 200, 0), -EFAULT);
	show_result("getrandom(16, len -1)", grnd((void *)16, -1UL, 0), -EFAULT);
	memset(b, 0, sizeof(b));
	memset(c, 0, sizeof(c));
	grnd(b, sizeof(b), 0);
	grnd(c, sizeof(c), 0);
	fact("two draws differ", memcmp(b, c, sizeof(b)) != 0);
	if (m == MAP_FAILED) {
		fact("mmap for the test", 0);
		return;
	}
	show_result("getrandom 1 MiB", grnd(m, BIG, 0), BIG);
	long zero = 0;
	for (long i = 0; i < BIG; i += PG)
		zero += m[i] == 0 && m[i + 1] == 0;
	fact("its pages are not zero", zero < 4);
	munmap(m + BIG, PG);
	show_result("getrandom into a page and a hole", grnd(m + BIG - 100, 300, 0), 100);
	mprotect(m, PG, PROT_READ);
	show_result("getrandom into a read-only page", grnd(m, 16, 0), -EFAULT);
	munmap(m, BIG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fields_test();
	live_test();
	bad_buffer_test();
	random_flags_test();
	random_buffer_test();
	printf("sysinfo: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
