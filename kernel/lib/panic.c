/* The console sink registry and panic(): how the kernel reports and stops on its own bugs.
 * Messages go to SOS's channel (stderr of bin/sos-run) prefixed "sos:". */
#include "lib/console.h"
#include "lib/panic.h"
#include "lib/printf.h"

static console_sink_fn sink;
static halt_fn halt;
static halt_fn backtrace;

void console_set_sink(console_sink_fn s)
{
	sink = s;
}

void console_write(const char *s, size_t n)
{
	if (sink)
		sink(s, n);
}

void panic_set_halt(halt_fn h)
{
	halt = h;
}

void panic_set_backtrace(halt_fn b)
{
	backtrace = b;
}

void panic(const char *fmt, ...)
{
	va_list ap;
	kprintf("sos: panic: ");
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	if (backtrace)
		backtrace();
	if (halt)
		halt();
	for (;;)
		__asm__ volatile("cli; hlt");
}
