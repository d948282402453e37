/* Executes the privileged hlt instruction in user mode: #GP, which both kernels report as
 * SIGSEGV (status 139). */
#include <stdio.h>

int main(void)
{
	printf("kill_hlt: executing hlt\n");
	fflush(stdout);
	__asm__ volatile("hlt");
	printf("kill_hlt: still alive\n");
	return 0;
}
