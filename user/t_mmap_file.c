/* File mappings over the page cache: MAP_SHARED writes seen by read() and by a second mapping,
 * write() seen by mappings, MAP_PRIVATE copy on write, ftruncate growing a mapped file, msync,
 * mincore's residency, memfd_create, a mapping outliving its file's name, and mmap's errors
 * (EBADF, EACCES, ENODEV, EINVAL); every result printed. SIGBUS past the end: t_mmap_bus*. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "include/tcall.h"

#define D  "/tmp/t_mmap_file"
#define F  D "/f"
#define PG 4096L

/* mmap's result: "ok" for an address, else the errno name; the address itself is never printed. */
static void *map(const char *what, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	say("%s = %s\n", what, p == MAP_FAILED ? errname(errno) : "ok");
	return p == MAP_FAILED ? NULL : p;
}

/* A file of 4 pages, page k filled with 'a' + k, opened read-write. */
static int four_pages(const char *path)
{
	static char page[PG];
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);

	for (int k = 0; k < 4; k++) {
		memset(page, 'a' + k, PG);
		if (write(fd, page, PG) != PG)
			say("write: %s\n", errname(errno));
	}
	return fd;
}

/* MAP_SHARED: stores reach read() and another mapping; write() reaches the mappings. */
static void shared(int fd)
{
	char b[8] = {0};
	char *p = map("mmap shared", 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *q = map("mmap shared again, at page 1", 2 * PG, PROT_READ, MAP_SHARED, fd, PG);

	if (!p || !q)
		return;
	say("mapped bytes: %c %c %c %c\n", p[0], p[PG], p[2 * PG], p[4 * PG - 1]);
	memcpy(p + PG + 10, "STORE", 5);
	T(pread(fd, b, 5, PG + 10));
	say("read() sees %s, the other mapping %.5s\n", b, q + 10);
	T(pwrite(fd, "WRITE", 5, 2 * PG + 7));
	say("the mappings see %.5s %.5s\n", p + 2 * PG + 7, q + PG + 7);
	T(msync(p, 4 * PG, MS_SYNC));
	T(msync(p, PG, MS_ASYNC | MS_INVALIDATE));
	T(msync(p + 1, PG, MS_SYNC));
	T(msync(p, PG, MS_SYNC | MS_ASYNC));
	T(msync(p, PG, 0x100));
	T(munmap(q, 2 * PG));
	T(munmap(p, 4 * PG));
}

/* MAP_PRIVATE: reads come from the file (also later changes to pages not yet written); the
 * first store copies the page, which the file never sees. */
static void private(int fd)
{
	char b[8] = {0};
	char *p = map("mmap private", 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	if (!p)
		return;
	say("private reads %c %c\n", p[0], p[3 * PG]);
	T(pwrite(fd, "LATER", 5, 3 * PG));
	say("an untouched private page sees the file: %.5s\n", p + 3 * PG);
	memcpy(p, "MINE", 4);
	T(pread(fd, b, 4, 0));
	say("the file keeps %s, the mapping has %.4s\n", b, p);
	T(pwrite(fd, "FILE", 4, 0));
	say("after a write() to the file the copy keeps %.4s\n", p);
	T(munmap(p, 4 * PG));
	char *r = map("mmap private read-only", PG, PROT_READ, MAP_PRIVATE, fd, 0);
	if (r)
		say("reads %.4s\n", r);
	T(mprotect(r, PG, PROT_READ | PROT_WRITE));
	int ro = open(F, O_RDONLY);
	char *w = map("mmap private writable of an O_RDONLY fd", PG, PROT_READ | PROT_WRITE,
	              MAP_PRIVATE, ro, 0);
	if (w) {
		w[0] = 'w';
		say("stored into a private copy of a read-only file: %c\n", w[0]);
		munmap(w, PG);
	}
	close(ro);
	munmap(r, PG);
}

/* mincore: a tmpfs file's pages are resident when written, its holes are not. */
static void residency(void)
{
	unsigned char v[8];
	int fd = open(D "/holes", O_CREAT | O_RDWR | O_TRUNC, 0644);

	T(ftruncate(fd, 8 * PG));
	T(pwrite(fd, "x", 1, 0));
	T(pwrite(fd, "y", 1, 5 * PG));
	char *p = map("mmap of a file with holes", 8 * PG, PROT_READ, MAP_SHARED, fd, 0);
	if (!p)
		return;
	if (T(mincore(p, 8 * PG, v)) == 0)
		say("resident: %d%d%d%d%d%d%d%d\n", v[0] & 1, v[1] & 1, v[2] & 1, v[3] & 1,
		    v[4] & 1, v[5] & 1, v[6] & 1, v[7] & 1);
	say("a hole reads %d\n", p[3 * PG]);
	T(mincore(p + 1, PG, v));
	T(mincore(p, PG, (unsigned char *)8));
	T(ftruncate(fd, 10 * PG));
	char *q = map("mmap of the grown file", 10 * PG, PROT_READ, MAP_SHARED, fd, 0);
	if (q)
		say("the grown part reads %d\n", q[9 * PG]);
	munmap(q, 10 * PG);
	munmap(p, 8 * PG);
	close(fd);
	unlink(D "/holes");
}

/* The errors of mmap on files. */
static void errors(int fd)
{
	int ro = open(F, O_RDONLY), wo = open(F, O_WRONLY), dir = open(D, O_RDONLY);

	map("mmap a bad fd", PG, PROT_READ, MAP_SHARED, 99, 0);
	map("mmap shared writable of an O_RDONLY fd", PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro,
	    0);
	map("mmap of an O_WRONLY fd", PG, PROT_READ, MAP_SHARED, wo, 0);
	map("mmap a directory", PG, PROT_READ, MAP_SHARED, dir, 0);
	map("mmap at an unaligned offset", PG, PROT_READ, MAP_SHARED, fd, 100);
	map("mmap length 0", 0, PROT_READ, MAP_SHARED, fd, 0);
	map("mmap without SHARED or PRIVATE", PG, PROT_READ, 0, fd, 0);
	map("mmap at a negative offset", PG, PROT_READ, MAP_SHARED, fd, -PG);
	char *p = map("mmap past the end of the file", PG, PROT_READ, MAP_SHARED, fd, 100 * PG);
	munmap(p, PG);
	close(ro);
	close(wo);
	close(dir);
}

/* A mapping keeps its file after close and unlink; memfd_create gives an fd to such a file. */
static void lifetimes(void)
{
	int fd = four_pages(D "/gone");
	char *p = map("mmap shared", PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	T(close(fd));
	T(unlink(D "/gone"));
	if (p) {
		p[1] = 'Z';
		say("after close and unlink: %.3s\n", p);
		munmap(p, PG);
	}
	int m = (int)T(syscall(SYS_memfd_create, "t_mmap", 0));
	T(ftruncate(m, 3 * PG));
	char *a = map("mmap memfd", 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	char *b = map("mmap memfd again", 3 * PG, PROT_READ, MAP_SHARED, m, 0);
	if (a && b) {
		strcpy(a + 2 * PG, "memfd");
		say("the second mapping sees %s\n", b + 2 * PG);
	}
	char buf[8] = {0};
	T(pread(m, buf, 5, 2 * PG));
	say("read() sees %s\n", buf);
	struct stat st;
	fstat(m, &st);
	say("memfd size %lld mode %o\n", (long long)st.st_size, (unsigned)st.st_mode);
	char link[64] = {0};
	snprintf(buf, sizeof(buf), "%d", m);
	char path[32];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", m);
	T(readlink(path, link, sizeof(link) - 1));
	say("memfd is %s\n", link);
	T(syscall(SYS_memfd_create, "x", 0x100));
	T(syscall(SYS_memfd_create, (char *)8, 0));
	munmap(a, 3 * PG);
	munmap(b, 3 * PG);
	close(m);
}

int main(void)
{
	T(mkdir(D, 0755));
	int fd = four_pages(F);
	shared(fd);
	private(fd);
	residency();
	errors(fd);
	lifetimes();
	T(close(fd));
	T(unlink(F));
	T(rmdir(D));
	return 0;
}
