/* file_times: setting a file's times on Linux 6.12 and on SOS alike — utimensat with given
 * times, UTIME_NOW, UTIME_OMIT, NULL times, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH and a NULL path
 * with an fd (futimens), then utime, utimes and futimesat; Linux's errnos for each bad argument.
 * Set times print exactly; "now" ones by relation to the clock. Files live under
 * /tmp/file_times. Owned by kernel/sys (sys_fs_time.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "include/check.h"

#define DIR    "/tmp/file_times"
#define FILE_A DIR "/a"
#define LINK_L DIR "/l"

static time_t start; /* the clock when the program began, less a second */

/* One time: "now" when it lies between start and the clock now, else exact (the test set it). */
static void show_time(const char *name, struct timespec t)
{
	if (t.tv_sec >= start && t.tv_sec <= time(NULL))
		printf(" %s now", name);
	else
		printf(" %s %lld.%09ld", name, (long long)t.tv_sec, t.tv_nsec);
}

/* Print path's atime, mtime and ctime (lstat). */
static void show(const char *path)
{
	struct stat st;
	if (lstat(path, &st)) {
		printf("  %s: %s\n", path, ename(errno));
		failures++;
		return;
	}
	printf("  %s:", path);
	show_time("a", st.st_atim);
	show_time("m", st.st_mtim);
	show_time("c", st.st_ctim);
	printf("\n");
}

static long utimens(int dirfd, const char *path, const struct timespec *t, int flags)
{
	return neg_errno(syscall(SYS_utimensat, dirfd, path, t, flags));
}

static void utimensat_test(int fd)
{
	struct timespec t[2] = {{1000, 5}, {2000, 7}};

	show_result("utimensat 1000.5 2000.7", utimens(AT_FDCWD, FILE_A, t, 0), 0);
	show(FILE_A);
	t[0].tv_nsec = UTIME_OMIT;
	t[1].tv_sec = 3000;
	show_result("utimensat atime UTIME_OMIT", utimens(AT_FDCWD, FILE_A, t, 0), 0);
	show(FILE_A);
	t[0] = (struct timespec){0, UTIME_NOW};
	t[1] = (struct timespec){0, UTIME_OMIT};
	show_result("utimensat atime UTIME_NOW", utimens(AT_FDCWD, FILE_A, t, 0), 0);
	show(FILE_A);
	t[0] = (struct timespec){-5, 0};
	t[1] = (struct timespec){-1, 999999999};
	show_result("utimensat before 1970", utimens(AT_FDCWD, FILE_A, t, 0), 0);
	show(FILE_A);
	t[0] = (struct timespec){1L << 40, 0};
	t[1] = (struct timespec){-(1L << 40), 1};
	show_result("utimensat far away", utimens(AT_FDCWD, FILE_A, t, 0), 0);
	show(FILE_A);
	t[0] = (struct timespec){10, 0};
	t[1] = (struct timespec){20, 0};
	show_result("utimensat AT_SYMLINK_NOFOLLOW",
	            utimens(AT_FDCWD, LINK_L, t, AT_SYMLINK_NOFOLLOW), 0);
	show(LINK_L);
	show(FILE_A);
	show_result("utimensat through the symlink", utimens(AT_FDCWD, LINK_L, t, 0), 0);
	show(FILE_A);
	show_result("utimensat NULL times", utimens(AT_FDCWD, FILE_A, NULL, 0), 0);
	show(FILE_A);
	t[0].tv_sec = 30;
	show_result("utimensat(fd, NULL): futimens", utimens(fd, NULL, t, 0), 0);
	show(FILE_A);
	t[0].tv_sec = 40;
	show_result("utimensat AT_EMPTY_PATH", utimens(fd, "", t, AT_EMPTY_PATH), 0);
	show(FILE_A);
	t[0].tv_sec = 50;
	show_result("utimensat relative", utimens(open(DIR, O_RDONLY), "a", t, 0), 0);
	show(FILE_A);
	t[0] = t[1] = (struct timespec){0, UTIME_NOW};
	show_result("utimensat both UTIME_NOW", utimens(fd, NULL, t, 0), 0);
	show(FILE_A);
}

