/* PCI configuration space (pci.h): mechanism #1, one 32-bit register at a time. */
#include "dev/pci.h"
#include "arch/x86_64/x86.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc

uint32_t pci_cfg_read(int dev, int off)
{
	outl(PCI_ADDR, 0x80000000u | (uint32_t)dev << 11 | (uint32_t)(off & ~3));
	return inl(PCI_DATA) >> (8 * (off & 3));
}

void pci_cfg_write(int dev, int off, uint32_t v)
{
	outl(PCI_ADDR, 0x80000000u | (uint32_t)dev << 11 | (uint32_t)off);
	outl(PCI_DATA, v);
}

int pci_find(uint16_t vendor, uint16_t id1, uint16_t id2)
{
	for (int dev = 0; dev < 32; dev++) {
		uint32_t v = pci_cfg_read(dev, 0);
		if ((v & 0xffff) == vendor && (v >> 16 == id1 || v >> 16 == id2))
			return dev;
	}
	return -1;
}
