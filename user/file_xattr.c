/* file_xattr: extended attributes of files that have none, on Linux 6.12's tmpfs and on SOS
 * alike — get, list and remove in their path, symlink and fd forms, with Linux's errnos for
 * each kind of name (unknown namespace, bare prefix, empty, too long), bad pointers, fds and
 * flags. SOS stores no attributes, so creating one (which succeeds on the oracle) is not tried.
 * Files live under /tmp/file_xattr. Owned by kernel/sys (sys_xattr.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "include/check.h"

#define DIR    "/tmp/file_xattr"
#define FILE_A DIR "/f"
#define LINK_L DIR "/l"

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

static void get_test(void)
{
	static const struct {
		const char *name;
		int err;
	} names[] = {
	    {"user.a", ENODATA},
	    {"user.", EINVAL},
	    {"user", EOPNOTSUPP},
	    {"trusted.a", ENODATA},
	    {"security.a", ENODATA},
	    {"security.", EINVAL},
	    {"system.posix_acl_access", ENODATA},
	    {"system.posix_acl_default", ENODATA},
	    {"system.posix_acl_accessX", EOPNOTSUPP},
	    {"system.a", EOPNOTSUPP},
	    {"other.a", EOPNOTSUPP},
	    {"", ERANGE},
	};
	char v[64], what[80], longname[300];
	int fd = open(FILE_A, O_RDONLY), pfd = open(FILE_A, O_PATH);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(what, sizeof(what), "getxattr \"%s\"", names[i].name);
		result(what, raw(getxattr(FILE_A, names[i].name, v, sizeof(v))), -names[i].err);
	}
	memset(longname, 'u', sizeof(longname));
	memcpy(longname, "user.", 5);
	longname[255] = 0;
	result("getxattr a 255-byte name", raw(getxattr(FILE_A, longname, v, 64)), -ENODATA);
	longname[255] = 'u';
	longname[256] = 0;
	result("getxattr a 256-byte name", raw(getxattr(FILE_A, longname, v, 64)), -ERANGE);
	result("lgetxattr user.a of a symlink", raw(lgetxattr(LINK_L, "user.a", v, 64)), -ENODATA);
	result("getxattr of a directory", raw(getxattr(DIR, "user.a", v, 64)), -ENODATA);
	result("getxattr of /dev/null", raw(getxattr("/dev/null", "user.a", v, 64)), -ENODATA);
	result("getxattr missing", raw(getxattr(DIR "/missing", "user.a", v, 64)), -ENOENT);
	result("getxattr missing, bad name",
	       raw(syscall(SYS_getxattr, DIR "/missing", NULL, v, 64)), -ENOENT);
	result("getxattr bad name", raw(syscall(SYS_getxattr, FILE_A, NULL, v, 64)), -EFAULT);
	result("getxattr NULL value", raw(getxattr(FILE_A, "user.a", NULL, 64)), -ENODATA);
	result("getxattr size 0", raw(getxattr(FILE_A, "user.a", NULL, 0)), -ENODATA);
	result("fgetxattr", raw(fgetxattr(fd, "user.a", v, 64)), -ENODATA);
	result("fgetxattr(99)", raw(fgetxattr(99, "user.a", v, 64)), -EBADF);
	result("fgetxattr on O_PATH", raw(fgetxattr(pfd, "user.a", v, 64)), -EBADF);
	close(fd);
	close(pfd);
}

static void list_remove_test(void)
{
	char v[64];
	int fd = open(FILE_A, O_RDONLY);

	result("listxattr", raw(listxattr(FILE_A, v, sizeof(v))), 0);
	result("listxattr size 0", raw(listxattr(FILE_A, NULL, 0)), 0);
	result("listxattr bad buffer", raw(listxattr(FILE_A, (char *)16, 64)), 0);
	result("llistxattr of a symlink", raw(llistxattr(LINK_L, v, 64)), 0);
	result("flistxattr", raw(flistxattr(fd, v, 64)), 0);
	result("flistxattr(99)", raw(flistxattr(99, v, 64)), -EBADF);
	result("listxattr missing", raw(listxattr(DIR "/missing", v, 64)), -ENOENT);
	result("removexattr user.a", raw(removexattr(FILE_A, "user.a")), -ENODATA);
	result("removexattr the access ACL", raw(removexattr(FILE_A, "system.posix_acl_access")),
	       0);
	result("removexattr other.a", raw(removexattr(FILE_A, "other.a")), -EOPNOTSUPP);
	result("removexattr user.", raw(removexattr(FILE_A, "user.")), -EINVAL);
	result("removexattr \"\"", raw(removexattr(FILE_A, "")), -ERANGE);
	result("lremovexattr user.a of a symlink", raw(lremovexattr(LINK_L, "user.a")), -EPERM);
	result("fremovexattr", raw(fremovexattr(fd, "trusted.a")), -ENODATA);
	result("fremovexattr(99)", raw(fremovexattr(99, "user.a")), -EBADF);
	close(fd);
}

/* Only the failures of setxattr: a created attribute is where SOS and Linux part. */
static void set_errors_test(void)
{
	char v[64] = "1";
	static char big[65537];

	result("setxattr XATTR_REPLACE of an absent one",
	       raw(setxattr(FILE_A, "user.b", v, 1, XATTR_REPLACE)), -ENODATA);
	result("setxattr flags 4", raw(setxattr(FILE_A, "user.b", v, 1, 4)), -EINVAL);
	result("setxattr flags 4, missing file", raw(setxattr(DIR "/missing", "user.b", v, 1, 4)),
	       -EINVAL);
	result("setxattr missing file", raw(setxattr(DIR "/missing", "user.b", v, 1, 0)), -ENOENT);
	result("setxattr bad value", raw(setxattr(FILE_A, "user.b", (char *)16, 1, 0)), -EFAULT);
	result("setxattr 65537 bytes", raw(setxattr(FILE_A, "user.b", big, sizeof(big), 0)),
	       -E2BIG);
	result("setxattr other.a", raw(setxattr(FILE_A, "other.a", v, 1, 0)), -EOPNOTSUPP);
	result("setxattr user.", raw(setxattr(FILE_A, "user.", v, 1, 0)), -EINVAL);
	result("setxattr \"\"", raw(setxattr(FILE_A, "", v, 1, 0)), -ERANGE);
	result("lsetxattr user.a of a symlink", raw(lsetxattr(LINK_L, "user.a", v, 1, 0)), -EPERM);
	result("setxattr user.a of /dev/null", raw(setxattr("/dev/null", "user.a", v, 1, 0)),
	       -EPERM);
	result("fsetxattr(99)", raw(fsetxattr(99, "user.a", v, 1, 0)), -EBADF);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	unlink(FILE_A);
	unlink(LINK_L);
	rmdir(DIR);
	if (mkdir(DIR, 0755) || close(open(FILE_A, O_CREAT | O_RDWR, 0644)) ||
	    symlink("f", LINK_L)) {
		fact("setup", 0);
		return 1;
	}
	get_test();
	list_remove_test();
	set_errors_test();
	unlink(FILE_A);
	unlink(LINK_L);
	rmdir(DIR);
	printf("file_xattr: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
