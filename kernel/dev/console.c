/* Decoding the host's stdin from the UART. bin/sos-run's filter sends a preamble of 0xfe bytes
 * and the start marker 0xff 0x03 (bytes before the UART's set-up may be lost, and these are the
 * ones), then the input with each 0xff sent as 0xff 0x00, then 0xff 0x01 at its end. With
 * --repeat N, the input is sent N times, each copy ending with 0xff 0x01. */
#include "dev/console.h"
#include "dev/uart.h"
#include <stdbool.h>
#include <stdint.h>

#define ESC       0xff
#define ESC_BYTE  0x00 /* ESC ESC_BYTE: a data byte 0xff */
#define ESC_END   0x01 /* ESC ESC_END: end of input */
#define ESC_START 0x03 /* ESC ESC_START: the input starts after it */

enum state { UNINIT, SYNC, SYNC_ESC, DATA, DATA_ESC, END };

static enum state state = UNINIT;

/* Feed one byte from the wire through the decoder: the data byte it gives, or -1 for none. */
static int decode(uint8_t c)
{
	switch (state) {
	case SYNC:
		if (c == ESC)
			state = SYNC_ESC;
		return -1;
	case SYNC_ESC:
		state = c == ESC_START ? DATA : c == ESC ? SYNC_ESC : SYNC;
		return -1;
	case DATA:
		if (c != ESC)
			return c;
		state = DATA_ESC;
		return -1;
	case DATA_ESC:
		state = c == ESC_END ? END : DATA;
		return c == ESC_BYTE ? ESC : -1; /* anything else is not sent: dropped */
	default:
		return -1;
	}
}

/* Decode what has arrived into dst (at most n bytes); wait for a first byte if block. */
static size_t take(uint8_t *dst, size_t n, bool block)
{
	size_t got = 0;
	while (got < n && state != END) {
		int c = uart_getc();
		if (c < 0) {
			if (!block || got)
				break;
			__asm__ volatile("pause");
			continue;
		}
		c = decode((uint8_t)c);
		if (c >= 0)
			dst[got++] = (uint8_t)c;
	}
	return got;
}

long console_read(void *dst, size_t n)
{
	if (state == UNINIT) {
		uart_init();
		state = SYNC;
	}
	if (!n)
		return 0;
	return (long)take(dst, n, true);
}

void console_next_run(void)
{
	uint8_t sink[64];
	if (state == UNINIT) {
		uart_init();
		state = SYNC;
	}
	while (state != END)
		take(sink, sizeof(sink), true);
	state = DATA;
}
