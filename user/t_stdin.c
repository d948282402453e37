/* Standard input: read fd 0 to its end in pieces of every size, print how many bytes came and
 * their checksum (never how many reads: pieces come as they arrive), then that a read at the end
 * gives 0 again. */
#include "include/tcall.h"

int main(void)
{
	static char buf[65536];
	unsigned long h = 1469598103934665603UL;
	long total = 0, r;
	size_t want = 1;

	while ((r = read(0, buf, want)) > 0) {
		for (long i = 0; i < r; i++)
			h = (h ^ (unsigned char)buf[i]) * 1099511628211UL;
		total += r;
		want = want * 7 % sizeof(buf) + 1;
	}
	say("read %ld bytes, checksum %016lx, end %s\n", total, h, r == 0 ? "0" : errname(errno));
	T(read(0, buf, sizeof(buf)));
	T(read(0, (void *)8, 10));
	T(write(0, "x", 0));
	return 0;
}