static void utimensat_errors_test(int fd)
{
	struct timespec t[2] = {{1, 0}, {2, 0}}, omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
	int pfd = open(FILE_A, O_PATH);

	t[0].tv_nsec = 1000000000;
	show_result("utimensat nsec 1e9", utimens(AT_FDCWD, FILE_A, t, 0), -EINVAL);
	t[0].tv_nsec = -1;
	show_result("utimensat nsec -1", utimens(AT_FDCWD, FILE_A, t, 0), -EINVAL);
	t[0].tv_nsec = 0;
	show_result("utimensat flag 0x8000", utimens(AT_FDCWD, FILE_A, t, 0x8000), -EINVAL);
	show_result("utimensat(AT_FDCWD, NULL)", utimens(AT_FDCWD, NULL, t, 0), -EFAULT);
	show_result("utimensat(99, NULL)", utimens(99, NULL, t, 0), -EBADF);
	show_result("utimensat(fd, NULL) with a flag", utimens(fd, NULL, t, AT_SYMLINK_NOFOLLOW),
	            -EINVAL);
	show_result("utimensat(O_PATH fd, NULL)", utimens(pfd, NULL, t, 0), -EBADF);
	show_result("utimensat(fd, \"\")", utimens(fd, "", t, 0), -ENOENT);
	show_result("utimensat bad times", utimens(AT_FDCWD, FILE_A, (void *)16, 0), -EFAULT);
	show_result("utimensat missing", utimens(AT_FDCWD, DIR "/missing", t, 0), -ENOENT);
	show_result("utimensat both UTIME_OMIT, missing path",
	            utimens(AT_FDCWD, DIR "/missing", omit, 0), 0);
	show_result("utimensat both UTIME_OMIT, bad fd", utimens(99, NULL, omit, 0), 0);
	close(pfd);
}

/* The older calls: seconds (utime) and microseconds (utimes, futimesat). */
static void old_calls_test(int fd)
{
	long ub[2] = {111, 222};
	struct {
		long sec, usec;
	} tv[2] = {{333, 1}, {444, 2}};

	show_result("utime", neg_errno(syscall(SYS_utime, FILE_A, ub)), 0);
	show(FILE_A);
	show_result("utime NULL times", neg_errno(syscall(SYS_utime, FILE_A, NULL)), 0);
	show(FILE_A);
	show_result("utime bad times", neg_errno(syscall(SYS_utime, FILE_A, (void *)16)), -EFAULT);
	show_result("utimes", neg_errno(syscall(SYS_utimes, FILE_A, tv)), 0);
	show(FILE_A);
	tv[0].usec = 1000000;
	show_result("utimes usec 1e6", neg_errno(syscall(SYS_utimes, FILE_A, tv)), -EINVAL);
	tv[0].usec = -1;
	show_result("utimes usec -1", neg_errno(syscall(SYS_utimes, FILE_A, tv)), -EINVAL);
	tv[0].usec = UTIME_NOW;
	show_result("utimes UTIME_NOW is no microsecond",
	            neg_errno(syscall(SYS_utimes, FILE_A, tv)), -EINVAL);
	tv[0].usec = 5;
	show_result("futimesat", neg_errno(syscall(SYS_futimesat, open(DIR, O_RDONLY), "a", tv)),
	            0);
	show(FILE_A);
	tv[1].sec = 555;
	show_result("futimesat(fd, NULL)", neg_errno(syscall(SYS_futimesat, fd, NULL, tv)), 0);
	show(FILE_A);
	show_result("utimes missing", neg_errno(syscall(SYS_utimes, DIR "/missing", tv)), -ENOENT);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	start = time(NULL) - 1;
	unlink(FILE_A);
	unlink(LINK_L);
	rmdir(DIR);
	int fd;
	if (mkdir(DIR, 0755) || (fd = open(FILE_A, O_CREAT | O_RDONLY, 0644)) < 0 ||
	    symlink(FILE_A, LINK_L)) {
		fact("setup", 0);
		return 1;
	}
	utimensat_test(fd);
	utimensat_errors_test(fd);
	old_calls_test(fd);
	close(fd);
	unlink(FILE_A);
	unlink(LINK_L);
	rmdir(DIR);
	printf("file_times: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
