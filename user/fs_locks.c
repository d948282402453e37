/* fs_locks: file locks as Linux 6.12 gives them. flock() locks belong to an open file: shared
 * with its dups and a child, converted in place, waited for and interrupted. POSIX record locks
 * belong to a process: split and merged by range, seen by F_GETLK from another process, not
 * inherited by fork, all let go by any close of the file, and a wait that would close a cycle is
 * EDEADLK. OFD locks belong to an open file and conflict with both. And every argument check in
 * Linux's order. SOS once had no file locks (ENOSYS, EINVAL). Owned by kernel/fs (lock.c). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/check.h"

#define PATH "/tmp/fs_locks"

#ifndef LOCK_MAND
#define LOCK_MAND 32
#endif

/* fcntl(fd, cmd) of a lock of type on [start, start + len) from whence: the result, or -errno. */
static long record(int fd, int cmd, int type, int whence, off_t start, off_t len)
{
	struct flock fl = {
	    .l_type = (short)type, .l_whence = (short)whence, .l_start = start, .l_len = len};
	return neg_errno(fcntl(fd, cmd, &fl));
}

/* F_GETLK (or F_OFD_GETLK) of a write lock on [start, start + len), printed as what conflicts;
 * the holder is shown as "it" when its pid is want's, "an open file" for an OFD lock (-1). */
static void probe(const char *what, int fd, int cmd, off_t start, off_t len, pid_t want)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	long r = neg_errno(fcntl(fd, cmd, &fl));

	if (r < 0)
		printf("%s: %s\n", what, ename(-r));
	else if (fl.l_type == F_UNLCK)
		printf("%s: free\n", what);
	else
		printf("%s: %s [%ld, +%ld) held by %s\n", what,
		       fl.l_type == F_RDLCK ? "read" : "write", (long)fl.l_start, (long)fl.l_len,
		       fl.l_pid == -1     ? "an open file"
		       : fl.l_pid == want ? "it"
		                          : "another");
}

/* Run fn(arg) in a child; its exit status. */
static int in_child(int (*fn)(int), int arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int r = fn(arg);
		fflush(stdout);
		_exit(r);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int open_rw(void)
{
	return open(PATH, O_RDWR | O_CREAT, 0644);
}

/* The argument checks, flock's and fcntl's. */
static void checks(void)
{
	int fd = open_rw(), ro = open(PATH, O_RDONLY), wo = open(PATH, O_WRONLY);
	int path = open(PATH, O_PATH);

	show_result("flock bad fd", neg_errno(flock(-1, LOCK_SH)), -EBADF);
	show_result("flock op 0", neg_errno(flock(fd, 0)), -EINVAL);
	show_result("flock SH|EX", neg_errno(flock(fd, LOCK_SH | LOCK_EX)), -EINVAL);
	show_result("flock bad op, bad fd", neg_errno(flock(-1, 64)), -EINVAL);
	show_result("flock LOCK_MAND", neg_errno(flock(fd, LOCK_MAND | 64)), 0);
	show_result("flock LOCK_MAND, bad fd", neg_errno(flock(-1, LOCK_MAND)), 0);
	show_result("flock O_PATH", neg_errno(flock(path, LOCK_SH)), -EBADF);
	show_result("flock O_PATH unlock", neg_errno(flock(path, LOCK_UN)), -EBADF);
	show_result("flock read-only EX", neg_errno(flock(ro, LOCK_EX)), 0);
	show_result("flock unlock", neg_errno(flock(ro, LOCK_UN)), 0);
	show_result("F_SETLK bad pointer", neg_errno(fcntl(fd, F_SETLK, (void *)16)), -EFAULT);
	show_result("F_GETLK bad pointer", neg_errno(fcntl(fd, F_GETLK, (void *)16)), -EFAULT);
	show_result("F_SETLK whence 7", record(fd, F_SETLK, F_RDLCK, 7, 0, 1), -EINVAL);
	show_result("F_SETLK type 9", record(fd, F_SETLK, 9, SEEK_SET, 0, 1), -EINVAL);
	show_result("F_SETLK start -1", record(fd, F_SETLK, F_RDLCK, SEEK_SET, -1, 1), -EINVAL);
	show_result("F_SETLK len -10 at 5", record(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, -10),
	            -EINVAL);
	lseek(fd, 10, SEEK_SET);
	show_result("F_SETLK SEEK_CUR + max", record(fd, F_SETLK, F_RDLCK, SEEK_CUR, INT64_MAX, 1),
	            -EOVERFLOW);
	show_result("F_SETLK len past max", record(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, INT64_MAX),
	            -EOVERFLOW);
	show_result("F_SETLK len -5 at SEEK_CUR 10", record(fd, F_SETLK, F_RDLCK, SEEK_CUR, 0, -5),
	            0);
	show_result("F_SETLK read lock, write-only", record(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1),
	            -EBADF);
	show_result("F_SETLK write lock, read-only", record(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1),
	            -EBADF);
	show_result("F_SETLK unlock, read-only", record(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), 0);
	show_result("F_SETLK O_PATH", record(path, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), -EBADF);
	show_result("F_GETLK of F_UNLCK", record(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1), -EINVAL);
	show_result("F_OFD_GETLK of F_UNLCK", record(fd, F_OFD_GETLK, F_UNLCK, SEEK_SET, 0, 1), 0);

	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_len = 1, .l_pid = 1};
	show_result("F_OFD_SETLK with l_pid", neg_errno(fcntl(fd, F_OFD_SETLK, &fl)), -EINVAL);
	show_result("F_OFD_GETLK with l_pid", neg_errno(fcntl(fd, F_OFD_GETLK, &fl)), -EINVAL);
	show_result("F_SETLK with l_pid", neg_errno(fcntl(fd, F_SETLK, &fl)), 0);
	close(path);
	close(wo);
	close(ro);
	close(fd);
}

