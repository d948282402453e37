/* kill_guard_marker: writes to a page of a read-write mapping that MADV_GUARD_INSTALL marked;
 * Linux and SOS must kill it with SIGSEGV (SOS names the guard marker). Owned by kernel/mm. */
#include <stdio.h>
#include <sys/mman.h>

#define MADV_GUARD_INSTALL 102

int main(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || madvise(p + 4096, 4096, MADV_GUARD_INSTALL)) {
		printf("kill_guard_marker: mmap or madvise failed\n");
		return 2;
	}
	p[0] = p[8192] = 'x';
	printf("kill_guard_marker: the pages around the marker work; writing to it\n");
	fflush(stdout);
	((volatile char *)p)[4096] = 'x';
	printf("kill_guard_marker: still alive after writing to a guard marker\n");
	return 1;
}
