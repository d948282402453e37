/* Descriptors: dup, dup2, dup3 and fcntl, the open file description they share (offset and
 * flags), close-on-exec per descriptor, the lowest free fd, and EMFILE at RLIMIT_NOFILE. Fds are
 * printed relative to the first one the program gets, never as numbers of their own.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/fs_check.h"

#define D "/tmp/fs_fd"

static int base; /* the first free fd when the program starts */

/* An fd as an offset from base ("base+2"), or the errno's name. */
static int show_fd(const char *what, int fd)
{
	if (fd < 0)
		printf("%s = %s\n", what, errno_name(errno));
	else
		printf("%s = base%+d\n", what, fd - base);
	fflush(stdout);
	return fd;
}
#define FD(call) (errno = 0, show_fd(#call, (int)(call)))

/* dup's copies share the offset; closing one leaves the other. */
static void shared_offset(void)
{
	char c[4] = {0};
	int a = FD(open(D "/f", O_RDWR | O_CREAT | O_TRUNC, 0644));
	R(write(a, "abcdef", 6));
	int b = FD(dup(a));
	R(lseek(b, 2, SEEK_SET));
	R(lseek(a, 0, SEEK_CUR));
	R(read(a, c, 2));
	printf("read through a: %s\n", c);
	R(lseek(b, 0, SEEK_CUR));
	R(close(a));
	R(read(b, c, 2));
	printf("read through b after closing a: %s\n", c);
	R(close(b));
	R(close(b));
}

/* dup2 and dup3: the target is closed first, same fd, bad fds, flags. */
static void dup23(void)
{
	int a = FD(open(D "/f", O_RDONLY));
	int b = FD(open(D "/f", O_RDONLY));
	R(lseek(b, 3, SEEK_SET));
	FD(dup2(a, b));
	R(lseek(b, 0, SEEK_CUR)); /* now a's description: offset 0 */
	FD(dup2(a, a));
	R(dup2(base + 50, base + 50));
	R(dup2(base + 50, a));
	R(dup2(a, -1));
	R(dup2(a, 1024));
	R(dup2(a, 1023));
	R(close(1023));
	R(syscall(SYS_dup3, a, a, 0));
	R(syscall(SYS_dup3, a, b, 1));
	FD(syscall(SYS_dup3, a, b, O_CLOEXEC));
	R(fcntl(b, F_GETFD));
	FD(dup2(a, b));
	R(fcntl(b, F_GETFD));
	R(close(a));
	R(close(b));
}

/* fcntl: descriptor flags, status flags (what F_SETFL may change), F_DUPFD's floor. */
static void fcntls(void)
{
	int a = FD(open(D "/f", O_WRONLY | O_APPEND | O_CLOEXEC));
	R(fcntl(a, F_GETFD));
	R(fcntl(a, F_SETFD, 0));
	R(fcntl(a, F_GETFD));
	R(fcntl(a, F_SETFD, 7));
	R(fcntl(a, F_GETFD));
	printf("F_GETFL: %o\n", fcntl(a, F_GETFL));
	R(fcntl(a, F_SETFL, O_NONBLOCK | O_RDWR | O_TRUNC));
	printf("F_GETFL after F_SETFL: %o\n", fcntl(a, F_GETFL));
	R(write(a, "gh", 2));
	R(lseek(a, 0, SEEK_END)); /* O_APPEND went: the write went at offset 0 */
	FD(fcntl(a, F_DUPFD, base + 10));
	R(fcntl(base + 10, F_GETFD));
	FD(fcntl(a, F_DUPFD_CLOEXEC, base + 10));
	R(fcntl(base + 11, F_GETFD));
	R(fcntl(a, F_DUPFD, 1024));
	R(fcntl(a, F_DUPFD, -1));
	R(fcntl(a, 12345));
	R(fcntl(99, F_GETFD));
	R(fcntl(-1, F_GETFL));
	R(close(base + 10));
	R(close(base + 11));
	R(close(a));
	int r = FD(open(D "/f", O_RDONLY));
	printf("read-only F_GETFL: %o\n", fcntl(r, F_GETFL));
	R(close(r));
	int rw = FD(open(D "/f", O_RDWR | O_SYNC | O_DSYNC | O_NOATIME));
	printf("read-write O_SYNC F_GETFL: %o\n", fcntl(rw, F_GETFL));
	R(close(rw));
	int p = FD(open(D, O_PATH));
	printf("O_PATH F_GETFL: %o\n", fcntl(p, F_GETFL));
	R(fcntl(p, F_SETFL, 0));
	R(read(p, &r, 1));
	R(close(p));
}

/* The lowest free fd is taken first; EMFILE once RLIMIT_NOFILE's 1024 are open. */
static void lowest_and_limit(void)
{
	int a = FD(open(D "/f", O_RDONLY));
	int b = FD(open(D "/f", O_RDONLY));
	int c = FD(open(D "/f", O_RDONLY));
	R(close(b));
	FD(open(D "/f", O_RDONLY));
	R(close(a));
	R(close(b));
	R(close(c));
	int fd, last = -1;
	while ((fd = open(D "/f", O_RDONLY)) >= 0)
		last = fd;
	printf("opened up to %d, then %s\n", last, errno_name(errno));
	R(dup(0));
	R(fcntl(0, F_DUPFD, 0));
	R(open("/nothing", O_RDONLY)); /* EMFILE comes before the lookup */
	for (fd = base; fd <= last; fd++)
		close(fd);
	FD(dup(0));
	R(close(base));
}

/* poll: files are always ready for what is asked; a closed fd is POLLNVAL, a negative one is
 * skipped. */
static void polls(void)
{
	int f = open(D "/f", O_RDWR);
	int n = open("/dev/null", O_WRONLY);
	struct pollfd p[5] = {{f, POLLIN | POLLOUT | POLLPRI, 0},
	                      {n, POLLOUT, 0},
	                      {base + 40, POLLIN, 0},
	                      {-1, POLLIN, 7},
	                      {f, 0, 0}};
	R(poll(p, 5, 0));
	for (int i = 0; i < 5; i++)
		printf("pollfd %d: revents %x\n", i, p[i].revents);
	R(poll(p, 0, 0));
	R(poll((struct pollfd *)8, 1, 0));
	R(poll(p, 5000, 0));
	R(close(f));
	R(close(n));
}

/* close_range: every open fd of a range closed, or marked close-on-exec. */
static void close_ranges(void)
{
	int a = FD(open(D "/f", O_RDONLY));
	int b = FD(dup(a));
	int c = FD(dup(a));
	R(syscall(SYS_close_range, b, c, 4));
	R(fcntl(a, F_GETFD));
	R(fcntl(b, F_GETFD));
	R(fcntl(c, F_GETFD));
	R(syscall(SYS_close_range, b, ~0U, 0));
	R(fcntl(b, F_GETFD));
	R(fcntl(c, F_GETFD));
	R(fcntl(a, F_GETFD));
	R(syscall(SYS_close_range, c, b, 0));
	R(syscall(SYS_close_range, a, a, 1));
	R(syscall(SYS_close_range, a, a, 0));
	R(close(a));
}

int main(void)
{
	base = open("/", O_RDONLY);
	close(base);
	R(mkdir(D, 0755));
	shared_offset();
	dup23();
	fcntls();
	lowest_and_limit();
	polls();
	close_ranges();
	R(close(1000));
	R(close(-1));
	R(unlink(D "/f"));
	R(rmdir(D));
	return 0;
}
