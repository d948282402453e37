/* Unit tests of the region tree against a sorted-array model: thousands of random inserts and
 * removes, every query checked, the AVL balance and the gap searches verified. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "host.h"
#include "mm/region.h"

#define NSLOTS 30000

struct model {
	struct region *at[NSLOTS]; /* the region inside window i, or NULL */
};

/* Each slot is a 4-page window; a region uses a sub-range of its window, so none overlap. */
#define BASE 0x100000UL
#define WIN  (4 * PAGE_SIZE)

static struct region *mk(size_t slot)
{
	struct region *r = calloc(1, sizeof(*r));
	size_t off = (size_t)rand() % 3, len = 1 + (size_t)rand() % (4 - off);

	r->start = BASE + slot * WIN + off * PAGE_SIZE;
	r->end = r->start + len * PAGE_SIZE;
	return r;
}

/* Check the AVL invariants and subtree summaries below r; returns its height. */
static int check(const struct region *r)
{
	if (!r)
		return 0;
	int hl = check(r->left);
	int hr = check(r->right);

	cr_assert(abs(hl - hr) <= 1, "AVL balance");
	cr_assert_eq(r->height, 1 + (hl > hr ? hl : hr));
	cr_assert_eq(r->sub_lo, r->left ? r->left->sub_lo : r->start);
	cr_assert_eq(r->sub_hi, r->right ? r->right->sub_hi : r->end);
	if (r->left)
		cr_assert_leq(r->left->sub_hi, r->start);
	if (r->right)
		cr_assert_geq(r->right->sub_lo, r->end);
	return r->height;
}

static struct region *model_first_after(struct model *m, vaddr_t va)
{
	for (size_t i = 0; i < NSLOTS; i++)
		if (m->at[i] && m->at[i]->end > va)
			return m->at[i];
	return NULL;
}

Test(region, random_against_model)
{
	static struct model m;
	struct region_tree t = {0};
	size_t n = 0;

	srand(42);
	for (int step = 0; step < 120000; step++) {
		size_t slot = (size_t)rand() % NSLOTS;

		if (!m.at[slot]) {
			m.at[slot] = mk(slot);
			region_insert(&t, m.at[slot]);
			n++;
		} else if (rand() % 3 == 0) {
			region_remove(&t, m.at[slot]);
			free(m.at[slot]);
			m.at[slot] = NULL;
			n--;
		}
		cr_assert_eq(t.count, n);
		/* Spot checks each step; a full check now and then. */
		vaddr_t va = BASE + (vaddr_t)rand() % (NSLOTS * WIN);
		const struct region *want = m.at[(va - BASE) / WIN];

		if (want && !(va >= want->start && va < want->end))
			want = NULL;
		cr_assert_eq(region_find(&t, va), want);
	}
	check(t.root);
	cr_assert_lt(t.root->height, 2 * 15 + 2, "height stays logarithmic");

	/* Walk in order with next and back with prev. */
	const struct region *prev = NULL;
	size_t seen = 0;

	for (size_t i = 0; i < NSLOTS; i++) {
		if (!m.at[i])
			continue;
		cr_assert_eq(region_first_after(&t, m.at[i]->start), m.at[i]);
		cr_assert_eq(region_prev(&t, m.at[i]), prev);
		if (prev)
			cr_assert_eq(region_next(&t, prev), m.at[i]);
		prev = m.at[i];
		seen++;
	}
	cr_assert_eq(seen, n);
	cr_assert_null(region_next(&t, prev));
	for (int k = 0; k < 2000; k++) {
		vaddr_t va = BASE + (vaddr_t)rand() % (NSLOTS * WIN + WIN);

		cr_assert_eq(region_first_after(&t, va), model_first_after(&m, va));
	}
	cr_assert_null(region_first_after(&t, BASE + NSLOTS * WIN));
	cr_assert_eq(region_first_after(&t, 0), model_first_after(&m, 0));
	while (t.root) {
		struct region *r = t.root;

		region_remove(&t, r);
		free(r);
	}
	cr_assert_eq(t.count, 0);
}

/* Brute force: highest / lowest free page run of len inside [lo, hi) over sorted regions. */
static vaddr_t brute_gap(struct region **v, size_t n, vaddr_t lo, vaddr_t hi, vaddr_t len, bool top)
{
	vaddr_t best = 0;

	for (vaddr_t a = lo; a + len <= hi; a += PAGE_SIZE) {
		bool ok = true;

		for (size_t i = 0; i < n && ok; i++)
			if (v[i]->start < a + len && a < v[i]->end)
				ok = false;
		if (ok) {
			best = a;
			if (!top)
				return a;
		}
	}
	return best;
}

