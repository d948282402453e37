/* kill_stack_limit: a write just beyond 8 MiB (RLIMIT_STACK) below the stack top, far below sp;
 * a write at 8 MiB grows the stack, one page further is a stack overflow: SIGSEGV. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG 4096UL

/* True when a mapping holds page va (mremap fails with EFAULT where none does); a mapping it
 * grew (the top page of Linux's stack, with room above it) shrinks back. */
static int mapped(uintptr_t va)
{
	long r = syscall(SYS_mremap, va, PG, 2 * PG, 0, 0);

	if (r == (long)va)
		syscall(SYS_mremap, va, 2 * PG, PG, 0, 0);
	return !(r == -1 && errno == EFAULT);
}

int main(void)
{
	uintptr_t top = (uintptr_t)__builtin_frame_address(0) & ~(PG - 1);

	while (mapped(top))
		top += PG;
	*(volatile char *)(top - (8UL << 20)) = 1; /* the lowest byte the stack may hold */
	printf("kill_stack_limit: writing one byte beyond 8 MiB below the stack top\n");
	fflush(stdout);
	*(volatile char *)(top - (8UL << 20) - 1) = 1;
	printf("kill_stack_limit: still alive\n");
	return 1;
}
