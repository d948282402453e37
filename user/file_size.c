/* file_size: a file's size and the sync calls on Linux 6.12's tmpfs and on SOS alike — truncate
 * and ftruncate growing (zeros), shrinking (the bytes past the end are gone for good), the times
 * each moves, RLIMIT_FSIZE (EFBIG), and Linux's errnos; fsync, fdatasync, syncfs, sync,
 * sync_file_range and fadvise64 on files, directories, devices and bad fds. Files live under
 * /tmp/file_size. Owned by kernel/sys (sys_fs_size.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

#define DIR                      "/tmp/file_size"
#define FILE_A                   DIR "/a"
#define BIG                      100000
#define FALLOC_FL_COLLAPSE_RANGE 0x08 /* not in musl's fcntl.h */
#define FALLOC_FL_ZERO_RANGE     0x10
#define FALLOC_FL_INSERT_RANGE   0x20

/* A raw system call's result: the value, or -errno. */
static long raw(long r)
{
	return r == -1 ? -errno : r;
}

/* Print a result: its value or its errno name; count a failure unless it is want. */
static void result(const char *what, long r, long want)
{
	if (r < 0)
		printf("%s: %s\n", what, ename(-r));
	else
		printf("%s: %ld\n", what, r);
	if (r != want)
		failures++;
}

static long size_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) ? -1 : (long)st.st_size;
}

/* Whether the n bytes at off all equal c. */
static int bytes_are(int fd, long off, long n, char c)
{
	static char buf[BIG];
	if (pread(fd, buf, n, off) != n)
		return 0;
	for (long i = 0; i < n; i++)
		if (buf[i] != c)
			return 0;
	return 1;
}

static void grow_shrink_test(int fd)
{
	static char data[BIG];

	memset(data, 'x', sizeof(data));
	fact("write 100000 bytes", write(fd, data, BIG) == BIG);
	result("ftruncate to 10", raw(ftruncate(fd, 10)), 0);
	printf("  size %ld\n", size_of(fd));
	result("ftruncate to 100000", raw(ftruncate(fd, BIG)), 0);
	printf("  size %ld\n", size_of(fd));
	fact("the first 10 bytes stay", bytes_are(fd, 0, 10, 'x'));
	fact("the rest reads as zeros", bytes_are(fd, 10, BIG - 10, 0));
	result("ftruncate to 5000 (mid page)", raw(ftruncate(fd, 5000)), 0);
	pwrite(fd, "y", 1, 8191);
	fact("a write past the end leaves zeros between", bytes_are(fd, 5000, 3191, 0));
	result("truncate to 1 TiB", raw(truncate(FILE_A, 1L << 40)), 0);
	printf("  size %ld\n", size_of(fd));
	fact("1 TiB reads zeros at its end", bytes_are(fd, (1L << 40) - 100, 100, 0));
	result("ftruncate to 2^62", raw(ftruncate(fd, 1L << 62)), 0);
	result("ftruncate to INT64_MAX", raw(ftruncate(fd, 0x7fffffffffffffffL)), 0);
	printf("  size %ld\n", size_of(fd));
	result("truncate to 3", raw(truncate(FILE_A, 3)), 0);
	printf("  size %ld\n", size_of(fd));
	fact("and its bytes are the first 3", bytes_are(fd, 0, 3, 'x'));
}

/* truncate and ftruncate move mtime and ctime, even to the same size; atime stays. */
static void times_test(int fd)
{
	struct timespec old[2] = {{1000, 0}, {1000, 0}};
	struct stat st;

	futimens(fd, old);
	result("truncate to the same size", raw(truncate(FILE_A, 3)), 0);
	fstat(fd, &st);
	fact("  mtime moves", st.st_mtim.tv_sec > 1000 && st.st_ctim.tv_sec > 1000);
	long ctime_before = st.st_ctim.tv_sec;
	futimens(fd, old);
	result("ftruncate to the same size", raw(ftruncate(fd, 3)), 0);
	fstat(fd, &st);
	fact("  mtime moves", st.st_mtim.tv_sec > 1000 && st.st_ctim.tv_sec >= ctime_before);
	futimens(fd, old);
	result("truncate to another size", raw(truncate(FILE_A, 4)), 0);
	fstat(fd, &st);
	fact("  mtime moves", st.st_mtim.tv_sec > 1000);
	fact("  atime stays", st.st_atim.tv_sec == 1000);
}

