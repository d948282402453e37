/* Status: stat, lstat, fstat, newfstatat and statx of each kind of file (sizes, blocks, link
 * counts, modes after the umask, owners), times that move with writes and names, and access. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/fs_check.h"

#define D "/tmp/fs_stat"

/* statx as Linux's uapi has it (this musl has no statx). */
struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};
#define STATX_SIZE                         0x200U
#define STATX_BASIC_STATS                  0x7ffU
#define AT_STATX_FORCE_SYNC                0x2000
#define AT_STATX_DONT_SYNC                 0x4000
#define statx(dfd, path, flags, mask, buf) syscall(SYS_statx, dfd, path, flags, mask, buf)

/* The fields of a stat that do not change from run to run. */
static void show(const char *what, const struct stat *st)
{
	printf("%s: mode %o nlink %lu uid %u gid %u size %lld blocks %lld blksize %ld\n", what,
	       st->st_mode, (unsigned long)st->st_nlink, st->st_uid, st->st_gid,
	       (long long)st->st_size, (long long)st->st_blocks, (long)st->st_blksize);
}

static void stat_path(const char *path, int follow)
{
	struct stat st;
	errno = 0;
	if ((follow ? stat(path, &st) : lstat(path, &st)) == 0)
		show(path, &st);
	else
		printf("%s: %s\n", path, errno_name(errno));
}

/* a is not later than b. */
static int not_later(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

static void kinds(void)
{
	int fd = open(D "/file", O_CREAT | O_WRONLY, 0777);
	R(write(fd, "12345", 5));
	R(close(fd));
	R(mkdir(D "/dir", 0777));
	R(mkdir(D "/dir/sub", 0700));
	R(symlink("file", D "/short"));
	char target[200];
	memset(target, 't', sizeof(target) - 1);
	target[sizeof(target) - 1] = 0;
	R(symlink(target, D "/long"));
	stat_path(D "/file", 1);
	stat_path(D "/dir", 1);
	stat_path(D "/dir/sub", 1);
	stat_path(D, 1);
	stat_path(D "/short", 1);
	stat_path(D "/short", 0);
	stat_path(D "/long", 0);
	stat_path("/tmp", 1);
	stat_path("/", 1);
}

static void times(void)
{
	struct stat a, b;
	int fd = open(D "/t", O_CREAT | O_RDWR, 0600);
	R(fstat(fd, &a));
	printf("new file: atime <= mtime %d, mtime == ctime %d\n", not_later(a.st_atim, a.st_mtim),
	       a.st_mtim.tv_sec == a.st_ctim.tv_sec && a.st_mtim.tv_nsec == a.st_ctim.tv_nsec);
	R(write(fd, "x", 1));
	R(fstat(fd, &b));
	printf("write: mtime not earlier %d, ctime not earlier %d\n",
	       not_later(a.st_mtim, b.st_mtim), not_later(a.st_ctim, b.st_ctim));
	R(link(D "/t", D "/t2"));
	struct stat c;
	R(fstat(fd, &c));
	printf("link: ctime not earlier %d, mtime kept %d, nlink %lu\n",
	       not_later(b.st_ctim, c.st_ctim),
	       b.st_mtim.tv_sec == c.st_mtim.tv_sec && b.st_mtim.tv_nsec == c.st_mtim.tv_nsec,
	       (unsigned long)c.st_nlink);
	R(unlink(D "/t2"));
	R(close(fd));
	R(unlink(D "/t"));
}

static void statxs(void)
{
	struct statx sx;
	memset(&sx, 0, sizeof(sx));
	R(statx(AT_FDCWD, D "/file", 0, STATX_BASIC_STATS, &sx));
	printf("statx file: basic %d mode %o nlink %u size %llu blocks %llu\n",
	       (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS, sx.stx_mode, sx.stx_nlink,
	       (unsigned long long)sx.stx_size, (unsigned long long)sx.stx_blocks);
	R(statx(AT_FDCWD, D "/short", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
	printf("statx symlink: mode %o size %llu\n", sx.stx_mode, (unsigned long long)sx.stx_size);
	R(statx(AT_FDCWD, "/dev/zero", 0, STATX_BASIC_STATS, &sx));
	printf("statx /dev/zero: mode %o rdev %u:%u\n", sx.stx_mode, sx.stx_rdev_major,
	       sx.stx_rdev_minor);
	int fd = open(D "/file", O_RDONLY);
	R(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
	printf("statx of an fd: size %llu\n", (unsigned long long)sx.stx_size);
	R(statx(fd, "", 0, STATX_SIZE, &sx));
	R(close(fd));
	R(statx(AT_FDCWD, D "/file", 0x8000, STATX_BASIC_STATS, &sx));
	R(statx(AT_FDCWD, D "/file", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS,
	        &sx));
	R(statx(AT_FDCWD, D "/file", 0, 0x80000000U, &sx));
	R(statx(AT_FDCWD, D "/file", 0, STATX_BASIC_STATS, (struct statx *)8));
	R(statx(AT_FDCWD, D "/nothing", 0, STATX_BASIC_STATS, &sx));
	R(syscall(SYS_newfstatat, AT_FDCWD, D "/file", (void *)8, 0));
	R(syscall(SYS_fstat, 99, &sx));
}

static void accesses(void)
{
	R(access(D "/file", F_OK));
	R(access(D "/file", R_OK | W_OK));
	R(access(D "/dir", X_OK));
	R(access(D "/nothing", F_OK));
	R(access(D "/file/", F_OK));
	R(access(D "/file", 010));
	R(faccessat(AT_FDCWD, D "/short", R_OK, AT_SYMLINK_NOFOLLOW));
	R(syscall(SYS_faccessat2, AT_FDCWD, D "/short", R_OK, AT_SYMLINK_NOFOLLOW));
	R(syscall(SYS_faccessat2, AT_FDCWD, D "/short", R_OK, 0x8000));
	R(syscall(SYS_faccessat2, AT_FDCWD, D "/short", R_OK, AT_EACCESS));
	R(access((char *)8, F_OK));
	R(access("/dev/null", R_OK | W_OK));
}

int main(void)
{
	R(mkdir(D, 0777)); /* the umask is 022 on both kernels */
	kinds();
	times();
	statxs();
	accesses();
	R(unlink(D "/file"));
	R(unlink(D "/short"));
	R(unlink(D "/long"));
	R(rmdir(D "/dir/sub"));
	R(rmdir(D "/dir"));
	R(rmdir(D));
	return 0;
}
