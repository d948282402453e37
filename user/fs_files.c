/* File contents and names in tmpfs: writes and reads across pages, holes, SEEK_DATA/SEEK_HOLE,
 * O_APPEND, pread/pwrite and their vectored forms, hard links and their counts, a file unlinked
 * while open, directory listings (sorted here: the order is the file system's), and sizes. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "include/fs_check.h"

#define D "/tmp/fs_files"

static char big[3 * 4096 + 100];
static char back[sizeof(big)];

/* What stat says of path that does not change from run to run. */
static void show(const char *path)
{
	struct stat st;
	if (lstat(path, &st)) {
		printf("%s: %s\n", path, errno_name(errno));
		return;
	}
	printf("%s: mode %o nlink %lu size %lld blocks %lld\n", path, st.st_mode,
	       (unsigned long)st.st_nlink, (long long)st.st_size, (long long)st.st_blocks);
}

static void contents(void)
{
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 23);
	int fd = open(D "/big", O_RDWR | O_CREAT | O_EXCL, 0640);
	R(write(fd, big, sizeof(big)));
	R(lseek(fd, 0, SEEK_SET));
	R(read(fd, back, sizeof(back)));
	printf("read back equal: %d\n", !memcmp(big, back, sizeof(big)));
	R(read(fd, back, 10)); /* at the end */
	R(pread(fd, back, 10, 4090));
	printf("pread across a page: %.10s\n", back);
	R(pwrite(fd, "XYZ", 3, 4095));
	R(lseek(fd, 0, SEEK_CUR));
	R(pread(fd, back, 5, 4094));
	printf("after pwrite: %.5s\n", back);
	R(pread(fd, back, 5, -1));
	R(pwrite(fd, back, 5, -1));
	R(pread(fd, back, 100, sizeof(big) - 10));
	R(pread(fd, back, 100, 1 << 30));
	struct iovec v[3] = {{back, 3}, {back + 10, 0}, {back + 20, 4}};
	R(preadv(fd, v, 3, 1));
	printf("preadv: %.3s %.4s\n", back, back + 20);
	R(pwritev(fd, v, 3, 2 * 4096));
	R(readv(fd, v, -1));
	R(readv(fd, v, 1025));
	show(D "/big");
	R(close(fd));
}

/* A file with holes: zeros where nothing was written, blocks only for written pages. */
static void holes(void)
{
	int fd = open(D "/sparse", O_RDWR | O_CREAT | O_TRUNC, 0600);
	R(pwrite(fd, "end", 3, 5 * 4096 + 7));
	R(pwrite(fd, "one", 3, 2 * 4096));
	show(D "/sparse");
	memset(back, 'x', 4096);
	R(pread(fd, back, 4096, 4096));
	int z = 1;
	for (int i = 0; i < 4096; i++)
		z &= back[i] == 0;
	printf("the hole reads as zeros: %d\n", z);
	R(lseek(fd, 0, SEEK_DATA));
	R(lseek(fd, 0, SEEK_HOLE));
	R(lseek(fd, 2 * 4096 + 5, SEEK_DATA));
	R(lseek(fd, 2 * 4096 + 5, SEEK_HOLE));
	R(lseek(fd, 3 * 4096, SEEK_DATA));
	R(lseek(fd, 5 * 4096 + 10, SEEK_HOLE));
	R(lseek(fd, 5 * 4096 + 10, SEEK_DATA));
	R(lseek(fd, 9 * 4096, SEEK_DATA));
	R(lseek(fd, -1, SEEK_HOLE));
	R(lseek(fd, -1, SEEK_SET));
	R(lseek(fd, 10, SEEK_END));
	R(lseek(fd, -100000, SEEK_END));
	R(lseek(fd, 0, 7));
	R(close(fd));
}

/* O_APPEND writes at the end whatever the offset; O_TRUNC empties. */
static void append(void)
{
	int fd = open(D "/log", O_WRONLY | O_CREAT | O_APPEND, 0644);
	R(write(fd, "one\n", 4));
	R(lseek(fd, 0, SEEK_SET));
	R(write(fd, "two\n", 4));
	R(pwrite(fd, "three\n", 6, 0)); /* Linux appends even here */
	R(close(fd));
	fd = open(D "/log", O_RDONLY);
	memset(back, 0, 64);
	R(read(fd, back, 64));
	printf("log: %s", back);
	R(write(fd, "x", 1));
	R(close(fd));
	fd = open(D "/log", O_RDONLY | O_TRUNC);
	show(D "/log");
	R(close(fd));
}

/* Hard links share the inode; a file unlinked while open stays readable until its close. */
static void links(void)
{
	R(link(D "/big", D "/big2"));
	R(link(D "/big", D "/big2"));
	R(link(D "/nothing", D "/x"));
	R(link(D, D "/dirlink"));
	R(link(D "/big", D "/nodir/x"));
	R(link(D "/big", D "/big3/"));
	show(D "/big");
	struct stat a, b;
	stat(D "/big", &a);
	stat(D "/big2", &b);
	printf("same inode: %d\n", a.st_ino == b.st_ino);
	int fd = open(D "/big2", O_RDONLY);
	R(unlink(D "/big"));
	R(unlink(D "/big2"));
	R(unlink(D "/big2"));
	struct stat st;
	R(fstat(fd, &st));
	printf("open after unlink: nlink %lu size %lld\n", (unsigned long)st.st_nlink,
	       (long long)st.st_size);
	R(pread(fd, back, 5, 0));
	printf("still reads: %.5s\n", back);
	R(close(fd));
	R(unlink(D));
	R(unlink(D "/"));
	R(rmdir(D "/log"));
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of D, sorted, with their types. */
static void list(void)
{
	DIR *d = opendir(D);
	char *names[64] = {0};
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 64) {
		names[n] = malloc(300);
		snprintf(names[n], 300, "%s:%d", e->d_name, e->d_type);
		n++;
	}
	qsort(names, (size_t)n, sizeof(names[0]), cmp);
	printf("%s:", D);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	if (d)
		closedir(d);
	int fd = open(D, O_RDONLY | O_DIRECTORY);
	R(syscall(SYS_getdents64, fd, back, 10));
	R(syscall(SYS_getdents64, fd, (void *)8, 4096));
	R(read(fd, back, 10));
	R(write(fd, back, 10));
	R(lseek(fd, 0, SEEK_END));
	R(close(fd));
	fd = open(D "/log", O_RDONLY);
	R(syscall(SYS_getdents64, fd, back, 4096));
	R(close(fd));
	show(D);
}

int main(void)
{
	R(mkdir(D, 0700));
	contents();
	holes();
	append();
	links();
	R(mkdir(D "/sub", 0755));
	R(symlink("log", D "/ln"));
	R(mknod(D "/fifo", S_IFIFO | 0600, 0) < 0 ? -1 : 0);
	list();
	R(rmdir(D "/sub"));
	R(unlink(D "/ln"));
	R(unlink(D "/fifo"));
	R(unlink(D "/log"));
	R(unlink(D "/sparse"));
	show(D);
	R(rmdir(D));
	return 0;
}
