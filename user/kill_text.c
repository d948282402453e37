/* kill_text: writes into its own code (main), which is mapped read-execute; Linux and SOS must
 * kill it with SIGSEGV. Owned by the user/tests part. */
#include <stdio.h>

int main(void)
{
	char *volatile target = (char *)(void *)main;

	printf("kill_text: writing into main's code\n");
	fflush(stdout);
	*target = 0;
	printf("kill_text: still alive after writing into main's code\n");
	return 1;
}
