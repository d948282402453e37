/* MAP_HUGETLB's rules (hugetlb.c) as mmap.c, madvise.c and mremap.c call them. Private to
 * kernel/mm; the full contracts sit above each definition. */
#pragma once
#include "mm/as.h"

/* mmap(2) with MAP_HUGETLB (MAP_ANONYMOUS, len > 0, off page aligned): the place or -errno. */
long hugetlb_mmap(struct as *as, vaddr_t addr, size_t len, int prot, int flags, long off);

/* madvise(2) at start in r: 0 or -errno when r is hugetlb memory and that settles it, else 1. */
long advise_huge(const struct region *r, vaddr_t start, int advice);

/* mremap(2)'s checks when r (the region at old) is hugetlb memory; rounds the lengths. */
long huge_remap_args(const struct region *r, vaddr_t old, size_t *oldlen, size_t *newlen,
                     vaddr_t newaddr);
