/* The page model's mremap (mm_model.h): pages moved, grown in place, moved out of the window or
 * mapped a second time, as Linux 6.12's mremap treats each, checked against the kernel's answer. */
#include <errno.h>
#include <string.h>

#include "host.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/uapi.h"
#include "mm_model.h"

#define PG     PAGE_SIZE
#define NPAGES MM_MODEL_NPAGES
#define WIN    MM_MODEL_WIN
#define WEND   MM_MODEL_WEND

/* Move the model's pages [from, from + oldn) to [to, to + newn): pages past oldn are new, with
 * the first page's attributes. */
static void model_move(struct mm_model *mm, size_t from, size_t to, size_t oldn, size_t newn)
{
	struct mm_page tmp[NPAGES], attrs = mm->m[from];

	memcpy(tmp, &mm->m[from], oldn * sizeof(tmp[0]));
	mm_model_unmap(mm, from, from + oldn);
	for (size_t k = 0; k < newn; k++) {
		if (k < oldn) {
			mm->m[to + k] = tmp[k];
		} else {
			mm->m[to + k] = attrs;
			mm->m[to + k].resident = false;
			mm->m[to + k].swapped = false;
			mm->m[to + k].cow = false;
			mm->m[to + k].frame = 0;
			mm->m[to + k].val = 0;
			mm->m[to + k].idx = (uint8_t)(attrs.idx + k); /* the object's next pages */
		}
	}
}

/* The end (page index) of the region holding page i, which is mapped. */
static size_t region_end_page(struct mm_model *mm, size_t i)
{
	const struct region *r = region_find(&mm->as->regions, WIN + i * PG);

	return mm_model_pidx(r->end);
}

/* MREMAP_FIXED of [i, i + oldn) to t, where the region holding page i ends at page e, as Linux
 * 6.12: a hole at i first, then the overlap; the target and the cut tail are unmapped before
 * the kept range is found to run past its region (-EFAULT). */
static bool mremap_fixed(struct mm_model *mm, size_t i, size_t oldn, size_t newn, size_t t,
                         size_t e, long got)
{
	if (!mm->m[i].mapped) {
		EXPECT_EQ(got, -EFAULT, "mremap of a hole");
		return true;
	}
	if (i < t + newn && t < i + oldn) {
		EXPECT_EQ(got, -EINVAL, "mremap onto itself");
		return true;
	}
	mm_model_unmap(mm, t, t + newn);
	if (t > i && t < e)
		e = t; /* the target cut the region */
	if (oldn > newn) {
		mm_model_unmap(mm, i + newn, i + oldn);
		oldn = newn;
	}
	if (oldn > e - i) {
		EXPECT_EQ(got, -EFAULT, "mremap across regions"); /* the kept range is one region */
		return true;
	}
	EXPECT_EQ(got, WIN + t * PG, "mremap fixed");
	model_move(mm, i, t, oldn, newn);
	return true;
}

/* An mremap that moved [i, i + oldn) out of the window, top-down: check the pages went along,
 * then drop them. */
static bool mremap_moved_out(struct mm_model *mm, size_t i, size_t oldn, size_t newn, long got)
{
	EXPECT_EQ(got, MMAP_TOP - newn * PG, "mremap that moves");
	for (size_t k = 0; k < oldn; k++) {
		const struct mm_page *p = &mm->m[i + k];
		vaddr_t nva = (vaddr_t)got + k * PG + (mm_model_probe(i + k) & PAGE_MASK);

		if (p->swapped)
			EXPECT(pte_is_swap(host_pte(mm->as, nva)), "moved page %zu: not on swap",
			       k);
		else
			EXPECT_EQ(host_peek(mm->as, nva), p->resident ? mm_model_val(mm, p) : -1,
			          "moved byte");
	}
	EXPECT_EQ(as_munmap(mm->as, (vaddr_t)got, newn * PG), 0, "munmap outside the window");
	mm_model_unmap(mm, i, i + oldn);
	return true;
}

