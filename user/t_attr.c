/* File contents and attributes: truncate, ftruncate, fsync, fdatasync, sync, umask, chmod, fchmod,
 * fchmodat, the chown family, utimensat and futimens; copying with sendfile and copy_file_range;
 * every result printed, times only those the test sets. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>

#include "include/tcall.h"

#define D "/tmp/t_attr"
#define F D "/f"

/* Mode, owner and the two times a test set, of path (not following a last symlink). */
static void attrs_t(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		say("%s: %s\n", path, errname(errno));
		return;
	}
	say("%s: mode %o uid %u gid %u size %lld atime %lld.%09ld mtime %lld.%09ld\n", path,
	    (unsigned)st.st_mode, st.st_uid, st.st_gid, (long long)st.st_size,
	    (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec);
}

/* Mode, owner and size of path (not following a last symlink). */
static void attrs(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		say("%s: %s\n", path, errname(errno));
	else
		say("%s: mode %o uid %u gid %u size %lld\n", path, (unsigned)st.st_mode, st.st_uid,
		    st.st_gid, (long long)st.st_size);
}

/* truncate and ftruncate: grow (a hole of zeros), shrink, and their errors. */
static void truncs(void)
{
	char b[16];
	int fd = (int)T(open(F, O_RDWR));

	T(ftruncate(fd, 10000));
	T(pread(fd, b, 4, 9000));
	say("grown part is zero: %d\n", !b[0] && !b[3]);
	T(truncate(F, 3));
	T(pread(fd, b, 16, 0));
	T(ftruncate(fd, 6));
	T(pread(fd, b, 16, 0));
	say("bytes: %02x %02x %02x %02x %02x %02x\n", b[0], b[1], b[2], b[3], b[4], b[5]);
	T(ftruncate(fd, -1));
	T(truncate(F, -1));
	T(truncate(D, 0));
	T(truncate(D "/nothing", 0));
	T(ftruncate(99, 0));
	int ro = (int)T(open(F, O_RDONLY));
	T(ftruncate(ro, 0));
	int dir = (int)T(open(D, O_RDONLY));
	T(ftruncate(dir, 0));
	T(fsync(fd));
	T(fdatasync(fd));
	T(fsync(dir));
	T(fsync(99));
	T(fdatasync(-1));
	sync();
	say("sync done\n");
	T(syscall(SYS_syncfs, fd));
	close(ro);
	close(dir);
	T(close(fd));
}

/* umask masks what creat and mkdir ask for; chmod, fchmod and fchmodat set the mode. */
static void modes(void)
{
	T(umask(027));
	T(umask(022));
	T(umask(0777));
	T(close(creat(D "/masked", 0777)));
	T(mkdir(D "/maskdir", 0777));
	attrs(D "/masked");
	attrs(D "/maskdir");
	T(umask(022));
	T(chmod(F, 04751));
	attrs(F);
	T(chmod(F, 0170777));
	attrs(F);
	int fd = (int)T(open(F, O_RDONLY));
	T(fchmod(fd, 0600));
	attrs(F);
	T(fchmod(99, 0600));
	T(syscall(SYS_fchmodat, AT_FDCWD, F, 0640));
	attrs(F);
	T(symlink("f", D "/link"));
	T(chmod(D "/link", 0644));
	attrs(D "/link");
	attrs(F);
	T(chmod(D "/nothing", 0644));
	T(syscall(SYS_fchmodat, 99, "f", 0640));
	T(close(fd));
}

/* chown family (root may give files away): -1 keeps a field, chown clears set-user-ID. */
static void owners(void)
{
	int fd = (int)T(open(F, O_RDONLY));

	T(chmod(F, 06755));
	T(chown(F, 1000, 2000));
	attrs(F);
	T(chown(F, -1, 3000));
	attrs(F);
	T(fchown(fd, 0, -1));
	attrs(F);
	T(lchown(D "/link", 42, 43));
	attrs(D "/link");
	attrs(F);
	T(fchownat(AT_FDCWD, D "/link", 7, 8, AT_SYMLINK_NOFOLLOW));
	attrs(D "/link");
	T(fchownat(AT_FDCWD, D "/link", 7, 8, 0x4));
	T(chown(D "/nothing", 0, 0));
	T(fchown(99, 0, 0));
	T(chown(F, 0, 0));
	T(close(fd));
}

