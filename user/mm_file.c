/* mm_file: mappings of a tmpfs file against the oracle. MAP_SHARED writes reach the file and
 * the file's writes reach the mapping; MAP_PRIVATE copies a page at its first write (the file
 * stays) and MADV_DONTNEED shows the file again; mincore reports the page cache; a file open
 * read-only may not be mapped or made writable shared. kernel/mm with the fs's mmap.
 * (user/mm_truncate: truncation under mappings.) */
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

#define NAME "mm_file.dat"

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	char *s, *p;
	int fd = three_pages(NAME, &s, &p);

	core("private, untouched: the page cache", p, 3, "111");
	show("shared", s, 3, "abc");
	s[PG] = 'B';
	file("file after a shared write", fd, 3, "aBc");
	show("private sees it (not yet copied)", p, 3, "aBc");
	p[2 * PG] = 'C';
	show("private after its write", p, 3, "aBC");
	file("file after a private write", fd, 3, "aBc");
	if (pwrite(fd, "Z", 1, 2 * PG) != 1 || pwrite(fd, "A", 1, 0) != 1)
		fact("pwrite", 0);
	show("shared after pwrite", s, 3, "ABZ");
	show("private after pwrite: its copy stays", p, 3, "ABC");
	res("madvise dontneed private", madvise(p, 3 * PG, MADV_DONTNEED), 0);
	show("private after dontneed: the file again", p, 3, "ABZ");
	res("msync", msync(s, 3 * PG, MS_SYNC), 0);
	res("madvise remove private", madvise(p, PG, MADV_REMOVE), EACCES);
	res("madvise free private", madvise(p, PG, MADV_FREE), EINVAL);

	res("mmap unaligned offset", (long)mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 1), EINVAL);
	res("mmap validate sync",
	    (long)mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0), EOPNOTSUPP);
	res("mmap growsdown", (long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0),
	    EINVAL);

	int ro = open(NAME, O_RDONLY);
	char *r = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);

	fact("read-only shared mapping", r != MAP_FAILED);
	res("mmap shared writable of a read-only file",
	    (long)mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	res("mprotect it writable", mprotect(r, PG, PROT_READ | PROT_WRITE), EACCES);
	res("madvise remove", madvise(r, PG, MADV_REMOVE), EACCES);
	char *rp = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);

	fact("private writable mapping of a read-only file", rp != MAP_FAILED);
	rp[1] = 'w';
	file("file after it", fd, 1, "A");

	munmap(s, 3 * PG);
	munmap(p, 3 * PG);
	munmap(r, PG);
	munmap(rp, PG);
	close(ro);
	close(fd);
	unlink(NAME);
	printf("mm_file: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
