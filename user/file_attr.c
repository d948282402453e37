/* file_attr: permission bits and owners on Linux 6.12 (the oracle, running as root) and on SOS
 * alike — umask, chmod, fchmod, fchmodat, fchmodat2, chown, fchown, lchown, fchownat: what each
 * sets (seen through stat), the set-ID bits a chown drops, ctime moving, and Linux's errnos.
 * Raw system calls throughout: musl's fchmod and fchown retry through /proc. Files live under
 * /tmp/file_attr. Owned by kernel/sys (sys_fs_attr.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

#define DIR           "/tmp/file_attr"
#define FILE_A        DIR "/a"
#define LINK_L        DIR "/l"
#define SUBDIR        DIR "/d"
#define SYS_fchmodat2 452

/* A raw system call's result: the value, or -errno. */
static long raw(long r)
{
	return r == -1 ? -errno : r;
}

/* Print a result: its value or its errno name; count a failure unless it is want. */
static void result(const char *what, long r, long want)
{
	if (r < 0)
		printf("%s: %s\n", what, ename(-r));
	else
		printf("%s: %ld\n", what, r);
	if (r != want)
		failures++;
}

/* Print path's mode and owners as lstat sees them. */
static void show(const char *path)
{
	struct stat st;
	if (lstat(path, &st)) {
		printf("  %s: %s\n", path, ename(errno));
		failures++;
		return;
	}
	printf("  %s: mode %o uid %u gid %u\n", path, (unsigned)st.st_mode, (unsigned)st.st_uid,
	       (unsigned)st.st_gid);
}

/* A fresh directory with a file, a symlink to it and a subdirectory. */
static void setup(void)
{
	unlink(FILE_A);
	unlink(LINK_L);
	rmdir(SUBDIR);
	rmdir(DIR);
	if (mkdir(DIR, 0755) || close(open(FILE_A, O_CREAT | O_WRONLY, 0644)) ||
	    symlink(FILE_A, LINK_L) || mkdir(SUBDIR, 0755))
		fact("setup", 0);
}

static void umask_test(void)
{
	result("umask(022)", raw(syscall(SYS_umask, 022)), 022);
	result("umask(0777777)", raw(syscall(SYS_umask, 0777777)), 022);
	result("umask(077): only 0777 was kept", raw(syscall(SYS_umask, 077)), 0777);
	int fd = open(DIR "/masked", O_CREAT | O_WRONLY, 0666);
	close(fd);
	show(DIR "/masked");
	unlink(DIR "/masked");
	result("umask(022) again", raw(syscall(SYS_umask, 022)), 077);
}

static void chmod_test(void)
{
	int fd = open(FILE_A, O_RDWR);
	int pfd = open(FILE_A, O_PATH);

	result("chmod 04755", raw(syscall(SYS_chmod, FILE_A, 04755)), 0);
	show(FILE_A);
	result("chmod 0177777 (only 07777 is taken)", raw(syscall(SYS_chmod, FILE_A, 0177777)), 0);
	show(FILE_A);
	result("chmod through the symlink", raw(syscall(SYS_chmod, LINK_L, 0640)), 0);
	show(FILE_A);
	show(LINK_L);
	result("fchmod 0600", raw(syscall(SYS_fchmod, fd, 0600)), 0);
	show(FILE_A);
	result("fchmod on O_PATH", raw(syscall(SYS_fchmod, pfd, 0600)), -EBADF);
	result("fchmod(-1)", raw(syscall(SYS_fchmod, -1, 0600)), -EBADF);
	result("fchmodat relative", raw(syscall(SYS_fchmodat, open(DIR, O_RDONLY), "a", 0604)), 0);
	show(FILE_A);
	result("fchmodat ignores a 4th argument",
	       raw(syscall(SYS_fchmodat, AT_FDCWD, LINK_L, 0644, AT_SYMLINK_NOFOLLOW)), 0);
	show(FILE_A);
	result("fchmodat2 NOFOLLOW on a file",
	       raw(syscall(SYS_fchmodat2, AT_FDCWD, FILE_A, 0600, AT_SYMLINK_NOFOLLOW)), 0);
	result("fchmodat2 NOFOLLOW on a symlink",
	       raw(syscall(SYS_fchmodat2, AT_FDCWD, LINK_L, 0600, AT_SYMLINK_NOFOLLOW)),
	       -EOPNOTSUPP);
	result("fchmodat2 AT_EMPTY_PATH", raw(syscall(SYS_fchmodat2, fd, "", 0640, AT_EMPTY_PATH)),
	       0);
	show(FILE_A);
	result("fchmodat2 AT_EMPTY_PATH on O_PATH",
	       raw(syscall(SYS_fchmodat2, pfd, "", 0641, AT_EMPTY_PATH)), 0);
	show(FILE_A);
	result("fchmodat2 empty path, no flag", raw(syscall(SYS_fchmodat2, fd, "", 0640, 0)),
	       -ENOENT);
	result("fchmodat2 flag 0x8000", raw(syscall(SYS_fchmodat2, fd, "", 0640, 0x8000)), -EINVAL);
	result("fchmodat relative to a file", raw(syscall(SYS_fchmodat, fd, "a", 0600)), -ENOTDIR);
	result("chmod a directory 01777", raw(syscall(SYS_chmod, SUBDIR, 01777)), 0);
	show(SUBDIR);
	result("chmod missing", raw(syscall(SYS_chmod, DIR "/missing", 0600)), -ENOENT);
	result("chmod through a file", raw(syscall(SYS_chmod, FILE_A "/x", 0600)), -ENOTDIR);
	result("chmod(NULL)", raw(syscall(SYS_chmod, NULL, 0600)), -EFAULT);
	result("chmod(\"\")", raw(syscall(SYS_chmod, "", 0600)), -ENOENT);
	close(fd);
	close(pfd);
}

