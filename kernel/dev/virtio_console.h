/* A virtio console (legacy virtio-pci, polled), the fast way for bin/sos-run's stdin: QEMU moves
 * up to a page into a posted buffer per wakeup of its I/O thread, where the UART moves a byte. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Find the device on PCI bus 0 and set its receive queue up; false when there is none. */
bool vcon_init(void);

/* Move up to n received bytes to dst without waiting; 0 when none has arrived. */
size_t vcon_read(uint8_t *dst, size_t n);
