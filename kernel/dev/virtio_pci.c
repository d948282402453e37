/* The virtio 1.x PCI transport (virtio spec 1.2, 4.1): configuration ports for discovery, the
 * vendor capabilities that locate the register blocks in memory BARs, mapped uncached. Polled. */
#include "dev/virtio_pci.h"
#include "dev/pci.h"
#include "arch/x86_64/vm.h"
#include "arch/x86_64/x86.h"

#define PCI_COMMAND     0x04
#define PCI_STATUS      0x06
#define PCI_BAR0        0x10
#define PCI_CAP_PTR     0x34
#define PCI_CMD_IO      0x01
#define PCI_CMD_MEMORY  0x02
#define PCI_CMD_MASTER  0x04
#define PCI_STATUS_CAPS 0x10
#define PCI_CAP_VENDOR  0x09
#define BAR_IO          0x01
#define BAR_TYPE_64     0x04
#define BAR_MEM_MASK    (~0xfu)
/* Where unassigned memory BARs go (qboot assigns none): in the PC's hole below the I/O APIC,
 * above the RAM of every machine size QEMU's pc and q35 put below 4 GiB. */
#define BAR_WINDOW     0xe0000000u
#define BAR_WINDOW_END 0xfec00000u

/* cfg_type of a virtio capability */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR    3
#define CAP_DEVICE 4

/* struct virtio_pci_common_cfg's fields */
#define C_DFSELECT  0x00
#define C_DF        0x04
#define C_GFSELECT  0x08
#define C_GF        0x0c
#define C_STATUS    0x14
#define C_QSELECT   0x16
#define C_QSIZE     0x18
#define C_QENABLE   0x1c
#define C_QNOTIFY   0x1e
#define C_QDESC     0x20
#define C_QDRIVER   0x28
#define C_QDEVICE   0x30
#define COMMON_SIZE 0x38

#define S_ACK         0x01
#define S_DRIVER      0x02
#define S_DRIVER_OK   0x04
#define S_FEATURES_OK 0x08
#define S_FAILED      0x80

#define VIRTIO_F_VERSION_1 (1ULL << 32)
#define MAX_QUEUES         4

static uint16_t notify_off[MAX_QUEUES]; /* queue_notify_off of each queue set up */
static uint32_t bar_next = BAR_WINDOW;

/* Give memory BAR bar of dev an address in BAR_WINDOW when the firmware gave it none. */
static void bar_assign(int dev, int bar, bool is64)
{
	int off = PCI_BAR0 + 4 * bar;
	pci_cfg_write(dev, off, 0xffffffffu);
	uint32_t size = ~(pci_cfg_read(dev, off) & BAR_MEM_MASK) + 1;
	uint32_t at = (bar_next + size - 1) & ~(size - 1);
	if (!size || at + (uint64_t)size > BAR_WINDOW_END)
		at = 0; /* too big: stays unusable */
	else
		bar_next = at + size;
	pci_cfg_write(dev, off, at);
	if (is64)
		pci_cfg_write(dev, off + 4, 0);
}

/* The physical address of memory BAR bar of dev (assigned now if need be), or 0. */
static paddr_t bar_address(int dev, int bar)
{
	if (bar > 5)
		return 0;
	int off = PCI_BAR0 + 4 * bar;
	uint32_t lo = pci_cfg_read(dev, off);
	if (lo & BAR_IO)
		return 0;
	bool is64 = lo & BAR_TYPE_64;
	paddr_t pa = (lo & BAR_MEM_MASK) | (is64 ? (paddr_t)pci_cfg_read(dev, off + 4) << 32 : 0);
	if (!pa) {
		bar_assign(dev, bar, is64);
		pa = pci_cfg_read(dev, off) & BAR_MEM_MASK;
	}
	return pa;
}

/* Give every memory BAR of dev an address before memory decoding is turned on, so that none
 * decodes at 0: the firmware may have assigned none (qboot does not). */
static void bars_assign(int dev)
{
	for (int bar = 0; bar < 6; bar++) {
		uint32_t lo = pci_cfg_read(dev, PCI_BAR0 + 4 * bar);
		if (lo & BAR_IO)
			continue;
		bar_address(dev, bar);
		if (lo & BAR_TYPE_64)
			bar++; /* its upper half */
	}
}

/* Map the block a virtio capability at cap of dev describes; NULL when it cannot be. */
static volatile uint8_t *cap_map(int dev, int cap)
{
	paddr_t base = bar_address(dev, (int)(pci_cfg_read(dev, cap + 4) & 0xff));
	uint32_t off = pci_cfg_read(dev, cap + 8), len = pci_cfg_read(dev, cap + 12);
	if (!base || !len)
		return NULL;
	return arch_mmio_map(base + off, len);
}

