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
	show_result("ftruncate to 10", neg_errno(ftruncate(fd, 10)), 0);
	printf("  size %ld\n", size_of(fd));
	show_result("ftruncate to 100000", neg_errno(ftruncate(fd, BIG)), 0);
	printf("  size %ld\n", size_of(fd));
	fact("the first 10 bytes stay", bytes_are(fd, 0, 10, 'x'));
	fact("the rest reads as zeros", bytes_are(fd, 10, BIG - 10, 0));
	show_result("ftruncate to 5000 (mid page)", neg_errno(ftruncate(fd, 5000)), 0);
	pwrite(fd, "y", 1, 8191);
	fact("a write past the end leaves zeros between", bytes_are(fd, 5000, 3191, 0));
	show_result("truncate to 1 TiB", neg_errno(truncate(FILE_A, 1L << 40)), 0);
	printf("  size %ld\n", size_of(fd));
	fact("1 TiB reads zeros at its end", bytes_are(fd, (1L << 40) - 100, 100, 0));
	show_result("ftruncate to 2^62", neg_errno(ftruncate(fd, 1L << 62)), 0);
	show_result("ftruncate to INT64_MAX", neg_errno(ftruncate(fd, 0x7fffffffffffffffL)), 0);
	printf("  size %ld\n", size_of(fd));
	show_result("truncate to 3", neg_errno(truncate(FILE_A, 3)), 0);
	printf("  size %ld\n", size_of(fd));
	fact("and its bytes are the first 3", bytes_are(fd, 0, 3, 'x'));
}

/* truncate and ftruncate move mtime and ctime, even to the same size; atime stays. */
static void times_test(int fd)
{
	struct timespec old[2] = {{1000, 0}, {1000, 0}};
	struct stat st;

	futimens(fd, old);
	show_result("truncate to the same size", neg_errno(truncate(FILE_A, 3)), 0);
	fstat(fd, &st);
	fact("  mtime moves", st.st_mtim.tv_sec > 1000 && st.st_ctim.tv_sec > 1000);
	long ctime_before = st.st_ctim.tv_sec;
	futimens(fd, old);
	show_result("ftruncate to the same size", neg_errno(ftruncate(fd, 3)), 0);
	fstat(fd, &st);
	fact("  mtime moves", st.st_mtim.tv_sec > 1000 && st.st_ctim.tv_sec >= ctime_before);
	futimens(fd, old);
	show_result("truncate to another size", neg_errno(truncate(FILE_A, 4)), 0);
	fstat(fd, &st);
	fact("  mtime moves", st.st_mtim.tv_sec > 1000);
	fact("  atime stays", st.st_atim.tv_sec == 1000);
}

