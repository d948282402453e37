/* One run of the soak test: the TSC picks how this process ends (normal exit, NULL write,
 * out of memory, abort) so that 1,000 runs in one boot (--repeat) mix every kind of end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

int main(void)
{
	char *p;
	switch ((tsc() >> 4) % 4) {
	case 0: /* a normal life: heap, stack and an mmap'd block, then exit */
		p = malloc(256 * 1024);
		if (!p)
			return 1;
		memset(p, 1, 256 * 1024);
		free(p);
		return 0;
	case 1:
		// cppcheck-suppress nullPointer
		*(volatile char *)0 = 1;
		return 2;
	case 2:
		for (;;) {
			p = malloc(1 << 20);
			if (!p)
				return 3;
			memset(p, 2, 1 << 20);
		}
	default:
		abort();
	}
}
