/* Mallocs and touches 1 MiB blocks until the kernel stops it, saying so after each block. SOS
 * overcommits, so the end is a clean kill at fault time (137) at the same block every run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1 << 20)

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("oom: start\n");
	for (int mib = 1;; mib++) {
		char *p = malloc(BLOCK);
		if (!p) {
			printf("oom: malloc returned NULL after %d MiB\n", mib - 1);
			return 1;
		}
		memset(p, mib, BLOCK);
		printf("oom: %d MiB touched\n", mib);
	}
}
