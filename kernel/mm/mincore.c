/* mincore(2) and msync(2) as Linux 6.12 answers them: which pages of a range are resident (mapped
 * here, or in the page cache of the file or object mapped), and syncing a range, which on memory
 * without a disk behind it (tmpfs, shared anonymous memory) has nothing to write back. */
#include <errno.h>

#include "mm/fault.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/shmem.h"
#include "mm/swap.h"

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/* Entries of vec filled per step, as Linux's one page of them. */
#define MINCORE_BATCH PAGE_SIZE

/* True when page (inside r), which no PTE maps, is in the page cache of what r maps: its
 * object's frame, or the bytes of the ELF file an image region shows (the oracle's whole
 * program file is in its page cache). Anonymous memory is resident only where mapped. */
static bool cached(const struct region *r, vaddr_t page)
{
	if (r->shm)
		return shmem_lookup(r->shm, region_pgidx(r, page)) != 0;
	if (r->backing == RB_IMAGE)
		return page + PAGE_SIZE > r->file_va && page < PAGE_UP(r->file_va + r->file_len);
	return false;
}

/* Fill vec[0, n) for the pages from start on, all inside r: Linux's mincore_pte_range(): a page
 * mapped, a page on swap whose copy the swap cache holds, or where nothing is mapped a page of the
 * object. */
static void residency(struct as *as, const struct region *r, vaddr_t start, size_t n, uint8_t *vec)
{
	for (size_t k = 0; k < n; k++) {
		vaddr_t va = start + k * PAGE_SIZE;
		const pte_t *pte = pt_walk(as->root, va, false);

		if (!pte || !*pte)
			vec[k] = cached(r, va);
		else
			vec[k] = (*pte & PTE_P) || swap_cache_lookup(pte_slot(*pte));
	}
}

/* mincore(2): the residency of each page of [start, start + len) into the bytes at vec, region
 * by region as Linux's do_mincore(): -EINVAL (start unaligned), -ENOMEM (past user memory, or a
 * page without a region: the entries before it are written), -EFAULT (vec). */
long as_mincore(struct as *as, vaddr_t start, size_t len, vaddr_t vec)
{
	static uint8_t buf[MINCORE_BATCH]; /* one process, no preemption in the kernel */

	if (!PAGE_ALIGNED(start))
		return -EINVAL;
	if (start > USER_END || len > USER_END - start)
		return -ENOMEM;

	size_t pages = PAGE_UP(len) >> PAGE_SHIFT;

	if (vec > USER_END || pages > USER_END - vec)
		return -EFAULT;
	while (pages) {
		const struct region *r = region_find(&as->regions, start);

		if (!r)
			return -ENOMEM;

		size_t n = (r->end - start) >> PAGE_SHIFT;

		n = n < pages ? n : pages;
		n = n < MINCORE_BATCH ? n : MINCORE_BATCH;
		residency(as, r, start, n, buf);
		if (as_copyout(as, vec, buf, n))
			return -EFAULT;
		pages -= n;
		vec += n;
		start += n << PAGE_SHIFT;
	}
	return 0;
}

/* msync(2) as Linux 6.12: -EINVAL (unknown flags, start unaligned, MS_ASYNC with MS_SYNC),
 * 0 for an empty range (len rounded up to pages wraps to 0 too), -ENOMEM (the range wraps, or meets
 * a page without a region: at once for MS_ASYNC alone, else after the rest), -EBUSY (MS_INVALIDATE
 * of locked memory). Nothing to write back. */
long as_msync(struct as *as, vaddr_t start, size_t len, int flags)
{
	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || !PAGE_ALIGNED(start) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;

	vaddr_t end = start + PAGE_UP(len);
	long hole = 0;

	if (end < start)
		return -ENOMEM;
	while (start < end) {
		const struct region *r = region_first_after(&as->regions, start);

		if (!r)
			return -ENOMEM;
		if (start < r->start) {
			if (flags == MS_ASYNC)
				return -ENOMEM;
			start = r->start;
			if (start >= end)
				return -ENOMEM;
			hole = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (r->flags & REGION_LOCKED))
			return -EBUSY;
		start = r->end;
	}
	return hole;
}
