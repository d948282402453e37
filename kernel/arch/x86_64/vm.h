/* Building the kernel's page table at boot (the rest of vm.c is the mm/hal.h interface).
 * Until vm_init() returns, only the first GiB of RAM is reachable. */
#pragma once
#include "mm/types.h"

/* Map all RAM below ram_end and the kernel image, with frames from alloc, and switch to it. */
void vm_init(paddr_t ram_end, paddr_t (*alloc)(void));

/* Pages of the kernel half that are writable and executable at once (W^X says: none). */
size_t vm_audit_wx(void);
