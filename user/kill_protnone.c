/* kill_protnone: reads a PROT_NONE anonymous mapping (what musl's malloc uses as a guard page);
 * Linux and SOS must kill it with SIGSEGV. Owned by the user/tests part. */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	volatile char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("kill_protnone: mmap failed\n");
		return 2;
	}
	printf("kill_protnone: reading a PROT_NONE page\n");
	fflush(stdout);
	char c = *p;
	printf("kill_protnone: still alive after reading %d from a PROT_NONE page\n", c);
	return 1;
}
