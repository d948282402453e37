/* kill_exec_stack: copies a `ret` instruction onto the stack and calls it; the stack is not
 * executable (NX), so Linux and SOS must kill it with SIGSEGV. Owned by the user/tests part. */
#include <stdio.h>

int main(void)
{
	volatile unsigned char code[16] = {0xc3}; /* ret */
	void (*volatile fn)(void) = (void (*)(void))(void *)code;

	printf("kill_exec_stack: calling code on the stack\n");
	fflush(stdout);
	fn();
	printf("kill_exec_stack: still alive after executing the stack\n");
	return 1;
}