/* A child's flock(2) on a file of its own opening: the result. */
static int flock_own(int op)
{
	int fd = open_rw();
	long r = neg_errno(flock(fd, op));
	return r == 0 ? 0 : r == -EAGAIN ? 11 : 1;
}

/* A child's flock(fd, LOCK_EX | LOCK_NB) on the file it shares with the parent. */
static int flock_shared(int fd)
{
	return flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno == EAGAIN ? 11 : 1;
}

static void flocks(void)
{
	int fd = open_rw(), keep = dup(fd);
	show_result("LOCK_EX", neg_errno(flock(fd, LOCK_EX)), 0);
	printf("another file's EX|NB: %d\n", in_child(flock_own, LOCK_EX | LOCK_NB));
	printf("another file's SH|NB: %d\n", in_child(flock_own, LOCK_SH | LOCK_NB));
	printf("the shared file's EX|NB (a child): %d\n", in_child(flock_shared, fd));
	show_result("LOCK_SH, converted", neg_errno(flock(fd, LOCK_SH)), 0);
	printf("another file's SH|NB: %d\n", in_child(flock_own, LOCK_SH | LOCK_NB));
	printf("another file's EX|NB: %d\n", in_child(flock_own, LOCK_EX | LOCK_NB));
	close(fd); /* keep holds the file open: the lock stays */
	printf("after a dup's close, EX|NB: %d\n", in_child(flock_own, LOCK_EX | LOCK_NB));
	close(keep);
	printf("after the last close, EX|NB: %d\n", in_child(flock_own, LOCK_EX | LOCK_NB));
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A child waits for the parent's flock lock (told through a pipe); the parent lets go. */
static void flock_wait(void)
{
	int fd = open_rw(), p[2];
	char c;
	if (pipe(p))
		return;
	flock(fd, LOCK_EX);
	pid_t pid = fork();
	if (pid == 0) {
		int own = open_rw();
		write(p[1], "w", 1);
		_exit(flock(own, LOCK_EX) == 0 ? 0 : 1);
	}
	read(p[0], &c, 1);
	usleep(100000);
	flock(fd, LOCK_UN);
	int st = -1;
	waitpid(pid, &st, 0);
	fact("the waiting child got it once it was let go", WIFEXITED(st) && WEXITSTATUS(st) == 0);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval t = {{0, 0}, {0, 100000}};
	int own = open_rw();
	flock(fd, LOCK_EX);
	setitimer(ITIMER_REAL, &t, NULL);
	show_result("a wait a signal ends", neg_errno(flock(own, LOCK_EX)), -EINTR);
	close(own);
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* What a child sees of the parent's record locks (pid: the parent). */
static pid_t parent;

static int show_records(int held)
{
	int fd = open_rw();
	probe("  [0, +0)", fd, F_GETLK, 0, 0, parent);
	probe("  [45, +5)", fd, F_GETLK, 45, 5, parent);
	probe("  [60, +0)", fd, F_GETLK, 60, 0, parent);
	probe("  [150, +100)", fd, F_GETLK, 150, 100, parent);
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 50};
	fcntl(fd, F_GETLK, &fl);
	printf("  read probe [100, +50): %s [%ld, +%ld)\n", fl.l_type == F_UNLCK ? "free" : "write",
	       (long)fl.l_start, (long)fl.l_len);
	show_result("  F_SETLK write [0, +10)", record(fd, F_SETLK, F_WRLCK, 0, 0, 10),
	            held ? -EAGAIN : 0);
	show_result("  F_SETLK write [1000, +10)", record(fd, F_SETLK, F_WRLCK, 0, 1000, 10), 0);
	close(fd);
	return failures != 0;
}

static void records(void)
{
	int fd = open_rw();
	parent = getpid();
	show_result("write [0, +100)", record(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100), 0);
	show_result("unlock [40, +20)", record(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20), 0);
	show_result("read [100, +100)", record(fd, F_SETLK, F_RDLCK, SEEK_SET, 100, 100), 0);
	show_result("read [200, +100)", record(fd, F_SETLK, F_RDLCK, SEEK_SET, 200, 100), 0);
	show_result("write [120, +10)", record(fd, F_SETLK, F_WRLCK, SEEK_SET, 120, 10), 0);
	printf("a child sees:\n");
	fact("  and agrees", in_child(show_records, 1) == 0);
	int other = open(PATH, O_RDONLY);
	close(other); /* any close of the file lets all the process's locks go */
	printf("after closing another fd of the file:\n");
	fact("  and agrees", in_child(show_records, 0) == 0);
	close(fd);
}

/* Hold [own, +10) and wait for [want, +10), which the other holds: 1 for EDEADLK. */
static int cross(int fd, int to, int from, off_t own, off_t want)
{
	char c = 0;
	record(fd, F_SETLK, F_WRLCK, SEEK_SET, own, 10);
	write(to, "h", 1);
	read(from, &c, 1); /* both hold theirs */
	long r = record(fd, F_SETLKW, F_WRLCK, SEEK_SET, want, 10);
	if (r == -EDEADLK)
		record(fd, F_SETLK, F_UNLCK, SEEK_SET, own, 10); /* let the other through */
	close(fd);
	return r == -EDEADLK;
}

/* Two processes each holding what the other waits for: exactly one of them hears EDEADLK. */
static void deadlock(void)
{
	int a[2], b[2];
	if (pipe(a) || pipe(b))
		return;
	pid_t pid = fork();
	if (pid == 0)
		_exit(cross(open_rw(), a[1], b[0], 10, 0));
	int mine = cross(open_rw(), b[1], a[0], 0, 10);
	int st = -1;
	waitpid(pid, &st, 0);
	printf("EDEADLK heard by %d of the two\n", mine + (WIFEXITED(st) ? WEXITSTATUS(st) : 9));
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
}

static int ofd_child(int fd)
{
	return record(fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10) == 0 ? 0 : 1;
}

static void ofd(void)
{
	int a = open_rw(), b = open_rw();
	show_result("OFD write [0, +10) on a", record(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	show_result("OFD write on b, same process",
	            record(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), -EAGAIN);
	probe("OFD probe on b", b, F_OFD_GETLK, 0, 1, getpid());
	show_result("POSIX write on b", record(b, F_SETLK, F_WRLCK, SEEK_SET, 5, 1), -EAGAIN);
	show_result("POSIX write past it", record(b, F_SETLK, F_WRLCK, SEEK_SET, 20, 1), 0);
	probe("OFD probe of the POSIX lock", a, F_OFD_GETLK, 20, 1, getpid());
	printf("a child through a: %d\n", in_child(ofd_child, a));
	int d = dup(a);
	close(a);
	show_result("a dup keeps it", record(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), -EAGAIN);
	close(d);
	show_result("gone with the last close", record(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10),
	            0);
	close(b);
}

int main(void)
{
	unlink(PATH);
	checks();
	flocks();
	flock_wait();
	records();
	deadlock();
	ofd();
	unlink(PATH);
	fflush(stdout);
	return failures != 0;
}
