/* panic(): the kernel stops with a message when one of its own invariants is broken.
 * A user program's mistake never comes here. */
#pragma once

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
