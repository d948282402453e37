/* kill_hugetlb: maps MAP_HUGETLB | MAP_NORESERVE memory (made, though no huge page is free) and
 * touches it as argv[1] says (read, write or exec; write by default); Linux (and SOS) must kill it
 * with SIGBUS. Owned by the user/tests part. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "write";
	volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		printf("kill_hugetlb: mmap failed\n");
		return 2;
	}
	printf("kill_hugetlb: mapped, 2 MiB aligned: %s; now %s it\n",
	       ((unsigned long)p & ((2UL << 20) - 1)) ? "no" : "yes", how);
	fflush(stdout);
	if (strcmp(how, "read") == 0)
		printf("kill_hugetlb: read %d\n", p[100]);
	else if (strcmp(how, "exec") == 0)
		((void (*)(void))p)();
	else
		p[100] = 1;
	printf("kill_hugetlb: still alive\n");
	return 1;
}
