/* kill_hwpoison: MADV_HWPOISON of a page it wrote; the oracle (Linux 6.12 with
 * CONFIG_MEMORY_FAILURE, run as root) poisons it and kills the process with SIGBUS at once, and
 * so must SOS. Owned by kernel/mm. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MADV_HWPOISON_ 100

int main(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 2;
	p[0] = 'x';
	printf("kill_hwpoison: poisoning a page it wrote\n");
	fflush(stdout);
	long r = syscall(SYS_madvise, p, 4096, MADV_HWPOISON_);

	printf("kill_hwpoison: still alive, madvise returned %ld\n", r);
	return 1;
}
