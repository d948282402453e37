/* file_old: the older directory calls on Linux 6.12 and on SOS alike — getdents's linux_dirent
 * records (names, types in the last byte, lengths; printed in name order, since the two tmpfs
 * list a directory in different orders) and its errnos, and chroot's errnos (chroot to "/"
 * succeeds; SOS refuses any other root, so no other is tried). Owned by kernel/sys. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

#define DIR "/tmp/file_old"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the whole directory with getdents and print "name type reclen" lines in name order. */
static void list(int fd)
{
	static char buf[4096];
	char *lines[16] = {0};
	int n = 0;
	long got;
	while ((got = neg_errno(syscall(SYS_getdents, fd, buf, sizeof(buf)))) > 0) {
		for (long pos = 0; pos < got && n < 16;) {
			unsigned short reclen;
			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			lines[n] = malloc(300);
			snprintf(lines[n++], 300, "  %s type %d reclen %u", buf + pos + 18,
			         buf[pos + reclen - 1], reclen);
			pos += reclen;
		}
	}
	show_result("getdents at the end", got, 0);
	qsort(lines, n, sizeof(lines[0]), by_name);
	for (int i = 0; i < n; i++) {
		printf("%s\n", lines[i]);
		free(lines[i]);
	}
}

static void getdents_test(void)
{
	char buf[64];
	int fd = open(DIR, O_RDONLY | O_DIRECTORY), file = open(DIR "/file", O_RDONLY);

	list(fd);
	lseek(fd, 0, SEEK_SET);
	show_result("getdents into 10 bytes", neg_errno(syscall(SYS_getdents, fd, buf, 10)),
	            -EINVAL);
	show_result("getdents into 24 bytes: one record",
	            neg_errno(syscall(SYS_getdents, fd, buf, 24)), 24);
	show_result("getdents into a bad buffer",
	            neg_errno(syscall(SYS_getdents, fd, (void *)16, 100)), -EFAULT);
	show_result("and the next record is the second",
	            neg_errno(syscall(SYS_getdents, fd, buf, 24)), 24);
	printf("  %s\n", buf + 18);
	show_result("getdents on a file", neg_errno(syscall(SYS_getdents, file, buf, 64)),
	            -ENOTDIR);
	show_result("getdents on fd 99", neg_errno(syscall(SYS_getdents, 99, buf, 64)), -EBADF);
	close(fd);
	close(file);
}

static void chroot_test(void)
{
	show_result("chroot /", neg_errno(chroot("/")), 0);
	show_result("chroot /tmp/..", neg_errno(chroot("/tmp/..")), 0);
	show_result("chroot missing", neg_errno(chroot(DIR "/missing")), -ENOENT);
	show_result("chroot a file", neg_errno(chroot(DIR "/file")), -ENOTDIR);
	show_result("chroot(NULL)", neg_errno(syscall(SYS_chroot, NULL)), -EFAULT);
	show_result("chroot(\"\")", neg_errno(chroot("")), -ENOENT);
	fact("/tmp is still there", access("/tmp", F_OK) == 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	unlink(DIR "/file");
	unlink(DIR "/link");
	rmdir(DIR "/sub");
	rmdir(DIR);
	if (mkdir(DIR, 0755) || close(open(DIR "/file", O_CREAT | O_RDWR, 0644)) ||
	    mkdir(DIR "/sub", 0755) || symlink("file", DIR "/link")) {
		fact("setup", 0);
		return 1;
	}
	getdents_test();
	chroot_test();
	unlink(DIR "/file");
	unlink(DIR "/link");
	rmdir(DIR "/sub");
	rmdir(DIR);
	printf("file_old: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
