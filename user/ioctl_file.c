/* ioctl_file: ioctl(2) on files that are not terminals, on Linux 6.12 and on SOS alike: the
 * requests every file answers (FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIONREAD, FIOQSIZE,
 * FIGETBSZ), ENOTTY for terminal requests (TCGETS, TIOCGWINSZ) and unknown ones, EBADF for bad
 * and O_PATH fds, EFAULT for bad arguments. Owned by kernel/sys (sys_ioctl.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "include/check.h"

#define FILE_A    "/tmp/ioctl_file_a"
#define FIOQSIZE_ 0x5460
#define FIGETBSZ_ 2

static long io(int fd, unsigned long req, void *arg)
{
	return neg_errno(syscall(SYS_ioctl, fd, req, arg));
}

static void tty_test(int fd, int null)
{
	struct termios t;
	struct winsize w;

	show_result("TCGETS on a file", io(fd, TCGETS, &t), -ENOTTY);
	show_result("TIOCGWINSZ on a file", io(fd, TIOCGWINSZ, &w), -ENOTTY);
	show_result("TCGETS on /dev/null", io(null, TCGETS, &t), -ENOTTY);
	show_result("TIOCGWINSZ on /dev/null", io(null, TIOCGWINSZ, &w), -ENOTTY);
	show_result("TIOCGWINSZ on stdout", io(1, TIOCGWINSZ, &w), -ENOTTY);
	show_result("TCGETS on stderr", io(2, TCGETS, &t), -ENOTTY);
	show_result("isatty(1)", isatty(1), 0);
	show_result("request 0", io(fd, 0, NULL), -ENOTTY);
	show_result("TCGETS on fd 99", io(99, TCGETS, &t), -EBADF);
	show_result("TCGETS on fd -1", io(-1, TCGETS, &t), -EBADF);
}

static void generic_test(int fd, int null)
{
	int v = 1, pfd = open(FILE_A, O_PATH);
	long long size = 0;

	show_result("FIOCLEX", io(fd, FIOCLEX, NULL), 0);
	show_result("  F_GETFD", fcntl(fd, F_GETFD), FD_CLOEXEC);
	show_result("FIONCLEX", io(fd, FIONCLEX, NULL), 0);
	show_result("  F_GETFD", fcntl(fd, F_GETFD), 0);
	show_result("FIONBIO 1", io(fd, FIONBIO, &v), 0);
	show_result("  O_NONBLOCK", !!(fcntl(fd, F_GETFL) & O_NONBLOCK), 1);
	v = 0;
	show_result("FIONBIO 0", io(fd, FIONBIO, &v), 0);
	show_result("  O_NONBLOCK", !!(fcntl(fd, F_GETFL) & O_NONBLOCK), 0);
	show_result("FIONBIO bad pointer", io(fd, FIONBIO, (void *)16), -EFAULT);
	v = 1;
	show_result("FIOASYNC 1 (no signal-driven I/O on a file)", io(fd, FIOASYNC, &v), -ENOTTY);
	show_result("  O_ASYNC", !!(fcntl(fd, F_GETFL) & O_ASYNC), 0);
	v = 0;
	show_result("FIOASYNC 0 (no change)", io(fd, FIOASYNC, &v), 0);
	lseek(fd, 3, SEEK_SET);
	show_result("FIONREAD at 3 of 10", io(fd, FIONREAD, &v), 0);
	printf("  %d\n", v);
	show_result("FIONREAD bad pointer", io(fd, FIONREAD, (void *)16), -EFAULT);
	show_result("FIONREAD /dev/null", io(null, FIONREAD, &v), -ENOTTY);
	show_result("FIOQSIZE (the bytes of its pages)", io(fd, FIOQSIZE_, &size), 0);
	printf("  %lld\n", size);
	int dirfd = open("/tmp", O_RDONLY);
	show_result("FIOQSIZE a directory", io(dirfd, FIOQSIZE_, &size), 0);
	printf("  %lld\n", size);
	close(dirfd);
	show_result("FIOQSIZE /dev/null", io(null, FIOQSIZE_, &size), -ENOTTY);
	show_result("FIGETBSZ", io(fd, FIGETBSZ_, &v), 0);
	printf("  %d\n", v);
	show_result("FIOCLEX on O_PATH", io(pfd, FIOCLEX, NULL), -EBADF);
	show_result("FIOCLEX on /dev/null", io(null, FIOCLEX, NULL), 0);
	close(pfd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int fd = open(FILE_A, O_CREAT | O_RDWR | O_TRUNC, 0644), null = open("/dev/null", O_RDWR);
	if (fd < 0 || null < 0 || write(fd, "0123456789", 10) != 10) {
		fact("setup", 0);
		return 1;
	}
	tty_test(fd, null);
	generic_test(fd, null);
	close(fd);
	close(null);
	unlink(FILE_A);
	printf("ioctl_file: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
