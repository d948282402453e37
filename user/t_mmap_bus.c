/* A touch of a file mapping past the end of the file (in the mapping's second page, the file
 * holding one) is SIGBUS: the line before the touch prints, the one after must not. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>

#include "include/tcall.h"

int main(void)
{
	mkdir("/tmp/t_mmap_bus", 0755);
	int fd = (int)T(open("/tmp/t_mmap_bus/f", O_CREAT | O_RDWR | O_TRUNC, 0644));
	T(write(fd, "one page, partly", 16));
	volatile char *p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		say("mmap: %s\n", errname(errno));
		return 1;
	}
	say("mapped: %d, the rest of page 0 reads %d\n", p != MAP_FAILED, p[4000]);
	unlink("/tmp/t_mmap_bus/f");
	rmdir("/tmp/t_mmap_bus");
	say("touching page 1\n");
	say("read %d: no SIGBUS\n", p[4096]);
	return 0;
}
