/* Building the kernel's page table at boot (the rest of vm.c is the mm/hal.h interface).
 * Until vm_init() returns, only the first GiB of RAM is reachable. */
#pragma once
#include "mm/types.h"

/* Map all RAM below ram_end and the kernel image, with frames from alloc, and switch to it. */
void vm_init(paddr_t ram_end, paddr_t (*alloc)(void));

/* Pages of the kernel half that are writable and executable at once (W^X says: none). */
size_t vm_audit_wx(void);

/* Map the device registers at physical [pa, pa + len) uncached into MMIO_AREA, for good; their
 * kernel address, or NULL when the area has no room left. */
void *arch_mmio_map(paddr_t pa, size_t len);
