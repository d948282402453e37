/* Where new mappings go: Linux's get_unmapped_area() for anonymous memory (top down below the mmap
 * base, bottom up for MAP_32BIT), the hint rules and the gap kept below growing stacks. */
#include <errno.h>

#include "mm/layout.h"
#include "mm/place.h"
#include "mm/uapi.h"

/* The start of the free space r leaves below it: Linux keeps a gap under growing stacks. */
vaddr_t start_gap(const struct region *r)
{
	if (!(r->flags & REGION_GROWSDOWN))
		return r->start;
	return r->start > STACK_GUARD ? r->start - STACK_GUARD : 0;
}

/* True when [a, a + len) is free and clear of the gap below a growing region above it. */
bool range_free(const struct as *as, vaddr_t a, vaddr_t len)
{
	const struct region *n = region_first_after(&as->regions, a);

	return !n || a + len <= start_gap(n);
}

/* ---- mmap ---------------------------------------------------------------------------------- */

/* Linux's get_unmapped_area() for anonymous memory: the place for len bytes (page aligned,
 * len > 0) at or near addr, or -errno. fixed takes addr as it is; MAP_32BIT searches low. */
long unmapped_area(const struct as *as, vaddr_t addr, vaddr_t len, int flags)
{
	vaddr_t a;

	if (len > USER_END)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		a = addr;
	} else if (flags & MAP_32BIT) {
		/* Linux's bottom-up search: a hint is taken only below 2 GiB */
		a = PAGE_DOWN(addr);
		if (!a || len > MAP32_HI || a > MAP32_HI - len || !range_free(as, a, len))
			a = region_gap_bottomup(&as->regions, MAP32_LO, MAP32_HI, len);
		if (!a)
			return -ENOMEM;
	} else {
		a = PAGE_DOWN(addr);
		if (!a || a > USER_END - len || !range_free(as, a, len))
			a = region_gap_topdown(&as->regions, USER_MIN, MMAP_TOP, len);
		if (!a)
			return -ENOMEM;
	}
	if (a > USER_END - len)
		return -ENOMEM;
	/* Below USER_MIN only by MAP_FIXED or a hint, and the process runs as root, as on the
	 * oracle: CAP_SYS_RAWIO passes mmap_min_addr. */
	return PAGE_ALIGNED(a) ? (long)a : -EINVAL;
}

/* Linux's round_hint_to_min(): an mmap hint in the first 64 KiB becomes USER_MIN, one in the
 * first page none. */
vaddr_t round_hint_to_min(vaddr_t addr)
{
	addr = PAGE_DOWN(addr);
	return addr && addr < USER_MIN ? USER_MIN : addr;
}
