/* Executes int3 with no debugger attached: SIGTRAP (status 133) on Linux and SOS.
 * The breakpoint gate is reachable from user mode, so this is #BP, not #GP. */
#include <stdio.h>

int main(void)
{
	printf("kill_int3: executing int3\n");
	fflush(stdout);
	__asm__ volatile("int3");
	printf("kill_int3: still alive\n");
	return 0;
}
