/* Stack faults: recursion that grows the stack by 6 MiB, one new page per call, timed once per
 * process (the stack never shrinks, so a second descent would not fault). */
#include "bench.h"

#define FRAME 4000 /* bytes of locals per call: a little under a page, so no page is skipped */

/* Recurse depth times, writing one byte of each frame on the way down. */
static __attribute__((noinline)) long descend(long depth)
{
	volatile char frame[FRAME];

	frame[0] = (char)depth;
	frame[FRAME - 1] = 0;
	if (depth == 0)
		return frame[0];
	return descend(depth - 1) + frame[FRAME - 1];
}

/* usage: stack [MiB] — default 6 */
int main(int argc, char **argv)
{
	long mib = arg_long(argc, argv, 1, 6);
	long depth = mib * (long)MIB / FRAME;

	clock_warm();
	uint64_t t0 = now_ns();
	long r = descend(depth);
	uint64_t t1 = now_ns();
	double pages = (double)(depth * FRAME) / PAGE;

	result("stack_touch", (double)(t1 - t0) / pages, "ns/page");
	return (int)r; /* 0: every frame holds 0 at the end read back */
}
