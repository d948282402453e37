/* A full tmpfs: writes fill /tmp until tmpfs's size limit (half of RAM, Linux's default) says
 * ENOSPC, not an out-of-memory kill; a short write comes first when the limit falls inside one;
 * after the file goes, the space is there again. SOS alone: the oracle's root holds its own
 * files and memory in a different way. Prints to stderr for the system case's match. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "include/fs_check.h"

static char chunk[1 << 20];

/* Write chunks to path until a write fails; the MiB written and the errno. */
static long fill(const char *path, int *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	long total = 0, r;
	memset(chunk, 'x', sizeof(chunk));
	while ((r = write(fd, chunk, sizeof(chunk))) > 0)
		total += r;
	*err = errno;
	close(fd);
	return total >> 20;
}

int main(void)
{
	int err1, err2;
	printf("filling /tmp\n"); /* each run's first line */
	long first = fill("/tmp/fs_enospc", &err1);
	R(unlink("/tmp/fs_enospc"));
	long second = fill("/tmp/fs_enospc", &err2);
	R(unlink("/tmp/fs_enospc"));
	fprintf(stderr, "full after %ld MiB (%s), then %ld MiB (%s)\n", first, errno_name(err1),
	        second, errno_name(err2));
	return !(err1 == ENOSPC && err2 == ENOSPC && first == second && first > 8);
}
