/* The region tree: an AVL tree keyed by start whose nodes also summarise their subtree (lowest
 * start, highest end, widest inner hole) so that free-gap searches for mmap stay O(log n). */
#include <assert.h>

#include "mm/region.h"

static int height(const struct region *r)
{
	return r ? r->height : 0;
}

static vaddr_t max3(vaddr_t a, vaddr_t b, vaddr_t c)
{
	vaddr_t m = a > b ? a : b;
	return m > c ? m : c;
}

/* Recompute r's height and subtree summary from its children. */
static void update(struct region *r)
{
	const struct region *l = r->left, *g = r->right;
	vaddr_t gl = l ? r->start - l->sub_hi : 0;
	vaddr_t gr = g ? g->sub_lo - r->end : 0;

	r->height = 1 + (height(l) > height(g) ? height(l) : height(g));
	r->sub_lo = l ? l->sub_lo : r->start;
	r->sub_hi = g ? g->sub_hi : r->end;
	r->max_gap = max3(l ? l->max_gap : 0, g ? g->max_gap : 0, gl > gr ? gl : gr);
}

static struct region *rotate_right(struct region *r)
{
	struct region *l = r->left;

	r->left = l->right;
	l->right = r;
	update(r);
	update(l);
	return l;
}

static struct region *rotate_left(struct region *r)
{
	struct region *g = r->right;

	r->right = g->left;
	g->left = r;
	update(r);
	update(g);
	return g;
}

/* Restore the AVL balance at r after one of its subtrees changed height by one. */
static struct region *balance(struct region *r)
{
	update(r);
	int bf = height(r->left) - height(r->right);

	if (bf > 1) {
		if (height(r->left->left) < height(r->left->right))
			r->left = rotate_left(r->left);
		return rotate_right(r);
	}
	if (bf < -1) {
		if (height(r->right->right) < height(r->right->left))
			r->right = rotate_right(r->right);
		return rotate_left(r);
	}
	return r;
}

static struct region *insert_at(struct region *n, struct region *r)
{
	if (!n)
		return r;
	if (r->start < n->start) {
		assert(r->end <= n->start);
		n->left = insert_at(n->left, r);
	} else {
		assert(r->start >= n->end);
		n->right = insert_at(n->right, r);
	}
	return balance(n);
}

/* Link r into the tree; r must overlap nothing already there. */
void region_insert(struct region_tree *t, struct region *r)
{
	assert(r->start < r->end && PAGE_ALIGNED(r->start) && PAGE_ALIGNED(r->end));
	r->left = r->right = NULL;
	update(r);
	t->root = insert_at(t->root, r);
	t->count++;
	t->pages += (r->end - r->start) >> PAGE_SHIFT;
}

/* Unlink the lowest node of subtree n into *min; returns the rest of the subtree. */
static struct region *take_min(struct region *n, struct region **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = take_min(n->left, min);
	return balance(n);
}

static struct region *remove_at(struct region *n, struct region *r)
{
	assert(n != NULL); /* r must be in the tree */
	if (r->start < n->start) {
		n->left = remove_at(n->left, r);
		return balance(n);
	}
	if (r->start > n->start) {
		n->right = remove_at(n->right, r);
		return balance(n);
	}
	assert(n == r);
	if (!r->left || !r->right)
		return r->left ? r->left : r->right;

	/* Relink r's successor in r's place: callers hold pointers to nodes, so never copy. */
	struct region *succ;

	succ = NULL;
	struct region *rest = take_min(r->right, &succ);
	succ->right = rest;
	succ->left = r->left;
	return balance(succ);
}

/* Unlink r from the tree (r is not freed). */
void region_remove(struct region_tree *t, struct region *r)
{
	assert(t->count > 0);
	if (t->pages > t->peak_pages)
		t->peak_pages = t->pages;
	t->pages -= (r->end - r->start) >> PAGE_SHIFT;
	t->root = remove_at(t->root, r);
	r->left = r->right = NULL;
	t->count--;
	if (t->hint == r)
		t->hint = NULL;
}

/* The first region ending above va (the one containing va, or the next one up), or NULL. */
struct region *region_first_after(const struct region_tree *t, vaddr_t va)
{
	struct region *n = t->root, *best = NULL;

