/* read, write, pread64, pwrite64, readv, writev, preadv, pwritev and lseek on a tmpfs file, with
 * holes, O_APPEND, EOF and their errors (EBADF, EFAULT, EINVAL, ESPIPE); every result printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/tcall.h"

#define D "/tmp/t_rw"
#define F D "/f"

static char buf[70000], pat[70000];

/* A checksum of n bytes, to print instead of the bytes. */
static unsigned long sum(const char *p, size_t n)
{
	unsigned long h = 1469598103934665603UL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211UL;
	return h;
}

/* Writes of many sizes, across pages, then the same bytes read back in other pieces. */
static void sizes(int fd)
{
	long total = 0, r;

	for (size_t i = 0; i < sizeof(pat); i++)
		pat[i] = (char)(i * 7 + i / 4096);
	for (size_t n = 1, at = 0; at < sizeof(pat); at += n, n = n * 3 + 1) {
		if (n > sizeof(pat) - at)
			n = sizeof(pat) - at;
		total += write(fd, pat + at, n);
	}
	say("wrote %ld\n", total);
	T(lseek(fd, 0, SEEK_CUR));
	T(lseek(fd, 0, SEEK_SET));
	total = 0;
	while ((r = read(fd, buf + total, 5000)) > 0)
		total += r;
	say("read back %ld, same: %d\n", total,
	    total == sizeof(pat) && !memcmp(buf, pat, sizeof(pat)));
	T(read(fd, buf, 10));
	T(read(fd, buf, 0));
}

/* lseek's whences, past the end (a hole), SEEK_DATA and SEEK_HOLE, and its errors. */
static void seeks(int fd)
{
	T(lseek(fd, 10, SEEK_SET));
	T(lseek(fd, 5, SEEK_CUR));
	T(lseek(fd, -5, SEEK_CUR));
	T(lseek(fd, 0, SEEK_END));
	T(lseek(fd, -100, SEEK_END));
	T(lseek(fd, -1, SEEK_SET));
	T(lseek(fd, -100000, SEEK_END));
	T(lseek(fd, 0, 5));
	T(lseek(fd, 0, -1));
	T(lseek(fd, 200000, SEEK_SET));
	T(write(fd, "end", 3));
	struct stat st;
	fstat(fd, &st);
	show_stat("after a write past the end", &st);
	T(pread(fd, buf, 10, 100000));
	say("the hole reads as zeros: %d\n", buf[0] == 0 && buf[9] == 0);
	T(lseek(fd, 0, SEEK_DATA));
	T(lseek(fd, 80000, SEEK_DATA));
	T(lseek(fd, 0, SEEK_HOLE));
	T(lseek(fd, 200003, SEEK_DATA));
	T(lseek(fd, 1L << 62, SEEK_SET));
	T(lseek(fd, 0x7fffffffffffffffL, SEEK_SET));
	T(lseek(fd, 1, SEEK_CUR));
	T(lseek(99, 0, SEEK_SET));
}

/* pread and pwrite leave the offset alone; their errors. */
static void positional(int fd)
{
	T(lseek(fd, 7, SEEK_SET));
	T(pwrite(fd, "PPPP", 4, 1000));
	T(pread(fd, buf, 6, 999));
	say("pread: %.6s\n", buf + 1);
	T(lseek(fd, 0, SEEK_CUR));
	T(pread(fd, buf, 10, 1L << 40));
	T(pread(fd, buf, 10, -1));
	T(pwrite(fd, "x", 1, -1));
	T(pread(99, buf, 1, 0));
	T(syscall(SYS_pread64, fd, (void *)8, 10, 0));
	T(syscall(SYS_pwrite64, fd, (void *)8, 10, 0));
}

/* IOV_MAX iovecs of a byte each, then 300 of 3 bytes and 9 of 7 (longer lists than a call keeps
 * on its stack, across pages of iovecs). */
static void many_vectors(int fd)
{
	static struct iovec v[1024];

	for (int i = 0; i < 1024; i++)
		v[i] = (struct iovec){pat + i, 1};
	T(pwritev(fd, v, 1024, 100));
	for (int i = 0; i < 300; i++)
		v[i] = (struct iovec){buf + 3 * (299 - i), 3};
	T(preadv(fd, v, 300, 100));
	say("300 iovecs backwards: %lx\n", sum(buf, 900));
	for (int i = 0; i < 9; i++)
		v[i] = (struct iovec){buf + 7 * i, 7};
	T(preadv(fd, v, 9, 130));
	say("9 iovecs: %lx\n", sum(buf, 63));
}

/* readv and writev gather and scatter in order; preadv and pwritev at an offset; the iovec
 * errors. */
