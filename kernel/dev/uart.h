/* The 16550 UART at COM1, through which bin/sos-run sends the host's stdin: received bytes,
 * taken by polling (no interrupt yet; an IRQ handler can call uart_getc() the same way). */
#pragma once

/* Set COM1 up: 8N1, receive FIFO on (14-byte trigger), interrupts off. Bytes that came before
 * may be lost: bin/sos-run sends a preamble the console skips for that reason. */
void uart_init(void);

/* The next received byte (0-255), or -1 when none is waiting. */
int uart_getc(void);
