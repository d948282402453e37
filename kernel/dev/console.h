/* The host's standard input, as bin/sos-run delivers it (the boot-io part owns this interface and
 * its driver). */
#pragma once
#include <stddef.h>

/* Block until the host's stdin has at least one byte, then move up to n of the bytes that have
 * arrived to dst; 0 at end of input (for good after that). */
long console_read(void *dst, size_t n);
