/* PCI configuration space through the legacy ports (0xcf8/0xcfc), bus 0 and function 0 only:
 * all that SOS's QEMU machine needs to find its virtio devices. */
#pragma once
#include <stdint.h>

/* The register at byte off of device slot dev's configuration space, shifted down when off is
 * not a multiple of 4 (the bytes above it follow). */
uint32_t pci_cfg_read(int dev, int off);

/* Write the 32-bit register at off (a multiple of 4). */
void pci_cfg_write(int dev, int off, uint32_t v);

/* The slot on bus 0 of a device of vendor with device id id1 or id2, or -1. */
int pci_find(uint16_t vendor, uint16_t id1, uint16_t id2);
