/* The virtio-blk driver (virtio spec 1.2, 5.2): one split virtqueue of QSIZE descriptors in the
 * kernel image, each request a chain (header, one data descriptor per buffer, status), polled to
 * completion. */
#include "dev/virtio_blk.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/platform.h"
#include "dev/virtio_pci.h"
#include <errno.h>
#include <string.h>

#define BLK_MODERN_ID       0x1042
#define BLK_TRANSITIONAL_ID 0x1001
#define QSIZE               (BLK_BATCH_MAX + 2) /* a request of the most pages, header, status */
#define F_SEG_MAX           (1ULL << 2) /* the device says how many buffers a request takes */
#define F_FLUSH             (1ULL << 9) /* a write cache, flushed on request (see blk_init) */
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
static uint8_t check_pages[2][PAGE_SIZE] __attribute__((aligned(4096)));

static struct vpci vp;
static uint64_t capacity; /* sectors; 0 while no disk is ready */
static uint16_t last_used;
static unsigned batch_max;     /* pages a request may carry: BLK_BATCH_MAX, or less by seg_max */
static struct blk_times times; /* of the last blk_check() */

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
	/* Without F_FLUSH the disk is write-through: QEMU syncs the host file after every write
	 * (0.2-0.4 ms a page, up to 18 ms on a fresh sparse file). Swap needs nothing to last past
	 * the boot, so SOS never flushes, as Linux's swap does not. */
	if (!vpci_features(&vp, F_SEG_MAX | F_FLUSH, &got)) {
		*why = "the device does not accept VIRTIO_F_VERSION_1";
		return -2;
	}
	memset(&q, 0, sizeof(q));
	q.avail.flags = AVAIL_NO_INTERRUPT;
	last_used = 0;
	if (!vpci_queue(&vp, 0, QSIZE, image_phys(q.desc), image_phys(&q.avail),
	                image_phys(&q.used))) {
		vpci_fail(&vp);
		*why = "the device's request queue is too short for BLK_BATCH_MAX pages";
		return -2;
	}
	vpci_ready(&vp);
	capacity = *(volatile uint64_t *)vp.device; /* virtio_blk_config.capacity */
	uint32_t seg_max = (got & F_SEG_MAX) ? *(volatile uint32_t *)(vp.device + 12) : 0;
	batch_max = seg_max && seg_max < BLK_BATCH_MAX ? seg_max : BLK_BATCH_MAX;
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

/* Post one request of type at sector whose data are the n buffers at bufs, len bytes each (a
 * multiple of a page), and wait for it. */
static int request(uint32_t type, uint64_t sector, const paddr_t *bufs, unsigned n, uint32_t len)
{
	if (!capacity)
		return -ENODEV;
	uint64_t nsect = (uint64_t)n * (len / BLK_SECTOR);
	if (!n || n > batch_max || !len || len % PAGE_SIZE || sector > capacity ||
	    nsect > capacity - sector)
		return -EINVAL;
	q.hdr = (struct req_header){type, 0, sector};
	q.status = 0xff;
	q.desc[0] = (struct desc){image_phys(&q.hdr), sizeof(q.hdr), DESC_NEXT, 1};
	for (unsigned i = 0; i < n; i++)
		q.desc[1 + i] = (struct desc){
		    bufs[i], len, (uint16_t)(DESC_NEXT | (type == REQ_IN ? DESC_WRITE : 0)),
		    (uint16_t)(2 + i)};
	q.desc[1 + n] = (struct desc){image_phys(&q.status), 1, DESC_WRITE, 0};
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
	if (nsect > UINT32_MAX / BLK_SECTOR) /* more than one descriptor's length */
		return -EINVAL;
	return request(REQ_IN, sector, &buf, 1, nsect * BLK_SECTOR);
}

int blk_write(uint64_t sector, uint32_t nsect, paddr_t buf)
{
	if (nsect > UINT32_MAX / BLK_SECTOR)
		return -EINVAL;
	return request(REQ_OUT, sector, &buf, 1, nsect * BLK_SECTOR);
}

int blk_read_pages(uint64_t sector, const paddr_t *frames, unsigned n)
{
	return request(REQ_IN, sector, frames, n, PAGE_SIZE);
}

