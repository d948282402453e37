/* Directories and names: getdents64, mkdir(at), rmdir, unlink(at), rename, renameat(2), link(at),
 * symlink(at), readlink(at), chdir, fchdir and getcwd, with their errors; every result printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "include/tcall.h"

#define D "/tmp/t_dir"

/* renameat2 and its flags, as Linux has them (musl here has no wrapper). */
#define RENAME_NOREPLACE            1
#define RENAME_EXCHANGE             2
#define renameat2(od, o, nd, n, fl) syscall(SYS_renameat2, od, o, nd, n, fl)

struct dirent64_ {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of directory path, sorted by name (the order of a directory is the fs suite's
 * business), each with its d_type; and how many getdents64 calls it took with a small buffer. */
static void list(const char *path)
{
	static char buf[512], names[64][80];
	char *sorted[64] = {0};
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0, calls = 0;
	long r;

	while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		calls++;
		for (long at = 0; at < r;) {
			struct dirent64_ *e = (struct dirent64_ *)(buf + at);
			if (n < 64)
				snprintf(names[n++], 80, "%s:%d", e->name, e->type);
			at += e->reclen;
		}
	}
	for (int i = 0; i < n; i++)
		sorted[i] = names[i];
	qsort(sorted, (size_t)n, sizeof(sorted[0]), cmp);
	say("%s (%d entries%s, end %s):", path, n, calls > 1 ? ", several calls" : "",
	    r == 0 ? "0" : errname(errno));
	for (int i = 0; i < n; i++)
		say(" %s", sorted[i]);
	say("\n");
	close(fd);
}

