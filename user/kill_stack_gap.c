/* kill_stack_gap: the stack may not grow within the guard gap (256 pages) above a mapping below
 * it; a write there, far below sp, is a stack overflow that Linux and SOS kill with SIGSEGV. */
#include "include/arena.h"

int main(void)
{
	uintptr_t top = end_of((uintptr_t)__builtin_frame_address(0) & ~(PG - 1));

	uintptr_t m = top - (4UL << 20);

	if (mmap((void *)m, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
	         0) != (void *)m)
		return 2;
	*(volatile char *)(m + 257 * PG) = 1; /* 256 pages above its end: the stack grows */
	printf("kill_stack_gap: writing 255 pages above a mapping below the stack\n");
	fflush(stdout);
	*(volatile char *)(m + 256 * PG) = 1;
	printf("kill_stack_gap: still alive\n");
	return 1;
}