int blk_write_pages(uint64_t sector, const paddr_t *frames, unsigned n)
{
	return request(REQ_OUT, sector, frames, n, PAGE_SIZE);
}

unsigned blk_batch_max(void)
{
	return capacity ? batch_max : 0;
}

/* Fill page with a pattern that differs at every 8-byte word, from a zeroed disk and with salt. */
static void fill_pattern(uint8_t *page, uint64_t salt)
{
	for (size_t i = 0; i < PAGE_SIZE / 8; i++) {
		uint64_t v = (0x5a05a0ULL * (i + 1) ^ 0x9e3779b97f4a7c15ULL) + salt;
		memcpy(page + 8 * i, &v, 8);
	}
}

/* True when page holds the pattern of salt. */
static bool pattern_intact(const uint8_t *page, uint64_t salt)
{
	for (size_t i = 0; i < PAGE_SIZE / 8; i++) {
		uint64_t v = (0x5a05a0ULL * (i + 1) ^ 0x9e3779b97f4a7c15ULL) + salt, w;
		memcpy(&w, page + 8 * i, 8);
		if (v != w)
			return false;
	}
	return true;
}

/* Write the last page from check_pages[0] and read it back: 0, or -EIO with *why. */
static int check_one(const char **why)
{
	uint64_t last = (capacity / BLK_PAGE_SECTORS - 1) * BLK_PAGE_SECTORS;
	fill_pattern(check_pages[0], 0);
	uint64_t t0 = arch_monotonic_ns();
	if (blk_write(last, BLK_PAGE_SECTORS, image_phys(check_pages[0]))) {
		*why = "writing the last page failed";
		return -EIO;
	}
	uint64_t t1 = arch_monotonic_ns();
	memset(check_pages[0], 0, PAGE_SIZE);
	if (blk_read(last, BLK_PAGE_SECTORS, image_phys(check_pages[0]))) {
		*why = "reading the last page back failed";
		return -EIO;
	}
	times.write_us = (t1 - t0) / 1000;
	times.read_us = (arch_monotonic_ns() - t1) / 1000;
	if (!pattern_intact(check_pages[0], 0)) {
		*why = "the last page read back differs from what was written";
		return -EIO;
	}
	return 0;
}

/* Write the last pages in one request, from check_pages[0] and [1] in turn, and read them back
 * the same way: each buffer must end with the last of its pages. 0, or -EIO with *why. */
static int check_batch(const char **why)
{
	uint64_t pages = capacity / BLK_PAGE_SECTORS;
	unsigned n = pages < batch_max ? (unsigned)pages : batch_max;
	uint64_t first = (pages - n) * BLK_PAGE_SECTORS;
	paddr_t frames[BLK_BATCH_MAX];
	for (unsigned i = 0; i < n; i++)
		frames[i] = image_phys(check_pages[i % 2]);
	fill_pattern(check_pages[0], 0);
	fill_pattern(check_pages[1], 1);
	uint64_t t0 = arch_monotonic_ns();
	if (blk_write_pages(first, frames, n)) {
		*why = "writing the last pages in one request failed";
		return -EIO;
	}
	uint64_t t1 = arch_monotonic_ns();
	memset(check_pages, 0, sizeof(check_pages));
	if (blk_read_pages(first, frames, n)) {
		*why = "reading the last pages back in one request failed";
		return -EIO;
	}
	times.batch = n;
	times.batch_write_us = (t1 - t0) / 1000;
	times.batch_read_us = (arch_monotonic_ns() - t1) / 1000;
	if (!pattern_intact(check_pages[(n - 1) % 2], (n - 1) % 2) ||
	    (n > 1 && !pattern_intact(check_pages[n % 2], n % 2))) {
		*why = "the last pages read back in one request differ from what was written";
		return -EIO;
	}
	return 0;
}

int blk_check(const char **why)
{
	if (!capacity) {
		*why = "no disk is ready";
		return -ENODEV;
	}
	int r = check_one(why);
	return r ? r : check_batch(why);
}

void blk_check_times(struct blk_times *t)
{
	*t = times;
}