Test(region, gap_search_against_brute_force)
{
	struct region_tree t = {0};
	struct region *v[64];
	size_t n = 0;

	srand(7);
	for (size_t i = 0; i < 64; i++) {
		struct region *r = calloc(1, sizeof(*r));

		r->start = (0x100 + i * 8 + (size_t)rand() % 4) * PAGE_SIZE;
		r->end = r->start + (1 + (size_t)rand() % 4) * PAGE_SIZE;
		if (rand() % 4 == 0) {
			free(r);
			continue;
		}
		region_insert(&t, r);
		v[n++] = r;
	}
	for (int k = 0; k < 3000; k++) {
		vaddr_t lo = (0xf0 + (vaddr_t)rand() % 560) * PAGE_SIZE;
		vaddr_t hi = lo + (vaddr_t)(rand() % 100) * PAGE_SIZE;
		vaddr_t len = (1 + (vaddr_t)rand() % 8) * PAGE_SIZE;

		cr_assert_eq(region_gap_topdown(&t, lo, hi, len),
		             brute_gap(v, n, lo, hi, len, true), "topdown lo %lx hi %lx len %lx",
		             lo, hi, len);
		cr_assert_eq(region_gap_bottomup(&t, lo, hi, len),
		             brute_gap(v, n, lo, hi, len, false), "bottomup lo %lx hi %lx len %lx",
		             lo, hi, len);
	}
	for (size_t i = 0; i < n; i++) {
		region_remove(&t, v[i]);
		free(v[i]);
	}
}

Test(region, gap_search_is_fast_with_many_regions)
{
	/* 40,000 one-page regions with one-page holes: a search for two pages must not walk them
	 * all (this would take seconds under ASan if it did, 2000 times). */
	struct region_tree t = {0};
	static struct region rs[40000];

	for (size_t i = 0; i < 40000; i++) {
		rs[i].start = 0x10000000 + i * 2 * PAGE_SIZE;
		rs[i].end = rs[i].start + PAGE_SIZE;
		region_insert(&t, &rs[i]);
	}
	vaddr_t top = rs[39999].end;

	for (int k = 0; k < 2000; k++) {
		cr_assert_eq(region_gap_topdown(&t, 0x10000000, top, 2 * PAGE_SIZE), 0);
		cr_assert_eq(region_gap_topdown(&t, 0x1000000, top + 4 * PAGE_SIZE, 2 * PAGE_SIZE),
		             top + 2 * PAGE_SIZE);
		cr_assert_eq(region_gap_bottomup(&t, 0x1000000, top, 2 * PAGE_SIZE), 0x1000000);
	}
	cr_assert_eq(region_gap_topdown(&t, 0x10000000, top, PAGE_SIZE), top - 2 * PAGE_SIZE);
}

Test(region, hint_answers_repeated_lookups_and_never_outlives_its_region)
{
	struct region_tree t = {0};
	static struct region a = {.start = 0x400000, .end = 0x404000};
	static struct region b = {.start = 0x500000, .end = 0x501000};

	region_insert(&t, &a);
	region_insert(&t, &b);
	cr_assert_eq(region_find(&t, 0x401000), &a);
	cr_assert_eq(t.hint, &a, "the last region found is remembered");
	cr_assert_null(region_find(&t, 0x404000), "a miss keeps nothing and finds nothing");
	cr_assert_eq(t.hint, &a);
	cr_assert_eq(region_find(&t, 0x500000), &b, "a lookup outside the hint descends");
	cr_assert_eq(t.hint, &b);

	region_remove(&t, &b);
	cr_assert_null(t.hint, "a removed region is never the hint");

	/* Shrinking a (remove, change, insert) must not leave a hint covering its old range. */
	cr_assert_eq(region_find(&t, 0x403000), &a);
	region_remove(&t, &a);
	a.end = 0x402000;
	region_insert(&t, &a);
	cr_assert_null(region_find(&t, 0x403000), "the hint follows the shrunk range");
	cr_assert_eq(region_find(&t, 0x401000), &a);
	region_remove(&t, &a);
	cr_assert_null(region_find(&t, 0x401000));
}
