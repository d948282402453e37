/* A shrinking ftruncate drops the pages of a shared file mapping: a touch there is SIGBUS, and
 * a private mapping's unwritten page too. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>

#include "include/tcall.h"

int main(void)
{
	static char page[4096];
	mkdir("/tmp/t_mmap_trunc", 0755);
	int fd = (int)T(open("/tmp/t_mmap_trunc/f", O_CREAT | O_RDWR | O_TRUNC, 0644));
	memset(page, 'q', sizeof(page));
	for (int k = 0; k < 3; k++)
		T(write(fd, page, sizeof(page)));
	volatile char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	volatile char *q = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED || q == MAP_FAILED) {
		say("mmap: %s\n", errname(errno));
		return 1;
	}
	say("mapped: %d %d, page 2 reads %c %c\n", p != MAP_FAILED, q != MAP_FAILED, p[8192],
	    q[8192]);
	T(ftruncate(fd, 4096));
	unlink("/tmp/t_mmap_trunc/f");
	rmdir("/tmp/t_mmap_trunc");
	say("page 0 still reads %c %c\n", p[0], q[0]);
	say("touching page 2 of the shared mapping\n");
	say("read %d: no SIGBUS\n", p[8192]);
	return 0;
}
