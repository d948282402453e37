/* Unit tests of the console's input decoding (kernel/dev/console.c) over a fake UART: the
 * preamble and start marker skipped, 0xff unescaped, the end for good, and each --repeat run
 * starting at its own copy of the input whatever the run before left. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "dev/console.h"
#include "dev/uart.h"
#include "dev/virtio_console.h"

/* The fake wire: the bytes of wire, of which arrived have come (the rest come later), through
 * the UART or, if virtio, the virtio console (in chunks of up to 7, as buffers fill). */
static const uint8_t *wire;
static size_t wire_len, wire_pos, arrived;
static bool virtio;

bool vcon_init(void)
{
	return virtio;
}

size_t vcon_read(uint8_t *dst, size_t n)
{
	size_t k = 0;
	while (k < n && k < 7 && wire_pos < wire_len)
		dst[k++] = wire[wire_pos++];
	return k;
}

bool uart_init(void)
{
	return true;
}

/* A byte when one has arrived; when none has, the next few "arrive" (as QEMU refills the FIFO),
 * so that a read can end short and a later one see more. */
int uart_getc(void)
{
	if (wire_pos == arrived) {
		arrived = wire_pos + 3 < wire_len ? wire_pos + 3 : wire_len;
		return -1;
	}
	return wire[wire_pos++];
}

const char console_chan[] = "console";

/* The scheduler's sleep: nothing else runs here, so a read that waits polls the wire again. */
int sched_sleep(const void *chan, uint64_t deadline)
{
	(void)chan;
	(void)deadline;
	return 0;
}

static void feed(const void *bytes, size_t n)
{
	wire = bytes;
	wire_len = n;
	wire_pos = arrived = 0;
}

/* Read everything up to the end into out; its length. */
static size_t read_all(uint8_t *out, size_t max)
{
	size_t got = 0;
	long r;
	while ((r = console_read(out + got, max - got)) > 0)
		got += (size_t)r;
	cr_assert_eq(r, 0);
	return got;
}

#define PRE "\xfe\xfe\xfe\xff\x03"

/* The console's state is the kernel's, once per boot: Criterion runs each test in a process of
 * its own. */
static void decode_end_and_repeat(void)
{
	static const uint8_t in[] = PRE "a\xff\x00"
	                                "b\xff\x00\xff\x00"
	                                "\xff\x01"
	                                "a\xff\x00"
	                                "b\xff\x00\xff\x00"
	                                "\xff\x01"
	                                "a\xff\x00"
	                                "b\xff\x00\xff\x00"
	                                "\xff\x01"
	                                "xyz\xff\x01";
	uint8_t out[64];
	feed(in, sizeof(in) - 1);
	cr_assert_eq(console_read(out, 0), 0, "n = 0 reads nothing and does not wait");
	size_t n = read_all(out, sizeof(out));
	cr_assert_eq(n, 5);
	cr_assert_eq(memcmp(out,
	                    "a\xff"
	                    "b\xff\xff",
	                    5),
	             0);
	cr_assert_eq(console_read(out, sizeof(out)), 0, "the end stays");
	/* the second run reads its own copy, one byte then the rest */
	console_next_run();
	cr_assert_eq(console_read(out, 1), 1);
	cr_assert_eq(out[0], 'a');
	n = read_all(out, sizeof(out));
	cr_assert_eq(n, 4);
	cr_assert_eq(memcmp(out,
	                    "\xff"
	                    "b\xff\xff",
	                    4),
	             0);
	/* the third run reads one byte; the fourth still starts at x */
	console_next_run();
	cr_assert_eq(console_read(out, 1), 1);
	cr_assert_eq(out[0], 'a');
	console_next_run();
	n = read_all(out, sizeof(out));
	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(out, "xyz", 3), 0);
}

Test(console, uart)
{
	decode_end_and_repeat();
}

/* Chunks hold an end marker and the next copy's bytes: those are kept for the next run. */
Test(console, virtio)
{
	virtio = true;
	decode_end_and_repeat();
}
