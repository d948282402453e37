/* statfs: what statfs(2) and fstatfs(2) say of the root file system on Linux 6.12 (its rootfs,
 * a tmpfs) and on SOS (its tmpfs) alike: the type, block and name sizes, flags, a size of about
 * half of RAM in blocks and as many inodes, free counts that fall as a file grows, and the
 * errnos of bad paths, fds and buffers. The fsid differs (Linux's is random) and is not shown.
 * Owned by kernel/sys (sys_statfs.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "include/check.h"

#define FILE_A "/tmp/statfs_a"
#define GROW   (1 << 20)

/* The fields that agree between the two kernels, and the relations that must hold. */
static void show(const char *what, const struct statfs *s)
{
	struct sysinfo si;
	sysinfo(&si);
	double half = (double)si.totalram * si.mem_unit / 4096 / 2;
	printf("%s: type %#lx bsize %ld frsize %ld namelen %ld flags %#lx\n", what, (long)s->f_type,
	       (long)s->f_bsize, (long)s->f_frsize, (long)s->f_namelen, (long)s->f_flags);
	fact("  blocks are about half of RAM", s->f_blocks > half * 0.9 && s->f_blocks <= half);
	fact("  as many inodes as blocks", s->f_files == s->f_blocks);
	fact("  bavail is bfree", s->f_bavail == s->f_bfree);
	fact("  most blocks are free", s->f_bfree > s->f_blocks / 2 && s->f_bfree <= s->f_blocks);
	fact("  most inodes are free", s->f_ffree > s->f_files / 2 && s->f_ffree < s->f_files);
}

static void fields_test(void)
{
	struct statfs s, t;

	show_result("statfs /", neg_errno(statfs("/", &s)), 0);
	show("/", &s);
	show_result("statfs /tmp", neg_errno(statfs("/tmp", &t)), 0);
	show("/tmp", &t);
	int fd = open("/", O_RDONLY);
	show_result("fstatfs /", neg_errno(fstatfs(fd, &t)), 0);
	fact("  the same file system", t.f_type == s.f_type && t.f_blocks == s.f_blocks);
	close(fd);
	fd = open("/tmp", O_PATH);
	show_result("fstatfs O_PATH", neg_errno(fstatfs(fd, &t)), 0);
	close(fd);
}

/* A file that grows by 1 MiB takes 256 blocks and an inode. */
static void usage_test(void)
{
	struct statfs a, b, c;
	static char data[GROW];

	unlink(FILE_A);
	statfs("/tmp", &a);
	int fd = open(FILE_A, O_CREAT | O_RDWR, 0644);
	memset(data, 'u', sizeof(data));
	write(fd, data, sizeof(data));
	statfs("/tmp", &b);
	close(fd);
	unlink(FILE_A);
	statfs("/tmp", &c);
	long blocks = (long)(a.f_bfree - b.f_bfree), inodes = (long)(a.f_ffree - b.f_ffree);
	printf("a 1 MiB file takes %ld blocks and %ld inode\n", blocks, inodes);
	printf("and gives them back: %ld blocks, %ld inodes\n", (long)(c.f_bfree - b.f_bfree),
	       (long)(c.f_ffree - b.f_ffree));
}

static void errors_test(void)
{
	struct statfs s;
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_result("statfs missing", neg_errno(statfs("/missing", &s)), -ENOENT);
	show_result("statfs missing, NULL buffer", neg_errno(syscall(SYS_statfs, "/missing", NULL)),
	            -ENOENT);
	show_result("statfs NULL buffer", neg_errno(syscall(SYS_statfs, "/", NULL)), -EFAULT);
	show_result("statfs read-only buffer", neg_errno(syscall(SYS_statfs, "/", ro)), -EFAULT);
	show_result("statfs(NULL)", neg_errno(syscall(SYS_statfs, NULL, &s)), -EFAULT);
	show_result("statfs(\"\")", neg_errno(statfs("", &s)), -ENOENT);
	show_result("statfs through a file", neg_errno(statfs("/tmp/statfs_none/x", &s)), -ENOENT);
	show_result("fstatfs(-1)", neg_errno(fstatfs(-1, &s)), -EBADF);
	show_result("fstatfs(99)", neg_errno(fstatfs(99, &s)), -EBADF);
	show_result("fstatfs NULL buffer", neg_errno(syscall(SYS_fstatfs, 1, NULL)), -EFAULT);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fields_test();
	usage_test();
	errors_test();
	printf("statfs: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
