/* File locks: each inode's flock locks and record locks (POSIX and OFD) in two lists, the
 * conflicts between them, the waits for them, and Linux's detection of POSIX deadlocks. */
#include "fs/lock.h"
#include "lib/wait.h"
#include "mm/slab.h"
#include <errno.h>

/* One lock: flock's whole file, or a record lock's bytes [start, end]. */
struct file_lock {
	struct file_lock *next;
	const void *owner; /* flock, OFD: the open file; POSIX: the fd table */
	int type;          /* F_RDLCK or F_WRLCK */
	bool ofd;
	int pid; /* POSIX: the holder's, for F_GETLK */
	int64_t start, end;
};

#define MAX_DEADLK_ITERATIONS 10 /* Linux's: how far a chain of waiters is followed */

/* A POSIX owner asleep in F_SETLKW and the POSIX owner whose lock it waits for (Linux's
 * blocked_hash), on the sleeper's stack while it sleeps. */
struct waiter {
	struct waiter *next;
	const void *owner, *blocker;
};

static struct slab_cache lock_cache;
static size_t live;
static struct waiter *waiters;

size_t locks_live(void)
{
	return live;
}

size_t lock_slab_pages(void)
{
	return lock_cache.pages;
}

static struct file_lock *lock_alloc(void)
{
	if (!lock_cache.objsize)
		slab_init(&lock_cache, sizeof(struct file_lock));
	struct file_lock *l = slab_alloc(&lock_cache);
	live += l != NULL;
	return l;
}

static void lock_free(struct file_lock *l)
{
	if (!l)
		return;
	slab_free(&lock_cache, l);
	live--;
}

/* Two lock types that cannot be held together by two owners: a write lock and any other (an
 * F_UNLCK probe of F_GETLK conflicts with write locks only, as on Linux). */
static bool types_conflict(int a, int b)
{
	return a == F_WRLCK || b == F_WRLCK;
}

static bool overlap(const struct file_lock *l, int64_t start, int64_t end)
{
	return l->start <= end && start <= l->end;
}

/* True when l neither overlaps [start, end] nor touches it. */
static bool apart(const struct file_lock *l, int64_t start, int64_t end)
{
	return (l->end < start && start - l->end > 1) || (l->start > end && l->start - end > 1);
}

/* ---- flock ---- */

/* The first flock lock on ip of another file that type conflicts with, or NULL. */
static struct file_lock *flock_conflict(struct inode *ip, const struct file *f, int type)
{
	for (struct file_lock *l = ip->flocks; l; l = l->next)
		if (l->owner != f && types_conflict(l->type, type))
			return l;
	return NULL;
}

/* Drop f's flock lock on ip, if it has one of another type than type: true when it has one of
 * that type already. */
static bool flock_drop_other(struct inode *ip, const struct file *f, int type)
{
	for (struct file_lock **pp = &ip->flocks; *pp; pp = &(*pp)->next) {
		struct file_lock *l = *pp;

		if (l->owner != f)
			continue;
		if (l->type == type)
			return true;
		*pp = l->next;
		lock_free(l);
		sched_wakeup(&ip->flocks);
		return false;
	}
	return false;
}

int lock_flock(struct file *f, int type, bool wait)
{
	struct inode *ip = f->inode;
	struct file_lock *n = type == F_UNLCK ? NULL : lock_alloc();

	if (type != F_UNLCK && !n)
		return -ENOMEM;
	if (flock_drop_other(ip, f, type) || type == F_UNLCK) {
		lock_free(n);
		return 0;
	}
	while (flock_conflict(ip, f, type)) {
		if (!wait || sched_sleep(&ip->flocks, 0)) {
			lock_free(n);
			return wait ? -ERESTARTSYS : -EAGAIN;
		}
	}
	*n = (struct file_lock){.owner = f, .type = type, .start = 0, .end = LOCK_OFFSET_MAX};
	struct file_lock **pp = &ip->flocks;
	while (*pp)
		pp = &(*pp)->next;
	*pp = n;
	return 0;
}

/* ---- record locks ---- */

/* The first record lock on ip of another owner that r conflicts with, or NULL. */
static struct file_lock *record_conflict(struct inode *ip, const struct lock_req *r)
{
	for (struct file_lock *l = ip->rlocks; l; l = l->next)
		if (l->owner != r->owner && overlap(l, r->start, r->end) &&
		    types_conflict(l->type, r->type))
			return l;
	return NULL;
}

void lock_test(struct inode *ip, struct lock_req *r)
{
	const struct file_lock *l = record_conflict(ip, r);

	if (!l) {
		r->type = F_UNLCK;
		return;
	}
	r->type = l->type;
	r->start = l->start;
	r->end = l->end;
	r->pid = l->ofd ? -1 : l->pid;
}

/* True when owner waiting for blocker's lock would close a cycle of POSIX owners, each asleep
 * waiting for the next (Linux's posix_locks_deadlock()). */
static bool would_deadlock(const void *owner, const void *blocker)
{
	for (int i = 0; i <= MAX_DEADLK_ITERATIONS; i++) {
		const struct waiter *w = waiters;

		while (w && w->owner != blocker)
			w = w->next;
		if (!w)
			return false;
		if (w->blocker == owner)
			return true;
		blocker = w->blocker;
	}
	return false;
}

