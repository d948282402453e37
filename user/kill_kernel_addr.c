/* Reads a kernel-half address (where both kernels keep their image): a page fault on a
 * supervisor page, SIGSEGV on Linux and SOS. */
#include <stdio.h>

int main(void)
{
	volatile const char *p = (const char *)0xffffffff80000000UL;
	printf("kill_kernel_addr: reading a kernel address\n");
	fflush(stdout);
	char c = *p;
	printf("kill_kernel_addr: still alive (%d)\n", c);
	return 0;
}
