/* The virtio-blk driver (virtio spec 1.2, 5.2): one split virtqueue of QSIZE descriptors in the
 * kernel image, each request a chain of three (header, data, status), polled to completion. */
#include "dev/virtio_blk.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/platform.h"
#include "dev/virtio_pci.h"
#include <errno.h>
#include <string.h>

#define BLK_MODERN_ID       0x1042
#define BLK_TRANSITIONAL_ID 0x1001
#define QSIZE               8
#define DESC_NEXT           1
#define DESC_WRITE          2 /* the device writes the buffer */
#define AVAIL_NO_INTERRUPT  1 /* we poll */
#define REQ_IN              0 /* read from the disk */
#define REQ_OUT             1
#define STATUS_OK           0
#define TIMEOUT_NS          (5 * 1000000000ULL) /* far beyond any answer, even under TCG */

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
struct avail {
	uint16_t flags, idx, ring[QSIZE], used_event;
};
struct used {
	uint16_t flags, idx;
	struct {
		uint32_t id, len;
	} ring[QSIZE];
	uint16_t avail_event;
};
struct req_header {
	uint32_t type, reserved;
	uint64_t sector;
};

/* The rings and the request's header and status, where the device reads and writes them. */
static struct {
	struct desc desc[QSIZE];
	struct avail avail;
	struct used used __attribute__((aligned(4)));
	struct req_header hdr;
	uint8_t status;
} q __attribute__((aligned(4096)));
static uint8_t check_page[PAGE_SIZE] __attribute__((aligned(4096)));

static struct vpci vp;
static uint64_t capacity; /* sectors; 0 while no disk is ready */
static uint16_t last_used;
static uint64_t check_write_us, check_read_us;

/* The physical address of an object in the kernel image (linked at KERNEL_BASE + physical). */
static paddr_t image_phys(const volatile void *p)
{
	return (paddr_t)(uintptr_t)p - KERNEL_BASE;
}

int blk_init(const char **why)
{
	uint64_t got;
	int r = vpci_open(&vp, BLK_MODERN_ID, BLK_TRANSITIONAL_ID, why);
	if (r)
		return r;
	if (!vpci_features(&vp, 0, &got)) {
		*why = "the device does not accept VIRTIO_F_VERSION_1";
		return -2;
	}
	memset(&q, 0, sizeof(q));
	q.avail.flags = AVAIL_NO_INTERRUPT;
	last_used = 0;
	if (!vpci_queue(&vp, 0, QSIZE, image_phys(q.desc), image_phys(&q.avail),
	                image_phys(&q.used))) {
		vpci_fail(&vp);
		*why = "the device has no request queue of 8 entries";
		return -2;
	}
	vpci_ready(&vp);
	capacity = *(volatile uint64_t *)vp.device; /* virtio_blk_config.capacity */
	if (capacity < BLK_PAGE_SECTORS) {
		capacity = 0;
		*why = "the disk is smaller than a page";
		return -2;
	}
	return 0;
}

uint64_t blk_capacity(void)
{
	return capacity;
}

/* Wait for the device to use the request just posted; false after TIMEOUT_NS. */
static bool wait_used(void)
{
	uint64_t deadline = arch_monotonic_ns() + TIMEOUT_NS;
	while (*(volatile uint16_t *)&q.used.idx == last_used) {
		if (arch_monotonic_ns() > deadline)
			return false;
		__builtin_ia32_pause();
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	last_used++;
	return true;
}

/* Post one request of type for nsect sectors at sector with its data at buf, and wait for it. */
static int request(uint32_t type, uint64_t sector, uint32_t nsect, paddr_t buf)
{
	if (!capacity)
		return -ENODEV;
	if (!nsect || nsect % BLK_PAGE_SECTORS || sector > capacity || nsect > capacity - sector)
		return -EINVAL;
	q.hdr = (struct req_header){type, 0, sector};
	q.status = 0xff;
	q.desc[0] = (struct desc){image_phys(&q.hdr), sizeof(q.hdr), DESC_NEXT, 1};
	q.desc[1] = (struct desc){buf, nsect * BLK_SECTOR,
	                          (uint16_t)(DESC_NEXT | (type == REQ_IN ? DESC_WRITE : 0)), 2};
	q.desc[2] = (struct desc){image_phys(&q.status), 1, DESC_WRITE, 0};
	q.avail.ring[q.avail.idx % QSIZE] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint16_t *)&q.avail.idx = (uint16_t)(q.avail.idx + 1);
	vpci_notify(&vp, 0);
	if (!wait_used()) {
		vpci_fail(&vp);
		capacity = 0;
		return -EIO;
	}
	vpci_isr(&vp);
	return *(volatile uint8_t *)&q.status == STATUS_OK ? 0 : -EIO;
}

int blk_read(uint64_t sector, uint32_t nsect, paddr_t buf)
{
	return request(REQ_IN, sector, nsect, buf);
}

int blk_write(uint64_t sector, uint32_t nsect, paddr_t buf)
{
	return request(REQ_OUT, sector, nsect, buf);
}

/* Fill check_page with a pattern that differs at every 8-byte word and from a zeroed disk. */
static void fill_pattern(void)
{
	for (size_t i = 0; i < PAGE_SIZE / 8; i++) {
		uint64_t v = 0x5a05a0ULL * (i + 1) ^ 0x9e3779b97f4a7c15ULL;
		memcpy(check_page + 8 * i, &v, 8);
	}
}

/* True when check_page holds the pattern. */
static bool pattern_intact(void)
{
	for (size_t i = 0; i < PAGE_SIZE / 8; i++) {
		uint64_t v = 0x5a05a0ULL * (i + 1) ^ 0x9e3779b97f4a7c15ULL, w;
		memcpy(&w, check_page + 8 * i, 8);
		if (v != w)
			return false;
	}
	return true;
}

int blk_check(const char **why)
{
	if (!capacity) {
		*why = "no disk is ready";
		return -ENODEV;
	}
	uint64_t last = (capacity / BLK_PAGE_SECTORS - 1) * BLK_PAGE_SECTORS;
	fill_pattern();
	uint64_t t0 = arch_monotonic_ns();
	if (blk_write(last, BLK_PAGE_SECTORS, image_phys(check_page))) {
		*why = "writing the last page failed";
		return -EIO;
	}
	uint64_t t1 = arch_monotonic_ns();
	memset(check_page, 0, sizeof(check_page));
	if (blk_read(last, BLK_PAGE_SECTORS, image_phys(check_page))) {
		*why = "reading the last page back failed";
		return -EIO;
	}
	check_write_us = (t1 - t0) / 1000;
	check_read_us = (arch_monotonic_ns() - t1) / 1000;
	if (!pattern_intact()) {
		*why = "the last page read back differs from what was written";
		return -EIO;
	}
	return 0;
}

void blk_check_times(uint64_t *write_us, uint64_t *read_us)
{
	*write_us = check_write_us;
	*read_us = check_read_us;
}
