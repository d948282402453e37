/* mm_truncate: truncating a tmpfs file under its mappings, against the oracle: the pages cut off
 * leave every mapping (shared ones, and the private copies of them), the kernel finds EFAULT past
 * the end (a touch would be SIGBUS), a private copy below the end stays, and growing the file
 * again shows zeros. Needs ftruncate (fs-sys). kernel/mm's shmem_resize with the fs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"
#include "include/file_pages.h"
#include "include/linux_mm.h"

#define NAME "mm_truncate.dat"

/* 'r' where MADV_POPULATE_READ can read the page, 'B' where it finds EFAULT (past the end). */
static void probe(const char *what, char *p, long n, const char *want)
{
	char got[16];

	for (long i = 0; i < n; i++) {
		long r = madvise(p + i * PG, PG, MADV_POPULATE_READ);

		got[i] = r == 0 ? 'r' : errno == EFAULT ? 'B' : '?';
	}
	got[n] = 0;
	printf("%s: %s\n", what, got);
	if (strcmp(got, want))
		failures++;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	char *s, *p;
	int fd = three_pages(NAME, &s, &p);

	show("shared", s, 3, "abc");
	p[0] = 'P';
	p[2 * PG] = 'Q';
	res("ftruncate 1 page", ftruncate(fd, PG), 0);
	core("shared after truncation", s, 3, "100");
	probe("shared past the end", s, 3, "rBB");
	probe("private past the end, its copy too", p, 3, "rBB");
	show("private copy below the end stays", p, 1, "P");
	res("ftruncate 3 pages", ftruncate(fd, 3 * PG), 0);
	show("grown again: zeros", s, 3, "a..");
	show("private: the file's zeros", p, 3, "P..");
	file("file", fd, 3, "a..");
	munmap(s, 3 * PG);
	munmap(p, 3 * PG);
	close(fd);
	unlink(NAME);
	printf("mm_truncate: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
