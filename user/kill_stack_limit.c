/* kill_stack_limit: a write just beyond 8 MiB (RLIMIT_STACK) below the stack top, far below sp;
 * a write at 8 MiB grows the stack, one page further is a stack overflow: SIGSEGV. */
#include "include/arena.h"

int main(void)
{
	uintptr_t top = end_of((uintptr_t)__builtin_frame_address(0) & ~(PG - 1));
	*(volatile char *)(top - (8UL << 20)) = 1; /* the lowest byte the stack may hold */
	printf("kill_stack_limit: writing one byte beyond 8 MiB below the stack top\n");
	fflush(stdout);
	*(volatile char *)(top - (8UL << 20) - 1) = 1;
	printf("kill_stack_limit: still alive\n");
	return 1;
}
