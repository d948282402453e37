/* The simulators: a page table of page -> frame over the largest page number, the policies
 * through evict_* (a page's key is its number + 1, a history of one entry per frame), LRU as a
 * recency list, OPT with a max-heap of next uses (O(n log n)), A0 with a max-heap of rarities. */
#include <assert.h>
#include <stdlib.h>

#include "refsim.h"

#define NONE UINT32_MAX

/* Pages the string names: its largest page number + 1. */
static uint32_t npages(const uint32_t *refs, size_t n)
{
	uint32_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (refs[i] > max)
			max = refs[i];
	return max + 1;
}

/* calloc that the tests may assume succeeds. */
static void *zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	assert(p);
	return p;
}

uint64_t refsim_policy(const struct evict_policy *p, const uint32_t *refs, size_t n,
                       uint32_t frames, uint64_t seed)
{
	return refsim_policy_batch(p, refs, n, frames, seed, 1);
}

/* Evict up to batch frames of s into the stack freed (*nfree of them): pages out of frame_of. */
static void evict_batch(struct evict_set *s, uint32_t batch, uint32_t *frame_of,
                        const uint32_t *page_of, uint32_t *freed, uint32_t *nfree)
{
	for (uint32_t k = 0; k < batch; k++) {
		uint32_t f = evict_pick(s);
		if (f == EVICT_NONE)
			return;
		frame_of[page_of[f]] = NONE;
		evict_evicted(s, (uint64_t)page_of[f] + 1);
		freed[(*nfree)++] = f;
	}
}

uint64_t refsim_policy_batch(const struct evict_policy *p, const uint32_t *refs, size_t n,
                             uint32_t frames, uint64_t seed, uint32_t batch)
{
	uint32_t np = npages(refs, n), used = 0, nfree = 0;
	uint32_t *frame_of = zalloc(np, sizeof(uint32_t)),
	         *page_of = zalloc(frames, sizeof(uint32_t)),
	         *freed = zalloc(frames, sizeof(uint32_t));
	struct evict_node *node = zalloc(frames, sizeof(*node));
	uint8_t *bits = zalloc(frames, 1);
	uint32_t nghost = (frames + 3) / 4 * 4;
	struct evict_ghost *ghost = zalloc(nghost, sizeof(*ghost));
	struct evict_set s;
	uint64_t faults = 0;

	assert(frames > 0 && batch > 0 && batch <= frames);
	evict_init(&s, p, node, bits, frames, seed);
	evict_set_ghost(&s, ghost, nghost);
	for (uint32_t i = 0; i < np; i++)
		frame_of[i] = NONE;
	for (size_t i = 0; i < n; i++) {
		uint32_t f = frame_of[refs[i]];
		if (f == NONE) {
			faults++;
			if (used < frames) {
				f = used++;
			} else {
				if (nfree == 0)
					evict_batch(&s, batch, frame_of, page_of, freed, &nfree);
				f = freed[--nfree];
			}
			page_of[f] = refs[i];
			frame_of[refs[i]] = f;
			evict_resident_key(&s, f, (uint64_t)refs[i] + 1);
		}
		evict_touched(&s, f);
	}
	free(frame_of);
	free(page_of);
	free(freed);
	free(node);
	free(bits);
	free(ghost);
	return faults;
}

uint64_t refsim_lru(const uint32_t *refs, size_t n, uint32_t frames)
{
	uint32_t np = npages(refs, n), resident = 0, head = NONE; /* head: most recent */
	uint32_t *prev = zalloc(np, sizeof(uint32_t)), *next = zalloc(np, sizeof(uint32_t));
	uint8_t *in = zalloc(np, 1);
	uint64_t faults = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t p = refs[i];
		if (in[p]) { /* unlink p from the ring */
			if (head == p)
				head = next[p] == p ? NONE : next[p];
			next[prev[p]] = next[p];
			prev[next[p]] = prev[p];
		} else {
			faults++;
			if (resident == frames) { /* the least recent: before the head */
				uint32_t v = prev[head];
				in[v] = 0;
				next[prev[v]] = head;
				prev[head] = prev[v];
				if (v == head)
					head = NONE;
			} else {
				resident++;
			}
			in[p] = 1;
		}
		if (head == NONE) {
			prev[p] = next[p] = p;
		} else {
			prev[p] = prev[head];
			next[p] = head;
			next[prev[head]] = p;
			prev[head] = p;
		}
		head = p;
	}
	free(prev);
	free(next);
	free(in);
	return faults;
}

struct use {
	size_t when; /* index of the next reference, n when none */
	uint32_t page;
};

/* Restore the max-heap above position i. */
static void heap_up(struct use *h, size_t i)
{
	for (; i > 0 && h[(i - 1) / 2].when < h[i].when; i = (i - 1) / 2) {
		struct use t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
	}
}

/* Restore the max-heap of len entries below position i. */
static void heap_down(struct use *h, size_t len, size_t i)
{
	for (;;) {
		size_t big = i, l = 2 * i + 1, r = l + 1;
		if (l < len && h[l].when > h[big].when)
			big = l;
		if (r < len && h[r].when > h[big].when)
			big = r;
		if (big == i)
			return;
		struct use t = h[i];
		h[i] = h[big];
		h[big] = t;
		i = big;
	}
}

uint64_t refsim_opt(const uint32_t *refs, size_t n, uint32_t frames)
{
	uint32_t np = npages(refs, n), resident = 0;
	size_t *next_use = zalloc(n, sizeof(size_t)), *last = zalloc(np, sizeof(size_t));
	size_t *cur = zalloc(np, sizeof(size_t)), len = 0;
	uint8_t *in = zalloc(np, 1);
	struct use *heap = zalloc(n, sizeof(struct use));
	uint64_t faults = 0;

	for (uint32_t p = 0; p < np; p++)
		last[p] = n;
	for (size_t i = n; i-- > 0;) {
		next_use[i] = last[refs[i]];
		last[refs[i]] = i;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t p = refs[i];
		if (!in[p]) {
			faults++;
			if (resident == frames) { /* pop stale entries until a live one */
				for (;;) {
					struct use top = heap[0];
					heap[0] = heap[--len];
					heap_down(heap, len, 0);
					if (in[top.page] && cur[top.page] == top.when) {
						in[top.page] = 0;
						break;
					}
				}
			} else {
				resident++;
			}
			in[p] = 1;
		}
		cur[p] = next_use[i];
		heap[len] = (struct use){next_use[i], p};
		heap_up(heap, len++);
	}
	free(next_use);
	free(last);
	free(cur);
	free(in);
	free(heap);
	return faults;
}

uint64_t refsim_irm(const uint32_t *refs, size_t n, uint32_t frames, const uint32_t *rarity)
{
	uint32_t np = npages(refs, n), resident = 0;
	uint8_t *in = zalloc(np, 1);
	struct use *heap =
	    zalloc(frames, sizeof(struct use)); /* the resident pages, rarest on top */
	uint64_t faults = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t p = refs[i];
		if (in[p])
			continue;
		faults++;
		if (resident == frames) {
			in[heap[0].page] = 0;
			heap[0] = heap[--resident];
			heap_down(heap, resident, 0);
		}
		in[p] = 1;
		heap[resident] = (struct use){rarity[p], p};
		heap_up(heap, resident++);
	}
	free(in);
	free(heap);
	return faults;
}
