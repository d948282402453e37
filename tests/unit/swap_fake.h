/* A fake swap device for the unit tests: an array of pages on the host heap, with reads and
 * writes counted and failures injectable by slot. */
#pragma once
#include "mm/swap.h"

extern const struct swap_device swap_fake;
/* The same disk with batched requests (read_pages, write_pages), as virtio-blk has them: a batch
 * fails whole when one of its slots would. */
extern const struct swap_device swap_fake_batched;
extern unsigned long swap_fake_batches; /* batched requests so far */
extern unsigned long swap_fake_reads, swap_fake_writes;
extern uint64_t swap_fake_fail_read;  /* a read of this slot fails with -EIO (0: none) */
extern uint64_t swap_fake_fail_write; /* a write of this slot fails with -EIO (0: none) */

/* A fresh device of slots zeroed pages, counters and failures cleared. */
void swap_fake_init(uint64_t slots);

/* Free the device's pages. */
void swap_fake_done(void);

/* The bytes of slot on the device. */
uint8_t *swap_fake_page(uint64_t slot);
