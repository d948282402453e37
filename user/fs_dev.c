/* The devices SOS makes in /dev: null, zero, full, random and urandom, read, written, sought,
 * stat'ed and mapped; mmap's checks of a file fd (EBADF, EACCES, ENODEV). */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "include/fs_check.h"

static char buf[8192];

/* The device's type, mode and numbers. */
static void stat_dev(const char *path)
{
	struct stat st;
	if (stat(path, &st)) {
		printf("stat %s: %s\n", path, errno_name(errno));
		return;
	}
	printf("%s: mode %o rdev %u:%u size %lld nlink %lu\n", path, st.st_mode, major(st.st_rdev),
	       minor(st.st_rdev), (long long)st.st_size, (unsigned long)st.st_nlink);
}

/* True when n bytes at p are all zero. */
static int zeros(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void null_zero_full(void)
{
	int n = open("/dev/null", O_RDWR);
	R(read(n, buf, sizeof(buf)));
	R(write(n, buf, sizeof(buf)));
	R(write(n, (void *)8, 100)); /* /dev/null reads nothing of the buffer */
	R(lseek(n, 100, SEEK_SET));
	R(lseek(n, 0, SEEK_CUR));
	R(pread(n, buf, 10, 5));
	R(close(n));

	int z = open("/dev/zero", O_RDWR);
	memset(buf, 'x', sizeof(buf));
	R(read(z, buf, sizeof(buf)));
	printf("zero read zeros: %d\n", zeros(buf, sizeof(buf)));
	R(write(z, buf, 10));
	R(lseek(z, 4096, SEEK_SET));
	R(read(z, (void *)8, 10));
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p + 4096, 4096, PROT_NONE);
	R(read(z, p + 4000, 200)); /* short at the bad page */
	R(close(z));

	int f = open("/dev/full", O_RDWR);
	R(write(f, "x", 1));
	R(read(f, buf, 5));
	R(lseek(f, 10, SEEK_SET));
	R(close(f));
}

static void randoms(void)
{
	int r = open("/dev/urandom", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	R(read(r, buf, 4096));
	printf("urandom gave some non-zero byte: %d\n", !zeros(buf, 4096));
	R(lseek(r, 100, SEEK_SET));
	R(write(r, "x", 1));
	R(close(r));
	r = open("/dev/random", O_RDWR);
	R(read(r, buf, 16));
	R(write(r, "abc", 3));
	R(write(r, (void *)8, 3));
	R(close(r));
}

/* mmap of files: bad fds, rights, kinds without mmap; /dev/zero's mappings are anonymous. */
static void maps(void)
{
	int z = open("/dev/zero", O_RDWR);
	char *a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	printf("private /dev/zero: %s\n", a == MAP_FAILED ? errno_name(errno) : "mapped");
	if (a != MAP_FAILED) {
		printf("zero-filled: %d\n", zeros(a, 8192));
		a[5000] = 1;
		R(munmap(a, 8192));
	}
	char *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
	printf("shared /dev/zero: %s\n", s == MAP_FAILED ? errno_name(errno) : "mapped");
	if (s != MAP_FAILED) {
		s[0] = 7;
		R(munmap(s, 4096));
	}
	R(close(z));
	int zr = open("/dev/zero", O_RDONLY);
	errno = 0;
	printf("shared writable over O_RDONLY: %s\n",
	       mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zr, 0) == MAP_FAILED
	           ? errno_name(errno)
	           : "mapped");
	R(close(zr));
	int w = open("/dev/zero", O_WRONLY);
	errno = 0;
	printf("private over O_WRONLY: %s\n",
	       mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, w, 0) == MAP_FAILED ? errno_name(errno)
	                                                                    : "mapped");
	R(close(w));
	const char *nomap[] = {"/dev/null", "/dev/full", "/dev/urandom", "/tmp"};
	for (int i = 0; i < 4; i++) {
		int fd = open(nomap[i], O_RDONLY);
		errno = 0;
		void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		printf("mmap %s: %s\n", nomap[i], m == MAP_FAILED ? errno_name(errno) : "mapped");
		close(fd);
	}
	errno = 0;
	printf("mmap of fd 99: %s\n",
	       mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED ? errno_name(errno)
	                                                                     : "mapped");
	errno = 0;
	printf("mmap at an odd offset: %s\n",
	       mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 100) == MAP_FAILED ? errno_name(errno)
	                                                                       : "mapped");
}

int main(void)
{
	const char *devs[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
	for (int i = 0; i < 5; i++)
		stat_dev(devs[i]);
	null_zero_full();
	randoms();
	maps();
	R(unlink("/dev/nothing"));
	R(mkdir("/dev/sub", 0755));
	R(rmdir("/dev/sub"));
	return 0;
}
