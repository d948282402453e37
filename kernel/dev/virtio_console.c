/* The receive side of a virtio console through the legacy virtio-pci interface: the device found
 * on PCI (pci.c), one receive queue of page buffers in the kernel image, polled. */
#include "dev/virtio_console.h"
#include "dev/pci.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/x86.h"
#include <string.h>

#define PCI_VENDOR_ID  0x1af4 /* virtio */
#define PCI_CONSOLE_ID 0x1003 /* legacy (transitional) console */
#define PCI_COMMAND    0x04
#define PCI_BAR0       0x10
#define PCI_CMD_IO     0x01
#define PCI_CMD_MASTER 0x04
#define BAR0_FALLBACK  0xc000 /* where to put the I/O window when the firmware did not */

#define VIO_GUEST_FEATURES 0x04
#define VIO_QUEUE_PFN      0x08
#define VIO_QUEUE_SIZE     0x0c
#define VIO_QUEUE_SELECT   0x0e
#define VIO_QUEUE_NOTIFY   0x10
#define VIO_STATUS         0x12
#define STATUS_ACK         0x01
#define STATUS_DRIVER      0x02
#define STATUS_DRIVER_OK   0x04

#define QUEUE_MAX   256 /* descriptors the ring memory below has room for */
#define NBUFS       8
#define BUF_SIZE    4096
#define DESC_WRITE  2 /* the device writes the buffer */
#define AVAIL_NOIRQ 1 /* no interrupt: we poll */

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
struct used_elem {
	uint32_t id, len;
};

/* The legacy ring: descriptors and the available ring, then the used ring on the next page. */
static uint8_t ring[2 * 4096 + QUEUE_MAX * 16] __attribute__((aligned(4096)));
static uint8_t bufs[NBUFS][BUF_SIZE] __attribute__((aligned(4096)));

static uint16_t iobase, qsize, avail_idx, last_used;
static struct desc *descs;
static volatile uint16_t *avail; /* flags, idx, ring[] */
static volatile uint16_t *used;  /* flags, idx, then elems */
static uint32_t cur_id, cur_len, cur_off;
static bool have_cur;

/* The physical address of an object in the kernel image (linked at KERNEL_BASE + physical). */
static uint64_t image_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p - KERNEL_BASE;
}

/* Offer buffer id to the device. */
static void post(uint16_t id)
{
	avail[2 + avail_idx % qsize] = id;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	avail_idx++;
	avail[1] = avail_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	outw(iobase + VIO_QUEUE_NOTIFY, 0);
}

/* Lay the ring out for qsize descriptors as legacy virtio wants it; false if it does not fit. */
static bool setup_ring(void)
{
	size_t avail_end = (size_t)qsize * 16 + 4 + 2 * (size_t)qsize + 2;
	size_t used_at = (avail_end + 4095) & ~(size_t)4095;
	if (qsize > QUEUE_MAX || used_at + 4 + 8 * (size_t)qsize + 2 > sizeof(ring))
		return false;
	memset(ring, 0, sizeof(ring));
	descs = (struct desc *)ring;
	avail = (volatile uint16_t *)(ring + (size_t)qsize * 16);
	used = (volatile uint16_t *)(ring + used_at);
	avail[0] = AVAIL_NOIRQ;
	for (uint16_t i = 0; i < NBUFS; i++)
		descs[i] = (struct desc){image_phys(bufs[i]), BUF_SIZE, DESC_WRITE, 0};
	return true;
}

bool vcon_init(void)
{
	int dev = pci_find(PCI_VENDOR_ID, PCI_CONSOLE_ID, PCI_CONSOLE_ID);
	if (dev < 0)
		return false;
	uint32_t bar = pci_cfg_read(dev, PCI_BAR0);
	if (!(bar & 1))
		return false; /* not an I/O window: not the legacy interface */
	if (!(bar & ~3u)) {
		pci_cfg_write(dev, PCI_BAR0, BAR0_FALLBACK);
		bar = pci_cfg_read(dev, PCI_BAR0);
	}
	iobase = (uint16_t)(bar & ~3u);
	pci_cfg_write(dev, PCI_COMMAND,
	              pci_cfg_read(dev, PCI_COMMAND) | PCI_CMD_IO | PCI_CMD_MASTER);
	outb(iobase + VIO_STATUS, 0); /* reset */
	outb(iobase + VIO_STATUS, STATUS_ACK | STATUS_DRIVER);
	outl(iobase + VIO_GUEST_FEATURES, 0); /* no multiport: port 0 alone, queues 0 and 1 */
	outw(iobase + VIO_QUEUE_SELECT, 0);
	qsize = inw(iobase + VIO_QUEUE_SIZE);
	if (qsize < NBUFS || !setup_ring())
		return false;
	outl(iobase + VIO_QUEUE_PFN, (uint32_t)(image_phys(ring) >> 12));
	outb(iobase + VIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
	for (uint16_t i = 0; i < NBUFS; i++)
		post(i);
	return true;
}

size_t vcon_read(uint8_t *dst, size_t n)
{
	if (!have_cur) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (used[1] == last_used)
			return 0;
		const volatile struct used_elem *e =
		    (const volatile struct used_elem *)(used + 2) + last_used % qsize;
		cur_id = e->id, cur_len = e->len, cur_off = 0;
		last_used++;
		if (cur_id >= NBUFS)
			return 0; /* not a buffer we posted: nothing to read, nothing to give back
			           */
		if (cur_len > BUF_SIZE)
			cur_len = BUF_SIZE;
		have_cur = true;
	}
	size_t k = cur_len - cur_off < n ? cur_len - cur_off : n;
	memcpy(dst, bufs[cur_id] + cur_off, k);
	cur_off += (uint32_t)k;
	if (cur_off == cur_len) {
		have_cur = false;
		post((uint16_t)cur_id);
	}
	return k;
}
