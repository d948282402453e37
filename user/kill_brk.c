/* kill_brk: writes a page above the program break, where nothing is mapped; Linux and SOS must
 * kill it with SIGSEGV (xv6's "fault above the break kills"). Owned by the user/tests part. */
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	uintptr_t brk = (uintptr_t)syscall(SYS_brk, 0);
	char *volatile target = (char *)(((brk + 4095) & ~(uintptr_t)4095) + 16 * 4096);

	printf("kill_brk: writing 16 pages above the break\n");
	fflush(stdout);
	*target = 1;
	printf("kill_brk: still alive after writing above the break\n");
	return 1;
}