static void errors_test(int fd)
{
	int dirfd = open(DIR, O_RDONLY), rdfd = open(FILE_A, O_RDONLY), pfd = open(FILE_A, O_PATH);
	int null = open("/dev/null", O_RDWR);

	show_result("ftruncate -1", neg_errno(ftruncate(fd, -1)), -EINVAL);
	show_result("ftruncate(99, -1): the length first", neg_errno(ftruncate(99, -1)), -EINVAL);
	show_result("ftruncate(99)", neg_errno(ftruncate(99, 1)), -EBADF);
	show_result("ftruncate a directory", neg_errno(ftruncate(dirfd, 1)), -EINVAL);
	show_result("ftruncate O_RDONLY", neg_errno(ftruncate(rdfd, 1)), -EINVAL);
	show_result("ftruncate O_PATH", neg_errno(ftruncate(pfd, 1)), -EBADF);
	show_result("ftruncate /dev/null", neg_errno(ftruncate(null, 1)), -EINVAL);
	show_result("truncate -1", neg_errno(truncate(FILE_A, -1)), -EINVAL);
	show_result("truncate missing, -1", neg_errno(truncate(DIR "/missing", -1)), -EINVAL);
	show_result("truncate missing", neg_errno(truncate(DIR "/missing", 1)), -ENOENT);
	show_result("truncate a directory", neg_errno(truncate(DIR, 1)), -EISDIR);
	show_result("truncate /dev/null", neg_errno(truncate("/dev/null", 1)), -EINVAL);
	show_result("truncate a/", neg_errno(truncate(FILE_A "/", 1)), -ENOTDIR);
	show_result("truncate a/b", neg_errno(truncate(FILE_A "/b", 1)), -ENOTDIR);
	show_result("truncate(NULL)", neg_errno(syscall(SYS_truncate, NULL, 1)), -EFAULT);
	show_result("truncate(\"\")", neg_errno(truncate("", 1)), -ENOENT);
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
	r[0] = neg_errno(ftruncate(fd, 4096));
	r[1] = neg_errno(ftruncate(fd, 4097));
	r[2] = neg_errno(truncate(FILE_A, 8192));
	r[3] = neg_errno(fallocate(fd, 0, 4000, 200));
	r[4] = neg_errno(ftruncate(fd, 100));
	lim.rlim_cur = RLIM_INFINITY;
	setrlimit(RLIMIT_FSIZE, &lim);
	show_result("ftruncate to the limit", r[0], 0);
	show_result("ftruncate past the limit", r[1], -EFBIG);
	show_result("truncate past the limit", r[2], -EFBIG);
	show_result("fallocate past the limit", r[3], -EFBIG);
	show_result("ftruncate below", r[4], 0);
	show_result("ftruncate past it once it is gone", neg_errno(ftruncate(fd, 8192)), 0);
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
	show_result("fallocate 0..8192", neg_errno(fallocate(fd, 0, 0, 8192)), 0);
	printf("  size %ld, blocks %ld\n", size_of(fd), blocks_of(fd));
	fact("  the bytes stay",
	     bytes_are(fd, 5, 8187, 0) && pread(fd, b, 5, 0) == 5 && !memcmp(b, "hello", 5));
	show_result("fallocate inside", neg_errno(fallocate(fd, 0, 100, 10)), 0);
	show_result("fallocate KEEP_SIZE past the end",
	            neg_errno(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 20000)), 0);
	printf("  size %ld\n", size_of(fd));
	show_result("PUNCH_HOLE 1..4",
	            neg_errno(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1, 3)), 0);
	fact("  bytes 1-3 read 0", pread(fd, b, 5, 0) == 5 && !memcmp(b, "h\0\0\0o", 5));
	show_result(
	    "PUNCH_HOLE a page",
	    neg_errno(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096)), 0);
	printf("  size %ld\n", size_of(fd));
	show_result("PUNCH_HOLE without KEEP_SIZE",
	            neg_errno(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10)), -EOPNOTSUPP);
	show_result("ZERO_RANGE", neg_errno(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 10)),
	            -EOPNOTSUPP);
	show_result("COLLAPSE_RANGE", neg_errno(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096)),
	            -EOPNOTSUPP);
	show_result("INSERT_RANGE", neg_errno(fallocate(fd, FALLOC_FL_INSERT_RANGE, 0, 4096)),
	            -EOPNOTSUPP);
	show_result("mode 4", neg_errno(fallocate(fd, 4, 0, 10)), -EOPNOTSUPP);
	show_result("len 0", neg_errno(fallocate(fd, 0, 0, 0)), -EINVAL);
	show_result("offset -1", neg_errno(fallocate(fd, 0, -1, 10)), -EINVAL);
	show_result("past the largest size",
	            neg_errno(fallocate(fd, 0, 0x7fffffffffff0000L, 0x10000)), -EFBIG);
	show_result("more than tmpfs holds", neg_errno(fallocate(fd, 0, 0, 1L << 40)), -ENOSPC);
	printf("  size %ld\n", size_of(fd));
	show_result("fd 99", neg_errno(fallocate(99, 0, 0, 0)), -EBADF);
	show_result("read-only", neg_errno(fallocate(rd, 0, 0, 10)), -EBADF);
	show_result("read-only, len 0", neg_errno(fallocate(rd, 0, 0, 0)), -EINVAL);
	show_result("O_PATH", neg_errno(fallocate(pfd, 0, 0, 10)), -EBADF);
	show_result("a directory", neg_errno(fallocate(dirfd, 0, 0, 10)), -EBADF);
	show_result("/dev/null", neg_errno(fallocate(null, 0, 0, 10)), -ENODEV);
	show_result("O_APPEND", neg_errno(fallocate(app, 0, 0, 10)), 0);
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

	show_result("fsync a file", neg_errno(fsync(fd)), 0);
	show_result("fdatasync a file", neg_errno(fdatasync(fd)), 0);
	show_result("fsync a directory", neg_errno(fsync(dirfd)), 0);
	show_result("fsync /dev/null", neg_errno(fsync(null)), -EINVAL);
	show_result("fdatasync /dev/null", neg_errno(fdatasync(null)), -EINVAL);
	show_result("fsync O_PATH", neg_errno(fsync(pfd)), -EBADF);
	show_result("fsync(99)", neg_errno(fsync(99)), -EBADF);
	show_result("fdatasync(-1)", neg_errno(fdatasync(-1)), -EBADF);
	show_result("syncfs", neg_errno(syscall(SYS_syncfs, fd)), 0);
	show_result("syncfs /dev/null", neg_errno(syscall(SYS_syncfs, null)), 0);
	show_result("syncfs(99)", neg_errno(syscall(SYS_syncfs, 99)), -EBADF);
	show_result("sync", neg_errno(syscall(SYS_sync)), 0);
	show_result("sync_file_range", neg_errno(syscall(SYS_sync_file_range, fd, 0L, 0L, 7)), 0);
	show_result("sync_file_range flag 8",
	            neg_errno(syscall(SYS_sync_file_range, fd, 0L, 0L, 8)), -EINVAL);
	show_result("sync_file_range offset -1",
	            neg_errno(syscall(SYS_sync_file_range, fd, -1L, 0L, 0)), -EINVAL);
	show_result("sync_file_range wrapping",
	            neg_errno(syscall(SYS_sync_file_range, fd, 0x7fffffffffffffffL, 10L, 0)),
	            -EINVAL);
	show_result("sync_file_range a directory",
	            neg_errno(syscall(SYS_sync_file_range, dirfd, 0L, 0L, 0)), 0);
	show_result("sync_file_range /dev/null",
	            neg_errno(syscall(SYS_sync_file_range, null, 0L, 0L, 0)), -ESPIPE);
	show_result("sync_file_range(99)", neg_errno(syscall(SYS_sync_file_range, 99, 0L, 0L, 8)),
	            -EBADF);
	for (long advice = 0; advice <= 6; advice++) {
		char what[40];
		snprintf(what, sizeof(what), "fadvise64 advice %ld", advice);
		show_result(what, neg_errno(syscall(SYS_fadvise64, fd, 0L, 0L, advice)),
		            advice < 6 ? 0 : -EINVAL);
	}
	show_result("fadvise64 len -1", neg_errno(syscall(SYS_fadvise64, fd, 0L, -1L, 0L)),
	            -EINVAL);
	show_result("fadvise64 a directory", neg_errno(syscall(SYS_fadvise64, dirfd, 0L, 0L, 0L)),
	            0);
	show_result("fadvise64 /dev/null", neg_errno(syscall(SYS_fadvise64, null, 0L, 0L, 0L)), 0);
	show_result("fadvise64 O_PATH", neg_errno(syscall(SYS_fadvise64, pfd, 0L, 0L, 0L)), -EBADF);
	show_result("fadvise64(99)", neg_errno(syscall(SYS_fadvise64, 99, 0L, 0L, 0L)), -EBADF);
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
