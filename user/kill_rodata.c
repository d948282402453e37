/* kill_rodata: writes into a const array, which lives in read-only data (.rodata); Linux and SOS
 * must kill it with SIGSEGV. Owned by the user/tests part. */
#include <stdio.h>

/* cppcheck-suppress stringLiteralWrite ; writing it is the point */
static const char message[] = "read-only";

int main(void)
{
	char *volatile target = (char *)message;

	printf("kill_rodata: writing into read-only data\n");
	fflush(stdout);
	*target = 'R';
	printf("kill_rodata: still alive after writing into read-only data\n");
	return 1;
}