static void errors_test(int fd)
{
	int dirfd = open(DIR, O_RDONLY), rdfd = open(FILE_A, O_RDONLY), pfd = open(FILE_A, O_PATH);
	int null = open("/dev/null", O_RDWR);

	result("ftruncate -1", raw(ftruncate(fd, -1)), -EINVAL);
	result("ftruncate(99, -1): the length first", raw(ftruncate(99, -1)), -EINVAL);
	result("ftruncate(99)", raw(ftruncate(99, 1)), -EBADF);
	result("ftruncate a directory", raw(ftruncate(dirfd, 1)), -EINVAL);
	result("ftruncate O_RDONLY", raw(ftruncate(rdfd, 1)), -EINVAL);
	result("ftruncate O_PATH", raw(ftruncate(pfd, 1)), -EBADF);
	result("ftruncate /dev/null", raw(ftruncate(null, 1)), -EINVAL);
	result("truncate -1", raw(truncate(FILE_A, -1)), -EINVAL);
	result("truncate missing, -1", raw(truncate(DIR "/missing", -1)), -EINVAL);
	result("truncate missing", raw(truncate(DIR "/missing", 1)), -ENOENT);
	result("truncate a directory", raw(truncate(DIR, 1)), -EISDIR);
	result("truncate /dev/null", raw(truncate("/dev/null", 1)), -EINVAL);
	result("truncate a/", raw(truncate(FILE_A "/", 1)), -ENOTDIR);
	result("truncate a/b", raw(truncate(FILE_A "/b", 1)), -ENOTDIR);
	result("truncate(NULL)", raw(syscall(SYS_truncate, NULL, 1)), -EFAULT);
	result("truncate(\"\")", raw(truncate("", 1)), -ENOENT);
	close(dirfd);
	close(rdfd);
	close(pfd);
	close(null);
}

/* RLIMIT_FSIZE: growing past it is EFBIG (with SIGXFSZ, ignored here); shrinking is fine. The
 * results print once the limit is gone: on the oracle stdout is a file, held to it too. */
static void fsize_test(int fd)
{
	struct rlimit lim = {4096, RLIM_INFINITY};
	long r[5];

	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &lim);
	r[0] = raw(ftruncate(fd, 4096));
	r[1] = raw(ftruncate(fd, 4097));
	r[2] = raw(truncate(FILE_A, 8192));
	r[3] = raw(fallocate(fd, 0, 4000, 200));
	r[4] = raw(ftruncate(fd, 100));
	lim.rlim_cur = RLIM_INFINITY;
	setrlimit(RLIMIT_FSIZE, &lim);
	result("ftruncate to the limit", r[0], 0);
	result("ftruncate past the limit", r[1], -EFBIG);
	result("truncate past the limit", r[2], -EFBIG);
	result("fallocate past the limit", r[3], -EFBIG);
	result("ftruncate below", r[4], 0);
	result("ftruncate past it once it is gone", raw(ftruncate(fd, 8192)), 0);
}

static long blocks_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) ? -1 : (long)st.st_blocks;
}

static void fallocate_test(void)
{
	int fd = open(DIR "/fa", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int rd = open(DIR "/fa", O_RDONLY), pfd = open(DIR "/fa", O_PATH),
	    app = open(DIR "/fa", O_WRONLY | O_APPEND);
	int dirfd = open(DIR, O_RDONLY), null = open("/dev/null", O_RDWR);
	char b[5];

	write(fd, "hello", 5);
	result("fallocate 0..8192", raw(fallocate(fd, 0, 0, 8192)), 0);
	printf("  size %ld, blocks %ld\n", size_of(fd), blocks_of(fd));
	fact("  the bytes stay",
	     bytes_are(fd, 5, 8187, 0) && pread(fd, b, 5, 0) == 5 && !memcmp(b, "hello", 5));
	result("fallocate inside", raw(fallocate(fd, 0, 100, 10)), 0);
	result("fallocate KEEP_SIZE past the end",
	       raw(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 20000)), 0);
	printf("  size %ld\n", size_of(fd));
	result("PUNCH_HOLE 1..4",
	       raw(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1, 3)), 0);
	fact("  bytes 1-3 read 0", pread(fd, b, 5, 0) == 5 && !memcmp(b, "h\0\0\0o", 5));
	result("PUNCH_HOLE a page",
	       raw(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096)), 0);
	printf("  size %ld\n", size_of(fd));
	result("PUNCH_HOLE without KEEP_SIZE", raw(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10)),
	       -EOPNOTSUPP);
	result("ZERO_RANGE", raw(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 10)), -EOPNOTSUPP);
	result("COLLAPSE_RANGE", raw(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096)),
	       -EOPNOTSUPP);
	result("INSERT_RANGE", raw(fallocate(fd, FALLOC_FL_INSERT_RANGE, 0, 4096)), -EOPNOTSUPP);
	result("mode 4", raw(fallocate(fd, 4, 0, 10)), -EOPNOTSUPP);
	result("len 0", raw(fallocate(fd, 0, 0, 0)), -EINVAL);
	result("offset -1", raw(fallocate(fd, 0, -1, 10)), -EINVAL);
	result("past the largest size", raw(fallocate(fd, 0, 0x7fffffffffff0000L, 0x10000)),
	       -EFBIG);
	result("more than tmpfs holds", raw(fallocate(fd, 0, 0, 1L << 40)), -ENOSPC);
	printf("  size %ld\n", size_of(fd));
	result("fd 99", raw(fallocate(99, 0, 0, 0)), -EBADF);
	result("read-only", raw(fallocate(rd, 0, 0, 10)), -EBADF);
	result("read-only, len 0", raw(fallocate(rd, 0, 0, 0)), -EINVAL);
	result("O_PATH", raw(fallocate(pfd, 0, 0, 10)), -EBADF);
	result("a directory", raw(fallocate(dirfd, 0, 0, 10)), -EBADF);
	result("/dev/null", raw(fallocate(null, 0, 0, 10)), -ENODEV);
	result("O_APPEND", raw(fallocate(app, 0, 0, 10)), 0);
	close(fd);
	close(rd);
	close(pfd);
	close(app);
	close(dirfd);
	close(null);
	unlink(DIR "/fa");
}

