/* Fuzzer reproducer: /proc's names cannot be removed or added to by mkdir (SOS's rmdir of
 * /proc/self/fd succeeded, and the run left an unlinked inode that /proc still held). */
#include "include/check.h"
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* The result of a call: 0 or its errno's name. */
static const char *res(int r)
{
	return r ? ename(errno) : "0";
}

int main(void)
{
	printf("rmdir /proc/self/fd: %s\n", res(rmdir("/proc/self/fd")));
	printf("unlink /proc/meminfo: %s\n", res(unlink("/proc/meminfo")));
	printf("mkdir /proc/x: %s\n", res(mkdir("/proc/x", 0755)));
	printf("/proc/self/fd still there: %s\n", res(access("/proc/self/fd", F_OK)));
	return 0;
}
