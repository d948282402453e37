/* What a run leaves behind: a file kept after the run (on SOS the runs of one boot share the file
 * system; the oracle's batch runs may start afresh, so nothing printed depends on it), files
 * unlinked while open, descriptors left open at exit, a big
 * file removed, a working directory removed. The kernel's leak check after every run of
 * --repeat finds any file, inode or frame the run should have given back. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "include/fs_check.h"

static char page[4096];

int main(void)
{
	struct stat st;
	int keep = open("/tmp/fs_leak_keep", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	R(write(keep, "run\n", 4));
	R(fstat(keep, &st));
	printf("kept file size now: %lld\n", (long long)st.st_size);

	int big = open("/tmp/fs_leak_big", O_RDWR | O_CREAT | O_TRUNC, 0600);
	for (int i = 0; i < 256; i++)
		write(big, page, sizeof(page));
	R(unlink("/tmp/fs_leak_big")); /* open at exit: freed by the exit's close */
	int dup_of_big = dup(big);
	R(lseek(dup_of_big, 0, SEEK_END));

	R(mkdir("/tmp/fs_leak_dir", 0755));
	R(chdir("/tmp/fs_leak_dir"));
	int in_dir = open("f", O_CREAT | O_RDWR, 0600);
	R(write(in_dir, "x", 1));
	R(unlink("f"));
	R(rmdir("/tmp/fs_leak_dir")); /* the cwd goes away; the process still holds it */
	R(symlink("/tmp/fs_leak_keep", "/tmp/fs_leak_link"));
	R(unlink("/tmp/fs_leak_link"));
	return 0; /* keep, big, its dup and in_dir are still open */
}
