/* Fuzzer reproducer: fsync and fdatasync of each kind of file. /proc's files have no fsync on
 * Linux (EINVAL); SOS said 0 for them as for tmpfs files. */
#include "include/check.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* fsync and fdatasync of path opened with flags, by name. */
static void sync_of(const char *path, int flags)
{
	int fd = open(path, flags);
	if (fd < 0) {
		printf("%s: open: %s\n", path, ename(errno));
		return;
	}
	int a = fsync(fd), ea = errno, b = fdatasync(fd), eb = errno;
	printf("%s: fsync %s, fdatasync %s\n", path, a ? ename(ea) : "0", b ? ename(eb) : "0");
	close(fd);
}

int main(void)
{
	int p[2];
	close(open("/tmp/fsync-file", O_CREAT | O_WRONLY, 0644));
	sync_of("/tmp/fsync-file", O_RDONLY);
	sync_of("/tmp", O_RDONLY | O_DIRECTORY);
	sync_of("/proc/meminfo", O_RDONLY);
	sync_of("/proc/self/maps", O_RDONLY);
	sync_of("/proc/self/status", O_RDONLY);
	sync_of("/dev/null", O_RDWR);
	if (pipe(p) == 0)
		printf("pipe: fsync %s\n", fsync(p[0]) ? ename(errno) : "0");
	unlink("/tmp/fsync-file");
	return 0;
}
