/* poll, ppoll, select and pselect6 on pipes shared with a child: nothing ready, ready when the
 * child writes, POLLHUP when the writers are gone, POLLERR when the readers are, a full pipe not
 * writable, timeouts that run out; regular files always ready.
 */
#define _GNU_SOURCE
#include "include/proc.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>
#include <time.h>

/* Sleep ms milliseconds. */
static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* Milliseconds on the monotonic clock. */
static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll fd for events with timeout ms; print the result and revents. */
static void poll1(const char *what, int fd, short events, int ms)
{
	struct pollfd p = {fd, events, 0};
	int r = poll(&p, 1, ms);

	if (r < 0)
		printf("%s: %s\n", what, ename(errno));
	else
		printf("%s: %d, revents%s%s%s%s\n", what, r, p.revents & POLLIN ? " IN" : "",
		       p.revents & POLLOUT ? " OUT" : "", p.revents & POLLHUP ? " HUP" : "",
		       p.revents & POLLERR ? " ERR" : "");
}

/* A child writes after 50 ms: poll and select wait for it. */
static void wait_for_data(void)
{
	int fds[2];
	char c;

	if (pipe(fds))
		return;
	poll1("empty pipe, timeout 0", fds[0], POLLIN, 0);
	long t0 = now_ms();
	poll1("empty pipe, timeout 100 ms", fds[0], POLLIN, 100);
	fact("poll waited at least 100 ms", now_ms() - t0 >= 100);
	pid_t p = xfork();
	if (p == 0) {
		nap(50);
		write(fds[1], "ab", 2);
		nap(50);
		write(fds[1], "c", 1);
		_exit(0);
	}
	close(fds[1]);
	poll1("poll, no timeout, child writes later", fds[0], POLLIN, -1);
	read(fds[0], &c, 1);
	read(fds[0], &c, 1);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	struct timeval tv = {5, 0};
	int r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	printf("select, child writes later: %d, readable %d\n", r, FD_ISSET(fds[0], &rd));
	read(fds[0], &c, 1);
	reap("writer", p);
	poll1("writer gone, pipe empty", fds[0], POLLIN, 1000);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	tv.tv_sec = 0;
	r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	printf("select, writer gone: %d, readable %d\n", r, FD_ISSET(fds[0], &rd));
	close(fds[0]);
}

/* The write end: writable until full, writable again when the reader takes a page, POLLERR
 * when the reader has gone. */
static void write_end(void)
{
	int fds[2];
	static char buf[65536];

	if (pipe(fds))
		return;
	poll1("empty pipe's write end", fds[1], POLLOUT, 0);
	write(fds[1], buf, sizeof(buf));
	poll1("full pipe's write end, timeout 50 ms", fds[1], POLLOUT, 50);
	pid_t p = xfork();
	if (p == 0) {
		nap(50);
		read(fds[0], buf, 4096);
		_exit(0);
	}
	poll1("full pipe's write end, child reads a page later", fds[1], POLLOUT, -1);
	reap("reader", p);
	close(fds[0]);
	poll1("write end, no reader", fds[1], POLLOUT, 0);
	close(fds[1]);
}

/* ppoll and pselect6 with timeouts, and a regular file. */
static void the_others(void)
{
	int fds[2];
	struct timespec ts = {0, 30 * 1000000};

	if (pipe(fds))
		return;
	struct pollfd pf = {fds[0], POLLIN, 0};
	long t0 = now_ms();
	show_result("ppoll, empty pipe, 30 ms", neg_errno(ppoll(&pf, 1, &ts, NULL)), 0);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	show_result("pselect, empty pipe, 30 ms",
	            neg_errno(pselect(fds[0] + 1, &rd, NULL, NULL, &ts, NULL)), 0);
	fact("both waited at least 60 ms", now_ms() - t0 >= 60);
	int fd = open("/tmp/poll-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	poll1("a regular file", fd, POLLIN | POLLOUT, 0);
	close(fd);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	proc_setup();
	wait_for_data();
	write_end();
	the_others();
	printf("failures: %d\n", failures);
	return failures != 0;
}
