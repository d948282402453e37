/* Decoding the host's stdin from the virtio console, or the UART when QEMU has no such device.
 * bin/sos-run's filter sends a preamble of 0xfe bytes and the start marker 0xff 0x03 (bytes before
 * the UART's set-up may be lost, and these are the ones), then the input with each 0xff sent as
 * 0xff 0x00, then 0xff 0x01 at its end. With
 * --repeat N, the input is sent N times, each copy ending with 0xff 0x01. */
#include "dev/console.h"
#include "lib/wait.h"
#include "dev/uart.h"
#include "dev/virtio_console.h"
#include <errno.h>
#include <string.h>
#include <stdbool.h>
#include <stdint.h>

#define ESC       0xff
#define ESC_BYTE  0x00 /* ESC ESC_BYTE: a data byte 0xff */
#define ESC_END   0x01 /* ESC ESC_END: end of input */
#define ESC_START 0x03 /* ESC ESC_START: the input starts after it */

enum state { UNINIT, SYNC, SYNC_ESC, DATA, DATA_ESC, END };

#define RAW_MAX 64 /* raw bytes decoded at a time */

static enum state state = UNINIT;
static int peeked = -1;       /* a data byte console_ready() took early, or -1 */
static bool virtio;           /* the wire is the virtio console, not the UART */
static uint8_t left[RAW_MAX]; /* raw bytes after an end marker, not yet decoded */
static size_t left_off, left_len;

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

/* Up to n raw bytes from the wire without waiting: first those a copy's end left unread, then
 * from the virtio console when there is one, else from the UART. */
static size_t raw_read(uint8_t *raw, size_t n)
{
	if (left_len) {
		size_t k = left_len < n ? left_len : n;
		memcpy(raw, left + left_off, k);
		left_off += k, left_len -= k;
		return k;
	}
	if (virtio)
		return vcon_read(raw, n);
	int c = uart_getc();
	if (c < 0)
		return 0;
	raw[0] = (uint8_t)c;
	return 1;
}

/* Put n raw bytes back in front of those left: they came from there or the wire, so they fit. */
static void unread(const uint8_t *p, size_t n)
{
	memmove(left + n, left + left_off, left_len);
	memcpy(left, p, n);
	left_off = 0;
	left_len += n;
}

/* Decode what has arrived into dst (at most n bytes); wait for a first byte if block. Raw bytes
 * are never fewer than the data bytes they decode to, so n - got raw bytes never overflow dst;
 * those past the end marker are kept for the next --repeat run. */
static size_t take(uint8_t *dst, size_t n, bool block)
{
	size_t got = 0;
	while (got < n && state != END) {
		uint8_t raw[RAW_MAX];
		size_t k = raw_read(raw, n - got < RAW_MAX ? n - got : RAW_MAX), i = 0;
		if (!k) {
			if (!block || got)
				break;
			__asm__ volatile("pause");
			continue;
		}
		for (; i < k && state != END; i++) {
			int c = decode(raw[i]);
			if (c >= 0)
				dst[got++] = (uint8_t)c;
		}
		if (i < k)
			unread(raw + i, k - i);
	}
	return got;
}

/* Set the wire up: the virtio console when QEMU has one, else the UART; with neither, there is
 * no input at all. */
static void start(void)
{
	virtio = vcon_init();
	state = virtio || uart_init() ? SYNC : END;
}

bool console_ready(void)
{
	uint8_t c;
	if (state == UNINIT)
		start();
	if (peeked < 0 && take(&c, 1, false))
		peeked = c;
	return peeked >= 0 || state == END;
}

long console_read(void *dst, size_t n)
{
	uint8_t *d = dst;
	size_t got = 0;
	if (state == UNINIT)
		start();
	if (!n)
		return 0;
	if (peeked >= 0) {
		d[got++] = (uint8_t)peeked;
		peeked = -1;
		return (long)(got + take(d + got, n - got, false));
	}
	for (;;) {
		got = take(dst, n, false);
		if (got || state == END)
			return (long)got;
		if (sched_sleep(console_chan, 0)) /* the timer wakes it to poll again */
			return -ERESTARTSYS;
	}
}

void console_next_run(void)
{
	uint8_t sink[64];
	if (state == UNINIT)
		start();
	peeked = -1;
	while (state != END)
		take(sink, sizeof(sink), true);
	state = DATA;
}
