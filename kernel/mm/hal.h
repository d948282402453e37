/* What kernel/mm needs from the platform below it: reach a physical frame and drop a stale TLB
 * entry. kernel/arch implements it on the machine; tests/unit implements it over a buffer of fake
 * RAM. */
#pragma once
#include "mm/types.h"

/* Kernel pointer through which physical address pa can be read and written. */
void *phys_to_virt(paddr_t pa);

/* Forget any translation of user address va (called after a PTE lost rights or was removed). */
void hal_flush_page(vaddr_t va);
