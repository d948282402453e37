/* file_copy: copies inside the kernel on Linux 6.12's tmpfs and on SOS alike — sendfile with
 * and without an offset (which position moves), to and from devices, and copy_file_range
 * between files and within one (overlap is EINVAL), with every errno of a bad argument. Files
 * live under /tmp/file_copy. Owned by kernel/sys (sys_fs_copy.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

#define DIR    "/tmp/file_copy"
#define FILE_A DIR "/a"
#define FILE_B DIR "/b"
#define BIG    (3 * 4096 + 100)

static long sendfile_(int out, int in, long *off, unsigned long n)
{
	return neg_errno(syscall(SYS_sendfile, out, in, off, n));
}

static long cfr(int in, long *ioff, int out, long *ooff, unsigned long n, unsigned flags)
{
	return neg_errno(syscall(SYS_copy_file_range, in, ioff, out, ooff, n, flags));
}

static long pos(int fd)
{
	return (long)lseek(fd, 0, SEEK_CUR);
}

/* Print the whole of a small file. */
static void show(const char *path)
{
	char buf[128];
	int fd = open(path, O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	printf("  %s: \"%s\"\n", path, buf);
}

static int reopen(const char *path, int flags)
{
	return open(path, flags | O_CREAT, 0644);
}

static void sendfile_test(int a, int b)
{
	long off = 2;

	show_result("sendfile 5 at offset 2", sendfile_(b, a, &off, 5), 5);
	printf("  offset now %ld, a's position %ld, b's %ld\n", off, pos(a), pos(b));
	show_result("sendfile 100 from a's position", sendfile_(b, a, NULL, 100), 11);
	printf("  a's position %ld, b's %ld\n", pos(a), pos(b));
	show(FILE_B);
	show_result("sendfile at the end", sendfile_(b, a, NULL, 100), 0);
	show_result("sendfile 0 bytes", sendfile_(b, a, &off, 0), 0);
	off = 0;
	show_result("sendfile a to itself at 0", sendfile_(a, a, &off, 5), 5);
	show(FILE_A);
	int zero = open("/dev/zero", O_RDONLY), null = open("/dev/null", O_WRONLY);
	show_result("sendfile from /dev/zero", sendfile_(b, zero, NULL, 3), 3);
	off = 0;
	show_result("sendfile to /dev/null", sendfile_(null, a, &off, 5), 5);
	int big = reopen(DIR "/big", O_RDWR | O_TRUNC);
	static char data[BIG];
	memset(data, 'q', sizeof(data));
	write(big, data, BIG);
	ftruncate(b, 0);
	lseek(b, 0, SEEK_SET);
	off = 0;
	show_result("sendfile of several pages", sendfile_(b, big, &off, 1 << 20), BIG);
	struct stat st;
	fstat(b, &st);
	printf("  b's size %ld\n", (long)st.st_size);
	close(big);
	close(zero);
	close(null);
	unlink(DIR "/big");
}

static void sendfile_errors_test(int a, int b)
{
	int rd = open(FILE_B, O_RDONLY), wr = open(FILE_A, O_WRONLY),
	    app = open(FILE_B, O_WRONLY | O_APPEND);
	int dirfd = open(DIR, O_RDONLY), pfd = open(FILE_A, O_PATH);
	long off = -1;

	show_result("sendfile from fd 99", sendfile_(b, 99, NULL, 5), -EBADF);
	show_result("sendfile to fd 99", sendfile_(99, a, NULL, 5), -EBADF);
	show_result("sendfile to a read-only fd", sendfile_(rd, a, NULL, 5), -EBADF);
	show_result("sendfile from a write-only fd", sendfile_(b, wr, NULL, 5), -EBADF);
	show_result("sendfile from O_PATH", sendfile_(b, pfd, NULL, 5), -EBADF);
	show_result("sendfile offset -1", sendfile_(b, a, &off, 5), -EINVAL);
	show_result("sendfile bad offset pointer", sendfile_(b, a, (long *)16, 5), -EFAULT);
	show_result("sendfile bad offset pointer, bad fd", sendfile_(b, 99, (long *)16, 5),
	            -EFAULT);
	show_result("sendfile from a directory", sendfile_(b, dirfd, NULL, 5), -EINVAL);
	show_result("sendfile to O_APPEND", sendfile_(app, a, NULL, 5), -EINVAL);
	off = 0;
	show_result("sendfile count -1", sendfile_(b, a, &off, -1UL), -EINVAL);
	close(rd);
	close(wr);
	close(app);
	close(dirfd);
	close(pfd);
}

static void copy_test(int a, int b)
{
	long oi = 0, oo = 0;

	ftruncate(b, 0);
	show_result("copy_file_range 5", cfr(a, &oi, b, &oo, 5, 0), 5);
	printf("  offsets %ld %ld, positions %ld %ld\n", oi, oo, pos(a), pos(b));
	lseek(a, 6, SEEK_SET);
	lseek(b, 5, SEEK_SET);
	show_result("copy_file_range from the positions", cfr(a, NULL, b, NULL, 100, 0), 10);
	printf("  positions %ld %ld\n", pos(a), pos(b));
	show(FILE_B);
	oi = 0;
	oo = 5;
	show_result("copy_file_range within a, apart", cfr(a, &oi, a, &oo, 5, 0), 5);
	show(FILE_A);
	oi = 0;
	oo = 5;
	show_result("copy_file_range within a, touching", cfr(a, &oi, a, &oo, 6, 0), -EINVAL);
	oi = 3;
	oo = 0;
	show_result("copy_file_range within a, backwards over", cfr(a, &oi, a, &oo, 5, 0), -EINVAL);
	oi = 100;
	oo = 0;
	show_result("copy_file_range past the end", cfr(a, &oi, b, &oo, 5, 0), 0);
	oi = 0;
	oo = 0x7ffffffffffffff0L;
	show_result("copy_file_range near the largest offset", cfr(a, &oi, b, &oo, 100, 0), 15);
	ftruncate(b, 0);
	oi = 0;
	show_result("copy_file_range 0 bytes", cfr(a, &oi, b, NULL, 0, 0), 0);
}

/* RLIMIT_FSIZE cuts a copy at the limit; one starting there is EFBIG (SIGXFSZ ignored). The
 * results print once the limit is gone: on the oracle stdout is a file, held to it too. */
static void fsize_test(int a, int b)
{
	struct rlimit lim = {8, RLIM_INFINITY};
	long oi = 0, oo = 0;

	signal(SIGXFSZ, SIG_IGN);
	ftruncate(b, 0);
	setrlimit(RLIMIT_FSIZE, &lim);
	long cut = cfr(a, &oi, b, &oo, 11, 0), at = cfr(a, &oi, b, &oo, 3, 0);
	lim.rlim_cur = RLIM_INFINITY;
	setrlimit(RLIMIT_FSIZE, &lim);
	signal(SIGXFSZ, SIG_DFL);
	show_result("copy_file_range 11 with RLIMIT_FSIZE 8", cut, 8);
	show_result("copy_file_range at the limit", at, -EFBIG);
}

static void copy_errors_test(int a, int b)
{
	int rd = open(FILE_B, O_RDONLY), wr = open(FILE_A, O_WRONLY),
	    app = open(FILE_B, O_WRONLY | O_APPEND);
	int dirfd = open(DIR, O_RDONLY), null = open("/dev/null", O_WRONLY),
	    pfd = open(FILE_A, O_PATH);
	long oi = -1, oo = 0;

	show_result("copy_file_range flags 1", cfr(a, NULL, b, NULL, 5, 1), -EINVAL);
	show_result("copy_file_range offset -1", cfr(a, &oi, b, &oo, 5, 0), -EOVERFLOW);
	oi = -10;
	show_result("copy_file_range offset -10", cfr(a, &oi, b, &oo, 5, 0), -EINVAL);
	oi = 0;
	show_result("copy_file_range from fd 99", cfr(99, &oi, b, &oo, 5, 0), -EBADF);
	show_result("copy_file_range to fd 99", cfr(a, &oi, 99, &oo, 5, 0), -EBADF);
	show_result("copy_file_range from O_PATH", cfr(pfd, &oi, b, &oo, 5, 0), -EBADF);
	show_result("copy_file_range from a directory", cfr(dirfd, NULL, b, NULL, 5, 0), -EISDIR);
	show_result("copy_file_range to a directory", cfr(a, NULL, dirfd, NULL, 5, 0), -EISDIR);
	show_result("copy_file_range to /dev/null", cfr(a, NULL, null, NULL, 5, 0), -EINVAL);
	show_result("copy_file_range from write-only", cfr(wr, NULL, b, NULL, 5, 0), -EBADF);
	show_result("copy_file_range to read-only", cfr(a, NULL, rd, NULL, 5, 0), -EBADF);
	show_result("copy_file_range to O_APPEND", cfr(a, NULL, app, NULL, 5, 0), -EBADF);
	show_result("copy_file_range bad offset pointer", cfr(a, (long *)16, b, NULL, 5, 0),
	            -EFAULT);
	lseek(b, 1, SEEK_SET);
	oi = 0;
	show_result("copy_file_range count -1", cfr(a, &oi, b, NULL, -1UL, 0), -EOVERFLOW);
	close(rd);
	close(wr);
	close(app);
	close(dirfd);
	close(null);
	close(pfd);
}

/* Files of other file systems: copy_file_range between them is EXDEV (a memfd is not on /tmp's
 * tmpfs either), checked before the count; a /proc/PID file cannot be spliced (sendfile EINVAL)
 * while /proc/meminfo can. SOS once called a NULL write of a /proc file here (fuzz-sys seed
 * 20390). */
static void other_fs_test(int a)
{
	int maps = open("/proc/self/maps", O_RDONLY), maps_w = open("/proc/self/maps", O_WRONLY),
	    meminfo = open("/proc/meminfo", O_RDONLY), mem = memfd_create("file_copy", 0),
	    mem2 = memfd_create("file_copy2", 0);
	long oi = 0, oo = 0;

	show_result("copy_file_range to /proc/self/maps", cfr(a, &oi, maps_w, NULL, 5, 0), -EXDEV);
	show_result("copy_file_range 0 bytes to /proc", cfr(a, &oi, maps_w, NULL, 0, 0), -EXDEV);
	show_result("copy_file_range from /proc/self/maps", cfr(maps, NULL, a, &oo, 5, 0), -EXDEV);
	show_result("copy_file_range within /proc (size 0)", cfr(maps, NULL, maps_w, NULL, 5, 0),
	            0);
	show_result("memfd write", neg_errno(write(mem, "abcdef", 6)), 6);
	oi = 0;
	show_result("copy_file_range memfd to /tmp", cfr(mem, &oi, a, &oo, 3, 0), -EXDEV);
	show_result("copy_file_range /tmp to memfd", cfr(a, &oi, mem, &oo, 3, 0), -EXDEV);
	show_result("copy_file_range memfd to memfd", cfr(mem, &oi, mem2, &oo, 3, 0), 3);
	oi = 0;
	show_result("sendfile from /proc/self/maps", sendfile_(mem2, maps, &oi, 5), -EINVAL);
	show_result("sendfile from /proc/meminfo", sendfile_(mem2, meminfo, &oi, 5), 5);
	show_result("sendfile to /proc/self/maps", sendfile_(maps_w, a, &oi, 5), -EINVAL);
	close(maps);
	close(maps_w);
	close(meminfo);
	close(mem);
	close(mem2);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	unlink(FILE_A);
	unlink(FILE_B);
	rmdir(DIR);
	int a, b;
	if (mkdir(DIR, 0755) || (a = reopen(FILE_A, O_RDWR)) < 0 ||
	    (b = reopen(FILE_B, O_RDWR)) < 0 || write(a, "hello world", 11) != 11 ||
	    lseek(a, 0, SEEK_SET)) {
		fact("setup", 0);
		return 1;
	}
	sendfile_test(a, b);
	sendfile_errors_test(a, b);
	copy_test(a, b);
	copy_errors_test(a, b);
	fsize_test(a, b);
	other_fs_test(a);
	close(a);
	close(b);
	unlink(FILE_A);
	unlink(FILE_B);
	rmdir(DIR);
	printf("file_copy: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
