/* A virtio-blk disk over the virtio 1.x PCI transport, polled and synchronous: one request at a
 * time, of whole 4 KiB pages, to or from a physically contiguous buffer or up to BLK_BATCH_MAX
 * scattered pages. The swap device. */
#pragma once
#include "mm/types.h"

#define BLK_SECTOR       512
#define BLK_PAGE_SECTORS (PAGE_SIZE / BLK_SECTOR)
#define BLK_BATCH_MAX    32 /* pages one request of blk_read_pages/blk_write_pages may carry */

/* Find the disk (PCI 0x1af4:0x1042, or the transitional 0x1001) and set its one queue up.
 * 0 when ready, -1 when there is no disk, -2 when it cannot be used (*why says why). */
int blk_init(const char **why);

/* The disk's size in 512-byte sectors; 0 when there is none ready. */
uint64_t blk_capacity(void);

/* Read (write) nsect sectors at sector to (from) physical buf, waiting for the device. nsect is
 * a positive multiple of BLK_PAGE_SECTORS. 0, -EINVAL for a request past the end or not of whole
 * pages, -ENODEV with no disk ready, -EIO when the device fails it or does not answer in time
 * (then the disk is given up on: a late answer must not land in a reused buffer). */
int blk_read(uint64_t sector, uint32_t nsect, paddr_t buf);
int blk_write(uint64_t sector, uint32_t nsect, paddr_t buf);

/* Read (write) the n pages at sector, sector + BLK_PAGE_SECTORS, ... to (from) the n frames, in
 * one request: the disk's contiguous pages, scattered in memory. n is 1 to blk_batch_max(); the
 * errors as blk_read's. */
int blk_read_pages(uint64_t sector, const paddr_t *frames, unsigned n);
int blk_write_pages(uint64_t sector, const paddr_t *frames, unsigned n);

/* The most pages one blk_read_pages/blk_write_pages request takes (BLK_BATCH_MAX, or fewer when
 * the device says so); 0 with no disk ready. */
unsigned blk_batch_max(void);

/* Write a pattern to the disk's last page, read it back and compare; then the same with the last
 * blk_batch_max() pages in one request each way: 0, or -EIO with *why. */
int blk_check(const char **why);

/* Microseconds the last blk_check() took: one page written and read back, and batch pages. */
struct blk_times {
	uint64_t write_us, read_us;
	unsigned batch;
	uint64_t batch_write_us, batch_read_us;
};

void blk_check_times(struct blk_times *t);
