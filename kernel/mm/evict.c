/* Second-chance CLOCK, FIFO and random replacement. CLOCK and FIFO keep the resident frames in a
 * ring in the order they arrived; random keeps them in a dense array for O(1) picks. */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "mm/evict.h"

/* Append f to the ring just behind the hand: it is the newest. */
static void ring_add(struct evict_set *s, uint32_t f)
{
	if (s->hand == EVICT_NONE) {
		s->node[f].prev = s->node[f].next = f;
		s->hand = f;
		return;
	}
	uint32_t tail = s->node[s->hand].prev;
	s->node[f].prev = tail;
	s->node[f].next = s->hand;
	s->node[tail].next = f;
	s->node[s->hand].prev = f;
}

/* Take f out of the ring; the hand moves on to f's successor when it was on f. */
static void ring_del(struct evict_set *s, uint32_t f)
{
	uint32_t prev = s->node[f].prev, next = s->node[f].next;
	if (next == f) {
		s->hand = EVICT_NONE;
		return;
	}
	s->node[prev].next = next;
	s->node[next].prev = prev;
	if (s->hand == f)
		s->hand = next;
}

/* Nothing to do: FIFO and random ignore accesses. */
static void ignore(struct evict_set *s, uint32_t f)
{
	(void)s;
	(void)f;
}

/* FIFO: the oldest resident frame, under the hand. */
static uint32_t fifo_pick(struct evict_set *s)
{
	uint32_t f = s->hand;
	ring_del(s, f);
	return f;
}

/* CLOCK: remember the access until the hand passes. */
static void clock_touched(struct evict_set *s, uint32_t f)
{
	s->bits[f] |= EVICT_REFERENCED;
}

/* Test and clear f's reference: the policy's bit, and the hardware's through s->young. */
static bool clock_referenced(struct evict_set *s, uint32_t f)
{
	bool ref = s->bits[f] & EVICT_REFERENCED;
	s->bits[f] &= ~EVICT_REFERENCED;
	if (s->young && s->young(s->ctx, f))
		ref = true;
	return ref;
}

/* CLOCK: the first frame from the hand not referenced since the hand last passed; a referenced
 * one loses its bit (its second chance). After two turns the hand takes what it is on. */
static uint32_t clock_pick(struct evict_set *s)
{
	for (uint64_t n = 0; n < 2 * (uint64_t)s->resident; n++) {
		if (!clock_referenced(s, s->hand))
			break;
		s->hand = s->node[s->hand].next;
	}
	return fifo_pick(s);
}

/* Random: f goes at the end of the dense array (node[i].next: the frame at position i;
 * node[f].prev: f's position). */
static void random_resident(struct evict_set *s, uint32_t f)
{
	s->node[f].prev = s->resident;
	s->node[s->resident].next = f;
}

/* Random: the last frame of the array fills f's position. */
static void random_freed(struct evict_set *s, uint32_t f)
{
	uint32_t pos = s->node[f].prev, last = s->node[s->resident - 1].next;
	s->node[pos].next = last;
	s->node[last].prev = pos;
}

/* xorshift64*: the next pseudo-random number of s. */
static uint64_t next_random(struct evict_set *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 2685821657736338717ULL;
}

/* Random: any resident frame, each as likely. */
static uint32_t random_pick(struct evict_set *s)
{
	uint32_t f = s->node[next_random(s) % s->resident].next;
	random_freed(s, f);
	return f;
}

const struct evict_policy evict_clock = {"clock", ring_add, clock_touched, ring_del, clock_pick};
const struct evict_policy evict_fifo = {"fifo", ring_add, ignore, ring_del, fifo_pick};
const struct evict_policy evict_random = {"random", random_resident, ignore, random_freed,
                                          random_pick};

/* The policy called name, or NULL. */
const struct evict_policy *evict_policy_named(const char *name)
{
	static const struct evict_policy *const all[] = {&evict_clock, &evict_fifo, &evict_random};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

/* An empty set: every frame not resident. */
void evict_init(struct evict_set *s, const struct evict_policy *p, struct evict_node *node,
                uint8_t *bits, uint32_t nframes, uint64_t seed)
{
	*s = (struct evict_set){.policy = p, .node = node, .bits = bits, .nframes = nframes};
	s->hand = EVICT_NONE;
	s->rng = seed ? seed : 0x9e3779b97f4a7c15ULL; /* xorshift's state must not be 0 */
	for (uint32_t f = 0; f < nframes; f++) {
		bits[f] = 0;
		node[f] = (struct evict_node){EVICT_NONE, EVICT_NONE};
	}
}

/* f joins the set, not yet referenced. */
void evict_resident(struct evict_set *s, uint32_t f)
{
	assert(f < s->nframes && !(s->bits[f] & EVICT_RESIDENT));
	s->policy->resident(s, f);
	s->bits[f] = EVICT_RESIDENT;
	s->resident++;
}

/* f was accessed. */
void evict_touched(struct evict_set *s, uint32_t f)
{
	assert(f < s->nframes && (s->bits[f] & EVICT_RESIDENT));
	s->policy->touched(s, f);
}

/* f leaves the set. */
void evict_freed(struct evict_set *s, uint32_t f)
{
	assert(f < s->nframes && (s->bits[f] & EVICT_RESIDENT));
	s->policy->freed(s, f);
	s->bits[f] = 0;
	s->resident--;
}

/* The policy's victim, out of the set; EVICT_NONE when empty. */
uint32_t evict_pick(struct evict_set *s)
{
	if (s->resident == 0)
		return EVICT_NONE;
	uint32_t f = s->policy->pick(s);
	assert(f < s->nframes && (s->bits[f] & EVICT_RESIDENT));
	s->bits[f] = 0;
	s->resident--;
	return f;
}
