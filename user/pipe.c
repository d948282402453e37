/* Pipes in one process: data through, EOF, EPIPE, O_NONBLOCK, capacity, atomic writes and what
 * fstat, fcntl, ioctl, poll and /proc say of the ends. "pipe sigpipe": death by SIGPIPE;
 * "pipe block": a read that would wait forever (SOS only: Linux would hang).
 */
#include "include/tcall.h"
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#endif

static char buf[70000];

/* Bytes fd holds (FIONREAD). */
static void queued(int fd)
{
	int n = -1;

	T(ioctl(fd, FIONREAD, &n));
	say("  queued %d\n", n);
}

/* The revents poll gives both ends for POLLIN | POLLOUT. */
static void poll_ends(const int p[2])
{
	struct pollfd v[2] = {{p[0], POLLIN | POLLOUT, 0}, {p[1], POLLIN | POLLOUT, 0}};

	T(poll(v, 2, 0));
	say("  read end %#x, write end %#x\n", v[0].revents, v[1].revents);
}

/* Write, read back, then EOF once the write end is closed. */
static void through(void)
{
	int p[2];

	T(pipe(p));
	poll_ends(p);
	T(write(p[1], "hello, pipe", 11));
	queued(p[0]);
	poll_ends(p);
	T(read(p[0], buf, 5));
	say("  got %.5s\n", buf);
	T(read(p[0], buf, 100));
	say("  got %.6s\n", buf);
	T(write(p[1], "tail", 4));
	T(close(p[1]));
	poll_ends(p);
	T(read(p[0], buf, 100));
	T(read(p[0], buf, 100));
	T(read(p[1], buf, 1));
	T(write(p[0], "x", 1));
	T(close(p[0]));
}

/* EPIPE with SIGPIPE ignored, and the write end's POLLERR. */
static void epipe(void)
{
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	T(pipe(p));
	T(close(p[0]));
	poll_ends(p);
	T(write(p[1], "x", 1));
	T(write(p[1], "", 0));
	T(close(p[1]));
	signal(SIGPIPE, SIG_DFL);
}

/* O_NONBLOCK both ways, filling the 64 KiB, atomic PIPE_BUF writes and a partial large one. */
static void nonblock(void)
{
	int p[2];
	long total = 0, r;

	T(pipe2(p, O_NONBLOCK));
	T(fcntl(p[0], F_GETFL));
	T(fcntl(p[1], F_GETFL));
	T(read(p[0], buf, 1));
	while ((r = write(p[1], buf, 1000)) > 0)
		total += r;
	say("  1000-byte writes: %ld bytes, then %s\n", total, errname(errno));
	queued(p[0]);
	poll_ends(p);
	T(write(p[1], buf, 1));
	T(read(p[0], buf, 4096));
	T(write(p[1], buf, PIPE_BUF));
	T(write(p[1], buf, 1));
	T(read(p[0], buf, 65536));
	T(read(p[0], buf, 65536));
	T(read(p[0], buf, 65536));
	for (total = 0; (r = write(p[1], buf, 1)) > 0;)
		total += r;
	say("  1-byte writes: %ld bytes, then %s\n", total, errname(errno));
	T(read(p[0], buf, sizeof(buf)));
	T(write(p[1], buf, 4000));
	T(write(p[1], buf, 70000));
	T(write(p[1], buf, 100));
	queued(p[0]);
	T(close(p[0]));
	T(close(p[1]));
}

/* A blocking pipe set non-blocking with F_SETFL; writes of up to PIPE_BUF land whole. */
static void setfl(void)
{
	int p[2];

	T(pipe2(p, O_CLOEXEC));
	T(fcntl(p[0], F_GETFD));
	T(fcntl(p[1], F_SETFL, O_NONBLOCK));
	T(fcntl(p[1], F_GETFL));
	for (int i = 0; i < 16; i++)
		T(write(p[1], buf, i ? PIPE_BUF : 3000));
	T(write(p[1], buf, 2000));
	T(write(p[1], buf, PIPE_BUF));
	queued(p[0]);
	T(close(p[0]));
	T(close(p[1]));
}

/* What fstat, fcntl, lseek, pread, pwrite and /proc/self/fd say of an end. */
static void attrs(void)
{
	int p[2];
	struct stat st;
	char path[64], link[64];
	long n;

	T(pipe(p));
	T(fstat(p[0], &st));
	say("  mode %o size %lld blksize %ld\n", (unsigned)st.st_mode, (long long)st.st_size,
	    (long)st.st_blksize);
	T(fstat(p[1], &st));
	say("  mode %o size %lld\n", (unsigned)st.st_mode, (long long)st.st_size);
	T(fcntl(p[0], F_GETPIPE_SZ));
	T(fcntl(p[1], F_GETPIPE_SZ));
	T(fcntl(0, F_GETPIPE_SZ));
	T(lseek(p[0], 0, SEEK_SET));
	T(lseek(p[1], 0, SEEK_CUR));
	T(pread(p[0], buf, 1, 0));
	T(pwrite(p[1], "x", 1, 0));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, link, sizeof(link) - 1); /* its length: the inode number */
	say("  link starts %.6s, ends %c\n", link, n > 0 ? link[n - 1] : '?');
	T(close(p[0]));
	T(close(p[1]));
}

/* Bad flags, a bad array (no fds left behind) and EMFILE. */
static void errors(void)
{
	int p[2];
	struct rlimit rl;

	T(pipe2(p, O_APPEND));
	T(pipe2(p, 0x10000000));
	T(syscall(SYS_pipe, 8L));
	T(syscall(SYS_pipe2, 8L, O_CLOEXEC));
	T(dup(0));
	T(close(3));
	T(getrlimit(RLIMIT_NOFILE, &rl));
	struct rlimit low = {4, rl.rlim_max};
	T(setrlimit(RLIMIT_NOFILE, &low));
	T(pipe(p));
	T(dup(0));
	T(close(3));
	low.rlim_cur = 5;
	T(setrlimit(RLIMIT_NOFILE, &low));
	T(pipe(p));
	say("  fds %d %d\n", p[0], p[1]);
	T(close(p[0]));
	T(close(p[1]));
	T(setrlimit(RLIMIT_NOFILE, &rl));
}

/* Death by SIGPIPE: a write to a pipe without readers, SIGPIPE at its default. */
static void sigpipe(void)
{
	int p[2];

	T(pipe(p));
	T(close(p[0]));
	say("writing to a pipe without readers\n");
	write(p[1], "x", 1);
	say("still alive\n");
}

/* "pipe block": a read of an empty pipe with a writer, which no other process can end. */
static void block(void)
{
	int p[2];

	T(pipe(p));
	say("reading an empty pipe\n");
	read(p[0], buf, 1);
	say("still alive\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "sigpipe")) {
		sigpipe();
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "block")) {
		block();
		return 0;
	}
	say("through\n");
	through();
	say("epipe\n");
	epipe();
	say("nonblock\n");
	nonblock();
	say("setfl\n");
	setfl();
	say("attrs\n");
	attrs();
	say("errors\n");
	errors();
	return 0;
}
