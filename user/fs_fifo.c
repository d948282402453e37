/* fs_fifo: named pipes as Linux 6.12's fifo_open gives them. A reader waits for a writer and a
 * writer for a reader (O_NONBLOCK: the reader does not, the writer fails ENXIO), O_RDWR never
 * waits, a signal ends the wait (EINTR, or a restart under SA_RESTART), a nonblocking reader is
 * not hung up until a writer has come, and the bytes go with the last file. SOS once refused to
 * open a FIFO at all (ENXIO). Owned by kernel/fs (pipe.c). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/fs_check.h"

#define FIFO "/tmp/fs_fifo"

/* The events poll reports for fd now. */
static int events(int fd)
{
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

/* The type, mode and size stat gives, and the nonblocking opens with nobody at the other end. */
static void nonblocking(void)
{
	struct stat st;
	char buf[32];
	fact("mkfifo", mkfifo(FIFO, 0640) == 0);
	fact("stat: a FIFO of mode 0640, size 0", stat(FIFO, &st) == 0 && S_ISFIFO(st.st_mode) &&
	                                              (st.st_mode & 07777) == 0640 &&
	                                              st.st_size == 0);
	show_result("O_WRONLY|O_NONBLOCK without a reader",
	            neg_errno(open(FIFO, O_WRONLY | O_NONBLOCK)), -ENXIO);
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	fact("O_RDONLY|O_NONBLOCK opens", r >= 0);
	printf("read without a writer: \"%s\"\n", read_str(r, buf, sizeof(buf)));
	printf("poll before any writer: %#x\n", events(r));
	int w = open(FIFO, O_WRONLY | O_NONBLOCK);
	fact("O_WRONLY|O_NONBLOCK with a reader opens", w >= 0);
	fact("write", write(w, "abc", 3) == 3);
	printf("poll with bytes: %#x, writer %#x\n", events(r), events(w));
	printf("read: \"%s\"\n", read_str(r, buf, sizeof(buf)));
	show_result("read of the empty FIFO with a writer", neg_errno(read(r, buf, 1)), -EAGAIN);
	close(w);
	printf("poll after the writer went: %#x\n", events(r));
	printf("read: \"%s\"\n", read_str(r, buf, sizeof(buf)));
	close(r);
}

/* O_RDWR: no wait, both ends in one file; pipe calls answer as on a pipe; the bytes queued go
 * with the last file. */
static void read_write(void)
{
	char buf[32];
	struct stat st;
	int rw = open(FIFO, O_RDWR | O_TRUNC);
	fact("O_RDWR opens at once", rw >= 0);
	fact("write", write(rw, "queued", 6) == 6);
	int n = -1;
	ioctl(rw, FIONREAD, &n);
	printf("FIONREAD %d, F_GETPIPE_SZ %d, poll %#x\n", n, fcntl(rw, F_GETPIPE_SZ), events(rw));
	show_result("lseek", neg_errno(lseek(rw, 0, SEEK_SET)), -ESPIPE);
	void *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rw, 0);
	show_result("mmap", m == MAP_FAILED ? -errno : 0, -ENODEV);
	fact("fstat: a FIFO", fstat(rw, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_size == 0);
	printf("read: \"%s\"\n", read_str(rw, buf, sizeof(buf)));
	fact("write again", write(rw, "lost", 4) == 4);
	close(rw);
	rw = open(FIFO, O_RDWR | O_NONBLOCK);
	show_result("read after the last file closed", neg_errno(read(rw, buf, sizeof(buf))),
	            -EAGAIN);
	close(rw);
	show_result("access mode 3", neg_errno(open(FIFO, 3)), -EINVAL);
	int path = open(FIFO, O_PATH);
	fact("O_PATH opens without waiting",
	     path >= 0 && fstat(path, &st) == 0 && S_ISFIFO(st.st_mode));
	close(path);
}

/* Blocking opens meet: the parent's reader and a child's writer, whichever comes first. */
static void meeting(void)
{
	char buf[64];
	pid_t pid = fork();
	if (pid == 0) {
		int w = open(FIFO, O_WRONLY);
		_exit(w >= 0 && write(w, "from the child", 14) == 14 ? 0 : 1);
	}
	int r = open(FIFO, O_RDONLY);
	fact("blocking O_RDONLY returns once a writer came", r >= 0);
	printf("read: \"%s\"\n", read_str(r, buf, sizeof(buf)));
	printf("read at the end: \"%s\"\n", read_str(r, buf, sizeof(buf)));
	int st = -1;
	waitpid(pid, &st, 0);
	fact("the child wrote", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(r);
}

static int caught;

static void on_signal(int sig)
{
	(void)sig;
	caught++;
}

/* Catch SIGALRM with flags. */
static void catch_alarm(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
}

/* A reader waiting alone is interrupted by a signal (EINTR) and counts as no reader after; under
 * SA_RESTART the open waits on until a writer comes. */
static void interrupted(void)
{
	struct itimerval t = {{0, 0}, {0, 100000}};
	catch_alarm(0);
	caught = 0;
	setitimer(ITIMER_REAL, &t, NULL);
	show_result("blocking O_RDONLY alone, a signal", neg_errno(open(FIFO, O_RDONLY)), -EINTR);
	printf("handler ran %d time(s)\n", caught);
	show_result("then O_WRONLY|O_NONBLOCK (no reader left)",
	            neg_errno(open(FIFO, O_WRONLY | O_NONBLOCK)), -ENXIO);

	catch_alarm(SA_RESTART);
	caught = 0;
	pid_t pid = fork();
	if (pid == 0) {
		usleep(300000); /* after the parent's signal */
		int w = open(FIFO, O_WRONLY);
		_exit(w >= 0 ? 0 : 1);
	}
	setitimer(ITIMER_REAL, &t, NULL);
	int r = open(FIFO, O_RDONLY);
	fact("under SA_RESTART the open waits for the writer", r >= 0);
	printf("handler ran %d time(s)\n", caught);
	waitpid(pid, NULL, 0);
	close(r);
}

/* A FIFO unlinked while open still carries bytes; the name is free for a new one. */
static void unlinked(void)
{
	char buf[16];
	int rw = open(FIFO, O_RDWR);
	fact("unlink while open", unlink(FIFO) == 0);
	fact("write", write(rw, "still", 5) == 5);
	printf("read: \"%s\"\n", read_str(rw, buf, sizeof(buf)));
	close(rw);
	show_result("open of the gone name", neg_errno(open(FIFO, O_RDWR)), -ENOENT);
}

int main(void)
{
	unlink(FIFO);
	nonblocking();
	read_write();
	meeting();
	interrupted();
	unlinked();
	fflush(stdout);
	return failures != 0;
}