	/* Regions never overlap, so ends are ordered like starts. */
	while (n) {
		if (n->end > va) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

/* The region containing va, or NULL. Remembers it as the tree's hint. */
struct region *region_find(struct region_tree *t, vaddr_t va)
{
	struct region *r = t->hint;

	if (r && r->start <= va && va < r->end)
		return r;
	r = region_first_after(t, va);
	if (!r || r->start > va)
		return NULL;
	t->hint = r;
	return r;
}

/* The region just below r (the last one ending at or below r->start), or NULL. */
struct region *region_prev(const struct region_tree *t, const struct region *r)
{
	struct region *n = t->root, *best = NULL;

	while (n) {
		if (n->start < r->start) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

/* The region just above r, or NULL. */
struct region *region_next(const struct region_tree *t, const struct region *r)
{
	return region_first_after(t, r->end);
}

/* The free part of [gap_lo, gap_hi) clipped to [lo, hi), as *a..*b; false when under len. */
static bool clip(vaddr_t gap_lo, vaddr_t gap_hi, vaddr_t lo, vaddr_t hi, vaddr_t len, vaddr_t *a,
                 vaddr_t *b)
{
	*a = gap_lo > lo ? gap_lo : lo;
	*b = gap_hi < hi ? gap_hi : hi;
	return *a < *b && *b - *a >= len;
}

/* Could subtree n, lying between free space from pl and up to nr, hold a hole of len in [lo,hi)? */
static bool may_fit(const struct region *n, vaddr_t pl, vaddr_t nr, vaddr_t lo, vaddr_t hi,
                    vaddr_t len)
{
	vaddr_t a, b;

	if (!clip(pl, nr, lo, hi, len, &a, &b))
		return false;
	return max3(n->max_gap, n->sub_lo - pl, nr - n->sub_hi) >= len;
}

/* Highest fit in the free space of subtree n, whose neighbours end at pl and start at nr. */
static vaddr_t topdown(const struct region *n, vaddr_t pl, vaddr_t nr, vaddr_t lo, vaddr_t hi,
                       vaddr_t len)
{
	vaddr_t a, b, got;

	if (!n)
		return clip(pl, nr, lo, hi, len, &a, &b) ? b - len : 0;
	if (!may_fit(n, pl, nr, lo, hi, len))
		return 0;
	got = topdown(n->right, n->end, nr, lo, hi, len);
	return got ? got : topdown(n->left, pl, n->start, lo, hi, len);
}

/* Lowest fit in the free space of subtree n, whose neighbours end at pl and start at nr. */
static vaddr_t bottomup(const struct region *n, vaddr_t pl, vaddr_t nr, vaddr_t lo, vaddr_t hi,
                        vaddr_t len)
{
	vaddr_t a, b, got;

	if (!n)
		return clip(pl, nr, lo, hi, len, &a, &b) ? a : 0;
	if (!may_fit(n, pl, nr, lo, hi, len))
		return 0;
	got = bottomup(n->left, pl, n->start, lo, hi, len);
	return got ? got : bottomup(n->right, n->end, nr, lo, hi, len);
}

/* The highest page-aligned a with [a, a + len) inside [lo, hi) and free, or 0 when none. */
vaddr_t region_gap_topdown(const struct region_tree *t, vaddr_t lo, vaddr_t hi, vaddr_t len)
{
	assert(PAGE_ALIGNED(lo) && PAGE_ALIGNED(hi) && PAGE_ALIGNED(len) && len > 0);
	return topdown(t->root, 0, UINT64_MAX & ~PAGE_MASK, lo, hi, len);
}

/* The lowest page-aligned a with [a, a + len) inside [lo, hi) and free, or 0 when none. */
vaddr_t region_gap_bottomup(const struct region_tree *t, vaddr_t lo, vaddr_t hi, vaddr_t len)
{
	assert(PAGE_ALIGNED(lo) && PAGE_ALIGNED(hi) && PAGE_ALIGNED(len) && len > 0);
	return bottomup(t->root, 0, UINT64_MAX & ~PAGE_MASK, lo, hi, len);
}
