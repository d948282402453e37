/* kill_null: writes to address 0, which is never mapped; Linux and SOS must kill it with SIGSEGV
 * (exit status 139). Owned by the user/tests part. */
#include <stdio.h>

static char *volatile target; /* NULL; volatile so the compiler cannot turn the store into a trap */

int main(void)
{
	printf("kill_null: writing to address 0\n");
	fflush(stdout);
	*target = 1;
	printf("kill_null: still alive after writing to address 0\n");
	return 1;
}
