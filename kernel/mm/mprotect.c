/* mprotect(2) as Linux 6.12 does it: the PROT_GROWSDOWN rules, holes (-ENOMEM after the regions
 * before them changed), the commit charge of memory made writable and the execute-only key. */
#include <errno.h>

#include "mm/fault.h"
#include "mm/overcommit.h"
#include "mm/uapi.h"

#define PROT_SEM 0x8 /* accepted by x86's arch_validate_prot(), no effect */

static vaddr_t min_va(vaddr_t a, vaddr_t b)
{
	return a < b ? a : b;
}

/* ---- mprotect ------------------------------------------------------------------------------ */

/* The flags r gets with new rights prot (rawprot as mprotect got it), as Linux's mprotect_fixup()
 * accounts: private memory made writable for the first time is charged (hugetlb memory never);
 * anonymous memory never written is uncharged when it stops being; the execute-only key comes or
 * goes. */
static unsigned protect_flags(const struct region *r, unsigned prot, int rawprot)
{
	unsigned f = (r->flags & ~REGION_EXEC_ONLY) | exec_only_flag(rawprot);

	if (f == r->flags && prot == r->prot)
		return f; /* Linux changes nothing when nothing changes */

	if (prot & VM_WRITE) {
		if (!(r->prot & VM_WRITE) &&
		    !(f & (REGION_ACCOUNT | REGION_SHARED | REGION_NORESERVE | REGION_HUGETLB)))
			f |= REGION_ACCOUNT;
	} else if ((f & REGION_ACCOUNT) && region_anonymous(r) && !r->anon) {
		f &= ~REGION_ACCOUNT;
	}
	return f;
}

/* True when mprotect makes locked private memory writable: Linux then faults it in for writing
 * (mprotect_fixup()), which gives it an anon identity. */
static bool unlocked_write(unsigned flags, unsigned prot, unsigned newprot)
{
	return (flags & (REGION_LOCKED | REGION_ONFAULT | REGION_SHARED)) == REGION_LOCKED &&
	       !(prot & VM_WRITE) && (newprot & VM_WRITE);
}

/* mprotect(2). As Linux, regions before a hole keep their new rights when -ENOMEM is returned. */
long as_mprotect(struct as *as, vaddr_t addr, size_t len, int prot)
{
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);

	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || !PAGE_ALIGNED(addr))
		return -EINVAL;
	if (len == 0)
		return 0;

	vaddr_t end = addr + PAGE_UP(len);

	if (end <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	struct region *r = region_first_after(&as->regions, addr);

	if (!r || r->start >= end)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (!(r->flags & REGION_GROWSDOWN))
			return -EINVAL;
		addr = r->start;
	} else if (r->start > addr) {
		return -ENOMEM;
	} else if (grows & PROT_GROWSUP) {
		return -EINVAL; /* x86 has no upward-growing regions */
	}

	unsigned vmprot = (unsigned)prot & VM_RIGHTS;
	vaddr_t next = addr;

	while (next < end) {
		r = region_first_after(&as->regions, next);
		if (!r || r->start > next)
			return -ENOMEM;

		vaddr_t stop = min_va(r->end, end);

		unsigned oldflags = r->flags, oldprot = r->prot;
		unsigned newflags = protect_flags(r, vmprot, prot);

		/* mprotect_fixup() charges the pages it makes chargeable; a refusal keeps the
		 * regions changed so far */
		if ((newflags & ~oldflags & REGION_ACCOUNT) &&
		    vm_enough_memory((stop - next) >> PAGE_SHIFT))
			return -ENOMEM;

		int err = as_modify(as, r, next, stop, vmprot, newflags);

		if (err)
			return err;
		if (unlocked_write(oldflags, oldprot, vmprot))
			as_populate(as, next, stop, true);
		next = stop;
	}
	return 0;
}
