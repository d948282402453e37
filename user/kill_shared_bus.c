/* kill_shared_bus: grows a one-page shared anonymous mapping with mremap and reads the page past
 * its object's end; Linux (and SOS) must kill it with SIGBUS. Owned by the user/tests part. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("kill_shared_bus: mmap failed\n");
		return 2;
	}
	p[0] = 's';

	volatile char *q = mremap(p, 4096, 2 * 4096, MREMAP_MAYMOVE);

	if (q == MAP_FAILED) {
		printf("kill_shared_bus: mremap failed\n");
		return 2;
	}
	printf("kill_shared_bus: page 0 still reads '%c'; reading page 1, past the object\n", q[0]);
	fflush(stdout);
	char c = q[4096];
	printf("kill_shared_bus: still alive after reading %d past the object\n", c);
	return 1;
}
