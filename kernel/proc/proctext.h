/* Text made on demand for /proc files: a generator writes the whole text through a window, and
 * only the bytes [off, off + n) a read asks for are kept (Linux's seq_file, without a buffer). */
#pragma once
#include <stddef.h>

struct proc_text {
	char *dst;     /* the window's bytes land here */
	size_t off, n; /* the window: bytes [off, off + n) of the text */
	size_t pos;    /* bytes of the text made so far */
};

/* Add len bytes to the text (kept where they fall inside the window). */
void text_put(struct proc_text *t, const char *s, size_t len);

/* Add formatted text (one line or less: at most 256 bytes at a time). */
void text_printf(struct proc_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Add spaces up to column col of the current line, whose first byte was at text position
 * line_start (Linux's seq_pad()). */
void text_pad(struct proc_text *t, size_t line_start, size_t col);

/* Bytes of the window filled: what a read of the window returns. */
size_t text_filled(const struct proc_text *t);