/* Sleep until a record lock on ip changes, r's owner listed as waiting for l's while it is a
 * POSIX lock. 0, or -ERESTARTSYS when a signal came. */
static int wait_for_lock(struct inode *ip, const struct lock_req *r, const struct file_lock *l)
{
	struct waiter w = {waiters, r->owner, l->owner};
	bool listed = !r->ofd && !l->ofd;

	if (listed)
		waiters = &w;
	int err = sched_sleep(&ip->rlocks, 0) ? -ERESTARTSYS : 0;
	for (struct waiter **pp = &waiters; listed && *pp; pp = &(*pp)->next)
		if (*pp == &w) {
			*pp = w.next;
			break;
		}
	return err;
}

/* Put l at the end of the list whose last link is *tail. */
static void append(struct file_lock ***tail, struct file_lock *l)
{
	l->next = NULL;
	**tail = l;
	*tail = &l->next;
}

/* Insert n into list *head, sorted by start. */
static void insert_sorted(struct file_lock **head, struct file_lock *n)
{
	while (*head && (*head)->start <= n->start)
		head = &(*head)->next;
	n->next = *head;
	*head = n;
}

/* Set r among its owner's locks on ip, which are a run of the list sorted by start that never
 * overlap: locks of r's type that overlap or touch it merge into it, the parts of others
 * outside its range stay (one may split in two), and the rest goes. One or two new locks at
 * most: both are taken first, so that nothing changes when memory is out (-ENOLCK). */
static int apply(struct inode *ip, const struct lock_req *r)
{
	struct file_lock *spare[2] = {NULL, NULL};
	int used = 0;
	bool whole_unlock = r->type == F_UNLCK && r->start == 0 && r->end == LOCK_OFFSET_MAX;

	if (!whole_unlock && (!(spare[0] = lock_alloc()) || !(spare[1] = lock_alloc()))) {
		lock_free(spare[0]);
		return -ENOLCK;
	}
	int64_t start = r->start, end = r->end;
	struct file_lock **run = &ip->rlocks, *kept = NULL, **tail = &kept;

	while (*run && (*run)->owner != r->owner)
		run = &(*run)->next;
	while (*run && (*run)->owner == r->owner) {
		struct file_lock *l = *run;

		*run = l->next;
		if (l->type == r->type && !apart(l, start, end)) { /* one lock of the two */
			start = l->start < start ? l->start : start;
			end = l->end > end ? l->end : end;
			lock_free(l);
			continue;
		}
		if (!overlap(l, start, end)) {
			append(&tail, l);
			continue;
		}
		if (l->start < start && l->end > end) { /* split around the range */
			struct file_lock *right = spare[used++];

			*right = *l;
			right->start = end + 1;
			l->end = start - 1;
			append(&tail, l);
			append(&tail, right);
		} else if (l->start < start) {
			l->end = start - 1;
			append(&tail, l);
		} else if (l->end > end) {
			l->start = end + 1;
			append(&tail, l);
		} else {
			lock_free(l);
		}
	}
	if (r->type != F_UNLCK) {
		struct file_lock *n = spare[used++];

		*n = (struct file_lock){.owner = r->owner,
		                        .type = r->type,
		                        .ofd = r->ofd,
		                        .pid = r->pid,
		                        .start = start,
		                        .end = end};
		insert_sorted(&kept, n);
	}
	if (kept) { /* back where the run was */
		for (tail = &kept; *tail;)
			tail = &(*tail)->next;
		*tail = *run;
		*run = kept;
	}
	for (; used < 2; used++)
		lock_free(spare[used]);
	sched_wakeup(&ip->rlocks);
	return 0;
}

int lock_set(struct inode *ip, const struct lock_req *r, bool wait)
{
	for (;;) {
		const struct file_lock *l = r->type == F_UNLCK ? NULL : record_conflict(ip, r);

		if (!l)
			return apply(ip, r);
		if (!wait)
			return -EAGAIN;
		if (!r->ofd && !l->ofd && would_deadlock(r->owner, l->owner))
			return -EDEADLK;

		int err = wait_for_lock(ip, r, l);

		if (err)
			return err;
	}
}

/* Drop the locks of owner from list *head; waiters on chan wake when one went. */
static void drop_owner(struct file_lock **head, const void *owner, const void *chan)
{
	bool dropped = false;

	while (*head) {
		struct file_lock *l = *head;

		if (l->owner != owner) {
			head = &l->next;
			continue;
		}
		*head = l->next;
		lock_free(l);
		dropped = true;
	}
	if (dropped)
		sched_wakeup(chan);
}

void lock_close(struct inode *ip, const void *owner)
{
	if (ip->rlocks)
		drop_owner(&ip->rlocks, owner, &ip->rlocks);
}

void lock_release(struct file *f)
{
	struct inode *ip = f->inode;

	if (ip->flocks)
		drop_owner(&ip->flocks, f, &ip->flocks);
	if (ip->rlocks)
		drop_owner(&ip->rlocks, f, &ip->rlocks);
}
