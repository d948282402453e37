/* Pipes between processes: a read that blocks until a writer writes, end of file only when the
 * last writer closes, SIGPIPE and EPIPE, a writer blocked on a full 64 KiB pipe, PIPE_BUF writes
 * of two writers never interleaved, and a megabyte through a pipe checked by checksum.
 */
#include "include/proc.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <time.h>

static char buf[1 << 20];

/* A pipe, or the test ends. */
static void xpipe(int fds[2])
{
	if (pipe(fds)) {
		printf("pipe: %s\n", ename(errno));
		exit(1);
	}
}

/* Sleep ms milliseconds. */
static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* The parent reads an empty pipe; the child writes after a while; the read returns its data. */
static void blocking_read(void)
{
	int fds[2];
	char got[16] = "";

	xpipe(fds);
	pid_t p = xfork();
	if (p == 0) {
		nap(50);
		write(fds[1], "late data", 9);
		_exit(0);
	}
	close(fds[1]);
	show_result("read of an empty pipe, a writer comes later",
	            neg_errno(read(fds[0], got, sizeof(got))), 9);
	printf("got \"%s\"\n", got);
	show_result("then end of file", neg_errno(read(fds[0], got, sizeof(got))), 0);
	reap("writer", p);
	close(fds[0]);
}

/* Three writers hold the write end, each writing later than the last; end of file comes only
 * after the last one has exited. */
static void last_writer(void)
{
	int fds[2];
	long total = 0, r;
	pid_t kids[3];

	xpipe(fds);
	for (int i = 0; i < 3; i++) {
		kids[i] = xfork();
		if (kids[i] == 0) {
			close(fds[0]);
			nap(30 * i);
			memset(buf, 'a' + i, 1000 * (i + 1));
			write(fds[1], buf, 1000 * (i + 1));
			_exit(0);
		}
	}
	close(fds[1]);
	while ((r = read(fds[0], buf, sizeof(buf))) > 0)
		total += r;
	printf("read until end of file: %ld bytes, last read %ld\n", total, r);
	for (int i = 0; i < 3; i++)
		reap("writer", kids[i]);
	close(fds[0]);
}

/* A write with no reader: SIGPIPE kills; ignored, the write fails with EPIPE. */
static void no_reader(void)
{
	int fds[2];

	xpipe(fds);
	close(fds[0]);
	pid_t p = xfork();
	if (p == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	reap("write with no reader", p);
	p = xfork();
	if (p == 0) {
		signal(SIGPIPE, SIG_IGN);
		long r = write(fds[1], "x", 1);
		printf("with SIGPIPE ignored: %s\n", r < 0 ? ename(errno) : "written");
		_exit(0);
	}
	reap("child", p);
	close(fds[1]);
	xpipe(fds);
	p = xfork();
	if (p == 0) {
		close(fds[0]);
		nap(20);
		for (;;)
			write(fds[1], buf, 4096); /* the reader leaves: SIGPIPE */
	}
	close(fds[1]);
	show_result("reader takes 4096 bytes", neg_errno(readn(fds[0], buf, 4096)), 4096);
	close(fds[0]);
	reap("writer after the reader closed", p);
}

/* A writer of 100000 bytes blocks with the pipe full at 65536; the reader gets every byte. */
static void full_pipe(void)
{
	int fds[2], n = 0;

	xpipe(fds);
	for (int i = 0; i < 100000; i++)
		buf[i] = (char)(i * 13);
	unsigned long sum = checksum(buf, 100000);
	pid_t p = xfork();
	if (p == 0) {
		close(fds[0]);
		_exit(writen(fds[1], buf, 100000) == 100000 ? 0 : 1);
	}
	close(fds[1]);
	for (int tries = 0; tries < 500 && n < 65536; tries++) {
		nap(10);
		ioctl(fds[0], FIONREAD, &n);
	}
	printf("queued while the writer waits: %d\n", n);
	memset(buf, 0, 100000);
	show_result("read it all", neg_errno(readn(fds[0], buf, 100001)), 100000);
	fact("the same bytes", checksum(buf, 100000) == sum);
	reap("writer", p);
	close(fds[0]);
}

/* Two writers, 300 writes of PIPE_BUF bytes each: every 4096-byte record is whole. */
static void atomic_writes(void)
{
	int fds[2], whole = 0, from[2] = {0, 0};
	pid_t kids[2];

	xpipe(fds);
	for (int w = 0; w < 2; w++) {
		kids[w] = xfork();
		if (kids[w] == 0) {
			char rec[4096];

			close(fds[0]);
			memset(rec, 'A' + w, sizeof(rec));
			for (int i = 0; i < 300; i++)
				if (write(fds[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	char rec[4096];
	int records = 0;
	while (readn(fds[0], rec, sizeof(rec)) == sizeof(rec)) {
		int ok = rec[0] == 'A' || rec[0] == 'B';

		for (int i = 1; ok && i < 4096; i++)
			ok = rec[i] == rec[0];
		records++;
		whole += ok;
		if (ok)
			from[rec[0] - 'A']++;
	}
	printf("records %d, whole %d, from A %d, from B %d\n", records, whole, from[0], from[1]);
	reap("writer A", kids[0]);
	reap("writer B", kids[1]);
	close(fds[0]);
}

/* A megabyte in writes of odd sizes, read in other sizes, arrives intact. */
static void megabyte(void)
{
	int fds[2];

	xpipe(fds);
	for (int i = 0; i < (1 << 20); i++)
		buf[i] = (char)(i * 31 + (i >> 12));
	unsigned long sum = checksum(buf, 1 << 20);
	pid_t p = xfork();
	if (p == 0) {
		close(fds[0]);
		for (long off = 0, n = 1; off < (1 << 20); off += n, n = n * 3 % 9001 + 1) {
			if (n > (1 << 20) - off)
				n = (1 << 20) - off;
			writen(fds[1], buf + off, n);
		}
		_exit(0);
	}
	close(fds[1]);
	memset(buf, 0, sizeof(buf));
	long got = 0, r, n = 7;
	while ((r = read(fds[0], buf + got, n < (1 << 20) - got ? n : (1 << 20) - got)) > 0) {
		got += r;
		n = n * 5 % 70001 + 1;
	}
	printf("megabyte: %ld bytes, checksum %s\n", got,
	       checksum(buf, 1 << 20) == sum ? "equal" : "differs");
	reap("writer", p);
	close(fds[0]);
}

int main(void)
{
	proc_setup();
	blocking_read();
	last_writer();
	no_reader();
	full_pipe();
	atomic_writes();
	megabyte();
	printf("failures: %d\n", failures);
	return failures != 0;
}
