/* mlock, mlock2, munlock, mlockall and munlockall: the lock flags of regions (Linux's VM_LOCKED and
 * VM_LOCKONFAULT, so locking splits and merges regions as any flag does), then populating. */
#include <errno.h>

#include "mm/fault.h"
#include "mm/layout.h"
#include "mm/reclaim.h"
#include "mm/uapi.h"

#define LOCK_FLAGS (REGION_LOCKED | REGION_ONFAULT)

/* Give [start, end), inside r, the lock flags lock, as Linux's mlock_fixup(): droppable and
 * hugetlb memory is never locked (nor unlocked); pages unlocked are reclaim's again. 0 or
 * -ENOMEM. */
static int lock_part(struct as *as, struct region *r, vaddr_t start, vaddr_t end, unsigned lock)
{
	unsigned flags = (r->flags & ~LOCK_FLAGS) | lock;
	bool unlocks = (r->flags & REGION_LOCKED) && !(lock & REGION_LOCKED);

	if (r->flags & (REGION_DROPPABLE | REGION_HUGETLB))
		return 0;

	int err = as_modify(as, r, start, end, r->prot, flags);

	if (!err && unlocks)
		reclaim_unlocked(as, start, end);
	return err;
}

/* Give every region of [start, end) the lock flags lock, in address order, as Linux's
 * apply_vma_lock_flags(): a hole is -ENOMEM, after the regions below it changed. */
static long lock_range(struct as *as, vaddr_t start, vaddr_t end, unsigned lock)
{
	vaddr_t next = start;

	while (next < end) {
		struct region *r = region_first_after(&as->regions, next);

		if (!r || r->start > next)
			return -ENOMEM;

		vaddr_t stop = r->end < end ? r->end : end;

		if (lock_part(as, r, next, stop, lock))
			return -ENOMEM;
		next = stop;
	}
	return 0;
}

/* The page range [*start, *end) of mlock(addr, len), as Linux rounds it (the length wraps as
 * PAGE_ALIGN does). 0, or -EINVAL when it wraps past the top of the address space. */
static long lock_bounds(vaddr_t addr, size_t len, vaddr_t *start, vaddr_t *end)
{
	*start = PAGE_DOWN(addr);
	*end = *start + PAGE_UP(len + (addr & PAGE_MASK));
	return *end < *start ? -EINVAL : 0;
}

/* mlock2(2) (mlock(2) is flags 0). SOS treats the process as having CAP_IPC_LOCK: no
 * RLIMIT_MEMLOCK. A failed populate is -ENOMEM (a page that cannot come in) or -EAGAIN (no
 * frame), as Linux's __mlock_posix_error_return(); the regions stay locked. */
long as_mlock(struct as *as, vaddr_t addr, size_t len, int flags)
{
	vaddr_t start, end;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (lock_bounds(addr, len, &start, &end))
		return -EINVAL;
	if (start == end)
		return 0;

	long err = lock_range(as, start, end, REGION_LOCKED | (flags ? REGION_ONFAULT : 0));

	if (err)
		return err;
	err = as_populate(as, start, end, false);
	if (err == -EFAULT)
		return -ENOMEM;
	return err == -ENOMEM ? -EAGAIN : err;
}

/* munlock(2): the range rounded as mlock's; a hole is -ENOMEM after the regions below it. */
long as_munlock(struct as *as, vaddr_t addr, size_t len)
{
	vaddr_t start, end;

	if (lock_bounds(addr, len, &start, &end))
		return -EINVAL;
	return start == end ? 0 : lock_range(as, start, end, 0);
}

/* Give every region the lock flags lock, as Linux's apply_mlockall_flags(). Regions may merge as
 * they change, so the walk goes by address. */
static void lock_all(struct as *as, unsigned lock)
{
	vaddr_t va = 0;
	struct region *r;

	while ((r = region_first_after(&as->regions, va)) != NULL) {
		vaddr_t from = r->start > va ? r->start : va, to = r->end;

		(void)lock_part(as, r, from, to, lock); /* Linux stops at a failed split too */
		va = to;
	}
}

/* mlockall(2): MCL_FUTURE locks what later mmap, brk and mremap create (and only it, or with
 * MCL_CURRENT, is remembered: any call resets it); MCL_CURRENT locks and populates every region,
 * ignoring pages that cannot come in. */
long as_mlockall(struct as *as, int flags)
{
	unsigned lock = REGION_LOCKED | ((flags & MCL_ONFAULT) ? REGION_ONFAULT : 0);

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	as->lock_future = (flags & MCL_FUTURE) ? (uint16_t)lock : 0;
	if (!(flags & MCL_CURRENT))
		return 0;
	lock_all(as, lock);
	as_populate(as, 0, USER_END, true);
	return 0;
}

/* munlockall(2): every region unlocked, MCL_FUTURE forgotten. */
long as_munlockall(struct as *as)
{
	as->lock_future = 0;
	lock_all(as, 0);
	return 0;
}
