/* The overcommit heuristic: a request is refused only when it could never fit, even with every
 * frame of RAM and every swap slot free. Nothing is counted, so nothing can leak. */
#include <errno.h>

#include "mm/frame.h"
#include "mm/overcommit.h"
#include "mm/swap.h"

uint64_t swap_pages(void)
{
	return swap_slots_total();
}

/* 0 when pages <= RAM + swap, else -ENOMEM: Linux's pages > totalram_pages() + total_swap_pages. */
int vm_enough_memory(uint64_t pages)
{
	return pages > frames_total() + swap_pages() ? -ENOMEM : 0;
}
