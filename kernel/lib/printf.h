/* Formatted output for the kernel: a small printf over any byte sink.
 * Supports %d %i %u %x %lx %p %s %c %% with width, zero padding and the l/ll/z modifiers. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

/* Format into buf (always NUL-terminated when size > 0); returns the length it wanted. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Print to SOS's own channel (stderr of bin/sos-run). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vkprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
