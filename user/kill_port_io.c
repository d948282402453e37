/* Writes to an I/O port from user mode (no I/O permission): #GP, SIGSEGV on Linux and SOS.
 * Port 0xe9 is SOS's stdout channel, so success would also show as stray output. */
#include <stdio.h>

int main(void)
{
	printf("kill_port_io: writing to port 0xe9\n");
	fflush(stdout);
	__asm__ volatile("outb %%al, $0xe9" : : "a"('!'));
	printf("kill_port_io: still alive\n");
	return 0;
}
