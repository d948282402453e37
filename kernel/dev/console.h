/* The console's input: the host's stdin as bin/sos-run sends it through the UART, decoded from
 * its in-band framing (a start marker, escaped 0xff bytes, an end-of-input marker). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* Block until the host's stdin has at least one byte, then move up to n of the bytes that
 * have arrived to dst; 0 at end of input (for good after that), -ERESTARTSYS when a signal came. */
long console_read(void *dst, size_t n);

/* True when a read would not wait: a byte has arrived, or the input has ended. */
bool console_ready(void);

/* Before each --repeat run after the first: skip what the run before left of its copy of the
 * input (bin/sos-run sends one copy per run), so that this run reads its own from the start. */
void console_next_run(void);