static void sync_test(int fd)
{
	int dirfd = open(DIR, O_RDONLY), pfd = open(FILE_A, O_PATH),
	    null = open("/dev/null", O_RDWR);

	result("fsync a file", raw(fsync(fd)), 0);
	result("fdatasync a file", raw(fdatasync(fd)), 0);
	result("fsync a directory", raw(fsync(dirfd)), 0);
	result("fsync /dev/null", raw(fsync(null)), -EINVAL);
	result("fdatasync /dev/null", raw(fdatasync(null)), -EINVAL);
	result("fsync O_PATH", raw(fsync(pfd)), -EBADF);
	result("fsync(99)", raw(fsync(99)), -EBADF);
	result("fdatasync(-1)", raw(fdatasync(-1)), -EBADF);
	result("syncfs", raw(syscall(SYS_syncfs, fd)), 0);
	result("syncfs /dev/null", raw(syscall(SYS_syncfs, null)), 0);
	result("syncfs(99)", raw(syscall(SYS_syncfs, 99)), -EBADF);
	result("sync", raw(syscall(SYS_sync)), 0);
	result("sync_file_range", raw(syscall(SYS_sync_file_range, fd, 0L, 0L, 7)), 0);
	result("sync_file_range flag 8", raw(syscall(SYS_sync_file_range, fd, 0L, 0L, 8)), -EINVAL);
	result("sync_file_range offset -1", raw(syscall(SYS_sync_file_range, fd, -1L, 0L, 0)),
	       -EINVAL);
	result("sync_file_range wrapping",
	       raw(syscall(SYS_sync_file_range, fd, 0x7fffffffffffffffL, 10L, 0)), -EINVAL);
	result("sync_file_range a directory", raw(syscall(SYS_sync_file_range, dirfd, 0L, 0L, 0)),
	       0);
	result("sync_file_range /dev/null", raw(syscall(SYS_sync_file_range, null, 0L, 0L, 0)),
	       -ESPIPE);
	result("sync_file_range(99)", raw(syscall(SYS_sync_file_range, 99, 0L, 0L, 8)), -EBADF);
	for (long advice = 0; advice <= 6; advice++) {
		char what[40];
		snprintf(what, sizeof(what), "fadvise64 advice %ld", advice);
		result(what, raw(syscall(SYS_fadvise64, fd, 0L, 0L, advice)),
		       advice < 6 ? 0 : -EINVAL);
	}
	result("fadvise64 len -1", raw(syscall(SYS_fadvise64, fd, 0L, -1L, 0L)), -EINVAL);
	result("fadvise64 a directory", raw(syscall(SYS_fadvise64, dirfd, 0L, 0L, 0L)), 0);
	result("fadvise64 /dev/null", raw(syscall(SYS_fadvise64, null, 0L, 0L, 0L)), 0);
	result("fadvise64 O_PATH", raw(syscall(SYS_fadvise64, pfd, 0L, 0L, 0L)), -EBADF);
	result("fadvise64(99)", raw(syscall(SYS_fadvise64, 99, 0L, 0L, 0L)), -EBADF);
	close(dirfd);
	close(pfd);
	close(null);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	unlink(FILE_A);
	rmdir(DIR);
	int fd;
	if (mkdir(DIR, 0755) || (fd = open(FILE_A, O_CREAT | O_RDWR, 0644)) < 0) {
		fact("setup", 0);
		return 1;
	}
	grow_shrink_test(fd);
	times_test(fd);
	errors_test(fd);
	fsize_test(fd);
	sync_test(fd);
	fallocate_test();
	close(fd);
	unlink(FILE_A);
	rmdir(DIR);
	printf("file_size: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
