/* The overcommit heuristic: a request is refused only when it could never fit, even with every
 * frame of RAM and every swap slot free. Nothing is counted, so nothing can leak. */
#include <errno.h>

#include "mm/frame.h"
#include "mm/overcommit.h"

/* Swap adds its slots here when it comes, as Linux's total_swap_pages. */
uint64_t swap_pages(void)
{
	return 0;
}

/* 0 when pages <= RAM + swap, else -ENOMEM: Linux's pages > totalram_pages() + total_swap_pages. */
int vm_enough_memory(uint64_t pages)
{
	return pages > frames_total() + swap_pages() ? -ENOMEM : 0;
}
