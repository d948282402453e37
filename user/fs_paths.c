/* Path lookup: absolute and relative paths, "." and "..", repeated and trailing slashes,
 * symlinks (relative, absolute, chained to Linux's limit of 40, dangling, looping), names and
 * paths at and past NAME_MAX and PATH_MAX, ENOTDIR, the working directory through symlinks and
 * after its removal, and the *at calls' directory fds. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/fs_check.h"

#define D "/tmp/fs_paths"

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE  2
#define renameat2(a, b, c, d, f) syscall(SYS_renameat2, a, b, c, d, f)

static char path[2 * PATH_MAX];

/* The type of what path names, following symlinks (stat) or not (lstat). */
static void kind(const char *p, int follow)
{
	struct stat st;
	int r = follow ? stat(p, &st) : lstat(p, &st);
	char label[64];
	if (strlen(p) > 60) /* long paths by their length */
		snprintf(label, sizeof(label), "(a path of %zu bytes)", strlen(p));
	printf("%s %s: %s\n", follow ? "stat" : "lstat", strlen(p) > 60 ? label : p,
	       r                  ? errno_name(errno)
	       : S_ISDIR(st.st_mode) ? "dir"
	       : S_ISLNK(st.st_mode) ? "symlink"
	       : S_ISREG(st.st_mode) ? "file"
	                             : "other");
}

static void dots_and_slashes(void)
{
	kind(D "/.", 1);
	kind(D "/..", 1);
	kind(D "//dir///", 1);
	kind(D "/dir/../file", 1);
	kind(D "/file/", 1);
	kind(D "/file/.", 1);
	kind(D "/file/..", 1);
	kind(D "/nothing/..", 1);
	kind("/..", 1);
	kind("/../../..", 1);
	kind("", 1);
	kind("/", 1);
	kind("//", 1);
}

static void symlinks(void)
{
	R(symlink("file", D "/rel"));
	R(symlink(D "/dir", D "/abs"));
	R(symlink("dir/", D "/slash"));
	R(symlink("nowhere", D "/dangling"));
	R(symlink("self", D "/self"));
	R(symlink("", D "/empty"));
	R(symlink("x", D "/file"));
	kind(D "/rel", 1);
	kind(D "/rel", 0);
	kind(D "/rel/", 1);
	kind(D "/rel/", 0);
	kind(D "/abs", 0);
	kind(D "/abs/", 0);
	kind(D "/abs/..", 1);
	kind(D "/slash", 1);
	kind(D "/dangling", 1);
	kind(D "/dangling", 0);
	kind(D "/dangling/", 0);
	kind(D "/self", 1);
	kind(D "/self/x", 0);
	kind(D "/empty", 1);
	/* a chain of 40 links resolves, 41 is one too many */
	R(symlink("file", D "/c0"));
	for (int i = 1; i <= 41; i++) {
		char from[64], to[64];
		snprintf(from, sizeof(from), "c%d", i - 1);
		snprintf(to, sizeof(to), D "/c%d", i);
		symlink(from, to);
	}
	kind(D "/c39", 1);
	kind(D "/c40", 1);
	kind(D "/c41", 1);
	kind(D "/c41", 0);
	char buf[64];
	R(readlink(D "/c41", buf, sizeof(buf)));
	R(readlink(D "/file", buf, sizeof(buf)));
	R(readlink(D "/abs/", buf, sizeof(buf)));
	R(readlink(D "/nothing", buf, sizeof(buf)));
	R(readlink(D "/rel", buf, -1));
	for (int i = 0; i <= 41; i++) {
		char to[64];
		snprintf(to, sizeof(to), D "/c%d", i);
		unlink(to);
	}
}

static void lengths(void)
{
	char name[300];
	memset(name, 'n', 255);
	name[255] = 0;
	snprintf(path, sizeof(path), D "/%s", name);
	R(mkdir(path, 0755));
	R(rmdir(path));
	memset(name, 'n', 256);
	name[256] = 0;
	snprintf(path, sizeof(path), D "/%s", name);
	R(mkdir(path, 0755));
	kind(path, 1);
	snprintf(path, sizeof(path), D "/%s/x", name);
	kind(path, 1);
	/* a path of PATH_MAX - 1 bytes is fine to look up; PATH_MAX is not */
	size_t n = strlen(D "/file");
	memset(path, '/', PATH_MAX + 10);
	memcpy(path + PATH_MAX - 1 - n, D "/file", n);
	path[PATH_MAX - 1] = 0;
	kind(path, 1);
	memset(path, '/', PATH_MAX + 10);
	memcpy(path + PATH_MAX - n, D "/file", n);
	path[PATH_MAX] = 0;
	kind(path, 1);
	R(symlink(path, D "/long"));
	path[PATH_MAX - 1] = 0;
	R(symlink(path + 1, D "/long"));
	char buf[PATH_MAX];
	R(readlink(D "/long", buf, sizeof(buf)));
	kind(D "/long", 1);
	R(unlink(D "/long"));
}