static void vectors(int fd)
{
	char a[5], b[7], c[3];
	struct iovec w[3] = {{"aaaa", 4}, {"", 0}, {"bbbbbbbbbb", 10}};
	struct iovec r[3] = {{a, 5}, {b, 7}, {c, 3}};

	T(lseek(fd, 0, SEEK_SET));
	T(writev(fd, w, 3));
	T(lseek(fd, 0, SEEK_SET));
	T(readv(fd, r, 3));
	say("readv: %.5s|%.7s|%.3s\n", a, b, c);
	T(pwritev(fd, w, 3, 50));
	T(preadv(fd, r, 3, 48));
	say("preadv: %.5s|%.7s|%.3s\n", a, b, c);
	T(lseek(fd, 0, SEEK_CUR));
	T(writev(fd, w, 0));
	T(writev(fd, w, -1));
	T(writev(fd, w, 1025));
	T(readv(fd, (struct iovec *)8, 1));
	struct iovec bad[2] = {{"ok", 2}, {(void *)8, 4}};
	T(writev(fd, bad, 2));
	struct iovec huge[2] = {{buf, 1UL << 63}, {buf, 1UL << 63}};
	T(writev(fd, huge, 2));
	T(preadv(fd, r, 3, -2));
	many_vectors(fd);
}

/* Access modes and kinds of fd: EBADF for the wrong direction, EISDIR for a directory, EFAULT
 * for bad buffers, and a short write up to a bad page. */
static void modes(void)
{
	int ro = (int)T(open(F, O_RDONLY));
	int wo = (int)T(open(F, O_WRONLY));
	int dir = (int)T(open(D, O_RDONLY));
	T(write(ro, "x", 1));
	T(read(wo, buf, 1));
	T(read(dir, buf, 1));
	T(write(dir, "x", 1));
	T(read(ro, (void *)8, 10));
	T(read(ro, (void *)0xffff800000000000UL, 10));
	T(write(wo, (void *)8, 10));
	T(read(ro, buf, 0));
	T(read(-1, buf, 1));
	T(write(1000, "x", 1));
	close(ro);
	close(wo);
	close(dir);
}

/* O_APPEND: every write goes to the end, whatever the offset, pwrite too (as Linux does). */
static void append(void)
{
	int fd = (int)T(open(D "/log", O_CREAT | O_RDWR | O_APPEND, 0644));

	T(write(fd, "one\n", 4));
	T(lseek(fd, 0, SEEK_SET));
	T(write(fd, "two\n", 4));
	T(lseek(fd, 0, SEEK_CUR));
	T(pwrite(fd, "three\n", 6, 0));
	T(pread(fd, buf, 100, 0));
	say("log: %.*s", 14, buf);
	close(fd);
}

/* ESPIPE for the positional calls and lseek on a pipe (pipes come with processes, issue 11). */
static void pipes(void)
{
	int p[2];

	if (T(pipe(p)) == 0) {
		T(lseek(p[0], 0, SEEK_SET));
		T(pread(p[0], buf, 1, 0));
		T(pwrite(p[1], "x", 1, 0));
		close(p[0]);
		close(p[1]);
	}
}

/* A readv asleep on an empty pipe keeps its own iovecs while another process makes a vectored
 * call (SOS once kept one array for all: the reader's second buffer became the writer's). */
static void sleeping_readv(void)
{
	static char a[16], b[16];
	int p[2], q[2];

	if (T(pipe(p)) || T(pipe(q)))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		struct iovec r[2] = {{a, 8}, {a + 8, 8}};
		long n = readv(p[0], r, 2);
		say("readv after sleeping: %ld \"%.16s\" \"%.4s\"\n", n, a, b + 2);
		_exit(0);
	}
	usleep(200000);
	struct iovec w[2] = {{"wr", 2}, {"it", 2}};
	T(writev(q[1], w, 2));
	/* not printed until the child has: it runs as soon as the bytes come, on either kernel */
	long n = write(p[1], "sixteen bytes!!!", 16);
	T(waitpid(pid, NULL, 0) == pid);
	say("wrote %ld\n", n);
}

/* "t_rw pipe": only the pipe checks; "t_rw": the rest. */
int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "pipe")) {
		pipes();
		sleeping_readv();
		return 0;
	}
	T(mkdir(D, 0755));
	int fd = (int)T(open(F, O_CREAT | O_RDWR | O_TRUNC, 0644));
	sizes(fd);
	seeks(fd);
	positional(fd);
	vectors(fd);
	say("file sum %lx\n", sum(buf, (size_t)pread(fd, buf, sizeof(buf), 0)));
	T(close(fd));
	modes();
	append();
	T(unlink(F));
	T(unlink(D "/log"));
	T(rmdir(D));
	return 0;
}
