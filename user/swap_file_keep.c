/* swap_file_keep: a file that outlives its run with pages out on swap, some read ahead into the
 * swap cache by the faults of anonymous memory whose slots lie around theirs. The kernel's check
 * after each run must count neither as a leak (it once said "left 1 swap slots in use", then
 * "leaked 2 frames"), and the next run finds the file whole. Exits 0, or 1 on a wrong byte.
 * Run with --repeat under --mem 32M and a swap disk. Owned by kernel/mm (swap) and main.c. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FILE_PATH  "/tmp/swap_file_keep"
#define FILE_PAGES 16
#define ANON_MIB   48 /* more than the RAM left to programs in 32 MiB */
#define PG         4096

/* Page i of the file, filled with its pattern. */
static void file_page(char *buf, int i)
{
	for (int k = 0; k < PG; k++)
		buf[k] = (char)(i * 31 + k % 251);
}

/* The file as the last run left it: 0 when absent or whole, 1 when a byte differs. */
static int check_file(void)
{
	char want[PG], got[PG];
	int fd = open(FILE_PATH, O_RDONLY), bad = 0;
	if (fd < 0)
		return 0;
	for (int i = 0; i < FILE_PAGES && !bad; i++) {
		file_page(want, i);
		bad = pread(fd, got, PG, (off_t)i * PG) != PG || memcmp(got, want, PG);
	}
	close(fd);
	printf("swap_file_keep: the file of the last run %s\n", bad ? "changed" : "is whole");
	return bad;
}

int main(void)
{
	size_t mib = 1 << 20, anon = (size_t)ANON_MIB * mib;
	char *a = mmap(NULL, anon, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char page[PG];
	int bad = check_file(), fd = open(FILE_PATH, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (a == MAP_FAILED || fd < 0)
		return 1;
	/* file pages between runs of anonymous ones: eviction gives them neighbouring slots */
	for (int i = 0; i < FILE_PAGES; i++) {
		file_page(page, i);
		if (pwrite(fd, page, PG, (off_t)i * PG) != PG)
			return 1;
		memset(a + (size_t)i * (anon / FILE_PAGES), i + 1, anon / FILE_PAGES);
	}
	close(fd);
	/* faults in a row widen the read-ahead window over the file's slots */
	for (size_t off = 0; off < anon; off += PG)
		if (a[off] != (char)(off / (anon / FILE_PAGES) + 1))
			bad = 1;
	printf("swap_file_keep: %d MiB read back %s\n", ANON_MIB, bad ? "wrong" : "right");
	return bad;
}
