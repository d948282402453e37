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
	show_result("umask(022)", neg_errno(syscall(SYS_umask, 022)), 022);
	show_result("umask(0777777)", neg_errno(syscall(SYS_umask, 0777777)), 022);
	show_result("umask(077): only 0777 was kept", neg_errno(syscall(SYS_umask, 077)), 0777);
	int fd = open(DIR "/masked", O_CREAT | O_WRONLY, 0666);
	close(fd);
	show(DIR "/masked");
	unlink(DIR "/masked");
	show_result("umask(022) again", neg_errno(syscall(SYS_umask, 022)), 077);
}

static void chmod_test(void)
{
	int fd = open(FILE_A, O_RDWR);
	int pfd = open(FILE_A, O_PATH);

	show_result("chmod 04755", neg_errno(syscall(SYS_chmod, FILE_A, 04755)), 0);
	show(FILE_A);
	show_result("chmod 0177777 (only 07777 is taken)",
	            neg_errno(syscall(SYS_chmod, FILE_A, 0177777)), 0);
	show(FILE_A);
	show_result("chmod through the symlink", neg_errno(syscall(SYS_chmod, LINK_L, 0640)), 0);
	show(FILE_A);
	show(LINK_L);
	show_result("fchmod 0600", neg_errno(syscall(SYS_fchmod, fd, 0600)), 0);
	show(FILE_A);
	show_result("fchmod on O_PATH", neg_errno(syscall(SYS_fchmod, pfd, 0600)), -EBADF);
	show_result("fchmod(-1)", neg_errno(syscall(SYS_fchmod, -1, 0600)), -EBADF);
	show_result("fchmodat relative",
	            neg_errno(syscall(SYS_fchmodat, open(DIR, O_RDONLY), "a", 0604)), 0);
	show(FILE_A);
	show_result("fchmodat ignores a 4th argument",
	            neg_errno(syscall(SYS_fchmodat, AT_FDCWD, LINK_L, 0644, AT_SYMLINK_NOFOLLOW)),
	            0);
	show(FILE_A);
	show_result("fchmodat2 NOFOLLOW on a file",
	            neg_errno(syscall(SYS_fchmodat2, AT_FDCWD, FILE_A, 0600, AT_SYMLINK_NOFOLLOW)),
	            0);
	show_result("fchmodat2 NOFOLLOW on a symlink",
	            neg_errno(syscall(SYS_fchmodat2, AT_FDCWD, LINK_L, 0600, AT_SYMLINK_NOFOLLOW)),
	            -EOPNOTSUPP);
	show_result("fchmodat2 AT_EMPTY_PATH",
	            neg_errno(syscall(SYS_fchmodat2, fd, "", 0640, AT_EMPTY_PATH)), 0);
	show(FILE_A);
	show_result("fchmodat2 AT_EMPTY_PATH on O_PATH",
	            neg_errno(syscall(SYS_fchmodat2, pfd, "", 0641, AT_EMPTY_PATH)), 0);
	show(FILE_A);
	show_result("fchmodat2 empty path, no flag",
	            neg_errno(syscall(SYS_fchmodat2, fd, "", 0640, 0)), -ENOENT);
	show_result("fchmodat2 flag 0x8000",
	            neg_errno(syscall(SYS_fchmodat2, fd, "", 0640, 0x8000)), -EINVAL);
	show_result("fchmodat relative to a file", neg_errno(syscall(SYS_fchmodat, fd, "a", 0600)),
	            -ENOTDIR);
	show_result("chmod a directory 01777", neg_errno(syscall(SYS_chmod, SUBDIR, 01777)), 0);
	show(SUBDIR);
	show_result("chmod missing", neg_errno(syscall(SYS_chmod, DIR "/missing", 0600)), -ENOENT);
	show_result("chmod through a file", neg_errno(syscall(SYS_chmod, FILE_A "/x", 0600)),
	            -ENOTDIR);
	show_result("chmod(NULL)", neg_errno(syscall(SYS_chmod, NULL, 0600)), -EFAULT);
	show_result("chmod(\"\")", neg_errno(syscall(SYS_chmod, "", 0600)), -ENOENT);
	close(fd);
	close(pfd);
}

static void chown_test(void)
{
	int fd = open(FILE_A, O_RDWR);
	int pfd = open(FILE_A, O_PATH);

	show_result("chown 1000 1001", neg_errno(syscall(SYS_chown, FILE_A, 1000, 1001)), 0);
	show(FILE_A);
	syscall(SYS_chmod, FILE_A, 06755);
	show_result("chown -1 -1 (set-ID bits go)", neg_errno(syscall(SYS_chown, FILE_A, -1, -1)),
	            0);
	show(FILE_A);
	syscall(SYS_chmod, FILE_A, 02745);
	show_result("chown -1 7 (set-group-ID without group x stays)",
	            neg_errno(syscall(SYS_chown, FILE_A, -1, 7)), 0);
	show(FILE_A);
	syscall(SYS_chmod, FILE_A, 02755);
	show_result("chown 5 -1 (set-group-ID with group x goes)",
	            neg_errno(syscall(SYS_chown, FILE_A, 5, -1)), 0);
	show(FILE_A);
	syscall(SYS_chmod, SUBDIR, 06755);
	show_result("chown a directory", neg_errno(syscall(SYS_chown, SUBDIR, 8, 9)), 0);
	show(SUBDIR);
	show_result("lchown the symlink", neg_errno(syscall(SYS_lchown, LINK_L, 3, 4)), 0);
	show(LINK_L);
	show(FILE_A);
	show_result("chown through the symlink", neg_errno(syscall(SYS_chown, LINK_L, 11, 12)), 0);
	show(LINK_L);
	show(FILE_A);
	show_result("fchown", neg_errno(syscall(SYS_fchown, fd, 0, 0)), 0);
	show(FILE_A);
	show_result("fchown on O_PATH", neg_errno(syscall(SYS_fchown, pfd, 1, 1)), -EBADF);
	show_result("fchown(99)", neg_errno(syscall(SYS_fchown, 99, 1, 1)), -EBADF);
	show_result("fchownat NOFOLLOW",
	            neg_errno(syscall(SYS_fchownat, AT_FDCWD, LINK_L, 21, 22, AT_SYMLINK_NOFOLLOW)),
	            0);
	show(LINK_L);
	show_result("fchownat AT_EMPTY_PATH",
	            neg_errno(syscall(SYS_fchownat, fd, "", 9, 9, AT_EMPTY_PATH)), 0);
	show(FILE_A);
	show_result("fchownat AT_EMPTY_PATH on O_PATH",
	            neg_errno(syscall(SYS_fchownat, pfd, "", 0, 0, AT_EMPTY_PATH)), 0);
	show(FILE_A);
	show_result("fchownat empty path, no flag",
	            neg_errno(syscall(SYS_fchownat, fd, "", 9, 9, 0)), -ENOENT);
	show_result("fchownat flag 0x8000",
	            neg_errno(syscall(SYS_fchownat, AT_FDCWD, FILE_A, 1, 1, 0x8000)), -EINVAL);
	show_result("chown missing", neg_errno(syscall(SYS_chown, DIR "/missing", 1, 1)), -ENOENT);
	show_result("chown(NULL)", neg_errno(syscall(SYS_chown, NULL, 1, 1)), -EFAULT);
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
