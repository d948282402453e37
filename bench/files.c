/* The page cache from a program's side: read() of a file of MIB MiB in /tmp twice (the first pass
 * right after the file was written, the second warm), then a shared and a private mapping of it. */
#include "bench.h"

#include <fcntl.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

static char buf[CHUNK];

/* Exit with a message naming the call that failed: a benchmark without its file measures nothing.
 */
static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Fill path with size bytes of a pattern; the file stays open for the caller. */
static int make_file(const char *path, size_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die("open");
	for (size_t i = 0; i < CHUNK; i++)
		buf[i] = (char)(i * 7);
	for (size_t done = 0; done < size; done += CHUNK)
		if (write(fd, buf, CHUNK) != CHUNK)
			die("write");
	return fd;
}

/* Read the whole file from the start in CHUNK pieces: MB/s. */
static double read_all(int fd, size_t size)
{
	uint64_t t0 = now_ns();

	if (lseek(fd, 0, SEEK_SET) != 0)
		die("lseek");
	for (size_t done = 0; done < size; done += CHUNK)
		if (read(fd, buf, CHUNK) != CHUNK)
			die("read");
	return (double)size / MIB / ((double)(now_ns() - t0) / 1e9);
}

/* Map the file with flags and touch each page, writing when write is set: ns per page. */
static double touch_mapping(int fd, size_t size, int flags, int write)
{
	uint64_t t0 = now_ns();
	volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
	unsigned sum = 0;

	if (p == MAP_FAILED)
		die("mmap");
	for (size_t i = 0; i < size; i += PAGE) {
		if (write)
			p[i] = 1;
		else
			sum += (unsigned char)p[i];
	}
	if (munmap((void *)p, size) != 0)
		die("munmap");
	if (sum == 1)
		printf("(unlikely sum)\n"); /* keeps the reads */
	return (double)(now_ns() - t0) / (double)(size / PAGE);
}

int main(int argc, char **argv)
{
	size_t size = (size_t)arg_long(argc, argv, 1, 64) * MIB;

	clock_warm();

	int fd = make_file("/tmp/bench-files", size);

	result("file_read_cold", read_all(fd, size), "MB/s");
	result("file_read_warm", read_all(fd, size), "MB/s");
	result("file_map_shared_read", touch_mapping(fd, size, MAP_SHARED, 0), "ns/page");
	result("file_map_private_write", touch_mapping(fd, size, MAP_PRIVATE, 1), "ns/page");
	close(fd);
	unlink("/tmp/bench-files");
	return 0;
}
