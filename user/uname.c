/* uname: what uname(2) says on Linux 6.12 and on SOS alike — the system's and the machine's names,
 * a 6.12 release, the domain name, and EFAULT for a buffer the program cannot write. The node
 * name and the version string differ between the two and are not printed. Owned by kernel/sys. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "include/check.h"

/* The raw system call (musl's uname() is one too, but the bad pointers stay explicit). */
static long raw_uname(void *buf)
{
	long r = syscall(SYS_uname, buf);

	return r == -1 ? -errno : r;
}

/* Print a result that must be the errno want (as a negative number). */
static void refused(const char *what, long r, long want)
{
	printf("%s: %s\n", what, r < 0 ? ename(-r) : "0");
	if (r != want)
		failures++;
}

static void names_test(void)
{
	struct utsname u;

	memset(&u, 0x55, sizeof(u));
	if (raw_uname(&u)) {
		fact("uname", 0);
		return;
	}
	printf("sysname: %s\n", u.sysname);
	printf("machine: %s\n", u.machine);
	printf("domainname: %s\n", u.domainname);
	fact("release starts with 6.12.", strncmp(u.release, "6.12.", 5) == 0);
	fact("every field is a string", memchr(u.nodename, 0, sizeof(u.nodename)) &&
	                                    memchr(u.version, 0, sizeof(u.version)) &&
	                                    memchr(u.release, 0, sizeof(u.release)));
}

static void bad_buffer_test(void)
{
	const long pg = 4096;
	char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	refused("uname(NULL)", raw_uname(NULL), -EFAULT);
	refused("uname(16)", raw_uname((void *)16), -EFAULT);
	refused("uname(kernel half)", raw_uname((void *)0xffff800000000000UL), -EFAULT);
	if (m == MAP_FAILED) {
		fact("mmap for the test", 0);
		return;
	}
	munmap(m + pg, pg);
	refused("uname into a page and a hole", raw_uname(m + pg - 100), -EFAULT);
	mprotect(m, pg, PROT_READ);
	refused("uname into a read-only page", raw_uname(m), -EFAULT);
	munmap(m, pg);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	names_test();
	bad_buffer_test();
	printf("uname: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
