/* A stand-in for the host's standard input until the boot-io part's driver replaces this file:
 * input is always at its end, as fd 0 was before there was a file system. */
#include "dev/console.h"

long console_read(void *dst, size_t n)
{
	(void)dst, (void)n;
	return 0;
}