static void chown_test(void)
{
	int fd = open(FILE_A, O_RDWR);
	int pfd = open(FILE_A, O_PATH);

	result("chown 1000 1001", raw(syscall(SYS_chown, FILE_A, 1000, 1001)), 0);
	show(FILE_A);
	syscall(SYS_chmod, FILE_A, 06755);
	result("chown -1 -1 (set-ID bits go)", raw(syscall(SYS_chown, FILE_A, -1, -1)), 0);
	show(FILE_A);
	syscall(SYS_chmod, FILE_A, 02745);
	result("chown -1 7 (set-group-ID without group x stays)",
	       raw(syscall(SYS_chown, FILE_A, -1, 7)), 0);
	show(FILE_A);
	syscall(SYS_chmod, FILE_A, 02755);
	result("chown 5 -1 (set-group-ID with group x goes)",
	       raw(syscall(SYS_chown, FILE_A, 5, -1)), 0);
	show(FILE_A);
	syscall(SYS_chmod, SUBDIR, 06755);
	result("chown a directory", raw(syscall(SYS_chown, SUBDIR, 8, 9)), 0);
	show(SUBDIR);
	result("lchown the symlink", raw(syscall(SYS_lchown, LINK_L, 3, 4)), 0);
	show(LINK_L);
	show(FILE_A);
	result("chown through the symlink", raw(syscall(SYS_chown, LINK_L, 11, 12)), 0);
	show(LINK_L);
	show(FILE_A);
	result("fchown", raw(syscall(SYS_fchown, fd, 0, 0)), 0);
	show(FILE_A);
	result("fchown on O_PATH", raw(syscall(SYS_fchown, pfd, 1, 1)), -EBADF);
	result("fchown(99)", raw(syscall(SYS_fchown, 99, 1, 1)), -EBADF);
	result("fchownat NOFOLLOW",
	       raw(syscall(SYS_fchownat, AT_FDCWD, LINK_L, 21, 22, AT_SYMLINK_NOFOLLOW)), 0);
	show(LINK_L);
	result("fchownat AT_EMPTY_PATH", raw(syscall(SYS_fchownat, fd, "", 9, 9, AT_EMPTY_PATH)),
	       0);
	show(FILE_A);
	result("fchownat AT_EMPTY_PATH on O_PATH",
	       raw(syscall(SYS_fchownat, pfd, "", 0, 0, AT_EMPTY_PATH)), 0);
	show(FILE_A);
	result("fchownat empty path, no flag", raw(syscall(SYS_fchownat, fd, "", 9, 9, 0)),
	       -ENOENT);
	result("fchownat flag 0x8000", raw(syscall(SYS_fchownat, AT_FDCWD, FILE_A, 1, 1, 0x8000)),
	       -EINVAL);
	result("chown missing", raw(syscall(SYS_chown, DIR "/missing", 1, 1)), -ENOENT);
	result("chown(NULL)", raw(syscall(SYS_chown, NULL, 1, 1)), -EFAULT);
	close(fd);
	close(pfd);
}

/* ctime moves with each change (set it far back first, then look). */
static void ctime_test(void)
{
	struct stat st;
	struct timespec old[2] = {{1000, 0}, {1000, 0}};

	utimensat(AT_FDCWD, FILE_A, old, 0);
	stat(FILE_A, &st);
	long before = st.st_ctim.tv_sec;
	syscall(SYS_chmod, FILE_A, 0644);
	stat(FILE_A, &st);
	fact("chmod leaves mtime", st.st_mtim.tv_sec == 1000);
	fact("chmod moves ctime", st.st_ctim.tv_sec >= before && st.st_ctim.tv_sec > 1000);
}

static void cleanup(void)
{
	unlink(FILE_A);
	unlink(LINK_L);
	rmdir(SUBDIR);
	rmdir(DIR);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	umask_test();
	chmod_test();
	chown_test();
	ctime_test();
	cleanup();
	printf("file_attr: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
