/* Page-replacement policies over an abstract set of frames 0..n-1: told when a frame becomes
 * resident, is seen accessed, or is freed, each picks the next victim. No reverse map yet. */
#pragma once
#include "mm/types.h"

#define EVICT_NONE UINT32_MAX

/* Per-frame policy state, 8 bytes: two 32-bit links (CLOCK's and FIFO's ring of resident frames;
 * random's dense array, a frame's position and the frame at a position), plus the 2 bits of
 * evict_set.bits, which fit in struct frame's flags byte: struct frame grows from 8 to 16 bytes. */
struct evict_node {
	uint32_t prev, next;
};

#define EVICT_RESIDENT   0x1 /* in the policy's set */
#define EVICT_REFERENCED 0x2 /* seen accessed since the clock hand last passed */

struct evict_set {
	const struct evict_policy *policy;
	struct evict_node *node; /* nframes entries, owned by the caller */
	uint8_t *bits;           /* nframes entries, owned by the caller */
	uint32_t nframes;
	uint32_t resident; /* frames in the set */
	uint32_t hand;     /* CLOCK's hand, FIFO's oldest frame; EVICT_NONE when empty */
	uint64_t rng;      /* random's xorshift64* state */
	/* Test and clear the hardware accessed bits of frame f (the reverse map's job), or NULL. */
	bool (*young)(void *ctx, uint32_t f);
	void *ctx;
};

/* A policy's hooks; the evict_* calls below keep the common counts and call them. */
struct evict_policy {
	const char *name;
	void (*resident)(struct evict_set *s, uint32_t f); /* f joins the set */
	void (*touched)(struct evict_set *s, uint32_t f);  /* f was seen accessed */
	void (*freed)(struct evict_set *s, uint32_t f);    /* f leaves the set */
	uint32_t (*pick)(struct evict_set *s);             /* a victim, removed from the set */
};

extern const struct evict_policy evict_clock, evict_fifo, evict_random;

/* The policy called name ("clock", "fifo", "random"), or NULL. */
const struct evict_policy *evict_policy_named(const char *name);

/* An empty set of nframes frames under policy p, over the caller's node and bits arrays. */
void evict_init(struct evict_set *s, const struct evict_policy *p, struct evict_node *node,
                uint8_t *bits, uint32_t nframes, uint64_t seed);

/* Frame f (not resident) now holds an evictable page. */
void evict_resident(struct evict_set *s, uint32_t f);

/* Frame f (resident) was accessed: its accessed bit was found set. */
void evict_touched(struct evict_set *s, uint32_t f);

/* Frame f (resident) no longer holds an evictable page. */
void evict_freed(struct evict_set *s, uint32_t f);

/* The next victim, no longer resident in s (give it back with evict_resident if it cannot be
 * evicted); EVICT_NONE when the set is empty. */
uint32_t evict_pick(struct evict_set *s);
