/* The window through which /proc text is made: generators write the whole text, and the bytes a
 * read asked for are kept. Reading a large file costs a generation per window, as seq_file does. */
#include "lib/printf.h"
#include "proc/proctext.h"
#include <stdarg.h>
#include <string.h>

void text_put(struct proc_text *t, const char *s, size_t len)
{
	size_t lo = t->pos > t->off ? t->pos : t->off;
	size_t hi = t->pos + len < t->off + t->n ? t->pos + len : t->off + t->n;

	if (lo < hi)
		memcpy(t->dst + (lo - t->off), s + (lo - t->pos), hi - lo);
	t->pos += len;
}

void text_printf(struct proc_text *t, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	text_put(t, line, (size_t)n);
}

void text_pad(struct proc_text *t, size_t line_start, size_t col)
{
	static const char spaces[] = "                                ";

	while (t->pos - line_start < col) {
		size_t n = col - (t->pos - line_start);

		text_put(t, spaces, n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1);
	}
}

size_t text_filled(const struct proc_text *t)
{
	if (t->pos <= t->off)
		return 0;
	return t->pos - t->off < t->n ? t->pos - t->off : t->n;
}
