/* Executes ud2: Linux and SOS both end the program with SIGILL (status 132).
 * Prints a line first so the test sees the program ran up to the bad instruction. */
#include <stdio.h>

int main(void)
{
	printf("kill_ud2: executing ud2\n");
	fflush(stdout);
	__asm__ volatile("ud2");
	printf("kill_ud2: still alive\n");
	return 0;
}
