/* Second-chance CLOCK, FIFO, random and 2q replacement. CLOCK and FIFO keep the resident frames in
 * a ring in the order they arrived; random keeps them in a dense array for O(1) picks; 2q keeps a
 * cold and a hot ring and a history of the pages it paged out. */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "mm/evict.h"

/* Append f to the ring whose hand is *hand, just behind the hand: it is the newest. */
static void ring_put(struct evict_set *s, uint32_t *hand, uint32_t f)
{
	if (*hand == EVICT_NONE) {
		s->node[f].prev = s->node[f].next = f;
		*hand = f;
		return;
	}
	uint32_t tail = s->node[*hand].prev;
	s->node[f].prev = tail;
	s->node[f].next = *hand;
	s->node[tail].next = f;
	s->node[*hand].prev = f;
}

/* Take f out of the ring whose hand is *hand; the hand moves on to f's successor when on f. */
static void ring_take(struct evict_set *s, uint32_t *hand, uint32_t f)
{
	uint32_t prev = s->node[f].prev, next = s->node[f].next;
	if (next == f) {
		*hand = EVICT_NONE;
		return;
	}
	s->node[prev].next = next;
	s->node[next].prev = prev;
	if (*hand == f)
		*hand = next;
}

/* CLOCK and FIFO: f joins the ring, the newest; keys do not matter. */
static void ring_add(struct evict_set *s, uint32_t f, uint64_t key)
{
	(void)key;
	ring_put(s, &s->hand, f);
}