/* Growing [i, i + oldn) in place when the region ends at page e and the pages after are free. */
static bool mremap_grow(struct mm_model *mm, size_t i, size_t oldn, size_t newn, int flags,
                        size_t e, long got)
{
	if (oldn > e - i) {
		EXPECT_EQ(got, -EFAULT, "mremap across regions");
		return true;
	}
	bool room = i + oldn == e;

	for (size_t k = e; room && k < i + newn; k++)
		room = !mm->m[k].mapped;
	if (room) {
		EXPECT_EQ(got, WIN + i * PG, "mremap grown in place");
		for (size_t k = e; k < i + newn; k++) {
			mm->m[k] = mm->m[i];
			mm->m[k].resident = false;
			mm->m[k].swapped = false;
			mm->m[k].cow = false;
			mm->m[k].frame = 0;
			mm->m[k].val = 0;
			/* the object's next pages, maybe past its end */
			mm->m[k].idx = (uint8_t)(mm->m[i].idx + (k - i));
		}
		return true;
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		EXPECT_EQ(got, -ENOMEM, "mremap that may not move");
		return true;
	}
	return mremap_moved_out(mm, i, oldn, newn, got);
}

/* mremap with old length 0 of page i without MREMAP_FIXED: a second mapping of i's shared object
 * placed top-down outside the window, checked through loads, then unmapped. */
static bool mremap_dup(struct mm_model *mm, size_t i, size_t newn, int flags)
{
	long got = as_mremap(mm->as, WIN + i * PG, 0, newn * PG, flags, 0);
	const struct mm_page *p = &mm->m[i];

	if (!p->mapped || !p->shared || !(flags & MREMAP_MAYMOVE)) {
		EXPECT_EQ(got, !p->mapped ? -EFAULT : !p->shared ? -EINVAL : -ENOMEM, "mremap dup");
		return true;
	}
	EXPECT_EQ(got, MMAP_TOP - newn * PG, "mremap dup");
	for (size_t k = 0; k < newn; k++) {
		struct mm_page q = *p;
		enum fault_result want;

		q.idx = (uint8_t)(p->idx + k);
		want = mm_model_fault(mm, &q, false);
		EXPECT_EQ(
		    host_load(mm->as, (vaddr_t)got + k * PG + (mm_model_probe(0) & PAGE_MASK)),
		    want == FAULT_OK ? mm_model_val(mm, &q) : -1 - (int)want, "dup's byte");
		if (want == FAULT_OK)
			mm->objs[q.obj].held |= 1ULL << q.idx;
	}
	EXPECT_EQ(as_munmap(mm->as, (vaddr_t)got, newn * PG), 0, "munmap outside the window");
	return true;
}

bool mm_model_mremap(struct mm_model *mm, size_t i, size_t oldn, size_t newn, int flags, size_t t)
{
	if (!oldn && newn && i < NPAGES && newn <= NPAGES && !(flags & MREMAP_FIXED))
		return mremap_dup(mm, i, newn, flags);
	if (!oldn || !newn || i + oldn > NPAGES || i + newn > NPAGES || t + newn > NPAGES)
		return true; /* MREMAP_FIXED with old length 0: not modelled */

	size_t e = mm->m[i].mapped ? region_end_page(mm, i) : i;
	vaddr_t old = WIN + i * PG;
	long got = as_mremap(mm->as, old, oldn * PG, newn * PG, flags, WIN + t * PG);

	if (flags & MREMAP_FIXED)
		return mremap_fixed(mm, i, oldn, newn, t, e, got);
	if (!mm->m[i].mapped) {
		EXPECT_EQ(got, -EFAULT, "mremap of a hole");
		return true;
	}
	if (newn <= oldn) {
		EXPECT_EQ(got, old, "mremap that shrinks");
		mm_model_unmap(mm, i + newn, i + oldn);
		return true;
	}
	return mremap_grow(mm, i, oldn, newn, flags, e, got);
}
