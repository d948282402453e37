/* fstat, stat, lstat, newfstatat, statx, access, faccessat, faccessat2, statfs and fstatfs on
 * files, directories, symlinks and devices, with their errors; every result printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "include/tcall.h"

#define D "/tmp/t_stat"

/* statx's buffer and flags, as Linux's uapi has them (musl here has no statx). */
struct sx {
	unsigned stx_mask, stx_blksize;
	unsigned long long stx_attributes;
	unsigned stx_nlink, stx_uid, stx_gid;
	unsigned short stx_mode, pad0;
	unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	long long times[8];
	unsigned stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	unsigned long long spare[14];
};
#define STATX_BASIC_STATS                  0x7ffU
#define statx(dfd, path, flags, mask, buf) syscall(SYS_statx, dfd, path, flags, mask, buf)

/* The stat calls on one path, through every entry point. */
static void stats(const char *path)
{
	struct stat st;

	say("-- %s\n", path);
	if (T(syscall(SYS_stat, path, &st)) == 0)
		show_stat("stat", &st);
	if (T(syscall(SYS_lstat, path, &st)) == 0)
		show_stat("lstat", &st);
	if (T(syscall(SYS_newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW)) == 0)
		show_stat("newfstatat nofollow", &st);
	int fd = open(path, O_RDONLY);
	if (fd >= 0 && T(fstat(fd, &st)) == 0)
		show_stat("fstat", &st);
	if (fd >= 0 && T(syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH)) == 0)
		show_stat("newfstatat empty path", &st);
	if (fd >= 0)
		close(fd);
}

/* statx: the basic fields it must fill, and its errors. */
static void statxs(void)
{
	struct sx sx;

	if (T(statx(AT_FDCWD, D "/file", 0, STATX_BASIC_STATS, &sx)) == 0)
		say("statx: mask&basic %x mode %o nlink %u uid %u size %llu blocks %llu blksize "
		    "%u\n",
		    sx.stx_mask & STATX_BASIC_STATS, sx.stx_mode, sx.stx_nlink, sx.stx_uid,
		    (unsigned long long)sx.stx_size, (unsigned long long)sx.stx_blocks,
		    sx.stx_blksize);
	if (T(statx(AT_FDCWD, D "/link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx)) == 0)
		say("statx link: mode %o size %llu\n", sx.stx_mode,
		    (unsigned long long)sx.stx_size);
	if (T(statx(AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS, &sx)) == 0)
		say("statx /dev/null: mode %o rdev %u:%u\n", sx.stx_mode, sx.stx_rdev_major,
		    sx.stx_rdev_minor);
	T(statx(AT_FDCWD, D "/nothing", 0, STATX_BASIC_STATS, &sx));
	T(statx(AT_FDCWD, D "/file", 0x12345678, STATX_BASIC_STATS, &sx));
	T(statx(AT_FDCWD, D "/file", 0, 0x80000000U, &sx));
	T(statx(AT_FDCWD, D "/file", 0, STATX_BASIC_STATS, (struct sx *)8));
	T(statx(99, "file", 0, STATX_BASIC_STATS, &sx));
	T(statx(AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx));
}

/* access and faccessat(2): root may read and write anything, and execute what has an x bit. */
static void accesses(void)
{
	T(access(D "/file", F_OK));
	T(access(D "/file", R_OK | W_OK));
	T(access(D "/file", X_OK));
	T(access(D "/exec", X_OK));
	T(access(D "/none", R_OK));
	T(access(D, X_OK));
	T(access(D "/nothing", F_OK));
	T(access(D "/file/x", F_OK));
	T(access(D "/file", 8));
	T(access("/dev/null", R_OK | W_OK));
	T(syscall(SYS_faccessat, AT_FDCWD, D "/file", R_OK));
	T(syscall(SYS_faccessat2, AT_FDCWD, D "/file", R_OK, AT_EACCESS));
	T(syscall(SYS_faccessat2, AT_FDCWD, D "/dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	T(syscall(SYS_faccessat2, AT_FDCWD, D "/dangling", F_OK, 0));
	T(syscall(SYS_faccessat2, AT_FDCWD, D "/file", R_OK, 0x4000));
	T(syscall(SYS_faccessat, 99, "file", R_OK));
	T(syscall(SYS_faccessat, AT_FDCWD, (char *)8, R_OK));
}

/* statfs and fstatfs: a tmpfs's type, block size and name length; /proc's type. */
static void statfss(void)
{
	struct statfs sf;

	if (T(statfs(D, &sf)) == 0)
		say("statfs tmp: type %lx bsize %ld namelen %ld\n", (unsigned long)sf.f_type,
		    (long)sf.f_bsize, (long)sf.f_namelen);
	int fd = open(D "/file", O_RDONLY);
	if (T(fstatfs(fd, &sf)) == 0)
		say("fstatfs: type %lx bsize %ld\n", (unsigned long)sf.f_type, (long)sf.f_bsize);
	close(fd);
	if (T(statfs("/proc", &sf)) == 0)
		say("statfs /proc: type %lx\n", (unsigned long)sf.f_type);
	T(statfs(D "/nothing", &sf));
	T(syscall(SYS_statfs, D, (struct statfs *)8));
	T(fstatfs(99, &sf));
}

/* The errors of the stat calls. */
static void errors(void)
{
	struct stat st;

	T(stat(D "/nothing", &st));
	T(stat(D "/file/x", &st));
	T(stat(D "/file/", &st));
	T(stat(D "/dangling", &st));
	T(lstat(D "/dangling/", &st));
	T(stat("", &st));
	T(syscall(SYS_stat, (char *)8, &st));
	T(syscall(SYS_stat, D "/file", (struct stat *)8));
	T(fstat(99, &st));
	T(fstat(-1, &st));
	T(syscall(SYS_newfstatat, AT_FDCWD, D "/file", &st, 0x1));
	T(syscall(SYS_newfstatat, 99, "file", &st, 0));
	T(syscall(SYS_newfstatat, AT_FDCWD, "", &st, 0));
}

int main(void)
{
	T(mkdir(D, 0750));
	T(put_file(D "/file", "some bytes\n"));
	T(put_file(D "/exec", "#!/bin/sh\n"));
	T(put_file(D "/none", "x"));
	T(chmod(D "/exec", 0711));
	T(chmod(D "/none", 0));
	T(symlink("file", D "/link"));
	T(symlink("nowhere", D "/dangling"));
	T(link(D "/file", D "/hard"));
	T(mkdir(D "/sub", 0700));
	stats(D "/file");
	stats(D "/link");
	stats(D "/dangling");
	stats(D);
	stats(D "/sub");
	stats("/dev/null");
	struct stat st;
	if (stat("/dev/zero", &st) == 0)
		say("/dev/zero: char %d rdev %u:%u\n", S_ISCHR(st.st_mode), major(st.st_rdev),
		    minor(st.st_rdev));
	statxs();
	accesses();
	statfss();
	errors();
	unlink(D "/file");
	unlink(D "/exec");
	unlink(D "/none");
	unlink(D "/link");
	unlink(D "/dangling");
	unlink(D "/hard");
	rmdir(D "/sub");
	T(rmdir(D));
	return 0;
}