/* getdents64's errors: a buffer too small for one entry, a file, a bad fd, a bad buffer. */
static void getdents_errors(void)
{
	char buf[16];
	int fd = open(D, O_RDONLY | O_DIRECTORY), file = open(D "/f", O_RDONLY);

	T(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	T(syscall(SYS_getdents64, fd, (void *)8, 4096));
	T(syscall(SYS_getdents64, file, buf, sizeof(buf)));
	T(syscall(SYS_getdents64, 99, buf, sizeof(buf)));
	T(lseek(fd, 0, SEEK_SET));
	close(fd);
	close(file);
}

/* mkdir, rmdir, unlink and unlinkat, and their errors. */
static void make_remove(void)
{
	T(mkdir(D "/a", 0755));
	T(mkdir(D "/a/b/", 0700));
	T(mkdir(D "/a", 0755));
	T(mkdir(D "/f", 0755));
	T(mkdir(D "/f/x", 0755));
	T(mkdir(D "/no/x", 0755));
	T(mkdir(D "/dangling", 0755));
	T(mkdirat(99, "x", 0755));
	int dfd = open(D "/a", O_RDONLY | O_DIRECTORY);
	T(mkdirat(dfd, "c", 0777));
	T(unlinkat(dfd, "c", 0));
	T(unlinkat(dfd, "c", AT_REMOVEDIR));
	T(unlinkat(dfd, "c", 0x1));
	close(dfd);
	T(rmdir(D "/a"));
	T(rmdir(D "/a/b/."));
	T(rmdir(D "/a/b/.."));
	T(rmdir(D "/f"));
	T(rmdir(D "/nothing"));
	T(rmdir("/"));
	T(unlink(D "/a"));
	T(unlink(D "/nothing"));
	T(unlink(D "/f/"));
	T(syscall(SYS_unlink, (char *)8));
	T(rmdir(D "/a/b"));
	list(D "/a");
}

/* rename and renameat2: over files and directories, into itself, NOREPLACE and EXCHANGE. */
static void renames(void)
{
	char b[64];

	T(put_file(D "/r1", "one"));
	T(put_file(D "/r2", "two"));
	T(rename(D "/r1", D "/r2"));
	say("r2: %s\n", head_of(D "/r2", b, sizeof(b)));
	T(rename(D "/r1", D "/r3"));
	T(rename(D "/r2", D "/r2"));
	T(mkdir(D "/d1", 0755));
	T(mkdir(D "/d2", 0755));
	T(mkdir(D "/d3", 0755));
	T(put_file(D "/d3/x", "x"));
	T(rename(D "/d1", D "/d2"));
	T(rename(D "/d2", D "/d3"));
	T(rename(D "/r2", D "/d3"));
	T(rename(D "/d3", D "/r2"));
	T(rename(D "/d3", D "/d3/sub"));
	T(rename(D "/d3", D "/d3"));
	T(rename(D "/d3/", D "/d4"));
	T(rename(D "/r2/", D "/r4"));
	T(rename(D "/", D "/d5"));
	T(rename(D "/d4/x", "/dev/x"));
	T(rename(D "/d4/x", "/proc/x"));
	T(link(D "/d4/x", "/dev/x"));
	T(renameat(AT_FDCWD, D "/d4", AT_FDCWD, D "/d3"));
	T(put_file(D "/e1", "first"));
	T(put_file(D "/e2", "second"));
	T(renameat2(AT_FDCWD, D "/e1", AT_FDCWD, D "/e2", RENAME_NOREPLACE));
	T(renameat2(AT_FDCWD, D "/e1", AT_FDCWD, D "/e2", RENAME_EXCHANGE));
	say("e1 %s\n", head_of(D "/e1", b, sizeof(b)));
	say("e2 %s\n", head_of(D "/e2", b, sizeof(b)));
	T(renameat2(AT_FDCWD, D "/e1", AT_FDCWD, D "/e9", RENAME_EXCHANGE));
	T(renameat2(AT_FDCWD, D "/e1", AT_FDCWD, D "/e2", RENAME_EXCHANGE | RENAME_NOREPLACE));
	T(renameat2(AT_FDCWD, D "/e1", AT_FDCWD, D "/e2", 0x100));
	T(renameat2(AT_FDCWD, D "/e1", AT_FDCWD, D "/e3", RENAME_NOREPLACE));
	T(syscall(SYS_rename, D "/e3", (char *)8));
	list(D);
}

/* link, symlink and readlink(at), and their errors. */
static void names(void)
{
	char b[64];
	struct stat st;

	T(link(D "/e2", D "/h"));
	T(stat(D "/h", &st));
	say("links %lu\n", (unsigned long)st.st_nlink);
	T(link(D "/e2", D "/h"));
	T(link(D "/d3", D "/hd"));
	T(link(D "/nothing", D "/h2"));
	T(link(D "/e2", D "/no/h2"));
	T(symlink("e2", D "/s"));
	T(linkat(AT_FDCWD, D "/s", AT_FDCWD, D "/hs", 0));
	T(linkat(AT_FDCWD, D "/s", AT_FDCWD, D "/hf", AT_SYMLINK_FOLLOW));
	T(lstat(D "/hs", &st));
	say("hs is a link: %d\n", S_ISLNK(st.st_mode));
	T(linkat(AT_FDCWD, D "/s", AT_FDCWD, D "/hx", 0x1));
	T(symlink("e2", D "/s"));
	T(symlink("", D "/empty"));
	T(symlinkat("/tmp/t_dir/e2", 99, "abs"));
	int dfd = open(D, O_RDONLY | O_DIRECTORY);
	T(symlinkat("/tmp/t_dir/e2", dfd, "abs"));
	memset(b, 0, sizeof(b));
	T(readlinkat(dfd, "abs", b, sizeof(b)));
	say("abs -> %s\n", b);
	memset(b, 0, sizeof(b));
	T(readlink(D "/abs", b, 5));
	say("5 bytes: %s\n", b);
	T(readlink(D "/e2", b, sizeof(b)));
	T(readlink(D "/nothing", b, sizeof(b)));
	T(readlink(D "/abs", b, 0));
	T(readlink(D "/abs", (char *)8, 10));
	T(readlinkat(dfd, "", b, sizeof(b)));
	close(dfd);
	T(unlink(D "/s"));
	T(unlink(D "/h"));
	T(unlink(D "/hs"));
	T(unlink(D "/hf"));
	T(unlink(D "/abs"));
}

/* chdir, fchdir and getcwd: relative lookups, "..", the root's "..", a removed cwd. */
static void cwd(void)
{
	char b[256];

	T(chdir(D "/d3"));
	say("cwd %s\n", getcwd(b, sizeof(b)));
	T(chdir(".."));
	say("cwd %s\n", getcwd(b, sizeof(b)));
	T(access("e2", F_OK));
	T(chdir("/.."));
	say("cwd %s\n", getcwd(b, sizeof(b)));
	T(chdir("tmp/t_dir/d3/../../t_dir"));
	say("cwd %s\n", getcwd(b, sizeof(b)));
	T(chdir(D "/e2"));
	T(chdir(D "/nothing"));
	T(chdir(""));
	T(syscall(SYS_getcwd, b, 3));
	T(syscall(SYS_getcwd, (char *)8, 100));
	T(syscall(SYS_getcwd, b, sizeof(b)));
	int dfd = open(D "/d3", O_RDONLY | O_DIRECTORY);
	int file = open(D "/e2", O_RDONLY);
	T(fchdir(dfd));
	say("cwd %s\n", getcwd(b, sizeof(b)));
	T(fchdir(file));
	T(fchdir(99));
	T(rmdir(D "/d3/x"));
	T(unlink(D "/d3/x"));
	T(rmdir(D "/d3"));
	T(syscall(SYS_getcwd, b, sizeof(b)));
	T(open(".", O_RDONLY));
	T(open("new", O_CREAT | O_WRONLY, 0644));
	T(mkdir("new", 0755));
	T(chdir("/"));
	close(dfd);
	close(file);
}

int main(void)
{
	T(mkdir(D, 0755));
	T(put_file(D "/f", "file"));
	T(symlink("nowhere", D "/dangling"));
	list(D);
	getdents_errors();
	make_remove();
	renames();
	names();
	cwd();
	list(D);
	T(unlink(D "/f"));
	T(unlink(D "/e2"));
	T(unlink(D "/e3"));
	T(unlink(D "/r2"));
	T(unlink(D "/dangling"));
	T(rmdir(D "/d2"));
	T(rmdir(D "/a"));
	T(rmdir(D));
	return 0;
}
