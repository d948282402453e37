/* Descriptors: dup, dup2, dup3, fcntl (F_DUPFD(_CLOEXEC), F_GETFD/F_SETFD, F_GETFL/F_SETFL), the
 * offset an open file description shares, RLIMIT_NOFILE (getrlimit, setrlimit, prlimit64) and
 * ioctl TCGETS/TIOCGWINSZ on files (ENOTTY); every result printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "include/tcall.h"

#define D "/tmp/t_fd"
#define F D "/f"

/* dup and dup2 share the description: the offset moves for both; close of one keeps the other. */
static void sharing(void)
{
	char b[8] = {0};
	int fd = (int)T(open(F, O_RDWR));
	int d = (int)T(dup(fd));

	T(read(fd, b, 3));
	T(lseek(d, 0, SEEK_CUR));
	T(read(d, b, 3));
	say("read through the dup: %s\n", b);
	T(dup2(fd, 10));
	T(lseek(10, 1, SEEK_SET));
	T(lseek(fd, 0, SEEK_CUR));
	T(close(fd));
	T(read(d, b, 2));
	T(dup2(d, d));
	T(dup2(99, 11));
	T(dup2(d, -1));
	T(dup2(d, 1 << 20));
	T(syscall(SYS_dup3, d, d, 0));
	T(syscall(SYS_dup3, d, 12, 0x1234));
	T(syscall(SYS_dup3, d, 12, O_CLOEXEC));
	T(fcntl(12, F_GETFD));
	T(syscall(SYS_dup3, d, 10, 0));
	T(fcntl(10, F_GETFD));
	T(dup(99));
	T(dup(-1));
	T(close(d));
	T(close(10));
	T(close(12));
}

/* fcntl's descriptor commands. */
static void fcntls(void)
{
	int fd = (int)T(open(F, O_RDONLY));

	T(fcntl(fd, F_DUPFD, 0));
	T(fcntl(fd, F_DUPFD, 20));
	T(fcntl(fd, F_DUPFD, 20));
	T(fcntl(fd, F_DUPFD_CLOEXEC, 30));
	T(fcntl(30, F_GETFD));
	T(fcntl(20, F_GETFD));
	T(fcntl(20, F_SETFD, FD_CLOEXEC));
	T(fcntl(20, F_GETFD));
	T(fcntl(20, F_SETFD, 0));
	T(fcntl(20, F_GETFD));
	T(fcntl(fd, F_DUPFD, -1));
	T(fcntl(fd, F_DUPFD, 1 << 20));
	T(fcntl(99, F_GETFD));
	T(fcntl(fd, 9999));
	T(fcntl(fd, F_GETFL));
	close(20);
	close(21);
	close(30);
	close(4);
	T(close(fd));
}

/* F_GETFL shows the access mode and status flags (and O_LARGEFILE, which Linux adds on 64-bit);
 * F_SETFL changes O_APPEND and O_NONBLOCK only. */
static void flags(void)
{
	int fd = (int)T(open(F, O_WRONLY | O_APPEND));

	T(fcntl(fd, F_GETFL));
	T(fcntl(fd, F_SETFL, O_NONBLOCK | O_RDWR | O_TRUNC));
	T(fcntl(fd, F_GETFL));
	T(fcntl(fd, F_SETFL, 0));
	T(fcntl(fd, F_GETFL));
	T(write(fd, "tail", 4));
	struct stat st;
	fstat(fd, &st);
	say("size %lld\n", (long long)st.st_size);
	T(close(fd));
	fd = (int)T(open(D, O_RDONLY | O_DIRECTORY));
	T(fcntl(fd, F_GETFL));
	T(close(fd));
	fd = (int)T(open("/dev/null", O_RDWR | O_CLOEXEC | O_SYNC));
	T(fcntl(fd, F_GETFL));
	T(fcntl(fd, F_GETFD));
	T(close(fd));
}

/* RLIMIT_NOFILE bounds dup, dup2 and F_DUPFD; prlimit64 reads and sets it too. */
static void limits(void)
{
	struct rlimit r = {0, 0}, old = {0, 0}, low = {8, 8};

	T(getrlimit(RLIMIT_NOFILE, &old));
	say("nofile %llu %llu\n", (unsigned long long)old.rlim_cur,
	    (unsigned long long)old.rlim_max);
	T(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &r));
	say("prlimit64 nofile %llu %llu\n", (unsigned long long)r.rlim_cur,
	    (unsigned long long)r.rlim_max);
	T(setrlimit(RLIMIT_NOFILE, &low));
	int fd = (int)T(open(F, O_RDONLY)), n = 0;
	while (dup(fd) >= 0)
		n++;
	say("dup'ed %d times, then %s\n", n, errname(errno));
	T(dup2(fd, 8));
	T(dup2(fd, 7));
	T(fcntl(fd, F_DUPFD, 8));
	T(syscall(SYS_dup3, fd, 9, 0));
	struct rlimit bad = {16, 8};
	T(setrlimit(RLIMIT_NOFILE, &bad));
	struct rlimit big = {1 << 21, 1 << 21};
	T(setrlimit(RLIMIT_NOFILE, &big));
	T(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &old, NULL));
	T(getrlimit(RLIMIT_NOFILE, &r));
	say("nofile again %llu %llu\n", (unsigned long long)r.rlim_cur,
	    (unsigned long long)r.rlim_max);
	T(getrlimit(99, &r));
	T(syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)8));
	for (int i = 3; i < 16; i++)
		close(i);
}

/* Terminal ioctls on things that are no terminal: ENOTTY; on a bad fd: EBADF. */
static void ioctls(void)
{
	char buf[64];
	int fd = (int)T(open(F, O_RDONLY));
	int null = (int)T(open("/dev/null", O_RDWR));

	T(ioctl(fd, TCGETS, buf));
	T(ioctl(fd, TIOCGWINSZ, buf));
	T(ioctl(null, TCGETS, buf));
	T(ioctl(null, TIOCGWINSZ, buf));
	T(ioctl(99, TCGETS, buf));
	T(close(fd));
	T(close(null));
}

int main(void)
{
	T(mkdir(D, 0755));
	T(put_file(F, "0123456789"));
	sharing();
	fcntls();
	flags();
	limits();
	ioctls();
	T(unlink(F));
	T(rmdir(D));
	return 0;
}