/* CLOCK and FIFO: f leaves the ring. */
static void ring_del(struct evict_set *s, uint32_t f)
{
	ring_take(s, &s->hand, f);
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
static void random_resident(struct evict_set *s, uint32_t f, uint64_t key)
{
	(void)key;
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

/* 2q: the cold ring holds new pages and takes the evictions; a page found referenced twice there
 * (the first reference is the fault's own), or one that comes back from swap soon after it went
 * out, goes to the hot ring, which is a CLOCK of its own, at most 7/8 of the set: a one-time scan
 * passes through the cold ring and leaves the hot pages alone. (1/4 for the cold ring, as in
 * Johnson and Shasha's 2Q, took up to 14% more page-ins on bench/swap.c's loop and seq.) */
#define TQ_COLD_PART 8 /* the cold ring keeps at least 1/TQ_COLD_PART of the set */

/* 2q: the most frames the hot ring may hold. */
static uint32_t hot_max(const struct evict_set *s)
{
	return s->resident - s->resident / TQ_COLD_PART;
}

/* splitmix64's finaliser: every bit of key spread over the 64. */
static uint64_t mix(uint64_t key)
{
	key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ULL;
	key = (key ^ (key >> 27)) * 0x94d049bb133111ebULL;
	return key ^ (key >> 31);
}

/* 2q's history: the 4 entries where the page whose mixed key is h may be. */
static struct evict_ghost *ghost_bucket(const struct evict_set *s, uint64_t h)
{
	return &s->ghost[(h >> 8) % (s->nghost / 4) * 4];
}

/* 2q: remember that key went out now, over an empty entry of its bucket, else the oldest. */
static void tq_evicted(struct evict_set *s, uint64_t key)
{
	if (!s->ghost)
		return;
	uint64_t h = mix(key);
	struct evict_ghost *b = ghost_bucket(s, h), *e = b;
	for (int i = 0; i < 4 && e->fp; i++)
		if (!b[i].fp || s->pageouts - b[i].stamp > s->pageouts - e->stamp)
			e = &b[i];
	*e = (struct evict_ghost){(uint32_t)(h >> 32) | 1, s->pageouts};
}

/* 2q: key's refault distance (page-outs since it went out), forgotten by the history; UINT32_MAX
 * when the history does not hold it. A fingerprint may match another page: a wrong guess only. */
static uint32_t ghost_take(struct evict_set *s, uint64_t key)
{
	if (!s->ghost || key == EVICT_NOKEY)
		return UINT32_MAX;
	uint64_t h = mix(key);
	struct evict_ghost *b = ghost_bucket(s, h);
	for (int i = 0; i < 4; i++)
		if (b[i].fp == ((uint32_t)(h >> 32) | 1)) {
			b[i].fp = 0;
			return s->pageouts - b[i].stamp;
		}
	return UINT32_MAX;
}

/* 2q: f joins the hot ring. */
static void hot_add(struct evict_set *s, uint32_t f)
{
	s->bits[f] = (uint8_t)((s->bits[f] | EVICT_HOT) & ~EVICT_SEEN);
	ring_put(s, &s->hot_hand, f);
	s->nhot++;
}

/* 2q: f leaves the hot ring. */
static void hot_del(struct evict_set *s, uint32_t f)
{
	s->bits[f] &= ~EVICT_HOT;
	ring_take(s, &s->hot_hand, f);
	s->nhot--;
}

/* 2q: a page back within one set's worth of page-outs would have stayed with twice the frames:
 * it starts hot while the hot ring has room; any other page starts cold. */
static void tq_resident(struct evict_set *s, uint32_t f, uint64_t key)
{
	uint32_t d = ghost_take(s, key);
	if (d <= s->resident && s->nhot < hot_max(s))
		hot_add(s, f);
	else
		ring_put(s, &s->hand, f);
}

/* 2q: f leaves whichever ring it is in. */
static void tq_freed(struct evict_set *s, uint32_t f)
{
	if (s->bits[f] & EVICT_HOT)
		hot_del(s, f);
	else
		ring_take(s, &s->hand, f);
}

/* 2q: the hot ring's CLOCK moves its first unreferenced frame to the cold ring, where one more
 * reference brings it back (it was hot: it has been seen once already). */
static void tq_demote(struct evict_set *s)
{
	for (uint64_t n = 0; n < 2 * (uint64_t)s->nhot; n++) {
		if (!clock_referenced(s, s->hot_hand))
			break;
		s->hot_hand = s->node[s->hot_hand].next;
	}
	uint32_t f = s->hot_hand;
	hot_del(s, f);
	s->bits[f] |= EVICT_SEEN;
	ring_put(s, &s->hand, f);
}

/* 2q: f, referenced twice in the cold ring, goes hot; the hot ring stays within its share. */
static void tq_promote(struct evict_set *s, uint32_t f)
{
	ring_take(s, &s->hand, f);
	hot_add(s, f);
	if (s->nhot > hot_max(s))
		tq_demote(s);
}

/* 2q: from the cold hand, a referenced frame is marked seen (the first time) or promoted (the
 * second); the first frame not referenced goes. The hot ring gives up a frame when one is
 * promoted over its share, or when the cold ring is empty; not because the set shrank: the
 * kernel evicts in batches, and a share that followed the set down would demote a batch's worth
 * of hot pages each time (a loop a little larger than memory then thrashed as under LRU). */
static uint32_t tq_pick(struct evict_set *s)
{
	for (uint64_t n = 0; n < 2 * (uint64_t)s->resident + 2; n++) {
		if (s->hand == EVICT_NONE)
			tq_demote(s);
		uint32_t f = s->hand;
		if (!clock_referenced(s, f))
			break;
		if (s->bits[f] & EVICT_SEEN) {
			tq_promote(s, f);
		} else {
			s->bits[f] |= EVICT_SEEN;
			s->hand = s->node[f].next;
		}
	}
	if (s->hand == EVICT_NONE)
		tq_demote(s);
	uint32_t f = s->hand;
	ring_take(s, &s->hand, f);
	return f;
}

const struct evict_policy evict_clock = {"clock",  ring_add,   clock_touched,
                                         ring_del, clock_pick, NULL};
const struct evict_policy evict_fifo = {"fifo", ring_add, ignore, ring_del, fifo_pick, NULL};
const struct evict_policy evict_random = {"random",     random_resident, ignore,
                                          random_freed, random_pick,     NULL};
const struct evict_policy evict_2q = {"2q",     tq_resident, clock_touched,
                                      tq_freed, tq_pick,     tq_evicted};

/* The policy called name, or NULL. */
const struct evict_policy *evict_policy_named(const char *name)
{
	static const struct evict_policy *const all[] = {&evict_clock, &evict_fifo, &evict_random,
	                                                 &evict_2q};
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
	s->hand = s->hot_hand = EVICT_NONE;
	s->rng = seed ? seed : 0x9e3779b97f4a7c15ULL; /* xorshift's state must not be 0 */
	for (uint32_t f = 0; f < nframes; f++) {
		bits[f] = 0;
		node[f] = (struct evict_node){EVICT_NONE, EVICT_NONE};
	}
}

/* Keep a history of n paged-out pages in g, all empty. */
void evict_set_ghost(struct evict_set *s, struct evict_ghost *g, uint32_t n)
{
	assert(n >= 4 && n % 4 == 0);
	s->ghost = g;
	s->nghost = n;
	memset(g, 0, n * sizeof(*g));
}

/* f joins the set, not yet referenced, holding the page named key. */
void evict_resident_key(struct evict_set *s, uint32_t f, uint64_t key)
{
	assert(f < s->nframes && !(s->bits[f] & EVICT_RESIDENT));
	s->bits[f] = EVICT_RESIDENT; /* before the hook, which may add its own bits */
	s->policy->resident(s, f, key);
	s->resident++;
}

/* f joins the set, its page unnamed. */
void evict_resident(struct evict_set *s, uint32_t f)
{
	evict_resident_key(s, f, EVICT_NOKEY);
}

/* f was accessed. */
void evict_touched(struct evict_set *s, uint32_t f)
{
	assert(f < s->nframes && (s->bits[f] & EVICT_RESIDENT));
	s->policy->touched(s, f);
}

/* f should go soon: unreferenced, unseen, and out of 2q's hot ring into its cold one. */
void evict_cooled(struct evict_set *s, uint32_t f)
{
	assert(f < s->nframes && (s->bits[f] & EVICT_RESIDENT));
	if (s->bits[f] & EVICT_HOT) {
		hot_del(s, f);
		ring_put(s, &s->hand, f);
	}
	s->bits[f] &= ~(EVICT_REFERENCED | EVICT_SEEN);
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

/* The page named key was paged out: the policy may remember it. */
void evict_evicted(struct evict_set *s, uint64_t key)
{
	s->pageouts++;
	if (s->policy->evicted && key != EVICT_NOKEY)
		s->policy->evicted(s, key);
}
