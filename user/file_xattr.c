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
		show_result(what, neg_errno(getxattr(FILE_A, names[i].name, v, sizeof(v))),
		            -names[i].err);
	}
	memset(longname, 'u', sizeof(longname));
	memcpy(longname, "user.", 5);
	longname[255] = 0;
	show_result("getxattr a 255-byte name", neg_errno(getxattr(FILE_A, longname, v, 64)),
	            -ENODATA);
	longname[255] = 'u';
	longname[256] = 0;
	show_result("getxattr a 256-byte name", neg_errno(getxattr(FILE_A, longname, v, 64)),
	            -ERANGE);
	show_result("lgetxattr user.a of a symlink", neg_errno(lgetxattr(LINK_L, "user.a", v, 64)),
	            -ENODATA);
	show_result("getxattr of a directory", neg_errno(getxattr(DIR, "user.a", v, 64)), -ENODATA);
	show_result("getxattr of /dev/null", neg_errno(getxattr("/dev/null", "user.a", v, 64)),
	            -ENODATA);
	show_result("getxattr missing", neg_errno(getxattr(DIR "/missing", "user.a", v, 64)),
	            -ENOENT);
	show_result("getxattr missing, bad name",
	            neg_errno(syscall(SYS_getxattr, DIR "/missing", NULL, v, 64)), -ENOENT);
	show_result("getxattr bad name", neg_errno(syscall(SYS_getxattr, FILE_A, NULL, v, 64)),
	            -EFAULT);
	show_result("getxattr NULL value", neg_errno(getxattr(FILE_A, "user.a", NULL, 64)),
	            -ENODATA);
	show_result("getxattr size 0", neg_errno(getxattr(FILE_A, "user.a", NULL, 0)), -ENODATA);
	show_result("fgetxattr", neg_errno(fgetxattr(fd, "user.a", v, 64)), -ENODATA);
	show_result("fgetxattr(99)", neg_errno(fgetxattr(99, "user.a", v, 64)), -EBADF);
	show_result("fgetxattr on O_PATH", neg_errno(fgetxattr(pfd, "user.a", v, 64)), -EBADF);
	close(fd);
	close(pfd);
}

static void list_remove_test(void)
{
	char v[64];
	int fd = open(FILE_A, O_RDONLY);

	show_result("listxattr", neg_errno(listxattr(FILE_A, v, sizeof(v))), 0);
	show_result("listxattr size 0", neg_errno(listxattr(FILE_A, NULL, 0)), 0);
	show_result("listxattr bad buffer", neg_errno(listxattr(FILE_A, (char *)16, 64)), 0);
	show_result("llistxattr of a symlink", neg_errno(llistxattr(LINK_L, v, 64)), 0);
	show_result("flistxattr", neg_errno(flistxattr(fd, v, 64)), 0);
	show_result("flistxattr(99)", neg_errno(flistxattr(99, v, 64)), -EBADF);
	show_result("listxattr missing", neg_errno(listxattr(DIR "/missing", v, 64)), -ENOENT);
	show_result("removexattr user.a", neg_errno(removexattr(FILE_A, "user.a")), -ENODATA);
	show_result("removexattr the access ACL",
	            neg_errno(removexattr(FILE_A, "system.posix_acl_access")), 0);
	show_result("removexattr other.a", neg_errno(removexattr(FILE_A, "other.a")), -EOPNOTSUPP);
	show_result("removexattr user.", neg_errno(removexattr(FILE_A, "user.")), -EINVAL);
	show_result("removexattr \"\"", neg_errno(removexattr(FILE_A, "")), -ERANGE);
	show_result("lremovexattr user.a of a symlink", neg_errno(lremovexattr(LINK_L, "user.a")),
	            -EPERM);
	show_result("fremovexattr", neg_errno(fremovexattr(fd, "trusted.a")), -ENODATA);
	show_result("fremovexattr(99)", neg_errno(fremovexattr(99, "user.a")), -EBADF);
	close(fd);
}

/* Only the failures of setxattr: a created attribute is where SOS and Linux part. */
static void set_errors_test(void)
{
	char v[64] = "1";
	static char big[65537];

	show_result("setxattr XATTR_REPLACE of an absent one",
	            neg_errno(setxattr(FILE_A, "user.b", v, 1, XATTR_REPLACE)), -ENODATA);
	show_result("setxattr flags 4", neg_errno(setxattr(FILE_A, "user.b", v, 1, 4)), -EINVAL);
	show_result("setxattr flags 4, missing file",
	            neg_errno(setxattr(DIR "/missing", "user.b", v, 1, 4)), -EINVAL);
	show_result("setxattr missing file", neg_errno(setxattr(DIR "/missing", "user.b", v, 1, 0)),
	            -ENOENT);
	show_result("setxattr bad value", neg_errno(setxattr(FILE_A, "user.b", (char *)16, 1, 0)),
	            -EFAULT);
	show_result("setxattr 65537 bytes",
	            neg_errno(setxattr(FILE_A, "user.b", big, sizeof(big), 0)), -E2BIG);
	show_result("setxattr other.a", neg_errno(setxattr(FILE_A, "other.a", v, 1, 0)),
	            -EOPNOTSUPP);
	show_result("setxattr user.", neg_errno(setxattr(FILE_A, "user.", v, 1, 0)), -EINVAL);
	show_result("setxattr \"\"", neg_errno(setxattr(FILE_A, "", v, 1, 0)), -ERANGE);
	show_result("lsetxattr user.a of a symlink",
	            neg_errno(lsetxattr(LINK_L, "user.a", v, 1, 0)), -EPERM);
	show_result("setxattr user.a of /dev/null",
	            neg_errno(setxattr("/dev/null", "user.a", v, 1, 0)), -EPERM);
	show_result("fsetxattr(99)", neg_errno(fsetxattr(99, "user.a", v, 1, 0)), -EBADF);
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
