/* What a child inherits at fork: a copy of the fd table whose open file descriptions are shared
 * (offsets, status flags), per-fd flags copied, fds opened or closed later not shared; its own
 * working directory and umask.
 */
#include "include/proc.h"
#include <fcntl.h>
#include <sys/stat.h>

/* The offset of fd, or its errno name. */
static void where(const char *what, int fd)
{
	long off = lseek(fd, 0, SEEK_CUR);

	if (off < 0)
		printf("%s: %s\n", what, ename(errno));
	else
		printf("%s: offset %ld\n", what, off);
}

/* The child writes and reads through inherited fds; the parent sees the offsets move. */
static void shared_offsets(void)
{
	char buf[8] = "";
	int fd = open("/tmp/fds-a", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int d = dup(fd);

	write(fd, "parent ", 7);
	pid_t p = xfork();
	if (p == 0) {
		write(fd, "child ", 6);
		write(d, "dup ", 4);
		_exit(0);
	}
	reap("child wrote", p);
	where("parent's fd after the child's writes", fd);
	where("parent's dup", d);
	lseek(fd, 0, SEEK_SET);
	p = xfork();
	if (p == 0)
		_exit(read(fd, buf, 7) == 7 ? 0 : 1);
	reap("child read 7 bytes", p);
	memset(buf, 0, sizeof(buf));
	read(fd, buf, 6);
	printf("parent reads on from there: \"%s\"\n", buf);
	close(d);
	close(fd);
}

/* Status flags live in the description: O_NONBLOCK and O_APPEND set by the child are seen. */
static void shared_flags(void)
{
	int fd = open("/tmp/fds-b", O_RDWR | O_CREAT | O_TRUNC, 0644);

	pid_t p = xfork();
	if (p == 0) {
		fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		_exit(0);
	}
	reap("child set O_APPEND|O_NONBLOCK and FD_CLOEXEC", p);
	int fl = fcntl(fd, F_GETFL);
	printf("parent sees O_APPEND %d O_NONBLOCK %d\n", !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
	printf("parent's FD_CLOEXEC (a flag of the fd, not shared): %d\n",
	       fcntl(fd, F_GETFD) & FD_CLOEXEC);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	p = xfork();
	if (p == 0)
		_exit(fcntl(fd, F_GETFD) & FD_CLOEXEC ? 7 : 8);
	reap("child inherits FD_CLOEXEC set before the fork (7: yes)", p);
	close(fd);
}

/* Opening and closing after the fork: each table changes alone. */
static void separate_tables(void)
{
	int fds[2];
	int fd = open("/tmp/fds-c", O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (pipe(fds))
		return;
	pid_t p = xfork();
	if (p == 0) {
		int mine = open("/tmp/fds-c", O_RDONLY);
		char c = (char)mine;

		close(fd);
		write(fds[1], &c, 1);
		_exit(fcntl(fd, F_GETFD) < 0 && errno == EBADF ? 0 : 1);
	}
	char n = 0;
	read(fds[0], &n, 1);
	reap("child closed an inherited fd and opened one", p);
	show_result("parent's copy of the closed fd", fcntl(fd, F_GETFD) >= 0 ? 0 : -errno, 0);
	show_result("the child's new fd number in the parent", neg_errno(fcntl(n, F_GETFD)),
	            -EBADF);
	close(fd);
	close(fds[0]);
	close(fds[1]);
}

/* The working directory and umask are the child's own after the fork. */
static void own_cwd(void)
{
	char buf[64];

	pid_t p = xfork();
	if (p == 0) {
		chdir("/tmp");
		umask(077);
		printf("child's cwd %s umask %03o\n", getcwd(buf, sizeof(buf)), umask(077));
		_exit(0);
	}
	reap("child", p);
	mode_t m = umask(022);
	printf("parent's cwd %s umask %03o\n", getcwd(buf, sizeof(buf)), m);
}

int main(void)
{
	proc_setup();
	shared_offsets();
	shared_flags();
	separate_tables();
	own_cwd();
	printf("failures: %d\n", failures);
	return failures != 0;
}
