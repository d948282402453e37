/* mremap(2) on an address space as Linux 6.12 does it: shrink, grow in place, move (the pages move,
 * the data stays), MREMAP_FIXED and MREMAP_DONTUNMAP, with 6.12's order of checks. The range kept
 * must lie in one region: across two it is -EFAULT (Linux 6.17 moves several at once), after
 * MREMAP_FIXED has unmapped the target. MAP_HUGETLB memory's own checks are in hugetlb.c. */
#include <assert.h>
#include <errno.h>

#include "mm/fault.h"
#include "mm/hal.h"
#include "mm/hugetlb.h"
#include "mm/layout.h"
#include "mm/overcommit.h"
#include "mm/place.h"
#include "mm/pagetable.h"
#include "mm/rmap.h"
#include "mm/uapi.h"

#define LOCK_FLAGS (REGION_LOCKED | REGION_ONFAULT)

static vaddr_t min_va(vaddr_t a, vaddr_t b)
{
	return a < b ? a : b;
}

struct move {
	struct as *as;
	vaddr_t from, to; /* a page at from + x goes to to + x */
	bool failed;
};

/* pt_range_all() callback, first pass: make the table for the destination of one page. */
static void move_prepare(pte_t *pte, vaddr_t va, void *arg)
{
	struct move *m = arg;

	(void)pte;
	if (!m->failed && !pt_walk(m->as->root, va - m->from + m->to, true))
		m->failed = true;
}

/* pt_range_all() callback, second pass: move one PTE (the frame or swap slot, not the data). */
static void move_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	struct move *m = arg;
	pte_t *dst = pt_walk(m->as->root, va - m->from + m->to, false);

	assert(dst && !*dst);
	*dst = *pte;
	*pte = 0;
	hal_flush_page(va);
}

/* The region Linux's copy_vma() makes at to for [old, old + newlen) of r (newlen may exceed the
 * old range: the tail is new memory of the same kind). */
static struct region moved_copy(const struct region *r, vaddr_t old, vaddr_t oldlen, vaddr_t newlen,
                                vaddr_t to)
{
	struct region n = *r;

	n.start = to;
	n.end = to + newlen;
	n.pgoff = r->pgoff + ((old - r->start) >> PAGE_SHIFT);
	if (region_anonymous(r) && !r->anon)
		n.pgoff = to >> PAGE_SHIFT; /* never written: Linux lets it merge where it lands */
	if (r->backing == RB_IMAGE) {
		/* Keep only the file bytes the old range shows, re-addressed at the new place. */
		vaddr_t lo = old > r->file_va ? old : r->file_va;
		vaddr_t hi = min_va(old + oldlen, r->file_va + r->file_len);

		if (lo < hi) {
			n.image = r->image + (lo - r->file_va);
			n.file_va = to + (lo - old);
			n.file_len = hi - lo;
		} else {
			n.backing = RB_ZERO;
			n.image = NULL;
			n.file_va = n.file_len = 0;
		}
	}
	return n;
}

/* The region r holding [start, start + len) cut down to exactly that, or NULL with nothing changed
 * when no frame was left for a cut. */
static struct region *cut_out(struct as *as, struct region *r, vaddr_t start, vaddr_t len)
{
	bool cut = r->start != start;

	if (as_split(as, start))
		return NULL;
	if (as_split(as, start + len)) {
		if (cut)
			as_unsplit(as, start);
		return NULL;
	}
	return region_find(&as->regions, start);
}

/* Linux 6.12's charge for bytes more of r's memory by mremap (an expansion in place, move_vma()):
 * only memory charged already (VM_ACCOUNT) is. 0 or -ENOMEM. */
static int charge_growth(const struct region *r, vaddr_t bytes)
{
	return (r->flags & REGION_ACCOUNT) ? vm_enough_memory(bytes >> PAGE_SHIFT) : 0;
}

