/* The kernel's message channel: the platform registers where bytes go, lib writes them.
 * This keeps kernel/lib free of any knowledge of the hardware below it. */
#pragma once
#include <stddef.h>

typedef void (*console_sink_fn)(const char *s, size_t n);
typedef void (*halt_fn)(void);

void console_set_sink(console_sink_fn sink);
void console_write(const char *s, size_t n);

/* What panic() calls last, after printing (the platform stops the machine). */
void panic_set_halt(halt_fn halt);

/* What panic() calls after its message: the platform prints the stack that led there. */
void panic_set_backtrace(halt_fn backtrace);
