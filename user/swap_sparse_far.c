/* swap_sparse_far: one page of a sparse tmpfs file 2^50 bytes in (page index 2^38, past the 36
 * bits a frame names), then memory pressure. The page stays in memory and reads back whole; SOS
 * once evicted it and panicked in shmem_swapped_out() (the fuzzer's find). Run under --mem 32M
 * with a swap disk. Exits 0, or 1 when the page changed. Owned by kernel/mm (shmem, reclaim). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PATH     "/tmp/swap_sparse_far"
#define FAR      ((off_t)1 << 50)
#define ANON_MIB 48 /* more than the RAM left to programs in 32 MiB */

int main(void)
{
	char page[4096], back[4096];
	size_t n = (size_t)ANON_MIB << 20;
	int fd = open(PATH, O_CREAT | O_TRUNC | O_RDWR, 0600);
	char *a = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(page, 0x5a, sizeof(page));
	if (fd < 0 || a == MAP_FAILED || pwrite(fd, page, sizeof(page), FAR) != sizeof(page))
		return 1;
	memset(a, 1, n); /* twice: the file's page is the oldest when the second pass needs room */
	memset(a, 2, n);
	int bad = pread(fd, back, sizeof(back), FAR) != sizeof(back) || memcmp(back, page, 4096);
	printf("swap_sparse_far: the page 2^50 bytes in %s\n", bad ? "changed" : "is whole");
	unlink(PATH);
	return bad;
}
