/* Fuzzer reproducer: /proc's names cannot be removed, added to or moved (SOS's rmdir of
 * /proc/self/fd succeeded, and the run left an unlinked inode that /proc still held; rename moved
 * /proc/meminfo away, for the rest of the boot; open(O_CREAT) made files in /proc). */
#define _GNU_SOURCE
#include "include/check.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The result of a call: 0 (or a new fd) or its errno's name. */
static const char *res(long r)
{
	if (r > 0)
		close((int)r);
	return r < 0 ? ename(errno) : "0";
}

static long rename2(const char *from, const char *to, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

int main(void)
{
	struct stat st;

	printf("rmdir /proc/self/fd: %s\n", res(rmdir("/proc/self/fd")));
	printf("unlink /proc/meminfo: %s\n", res(unlink("/proc/meminfo")));
	printf("mkdir /proc/x: %s\n", res(mkdir("/proc/x", 0755)));
	printf("/proc/self/fd still there: %s\n", res(access("/proc/self/fd", F_OK)));
	printf("rename meminfo to a new name: %s\n", res(rename("/proc/meminfo", "/proc/m2")));
	printf("rename maps onto stat: %s\n", res(rename("/proc/self/maps", "/proc/self/stat")));
	printf("rename meminfo onto itself: %s\n", res(rename("/proc/meminfo", "/proc/meminfo")));
	printf("rename a missing name: %s\n", res(rename("/proc/nosuch", "/proc/vmstat")));
	printf("exchange meminfo and vmstat: %s\n",
	       res(rename2("/proc/meminfo", "/proc/vmstat", 2)));
	printf("rename meminfo, no replace: %s\n",
	       res(rename2("/proc/meminfo", "/proc/vmstat", 1)));
	printf("rename meminfo to /tmp: %s\n", res(rename("/proc/meminfo", "/tmp/meminfo")));
	printf("create /proc/self/x: %s\n", res(open("/proc/self/x", O_CREAT | O_WRONLY, 0644)));
	printf("create /proc/x: %s\n", res(open("/proc/x", O_CREAT | O_WRONLY, 0644)));
	printf("create /proc/self/maps, O_EXCL: %s\n",
	       res(open("/proc/self/maps", O_CREAT | O_EXCL | O_WRONLY, 0644)));
	printf("create /proc/self/maps: %s\n",
	       res(open("/proc/self/maps", O_CREAT | O_RDONLY, 0644)));
	printf("O_TMPFILE in /proc: %s\n", res(open("/proc", O_TMPFILE | O_RDWR, 0644)));
	printf("chmod /proc/self/maps: %s\n", res(chmod("/proc/self/maps", 0600)));
	printf("chmod /proc/meminfo: %s\n", res(chmod("/proc/meminfo", 0600)));
	const char *r = res(stat("/proc/meminfo", &st));
	printf("stat /proc/meminfo: %s, mode %o\n", r, st.st_mode);
	printf("chmod /proc/meminfo back: %s\n", res(chmod("/proc/meminfo", 0444)));
	printf("/proc/self/stat and /proc/m2: %s %s\n", res(access("/proc/self/stat", R_OK)),
	       res(access("/proc/m2", F_OK)));
	return 0;
}
