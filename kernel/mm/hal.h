/* What kernel/mm needs from the platform below it: reach a physical frame, drop a stale TLB
 * entry, and whether execute-only memory can be unreadable. kernel/arch implements it on the
 * machine; tests/unit implements it over a buffer of fake RAM. */
#pragma once
#include "mm/types.h"

/* Kernel pointer through which physical address pa can be read and written. */
void *phys_to_virt(paddr_t pa);

/* The physical address behind p, a pointer phys_to_virt() gave (or into what it reached). */
paddr_t virt_to_phys(const void *p);

/* Forget any translation of user address va (called after a PTE lost rights or was removed). */
void hal_flush_page(vaddr_t va);

/* True when execute-only memory can be unreadable: the CPU has protection keys and they are on
 * (PTE_PKEY_EXEC_ONLY forbids user reads), as Linux makes PROT_EXEC-only mappings on it. */
bool hal_exec_only(void);
