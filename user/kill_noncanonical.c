/* Reads a non-canonical address (bits 63..47 not all equal): the CPU raises #GP rather than a
 * page fault, and both kernels report SIGSEGV. */
#include <stdio.h>

int main(void)
{
	volatile const char *p = (const char *)0x0000800000000000UL;
	printf("kill_noncanonical: reading a non-canonical address\n");
	fflush(stdout);
	char c = *p;
	printf("kill_noncanonical: still alive (%d)\n", c);
	return 0;
}