/* Walk dev's capability list and map the four blocks; false when one is missing. */
static bool find_caps(struct vpci *vp, int dev)
{
	if (!(pci_cfg_read(dev, PCI_STATUS) & PCI_STATUS_CAPS))
		return false;
	int seen = 0;
	for (int cap = (int)(pci_cfg_read(dev, PCI_CAP_PTR) & 0xfc); cap && seen < 48;
	     cap = (int)(pci_cfg_read(dev, cap + 1) & 0xfc), seen++) {
		if ((pci_cfg_read(dev, cap) & 0xff) != PCI_CAP_VENDOR)
			continue;
		switch (pci_cfg_read(dev, cap + 3) & 0xff) {
		case CAP_COMMON:
			if (!vp->common && pci_cfg_read(dev, cap + 12) >= COMMON_SIZE)
				vp->common = cap_map(dev, cap);
			break;
		case CAP_NOTIFY:
			if (!vp->notify) {
				vp->notify = cap_map(dev, cap);
				vp->notify_mult = pci_cfg_read(dev, cap + 16);
			}
			break;
		case CAP_ISR:
			if (!vp->isr)
				vp->isr = cap_map(dev, cap);
			break;
		case CAP_DEVICE:
			if (!vp->device)
				vp->device = cap_map(dev, cap);
			break;
		}
	}
	return vp->common && vp->notify && vp->isr && vp->device;
}

static void w8(struct vpci *vp, int off, uint8_t v)
{
	*(volatile uint8_t *)(vp->common + off) = v;
}

static void w16(struct vpci *vp, int off, uint16_t v)
{
	*(volatile uint16_t *)(vp->common + off) = v;
}

static void w32(struct vpci *vp, int off, uint32_t v)
{
	*(volatile uint32_t *)(vp->common + off) = v;
}

/* A 64-bit field as two 32-bit writes, low half first (the spec allows either width). */
static void w64(struct vpci *vp, int off, uint64_t v)
{
	w32(vp, off, (uint32_t)v);
	w32(vp, off + 4, (uint32_t)(v >> 32));
}

static uint8_t r8(struct vpci *vp, int off)
{
	return *(volatile uint8_t *)(vp->common + off);
}

static uint16_t r16(struct vpci *vp, int off)
{
	return *(volatile uint16_t *)(vp->common + off);
}

static uint32_t r32(struct vpci *vp, int off)
{
	return *(volatile uint32_t *)(vp->common + off);
}

int vpci_open(struct vpci *vp, uint16_t modern_id, uint16_t transitional_id, const char **why)
{
	*vp = (struct vpci){0};
	int dev = pci_find(VIRTIO_VENDOR, modern_id, transitional_id);
	if (dev < 0)
		return -1;
	bars_assign(dev);
	if (!find_caps(vp, dev)) {
		*why = "no virtio 1.x capabilities in memory BARs that could be mapped";
		return -2;
	}
	/* memory and bus mastering on; I/O off: the legacy I/O BAR is not used, nor assigned */
	uint32_t cmd = pci_cfg_read(dev, PCI_COMMAND) & 0xffff & ~(uint32_t)PCI_CMD_IO;
	pci_cfg_write(dev, PCI_COMMAND, cmd | PCI_CMD_MEMORY | PCI_CMD_MASTER);
	w8(vp, C_STATUS, 0); /* reset, and wait for it to be done (4.1.4.3.2) */
	for (int i = 0; r8(vp, C_STATUS) && i < 1000000; i++)
		;
	if (r8(vp, C_STATUS)) {
		*why = "the device does not reset";
		return -2;
	}
	w8(vp, C_STATUS, S_ACK | S_DRIVER);
	return 0;
}

bool vpci_features(struct vpci *vp, uint64_t want, uint64_t *got)
{
	w32(vp, C_DFSELECT, 0);
	uint64_t offered = r32(vp, C_DF);
	w32(vp, C_DFSELECT, 1);
	offered |= (uint64_t)r32(vp, C_DF) << 32;
	want |= VIRTIO_F_VERSION_1;
	*got = offered & want;
	if (!(*got & VIRTIO_F_VERSION_1)) {
		vpci_fail(vp);
		return false;
	}
	w32(vp, C_GFSELECT, 0);
	w32(vp, C_GF, (uint32_t)*got);
	w32(vp, C_GFSELECT, 1);
	w32(vp, C_GF, (uint32_t)(*got >> 32));
	w8(vp, C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	if (!(r8(vp, C_STATUS) & S_FEATURES_OK)) {
		vpci_fail(vp);
		return false;
	}
	return true;
}

bool vpci_queue(struct vpci *vp, uint16_t q, uint16_t size, paddr_t desc, paddr_t avail,
                paddr_t used)
{
	if (q >= MAX_QUEUES)
		return false;
	w16(vp, C_QSELECT, q);
	uint16_t max = r16(vp, C_QSIZE);
	if (!max || size > max)
		return false;
	w16(vp, C_QSIZE, size);
	w64(vp, C_QDESC, desc);
	w64(vp, C_QDRIVER, avail);
	w64(vp, C_QDEVICE, used);
	notify_off[q] = r16(vp, C_QNOTIFY);
	w16(vp, C_QENABLE, 1);
	return true;
}

void vpci_ready(struct vpci *vp)
{
	w8(vp, C_STATUS, r8(vp, C_STATUS) | S_DRIVER_OK);
}

void vpci_notify(struct vpci *vp, uint16_t q)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint16_t *)(vp->notify + (uint32_t)notify_off[q] * vp->notify_mult) = q;
}

uint8_t vpci_isr(struct vpci *vp)
{
	return *vp->isr;
}

void vpci_fail(struct vpci *vp)
{
	w8(vp, C_STATUS, r8(vp, C_STATUS) | S_FAILED);
}
