/* Calls abort(): musl raises SIGABRT with the signal blocked, then unblocks it, so this checks
 * SOS's pending-signal delivery; status 134 on Linux and SOS. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("kill_abort: calling abort\n");
	fflush(stdout);
	abort();
}