/* utimensat and futimens: explicit times, UTIME_OMIT, UTIME_NOW (checked as "later than the time
 * set before"), a symlink's own times, and the errors. */
static void times(void)
{
	struct timespec t[2] = {{1000000000, 123456789}, {1500000000, 5}};
	struct stat st;

	T(utimensat(AT_FDCWD, F, t, 0));
	attrs_t(F);
	struct timespec omit[2] = {{0, UTIME_OMIT}, {1600000000, 0}};
	T(utimensat(AT_FDCWD, F, omit, 0));
	attrs_t(F);
	struct timespec now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
	T(utimensat(AT_FDCWD, F, now, 0));
	stat(F, &st);
	say("mtime now later than before: %d, atime kept: %d\n", st.st_mtim.tv_sec > 1600000000,
	    st.st_atim.tv_sec == 1000000000);
	T(utimensat(AT_FDCWD, D "/link", t, AT_SYMLINK_NOFOLLOW));
	attrs_t(D "/link");
	int fd = (int)T(open(F, O_RDONLY));
	struct timespec t2[2] = {{2000000000, 0}, {2100000000, 999999999}};
	T(futimens(fd, t2));
	attrs_t(F);
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	T(futimens(fd, bad));
	struct timespec neg[2] = {{0, -5}, {0, 0}};
	T(utimensat(AT_FDCWD, F, neg, 0));
	T(utimensat(AT_FDCWD, F, t, 0x1));
	T(utimensat(AT_FDCWD, D "/nothing", t, 0));
	T(futimens(99, t));
	T(syscall(SYS_utimensat, AT_FDCWD, F, (void *)8, 0));
	T(close(fd));
}

/* sendfile and copy_file_range: bytes, offsets, and their errors. */
static void copies(void)
{
	char b[64];
	off_t off = 2;
	loff_t in_off = 1, out_off = 3;

	T(put_file(D "/src", "abcdefghijklmnopqrstuvwxyz"));
	int in = (int)T(open(D "/src", O_RDONLY));
	int out = (int)T(open(D "/dst", O_CREAT | O_RDWR | O_TRUNC, 0644));
	T(sendfile(out, in, &off, 5));
	say("offset now %lld\n", (long long)off);
	T(lseek(in, 0, SEEK_CUR));
	T(sendfile(out, in, NULL, 4));
	T(lseek(in, 0, SEEK_CUR));
	T(sendfile(out, in, NULL, 1000));
	T(sendfile(out, in, NULL, 1000));
	say("dst: %s\n", head_of(D "/dst", b, sizeof(b)));
	T(sendfile(in, out, NULL, 4));
	T(sendfile(out, 99, NULL, 4));
	int null = open("/dev/null", O_WRONLY);
	off = 0;
	T(sendfile(null, in, &off, 100));
	T(copy_file_range(in, &in_off, out, &out_off, 6, 0));
	say("offsets now %lld %lld\n", (long long)in_off, (long long)out_off);
	say("dst: %s\n", head_of(D "/dst", b, sizeof(b)));
	T(copy_file_range(in, NULL, out, NULL, 3, 0));
	T(copy_file_range(in, &in_off, out, &out_off, 6, 1));
	T(copy_file_range(out, NULL, out, NULL, 3, 0));
	loff_t a = 0, c = 2;
	T(copy_file_range(out, &a, out, &c, 4, 0));
	T(copy_file_range(in, NULL, null, NULL, 3, 0));
	T(copy_file_range(99, NULL, out, NULL, 3, 0));
	close(null);
	T(close(in));
	T(close(out));
}

int main(void)
{
	T(mkdir(D, 0755));
	T(put_file(F, "hello world\n"));
	truncs();
	modes();
	owners();
	times();
	copies();
	unlink(F);
	unlink(D "/link");
	unlink(D "/masked");
	unlink(D "/src");
	unlink(D "/dst");
	rmdir(D "/maskdir");
	T(rmdir(D));
	return 0;
}
