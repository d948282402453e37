/* memfd: anonymous files from memfd_create on Linux 6.12 and on SOS alike — flags and names
 * checked as Linux checks them (MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_NOEXEC_SEAL, MFD_EXEC, name
 * length 249, EFAULT), and the file itself: a regular file with no links, mode 0777 (0666
 * without exec), read-write, growing, shrinking and mapped like any tmpfs file. Owned by
 * kernel/sys (sys_memfd.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

#define MFD_CLOEXEC_       0x01
#define MFD_ALLOW_SEALING_ 0x02
#define MFD_HUGETLB_       0x04
#define MFD_NOEXEC_SEAL_   0x08
#define MFD_EXEC_          0x10

/* Print an errno result, or "fd" for any new descriptor (its number is the kernel's choice). */
static void made(const char *what, long r, int want_fd)
{
	printf("%s: %s\n", what, r < 0 ? ename(-r) : "fd");
	if ((r >= 0) != want_fd)
		failures++;
	if (r >= 0)
		close((int)r);
}

static long memfd(const char *name, unsigned flags)
{
	return neg_errno(syscall(SYS_memfd_create, name, flags));
}

static void flags_test(void)
{
	char name[300];

	made("memfd_create 0", memfd("a", 0), 1);
	made("memfd_create CLOEXEC|ALLOW_SEALING", memfd("a", MFD_CLOEXEC_ | MFD_ALLOW_SEALING_),
	     1);
	made("memfd_create NOEXEC_SEAL", memfd("a", MFD_NOEXEC_SEAL_), 1);
	made("memfd_create EXEC", memfd("a", MFD_EXEC_), 1);
	made("memfd_create EXEC|NOEXEC_SEAL", memfd("a", MFD_EXEC_ | MFD_NOEXEC_SEAL_), 0);
	made("memfd_create flag 0x20", memfd("a", 0x20), 0);
	made("memfd_create flag 0x80000000", memfd("a", 0x80000000u), 0);
	made("memfd_create a huge page size without HUGETLB", memfd("a", 21u << 26), 0);
	memset(name, 'n', sizeof(name));
	name[249] = 0;
	made("memfd_create name of 249 bytes", memfd(name, 0), 1);
	name[249] = 'n';
	name[250] = 0;
	made("memfd_create name of 250 bytes", memfd(name, 0), 0);
	made("memfd_create name with a slash", memfd("a/b", 0), 1);
	made("memfd_create empty name", memfd("", 0), 1);
	made("memfd_create NULL name", memfd(NULL, 0), 0);
	made("memfd_create bad flags and NULL name", memfd(NULL, 0x20), 0);
}

static void file_test(void)
{
	int fd = (int)memfd("test", MFD_CLOEXEC_), nx = (int)memfd("nx", MFD_NOEXEC_SEAL_);
	struct stat st;
	char buf[16] = {0};

	if (fd < 0 || nx < 0) {
		fact("memfd_create", 0);
		return;
	}
	fstat(fd, &st);
	printf("mode %o, links %ld, size %ld, uid %u\n", (unsigned)st.st_mode, (long)st.st_nlink,
	       (long)st.st_size, (unsigned)st.st_uid);
	fstat(nx, &st);
	printf("NOEXEC_SEAL mode %o\n", (unsigned)st.st_mode);
	printf("F_GETFL %#x, F_GETFD %d\n", fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
	fact("write 5", write(fd, "hello", 5) == 5);
	fact("pread them back", pread(fd, buf, sizeof(buf), 0) == 5 && !strcmp(buf, "hello"));
	fact("ftruncate to 3 pages", ftruncate(fd, 3 * 4096) == 0);
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		fact("mmap", 0);
	} else {
		fact("the mapping shows the bytes", !memcmp(m, "hello", 5));
		strcpy(m + 8192, "mapped");
		memset(buf, 0, sizeof(buf));
		fact("a store in the mapping reads back",
		     pread(fd, buf, 6, 8192) == 6 && !strcmp(buf, "mapped"));
		munmap(m, 3 * 4096);
	}
	fact("ftruncate to 0", ftruncate(fd, 0) == 0);
	fstat(fd, &st);
	printf("size after: %ld\n", (long)st.st_size);
	close(fd);
	close(nx);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	flags_test();
	file_test();
	printf("memfd: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