static void cwd(void)
{
	char buf[PATH_MAX];
	R(chdir(D "/abs"));
	printf("cwd: %s\n", getcwd(buf, sizeof(buf)) ? buf : errno_name(errno));
	kind("../file", 1);
	kind("./../dir/../file", 1);
	R(chdir(".."));
	printf("cwd: %s\n", getcwd(buf, sizeof(buf)) ? buf : errno_name(errno));
	R(chdir("file"));
	R(chdir("rel"));
	R(chdir("nothing"));
	R(chdir(""));
	R(mkdir("gone", 0755));
	R(chdir("gone"));
	R(rmdir("../gone"));
	R(syscall(SYS_getcwd, buf, sizeof(buf)));
	kind(".", 1);
	kind("..", 1);
	R(open("new", O_CREAT | O_WRONLY, 0600));
	R(mkdir("new", 0755));
	R(chdir(".."));
	printf("cwd: %s\n", getcwd(buf, sizeof(buf)) ? buf : errno_name(errno));
	R(chdir("/"));
	R(syscall(SYS_getcwd, buf, 1));
	R(syscall(SYS_getcwd, buf, 2));
}

static void at_calls(void)
{
	int dir = open(D "/dir", O_RDONLY | O_DIRECTORY);
	int file = open(D "/file", O_RDONLY);
	int path_fd = open(D "/dir", O_PATH);
	struct stat st;
	R(fstatat(dir, "..", &st, 0));
	R(fstatat(dir, "inner", &st, 0));
	R(mkdirat(dir, "inner", 0755));
	R(fstatat(dir, "inner", &st, 0));
	R(fstatat(path_fd, "inner", &st, 0));
	R(fstatat(file, "inner", &st, 0));
	R(fstatat(file, "", &st, 0));
	R(fstatat(file, "", &st, AT_EMPTY_PATH));
	R(fstatat(99, "inner", &st, 0));
	R(fstatat(99, "/tmp", &st, 0));
	R(fstatat(AT_FDCWD, "/tmp", &st, 0x4000));
	R(faccessat(dir, "inner", R_OK | W_OK | X_OK, 0));
	R(faccessat(dir, "inner", 8, 0));
	R(unlinkat(dir, "inner", 0));
	R(unlinkat(dir, "inner", 1));
	R(unlinkat(dir, "inner", AT_REMOVEDIR));
	R(symlinkat("../file", dir, "up"));
	R(fstatat(dir, "up", &st, 0));
	R(fstatat(dir, "up", &st, AT_SYMLINK_NOFOLLOW));
	R(linkat(dir, "up", dir, "up2", 0));
	R(fstatat(dir, "up2", &st, AT_SYMLINK_NOFOLLOW));
	printf("up2 is a symlink: %d\n", S_ISLNK(st.st_mode));
	R(linkat(dir, "up", dir, "up3", AT_SYMLINK_FOLLOW));
	R(fstatat(dir, "up3", &st, AT_SYMLINK_NOFOLLOW));
	printf("up3 is a file with %lu links\n", (unsigned long)st.st_nlink);
	R(linkat(file, "", dir, "up4", AT_EMPTY_PATH));
	R(linkat(dir, "up", dir, "up5", 0x8000));
	R(renameat(dir, "up3", AT_FDCWD, D "/moved"));
	R(renameat2(dir, "up4", dir, "up2", RENAME_NOREPLACE));
	R(renameat2(dir, "up4", dir, "up2", RENAME_EXCHANGE));
	R(renameat2(dir, "up4", dir, "up2", RENAME_EXCHANGE | RENAME_NOREPLACE));
	R(renameat2(dir, "up4", dir, "nothing", RENAME_EXCHANGE));
	R(renameat2(dir, "up4", dir, "up2", 8));
	R(fstatat(dir, "up4", &st, AT_SYMLINK_NOFOLLOW));
	printf("up4 is now a symlink: %d\n", S_ISLNK(st.st_mode));
	R(unlinkat(dir, "up", 0));
	R(unlinkat(dir, "up2", 0));
	R(unlinkat(dir, "up4", 0));
	R(unlink(D "/moved"));
	R(close(dir));
	R(close(file));
	R(close(path_fd));
}

int main(void)
{
	R(mkdir(D, 0755));
	R(mkdir(D "/dir", 0755));
	R(close(open(D "/file", O_CREAT | O_WRONLY, 0644)));
	dots_and_slashes();
	symlinks();
	lengths();
	cwd();
	at_calls();
	const char *names[] = {"rel", "abs", "slash", "dangling", "self", "empty", "file", "dir"};
	for (int i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), D "/%s", names[i]);
		R(i == 7 ? rmdir(path) : unlink(path));
	}
	R(rmdir(D));
	return 0;
}
