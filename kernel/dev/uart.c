/* The COM1 16550 UART's receive side, polled: QEMU feeds it from bin/sos-run's stdin chardev as
 * fast as the guest empties its FIFO, so the FIFO's size sets how much arrives per wait. */
#include "dev/uart.h"
#include "arch/x86_64/x86.h"

#define COM1 0x3f8
#define RBR  0 /* receive buffer (DLAB 0) */
#define DLL  0 /* divisor low (DLAB 1) */
#define IER  1 /* interrupt enable (DLAB 0) */
#define DLM  1 /* divisor high (DLAB 1) */
#define FCR  2 /* FIFO control */
#define LCR  3 /* line control */
#define LSR  5 /* line status */

#define LCR_DLAB   0x80
#define LCR_8N1    0x03
#define FCR_ENABLE 0x01
#define FCR_CLEAR  0x06 /* both FIFOs */
#define FCR_ITL14  0xc0 /* QEMU offers up to the trigger level at a time: the most per refill */
#define LSR_DR     0x01 /* a byte is waiting */

void uart_init(void)
{
	outb(COM1 + IER, 0);
	outb(COM1 + LCR, LCR_DLAB);
	outb(COM1 + DLL, 1); /* 115200 baud; QEMU's chardevs ignore it */
	outb(COM1 + DLM, 0);
	outb(COM1 + LCR, LCR_8N1);
	outb(COM1 + FCR, FCR_ENABLE | FCR_CLEAR | FCR_ITL14);
}

int uart_getc(void)
{
	if (!(inb(COM1 + LSR) & LSR_DR))
		return -1;
	return inb(COM1 + RBR);
}
