/* file_sparse: a tmpfs file of 2^62 bytes with one byte at its end, and a memfd alike: SEEK_DATA
 * and SEEK_HOLE across the holes, a hole punched over all of it, the byte read back. SOS once
 * walked such holes a page at a time, in the kernel (2^50 pages: a hang; fuzz-sys). Owned by
 * kernel/fs (tmpfs.c) and kernel/mm (shmem.c). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "include/check.h"

#define SIZE (1L << 62)

static void sparse(const char *what, int fd)
{
	char c = 0;

	show_result("ftruncate to 2^62", neg_errno(ftruncate(fd, SIZE)), 0);
	show_result("write at the end", neg_errno(pwrite(fd, "x", 1, SIZE - 10)), 1);
	printf("%s:\n", what);
	show_result("  SEEK_DATA from 0 (the last page)", neg_errno(lseek(fd, 0, SEEK_DATA)),
	            SIZE - 4096);
	show_result("  SEEK_HOLE from 0", neg_errno(lseek(fd, 0, SEEK_HOLE)), 0);
	show_result("  SEEK_HOLE from the last page (the end)",
	            neg_errno(lseek(fd, SIZE - 4096, SEEK_HOLE)), SIZE);
	show_result("  SEEK_DATA past the byte", neg_errno(lseek(fd, SIZE - 1, SEEK_DATA)),
	            SIZE - 1);
	show_result("  punch a hole over all of it",
	            neg_errno(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, SIZE)),
	            0);
	show_result("  the byte reads back", neg_errno(pread(fd, &c, 1, SIZE - 10)), 1);
	printf("  and is now %d\n", c);
	close(fd);
}

int main(void)
{
	sparse("a tmpfs file", open("/tmp/file_sparse", O_RDWR | O_CREAT | O_TRUNC, 0644));
	unlink("/tmp/file_sparse");
	sparse("a memfd", memfd_create("file_sparse", 0));
	printf("file_sparse: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
