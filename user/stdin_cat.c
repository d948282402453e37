/* stdin_cat: copy stdin to stdout byte for byte (as cat), then say how many bytes came and their
 * sum; with -l, answer each line read ("got N bytes") as soon as it comes, to show that input
 * reaches the program while it is being typed, not only at its end; with -n N, read once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

/* Write all n bytes of p to stdout; 0, or -1 on an error. */
static int put(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(1, p, n);
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* -n N: read N bytes at most (one read of N), print them and stop, leaving the rest unread. */
static int read_some(const char *arg)
{
	size_t n = (size_t)atoi(arg);
	ssize_t got = read(0, buf, n < sizeof(buf) ? n : sizeof(buf));
	printf("read %zd: \"%.*s\"\n", got, got > 0 ? (int)got : 0, buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "-n"))
		return read_some(argv[2]);
	int lines = argc > 1 && !strcmp(argv[1], "-l");
	unsigned long total = 0, sum = 0;
	ssize_t n;
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum += (unsigned char)buf[i];
		total += (unsigned long)n;
		if (lines) {
			char line[64];
			int len = snprintf(line, sizeof(line), "got %zd bytes\n", n);
			if (put(line, (size_t)len))
				return 2;
		} else if (put(buf, (size_t)n)) {
			return 2;
		}
	}
	if (n < 0)
		printf("read: %s\n", strerror(errno));
	printf("\nend of input: %lu bytes, sum %lu\n", total, sum);
	/* after the end, reads go on saying 0 */
	printf("read after the end: %zd\n", read(0, buf, sizeof(buf)));
	return 0;
}
