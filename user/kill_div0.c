/* Divides by zero with the integer divide instruction: SIGFPE (status 136) on Linux and SOS.
 * The divisor is volatile so the compiler cannot fold or remove the division. */
#include <stdio.h>

int main(void)
{
	volatile int zero = 0;
	printf("kill_div0: dividing by zero\n");
	fflush(stdout);
	// cppcheck-suppress zerodiv
	int q = 42 / zero;
	printf("kill_div0: still alive (%d)\n", q);
	return 0;
}
