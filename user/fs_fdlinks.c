/* fs_fdlinks: /proc/self/fd/N and /proc/self/exe as Linux's magic links. Opening one opens the
 * file itself, a new description of it, whether or not a path still names it: a deleted file, a
 * memfd, a pipe's other end, a directory to walk on from; O_NOFOLLOW and lstat see the link, and
 * each process sees its own fds. /proc/self/cwd and root are magic links too. SOS once followed
 * only the path text the link shows. Owned by kernel/fs (namei.c) and kernel/proc (procfs.c). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/fs_check.h"

#define FILE_  "/tmp/fs_fdlinks"
#define CREATE "/tmp/fs_fdlinks.new"

/* "/proc/self/fd/FD" followed by rest, in buf. */
static const char *fd_path(char *buf, size_t n, int fd, const char *rest)
{
	snprintf(buf, n, "/proc/self/fd/%d%s", fd, rest);
	return buf;
}

/* Open fd's link with flags: the new fd, or -errno. */
static long reopen(int fd, int flags)
{
	char path[64];
	return neg_errno(open(fd_path(path, sizeof(path), fd, ""), flags, 0600));
}

/* A file deleted while open: its link reopens it from offset 0, for reading and for writing. */
static void deleted(void)
{
	char buf[64], path[64];
	struct stat st, lst, fst;
	int fd = open(FILE_, O_CREAT | O_TRUNC | O_RDWR, 0644);
	fact("write", write(fd, "data", 4) == 4);
	fact("unlink", unlink(FILE_) == 0);
	long r = reopen(fd, O_RDONLY);
	fact("reopen of the deleted file", r >= 0);
	printf("it reads: \"%s\"\n", read_str((int)r, buf, sizeof(buf)));
	fact("stat: the file (nlink 0), lstat: the link",
	     stat(fd_path(path, sizeof(path), fd, ""), &st) == 0 && fstat(fd, &fst) == 0 &&
	         st.st_ino == fst.st_ino && st.st_nlink == 0 && S_ISREG(st.st_mode) &&
	         lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode));
	long w = reopen(fd, O_WRONLY | O_APPEND);
	fact("reopen for appending", w >= 0 && write((int)w, "more", 4) == 4);
	memset(buf, 0, sizeof(buf));
	printf("the first fd sees: \"%s\"\n", pread(fd, buf, sizeof(buf) - 1, 0) > 0 ? buf : "?");
	long c = reopen(fd, O_CREAT | O_WRONLY);
	fact("O_CREAT opens the file there",
	     c >= 0 && fstat((int)c, &st) == 0 && st.st_ino == fst.st_ino);
	show_result("O_CREAT|O_EXCL", reopen(fd, O_CREAT | O_EXCL | O_WRONLY), -EEXIST);
	show_result("O_NOFOLLOW", reopen(fd, O_RDONLY | O_NOFOLLOW), -ELOOP);
	show_result("a trailing slash",
	            neg_errno(open(fd_path(path, sizeof(path), fd, "/"), O_RDONLY)), -ENOTDIR);
	int gone = dup(fd);
	close(gone);
	show_result("a closed fd", reopen(gone, O_RDONLY), -ENOENT);
	close((int)r);
	close((int)w);
	close((int)c);
	close(fd);
}

/* pipe()'s ends: the read end's link opens another reader, the write end's another writer, and
 * neither waits as a FIFO's open would. */
static void pipes(void)
{
	int p[2];
	char buf[64];
	if (pipe(p))
		return;
	long r2 = reopen(p[1], O_RDONLY); /* the write end's inode, opened for reading */
	fact("a second reader through the write end's link", r2 >= 0);
	close(p[0]);
	fact("write with only that reader", write(p[1], "piped", 5) == 5);
	printf("it reads: \"%s\"\n", read_str((int)r2, buf, sizeof(buf)));
	long w2 = reopen((int)r2, O_WRONLY);
	fact("a second writer", w2 >= 0);
	close(p[1]);
	fact("write through it", write((int)w2, "again", 5) == 5);
	printf("it reads: \"%s\"\n", read_str((int)r2, buf, sizeof(buf)));
	close((int)w2);
	printf("then, with no writer: \"%s\"\n", read_str((int)r2, buf, sizeof(buf)));
	close((int)r2);
}

