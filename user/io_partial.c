/* write and writev over buffers that run into a PROT_NONE page part way, and a length of -1:
 * Linux writes up to the bad page and returns the count, and refuses a range past user space. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	memset(p, 'a', 8192);
	p[4095] = '\n';
	mprotect(p + 4096, 4096, PROT_NONE);

	long r = write(1, p + 3996, 200);
	printf("write across a bad page: %ld\n", r);
	errno = 0;
	r = write(1, p, (size_t)-1);
	printf("write of length -1: %ld %s\n", r, strerror(errno));
	struct iovec v[2] = {{p + 4000, 95}, {p + 4096, 10}};
	errno = 0;
	r = writev(1, v, 2);
	printf("\nwritev with a bad second buffer: %ld %s\n", r, strerror(errno));
	errno = 0;
	r = write(1, p + 4096, 10);
	printf("write from the bad page: %ld %s\n", r, strerror(errno));
	return 0;
}
