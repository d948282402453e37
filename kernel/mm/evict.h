/* Page-replacement policies over an abstract set of frames 0..n-1: told when a frame becomes
 * resident, is seen accessed, is freed or was paged out, each picks the next victim. */
#pragma once
#include "mm/types.h"

#define EVICT_NONE UINT32_MAX

/* Per-frame policy state, 8 bytes: two 32-bit links (CLOCK's and FIFO's ring of resident frames;
 * 2q's hot or cold ring; random's dense array, a frame's position and the frame at a position),
 * plus the 4 bits of evict_set.bits, which fit in struct frame's flags byte: struct frame grows
 * from 8 to 16 bytes. 2q's history of paged-out pages is a table of its own (struct
 * evict_ghost), 8 bytes an entry, which the caller may give it (evict_set_ghost). */
struct evict_node {
	uint32_t prev, next;
};

#define EVICT_RESIDENT   0x1 /* in the policy's set */
#define EVICT_REFERENCED 0x2 /* seen accessed since the clock hand last passed */
#define EVICT_HOT        0x4 /* 2q: in the hot ring */
#define EVICT_SEEN       0x8 /* 2q: found referenced once in the cold ring */

/* A page's identity for 2q's history (EVICT_NOKEY: none): any 64-bit value that names the page
 * and not the frame, the same while the page is out, e.g. its owner's handle ^ its page index. */
#define EVICT_NOKEY 0

/* The key of the page at page index index (36 bits) of the anonymous family or object whose
 * handle is owner (struct frame's owner and index); never EVICT_NOKEY. */
static inline uint64_t evict_key(uint32_t owner, uint64_t index)
{
	return ((uint64_t)owner << 36 ^ index) | 1ULL << 63;
}

/* One entry of 2q's history of paged-out pages: a 32-bit fingerprint of the page's key (0: empty)
 * and the count of page-outs when it went out, whose difference with the count now is the
 * page's refault distance. */
struct evict_ghost {
	uint32_t fp, stamp;
};

struct evict_set {
	const struct evict_policy *policy;
	struct evict_node *node; /* nframes entries, owned by the caller */
	uint8_t *bits;           /* nframes entries, owned by the caller */
	uint32_t nframes;
	uint32_t resident; /* frames in the set */
	uint32_t hand; /* CLOCK's hand, FIFO's oldest frame, 2q's cold hand; EVICT_NONE: empty */
	uint32_t hot_hand;         /* 2q: the hot ring's hand; EVICT_NONE when empty */
	uint32_t nhot;             /* 2q: frames in the hot ring */
	uint32_t pageouts;         /* evict_evicted calls: the clock of refault distances */
	struct evict_ghost *ghost; /* 2q's history, nghost entries (a multiple of 4), or NULL */
	uint32_t nghost;
	uint64_t rng; /* random's xorshift64* state */
	/* Test and clear the hardware accessed bits of frame f (the reverse map's job), or NULL. */
	bool (*young)(void *ctx, uint32_t f);
	void *ctx;
};

/* A policy's hooks; the evict_* calls below keep the common counts and call them. */
struct evict_policy {
	const char *name;
	void (*resident)(struct evict_set *s, uint32_t f, uint64_t key); /* f joins the set */
	void (*touched)(struct evict_set *s, uint32_t f);                /* f was seen accessed */
	void (*freed)(struct evict_set *s, uint32_t f);                  /* f leaves the set */
	uint32_t (*pick)(struct evict_set *s);              /* a victim, removed from the set */
	void (*evicted)(struct evict_set *s, uint64_t key); /* a victim went out; may be NULL */
};

extern const struct evict_policy evict_clock, evict_fifo, evict_random, evict_2q;

/* The policy called name ("clock", "fifo", "random", "2q"), or NULL. */
const struct evict_policy *evict_policy_named(const char *name);

/* An empty set of nframes frames under policy p, over the caller's node and bits arrays. */
void evict_init(struct evict_set *s, const struct evict_policy *p, struct evict_node *node,
                uint8_t *bits, uint32_t nframes, uint64_t seed);

/* Give s a history of n paged-out pages (n a multiple of 4; 8 bytes each, e.g. one per frame),
 * which 2q uses to recognise a page that comes back soon after it went out; without one 2q still
 * resists scans, but a loop a little larger than memory thrashes as under LRU. */
void evict_set_ghost(struct evict_set *s, struct evict_ghost *g, uint32_t n);

/* Frame f (not resident) now holds an evictable page. */
void evict_resident(struct evict_set *s, uint32_t f);

/* The same, for the page named key (EVICT_NOKEY: unknown): a page swapped in, that 2q's history
 * holds since it went out (evict_evicted), starts hot when it came back soon enough. */
void evict_resident_key(struct evict_set *s, uint32_t f, uint64_t key);

/* Frame f (resident) was accessed: its accessed bit was found set. */
void evict_touched(struct evict_set *s, uint32_t f);

/* Frame f (resident) should be among the next victims (MADV_COLD, MADV_FREE: Linux deactivates
 * its page): not referenced, and in 2q's cold ring. */
void evict_cooled(struct evict_set *s, uint32_t f);

/* Frame f (resident) no longer holds an evictable page. */
void evict_freed(struct evict_set *s, uint32_t f);

/* The next victim, no longer resident in s (give it back with evict_resident if it cannot be
 * evicted); EVICT_NONE when the set is empty. */
uint32_t evict_pick(struct evict_set *s);

/* The page named key, whose frame evict_pick chose, was written out and unmapped: its key goes
 * into 2q's history. Not for a frame given back, nor for a page freed without a page-out. */
void evict_evicted(struct evict_set *s, uint64_t key);
