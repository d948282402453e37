/* Linux 6.12's overcommit heuristic, vm.overcommit_memory = 0 (OVERCOMMIT_GUESS), the oracle's
 * setting: one accountable request of more pages than RAM + swap is refused. Mode 0 sums nothing
 * (Linux keeps its committed total only for mode 2), so each request is judged alone and nothing is
 * ever uncharged. Who charges what is the callers' business (mmap.c, mremap.c, proc's exec). */
#pragma once
#include "mm/types.h"

/* Pages of swap that can hold user memory: Linux's total_swap_pages, the slots swap_init() was
 * given less mkswap's header. 0 without a swap disk. */
uint64_t swap_pages(void);

/* Linux's __vm_enough_memory() in mode 0: 0 when a request of pages pages may be granted, -ENOMEM
 * when pages is more than the frames of RAM (frames_total()) plus swap_pages(). */
int vm_enough_memory(uint64_t pages);
