/* assert() for the kernel: a failed check is a kernel bug, so it panics with the place and the
 * expression. Code shared with the host includes <assert.h> and gets the host's assert there. */
#pragma once
#include "lib/panic.h"

#define assert(e) ((e) ? (void)0 : panic("assertion failed: %s (%s:%d)", #e, __FILE__, __LINE__))
