/* A program of a little over 1 MiB whose pages are read at start: run twice in one boot, the
 * second run finds them in the page cache (Linux always does; SOS since it execs through it). */
#include "bench.h"

#define TEXT_PAGES 256

/* 1 MiB of read-only data, in the file like text: each page starts with its number + 1. */
#define ROW(i)  [(i)*PAGE] = (char)((i) + 1)
#define R4(i)   ROW(i), ROW((i) + 1), ROW((i) + 2), ROW((i) + 3)
#define R16(i)  R4(i), R4((i) + 4), R4((i) + 8), R4((i) + 12)
#define R64(i)  R16(i), R16((i) + 16), R16((i) + 32), R16((i) + 48)
#define R256(i) R64(i), R64((i) + 64), R64((i) + 128), R64((i) + 192)
static const char blob[TEXT_PAGES * PAGE] = {R256(0)};

int main(void)
{
	clock_warm();

	uint64_t t0 = now_ns();
	unsigned sum = 0;

	for (size_t i = 0; i < sizeof(blob); i += PAGE)
		sum += (unsigned char)((volatile const char *)blob)[i];
	result("bigtext_touch", (double)(now_ns() - t0) / TEXT_PAGES, "ns/page");
	return sum == 0; /* the pages hold their numbers: a sum of 0 means they were not read */
}