/* Move [old, old + oldlen), which lies inside region r, to a new region of newlen at to (free),
 * carrying its pages, as Linux's move_vma(). Unless keep_old, the old range is unmapped. With it
 * (MREMAP_DONTUNMAP) Linux 6.12 first cuts a locked old range out of its region; the new region
 * merges with anything but the region of the old range, which is then unlocked, merging with
 * nothing, and loses its anon identity when it is the old range exactly. A zero oldlen (shared
 * memory only) leaves the old range alone: the new region is a second mapping of the same
 * object. The growth is charged after that cut (all of newlen when the old range stays), as
 * move_vma() does. Returns to, or -ENOMEM with nothing changed but a cut the charge came after. */
static long move_range(struct as *as, struct region *r, vaddr_t old, vaddr_t oldlen, vaddr_t newlen,
                       vaddr_t to, bool keep_old)
{
	if (keep_old && (r->flags & REGION_LOCKED))
		r = cut_out(as, r, old, oldlen);
	assert(newlen >= oldlen);
	if (!r || charge_growth(r, keep_old ? newlen : newlen - oldlen))
		return -ENOMEM;

	struct region n = moved_copy(r, old, oldlen, newlen, to);
	struct region *nr = region_dup(as, &n);
	struct move m = {as, old, to, false};

	/* Everything that can fail comes first: the new region and the new tables. */
	if (nr)
		pt_range_all(as->root, old, old + oldlen, move_prepare, &m);
	if (!nr || m.failed) {
		if (nr)
			region_release(nr);
		pt_prune(as->root, to, to + newlen);
		return -ENOMEM;
	}
	region_insert(&as->regions, nr);
	as_merge(as, nr, keep_old ? r : NULL);
	pt_range_all(as->root, old, old + oldlen, move_leaf, &m);
	if (!oldlen)
		return (long)to;
	if (!keep_old) {
		int err = as_unmap_range(as, old, old + oldlen);

		(void)err; /* a failed cut leaves the emptied range mapped: Linux's OOM case too */
	} else {
		pt_prune(as->root, old, old + oldlen);
		r->flags &= ~(uint32_t)LOCK_FLAGS;
		if (r->start == old && r->end == old + oldlen) {
			r->anon = r->forked = 0;
			rmap_unlink(r);
		}
	}
	return (long)to;
}

/* Linux 6.12's vma_to_resize(): may [old, old + oldlen) of r become newlen long, or move? 0, or
 * -EINVAL (a second mapping of private memory, MREMAP_DONTUNMAP of hugetlb memory, which is
 * VM_DONTEXPAND), -EFAULT (the range runs past r). */
static long resize_check(const struct region *r, vaddr_t old, vaddr_t oldlen, int flags)
{
	if (!oldlen && !(r->flags & REGION_SHARED))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (r->flags & REGION_HUGETLB))
		return -EINVAL;
	return oldlen > r->end - old ? -EFAULT : 0;
}

/* Linux 6.12's mremap_to(): move [old, old + oldlen) to a place newaddr gives (MREMAP_FIXED:
 * exactly there, after unmapping it; MREMAP_DONTUNMAP alone: a hint), shrinking to newlen
 * first. The target and the cut tail stay unmapped when a later check fails. */
static long remap_to(struct as *as, vaddr_t old, vaddr_t oldlen, vaddr_t newlen, int flags,
                     vaddr_t newaddr)
{
	if (!PAGE_ALIGNED(newaddr) || newlen > USER_END || newaddr > USER_END - newlen)
		return -EINVAL;
	if (old + oldlen > newaddr && newaddr + newlen > old)
		return -EINVAL; /* the two ranges overlap */

	long err = (flags & MREMAP_FIXED) ? as_munmap(as, newaddr, newlen) : 0;

	if (!err && oldlen > newlen) {
		err = as_munmap(as, old + newlen, oldlen - newlen);
		oldlen = newlen;
	}
	if (err)
		return err;

	struct region *r = region_find(&as->regions, old);

	err = r ? resize_check(r, old, oldlen, flags) : -EFAULT;
	if (err)
		return err;

	long a = unmapped_area(as, newaddr, newlen, (flags & MREMAP_FIXED) ? MAP_FIXED : 0);

	if (is_err(a))
		return a;
	return move_range(as, r, old, oldlen, newlen, (vaddr_t)a, flags & MREMAP_DONTUNMAP);
}

