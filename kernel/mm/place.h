/* Where new mappings go (place.c), for mmap.c, mremap.c and hugetlb.c. Private to kernel/mm. */
#pragma once
#include "mm/as.h"

/* The start of the free space r leaves below it: Linux keeps a gap under growing stacks. */
vaddr_t start_gap(const struct region *r);

/* True when [a, a + len) is free and clear of the gap below a growing region above it. */
bool range_free(const struct as *as, vaddr_t a, vaddr_t len);

/* Linux's get_unmapped_area() for anonymous memory: the place for len bytes (page aligned,
 * len > 0) at or near addr, or -errno. MAP_FIXED takes addr as it is; MAP_32BIT searches low. */
long unmapped_area(const struct as *as, vaddr_t addr, vaddr_t len, int flags);

/* Linux's round_hint_to_min(): an mmap hint in the first 64 KiB becomes USER_MIN, one in the
 * first page none. */
vaddr_t round_hint_to_min(vaddr_t addr);