/* A memfd, which no path names, opens through its link. */
static void memfds(void)
{
	char buf[64];
	int m = memfd_create("fs_fdlinks", 0);
	fact("memfd written", write(m, "in memory", 9) == 9);
	long r = reopen(m, O_RDONLY);
	fact("reopen of the memfd", r >= 0);
	printf("it reads: \"%s\"\n", read_str((int)r, buf, sizeof(buf)));
	close((int)r);
	close(m);
}

/* A directory's link walks on: a name made under it, chdir through it. */
static void directories(void)
{
	char path[96], cwd[64];
	int d = open("/tmp", O_RDONLY | O_DIRECTORY);
	int fd = open(fd_path(path, sizeof(path), d, "/fs_fdlinks.new"), O_CREAT | O_WRONLY, 0600);
	fact("a file made under the directory's link", fd >= 0 && access(CREATE, F_OK) == 0);
	close(fd);
	unlink(CREATE);
	fact("chdir through the link", chdir(fd_path(path, sizeof(path), d, "")) == 0);
	printf("getcwd: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : ename(errno));
	chdir("/");
	int o = open("/tmp", O_PATH);
	long r = reopen(o, O_RDONLY | O_DIRECTORY);
	fact("an O_PATH fd reopens for reading", r >= 0);
	close((int)r);
	close(o);
	close(d);
}

/* The text of link path ("E..." for an error). */
static const char *link_text(const char *path, char *buf, size_t n)
{
	ssize_t r = readlink(path, buf, n - 1);
	if (r < 0)
		return ename(errno);
	buf[r] = '\0';
	return buf;
}

/* /proc/self/cwd and /proc/self/root: the working directory and the root, to read and to walk
 * through, a working directory removed since included. */
static void cwd_and_root(void)
{
	char buf[64];
	struct stat st;
	chdir("/tmp");
	printf("cwd: %s\n", link_text("/proc/self/cwd", buf, sizeof(buf)));
	printf("root: %s\n", link_text("/proc/self/root", buf, sizeof(buf)));
	int fd = open("/proc/self/cwd/fs_fdlinks.new", O_CREAT | O_WRONLY, 0600);
	fact("a file made through cwd", fd >= 0 && access(CREATE, F_OK) == 0);
	close(fd);
	unlink(CREATE);
	fact("root/tmp is a directory",
	     stat("/proc/self/root/tmp", &st) == 0 && S_ISDIR(st.st_mode));
	mkdir("/tmp/fs_fdlinks.d", 0755);
	chdir("/tmp/fs_fdlinks.d");
	rmdir("/tmp/fs_fdlinks.d");
	fd = open("/proc/self/cwd", O_RDONLY | O_DIRECTORY);
	fact("a removed cwd still opens", fd >= 0);
	show_result("but nothing is made in it",
	            neg_errno(open("/proc/self/cwd/x", O_CREAT | O_WRONLY, 0600)), -ENOENT);
	close(fd);
	chdir("/");
}

/* /proc/self/exe opens the program file; a child's fd links are its own fds. */
static void exe_and_children(void)
{
	char head[4] = {0};
	struct stat a, b;
	int e = open("/proc/self/exe", O_RDONLY);
	fact("/proc/self/exe reads an ELF file",
	     e >= 0 && read(e, head, 4) == 4 && !memcmp(head, "\177ELF", 4));
	fact("stat agrees with fstat",
	     fstat(e, &a) == 0 && stat("/proc/self/exe", &b) == 0 && a.st_ino == b.st_ino);
	pid_t pid = fork();
	if (pid == 0) {
		close(e);
		_exit(reopen(e, O_RDONLY) == -ENOENT ? 0 : 1);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	fact("a child that closed the fd finds no link", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	long r = reopen(e, O_RDONLY);
	fact("while the parent's fd still opens", r >= 0);
	close((int)r);
	close(e);
}

int main(void)
{
	deleted();
	pipes();
	memfds();
	directories();
	cwd_and_root();
	exe_and_children();
	fflush(stdout);
	return failures != 0;
}
