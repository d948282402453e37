/* The devices SOS provides: /dev/null, zero, full, random and urandom (reads, writes, seeks,
 * their types and numbers, ENOSPC for /dev/full) and getrandom; every result printed, never the
 * random bytes themselves. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "include/tcall.h"

static char buf[70000];

/* How many bytes of buf[0..n) are zero. */
static long zeros(long n)
{
	long z = 0;

	for (long i = 0; i < n; i++)
		z += buf[i] == 0;
	return z;
}

/* A device's type, mode and numbers. */
static void node(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		say("%s: %s\n", path, errname(errno));
	else
		say("%s: mode %o rdev %u:%u size %lld\n", path, (unsigned)st.st_mode,
		    major(st.st_rdev), minor(st.st_rdev), (long long)st.st_size);
}

static void null(void)
{
	int fd = (int)T(open("/dev/null", O_RDWR));

	T(read(fd, buf, 100));
	T(write(fd, buf, sizeof(buf)));
	T(lseek(fd, 1000, SEEK_SET));
	T(lseek(fd, 0, SEEK_CUR));
	T(pread(fd, buf, 10, 5));
	T(pwrite(fd, buf, 10, 5));
	T(write(fd, (void *)8, 10));
	T(ftruncate(fd, 0));
	T(close(fd));
	T(truncate("/dev/null", 0));
}

static void zero(void)
{
	int fd = (int)T(open("/dev/zero", O_RDWR));

	memset(buf, 1, sizeof(buf));
	T(read(fd, buf, sizeof(buf)));
	say("zeros: %ld\n", zeros(sizeof(buf)));
	T(write(fd, "abc", 3));
	T(lseek(fd, 12345, SEEK_SET));
	T(read(fd, (void *)8, 10));
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	say("mmap private /dev/zero: %s\n", p == MAP_FAILED ? errname(errno) : "ok");
	if (p != MAP_FAILED) {
		p[5000] = 7;
		say("reads %d %d\n", p[0], p[5000]);
	}
	char *s = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	say("mmap shared /dev/zero: %s\n", s == MAP_FAILED ? errname(errno) : "ok");
	if (s != MAP_FAILED)
		say("reads %d\n", s[100]);
	T(close(fd));
}

static void full(void)
{
	int fd = (int)T(open("/dev/full", O_RDWR));

	T(write(fd, "x", 1));
	T(write(fd, buf, 0));
	T(read(fd, buf, 4096));
	say("zeros: %ld\n", zeros(4096));
	T(lseek(fd, 0, SEEK_END));
	T(close(fd));
}

static void randoms(void)
{
	int r = (int)T(open("/dev/random", O_RDONLY));
	int u = (int)T(open("/dev/urandom", O_RDWR));

	T(read(r, buf, 16));
	T(read(u, buf, 4096));
	say("not all zero: %d\n", zeros(4096) < 4096);
	T(write(u, "seed", 4));
	T(read(u, (void *)8, 16));
	T(close(r));
	T(close(u));
	T(syscall(SYS_getrandom, buf, 64, 0));
	T(syscall(SYS_getrandom, buf, 64, 1));
	T(syscall(SYS_getrandom, buf, 64, 2));
	T(syscall(SYS_getrandom, buf, 0, 0));
	T(syscall(SYS_getrandom, buf, 64, 0x40));
	T(syscall(SYS_getrandom, (void *)8, 64, 0));
}

int main(void)
{
	node("/dev/null");
	node("/dev/zero");
	node("/dev/full");
	node("/dev/random");
	node("/dev/urandom");
	struct stat st;
	if (T(stat("/dev", &st)) == 0)
		say("/dev: mode %o\n", (unsigned)st.st_mode);
	node("/dev/nothing");
	T(open("/dev/nothing", O_RDONLY));
	T(open("/dev/null/x", O_RDONLY));
	T(mkdir("/dev/null", 0755));
	null();
	zero();
	full();
	randoms();
	return 0;
}