/* True when r may grow in place to end at old + newlen: the pages up to there are free (Linux's
 * vma_expandable()). */
static bool expandable(const struct as *as, const struct region *r, vaddr_t old, vaddr_t newlen)
{
	const struct region *n = region_next(&as->regions, r);

	return newlen <= USER_END - old && !(n && n->start < old + newlen);
}

/* Grow r in place to end at end (expandable), merging with the region there as Linux's
 * vma_merge_extend(). */
static void grow_in_place(struct as *as, struct region *r, vaddr_t end)
{
	region_remove(&as->regions, r);
	r->end = end;
	region_insert(&as->regions, r);
	as_merge_next(as, r);
}

/* Linux 6.12's checks of mremap(2) made before the address space is looked at: 0 or -EINVAL.
 * MREMAP_DONTUNMAP compares the lengths as given, before they are rounded to pages. */
static long remap_args(vaddr_t old, size_t oldlen, size_t newlen, int flags)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || oldlen != newlen))
		return -EINVAL;
	return !PAGE_ALIGNED(old) || PAGE_UP(newlen) == 0 ? -EINVAL : 0;
}

/* res, the result of an mremap() that grew locked memory from oldlen to newlen, after faulting
 * in the new part as Linux does (errors ignored). */
static long grown_locked(struct as *as, long res, bool locked, vaddr_t oldlen, vaddr_t newlen)
{
	if (!is_err(res) && locked && newlen > oldlen)
		as_populate(as, (vaddr_t)res + oldlen, (vaddr_t)res + newlen, true);
	return res;
}

/* mremap() growing [old, old + oldlen) of r to newlen without a target address: in place when
 * the pages above are free, else moved where the kernel chooses (MREMAP_MAYMOVE). */
static long remap_grow(struct as *as, struct region *r, vaddr_t old, vaddr_t oldlen, vaddr_t newlen,
                       int flags)
{
	long err = resize_check(r, old, oldlen, flags);

	if (err)
		return err;
	if (oldlen == r->end - old && expandable(as, r, old, newlen)) {
		if (charge_growth(r, newlen - oldlen))
			return -ENOMEM; /* Linux does not try a move then */
		grow_in_place(as, r, old + newlen);
		return (long)old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;

	long a = unmapped_area(as, 0, newlen, 0);

	return is_err(a) ? a : move_range(as, r, old, oldlen, newlen, (vaddr_t)a, false);
}

/* mremap(2) for anonymous memory: shrink, grow in place, move (pages move, data stays). */
long as_mremap(struct as *as, vaddr_t old, size_t oldlen, size_t newlen, int flags, vaddr_t newaddr)
{
	long err = remap_args(old, oldlen, newlen, flags);

	if (err)
		return err;
	oldlen = PAGE_UP(oldlen); /* as Linux's PAGE_ALIGN(): wraps to 0 near 2^64 */
	newlen = PAGE_UP(newlen);

	struct region *r = region_find(&as->regions, old);

	if (!r)
		return -EFAULT;
	err = huge_remap_args(r, old, &oldlen, &newlen, newaddr);
	if (err)
		return err;

	bool locked = r->flags & REGION_LOCKED;

	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return grown_locked(as, remap_to(as, old, oldlen, newlen, flags, newaddr), locked,
		                    oldlen, newlen);
	if (newlen <= oldlen) {
		err = newlen < oldlen ? as_munmap(as, old + newlen, oldlen - newlen) : 0;
		return err ? err : (long)old;
	}
	return grown_locked(as, remap_grow(as, r, old, oldlen, newlen, flags), locked, oldlen,
	                    newlen);
}
