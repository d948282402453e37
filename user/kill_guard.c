/* kill_guard: recurses until the stack overflows its 8 MiB into the guard below it; Linux and SOS
 * must kill it with SIGSEGV. Owned by the user/tests part. */
#include <stdio.h>

static volatile long limit = 1L << 40; /* never reached: hides the endless recursion from gcc */

/* Each call keeps a page of stack busy until its callee returns, which never happens. */
__attribute__((noinline)) static long dive(long depth)
{
	volatile char page[4096];

	page[0] = (char)depth;
	page[sizeof(page) - 1] = (char)depth;
	if (depth >= limit)
		return page[0];
	return dive(depth + 1) + page[sizeof(page) - 1];
}

int main(void)
{
	printf("kill_guard: recursing until the stack overflows\n");
	fflush(stdout);
	long r = dive(0);
	printf("kill_guard: still alive after recursion returned %ld\n", r);
	return 1;
}
