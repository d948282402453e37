/* recursion: deep recursion that grows the stack on demand past 6 MiB (below the 8 MiB limit),
 * its result checked against the same sum done in a loop. Owned by the user/tests part. */
#include <stdint.h>
#include <stdio.h>

#define FRAME 4000 /* bytes of locals per call */
#define DEPTH 1600 /* calls: about 6.2 MiB of stack */

static uintptr_t deepest; /* address of the deepest frame's buffer: used only for a difference */

static uint64_t next_seed(uint64_t s)
{
	return s * 6364136223846793005ull + 1442695040888963407ull;
}

static uint64_t mix(uint64_t sum, uint64_t seed, int i)
{
	return sum * 31 + (unsigned char)(seed + (uint64_t)i);
}

/* Stamps a frame-sized buffer, recurses, then folds the buffer into the callee's sum: the buffer
 * must survive the deeper calls, so every page of the stack is written and read back. */
__attribute__((noinline)) static uint64_t recurse(int n, uint64_t seed)
{
	volatile unsigned char buf[FRAME];
	uint64_t sum;
	int i;

	for (i = 0; i < FRAME; i += 64)
		buf[i] = (unsigned char)(seed + (uint64_t)i);
	if (n == 0) {
		deepest = (uintptr_t)buf;
		sum = 0;
	} else {
		sum = recurse(n - 1, next_seed(seed));
	}
	for (i = 0; i < FRAME; i += 64)
		sum = sum * 31 + buf[i];
	return sum;
}

/* The same value without recursion. */
static uint64_t expected(uint64_t seed)
{
	static uint64_t seeds[DEPTH + 1];
	uint64_t sum = 0;

	for (int n = 0; n <= DEPTH; n++, seed = next_seed(seed))
		seeds[n] = seed;
	for (int n = DEPTH; n >= 0; n--)
		for (int i = 0; i < FRAME; i += 64)
			sum = mix(sum, seeds[n], i);
	return sum;
}

int main(void)
{
	volatile char top;
	int ok = 1;

	/* line-buffered, so that when SOS kills the program the last line shows how far it got */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int round = 0; round < 2; round++) {
		uint64_t got = recurse(DEPTH, 42 + round), want = expected(42 + round);
		uintptr_t used = (uintptr_t)&top - deepest;

		printf("recursion %d: depth %d, result %016llx, matches loop: %s\n", round, DEPTH,
		       (unsigned long long)got, got == want ? "yes" : "no");
		printf("recursion %d: stack used over 6 MiB: %s, under 8 MiB: %s\n", round,
		       used > (6u << 20) ? "yes" : "no", used < (8u << 20) ? "yes" : "no");
		ok &= got == want && used > (6u << 20) && used < (8u << 20);
	}
	printf("recursion: %s\n", ok ? "passed" : "FAILED");
	return ok ? 0 : 1;
}
