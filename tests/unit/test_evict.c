/* Unit tests of the replacement policies (kernel/mm/evict.c) and the OPT and LRU simulators, on
 * textbook reference strings whose faults are worked out by hand below, and on random strings
 * against the properties every policy must keep. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "mm/evict.h"
#include "refsim.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Belady's string. FIFO, 3 frames: 1 2 3 4(-1) 1(-2) 2(-3) 5(-4), hits 1 2, 3(-1) 4(-2), hit 5:
 * 9 faults. 4 frames: 1 2 3 4, hits 1 2, 5(-1) 1(-2) 2(-3) 3(-4) 4(-5) 5(-1): 10, more frames
 * and more faults. CLOCK here sets every loaded page referenced, so each first sweep clears them
 * all and it evicts as FIFO: 9 and 10 too. LRU: 10 and 8. OPT: 3 frames 1 2 3, 4(-3), hits 1 2,
 * 5(-4), hits 1 2, 3(-1) 4(-2 or -3), hit 5: 7; 4 frames 1 2 3 4, 5(-4), 4(-any of 1 2 3): 6. */
static const uint32_t belady[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};

/* Where the second chance pays, 3 frames (* referenced, ring from the hand):
 * FIFO: 1 2 3, 4(-1) [2 3 4], hit 2, 5(-2) [3 4 5], 2(-3), 3(-4): 7 faults.
 * CLOCK: 1 2 3 [1* 2* 3*], 4: the sweep clears all, -1 [2 3 4*]; hit 2 [2* 3 4*]; 5: 2 loses
 * its bit, -3 [4* 2 5*]; hit 2; 3: all referenced, cleared, -4 [2 5 3*]: 6 faults.
 * LRU: 1 2 3, 4(-1), hit 2, 5(-3), hit 2, 3(-4): 6. OPT: 1 2 3, 4(-1), hit 2, 5(-4), hits: 5. */
static const uint32_t chance[] = {1, 2, 3, 4, 2, 5, 2, 3};

static uint64_t run(const struct evict_policy *p, const uint32_t *r, size_t n, uint32_t frames)
{
	return refsim_policy(p, r, n, frames, 1);
}

Test(evict, fifo_shows_beladys_anomaly)
{
	cr_assert_eq(run(&evict_fifo, belady, LEN(belady), 3), 9);
	cr_assert_eq(run(&evict_fifo, belady, LEN(belady), 4), 10);
}

Test(evict, clock_on_beladys_string)
{
	cr_assert_eq(run(&evict_clock, belady, LEN(belady), 3), 9);
	cr_assert_eq(run(&evict_clock, belady, LEN(belady), 4), 10);
}

Test(evict, lru_and_opt_on_beladys_string)
{
	cr_assert_eq(refsim_lru(belady, LEN(belady), 3), 10);
	cr_assert_eq(refsim_lru(belady, LEN(belady), 4), 8);
	cr_assert_eq(refsim_opt(belady, LEN(belady), 3), 7);
	cr_assert_eq(refsim_opt(belady, LEN(belady), 4), 6);
}

Test(evict, clock_gives_a_referenced_page_its_second_chance)
{
	cr_assert_eq(run(&evict_fifo, chance, LEN(chance), 3), 7);
	cr_assert_eq(run(&evict_clock, chance, LEN(chance), 3), 6);
	cr_assert_eq(refsim_lru(chance, LEN(chance), 3), 6);
	cr_assert_eq(refsim_opt(chance, LEN(chance), 3), 5);
}

/* A fresh set of 8 frames under p. */
static struct evict_node node[8];
static uint8_t bits[8];

static struct evict_set fresh(const struct evict_policy *p)
{
	struct evict_set s;
	evict_init(&s, p, node, bits, 8, 42);
	return s;
}

Test(evict, fifo_picks_the_oldest_and_forgets_a_freed_frame)
{
	struct evict_set s = fresh(&evict_fifo);
	cr_assert_eq(evict_pick(&s), EVICT_NONE);
	for (uint32_t f = 0; f < 5; f++)
		evict_resident(&s, f);
	evict_touched(&s, 0);
	evict_freed(&s, 2);
	evict_freed(&s, 0);
	cr_assert_eq(evict_pick(&s), 1, "accesses do not count");
	evict_resident(&s, 0);
	cr_assert_eq(evict_pick(&s), 3);
	cr_assert_eq(evict_pick(&s), 4);
	cr_assert_eq(evict_pick(&s), 0, "given back: the newest");
	cr_assert_eq(evict_pick(&s), EVICT_NONE);
	cr_assert_eq(s.resident, 0);
}

Test(evict, clock_skips_referenced_frames_once)
{
	struct evict_set s = fresh(&evict_clock);
	for (uint32_t f = 0; f < 4; f++)
		evict_resident(&s, f);
	evict_touched(&s, 0);
	evict_touched(&s, 1);
	cr_assert_eq(evict_pick(&s), 2, "0 and 1 had their second chance");
	evict_touched(&s, 3);
	cr_assert_eq(evict_pick(&s), 0, "the hand passed 0 and cleared it; 3 is referenced");
	evict_freed(&s, 1);
	cr_assert_eq(evict_pick(&s), 3, "the only one left");
	cr_assert_eq(evict_pick(&s), EVICT_NONE);
}

/* The reverse map's stand-in: frame 1's accessed bit is set once. */
static bool young_once(void *ctx, uint32_t f)
{
	int *left = ctx;
	return f == 1 && (*left)-- > 0;
}

Test(evict, clock_asks_the_hardware_accessed_bits)
{
	struct evict_set s = fresh(&evict_clock);
	int left = 1;
	s.young = young_once;
	s.ctx = &left;
	evict_resident(&s, 1);
	evict_resident(&s, 2);
	cr_assert_eq(evict_pick(&s), 2);
	cr_assert_eq(left, 0, "asked once, and the bit cleared");
	cr_assert_eq(evict_pick(&s), 1);
}

Test(evict, random_picks_every_resident_frame_and_only_those)
{
	struct evict_set s = fresh(&evict_random);
	unsigned seen[8] = {0};
	for (int round = 0; round < 200; round++) {
		for (uint32_t f = 0; f < 8; f++)
			evict_resident(&s, f);
		evict_freed(&s, 5);
		uint32_t f = evict_pick(&s);
		cr_assert(f < 8 && f != 5);
		seen[f]++;
		for (uint32_t g = 0; g < 8; g++)
			if (g != f && g != 5)
				evict_freed(&s, g);
		cr_assert_eq(s.resident, 0);
	}
	for (uint32_t f = 0; f < 8; f++)
		cr_assert(f == 5 ? seen[f] == 0 : seen[f] > 10, "frame %u picked %u times", f,
		          seen[f]);
}

Test(evict, random_is_reproducible_by_seed)
{
	uint32_t r[2000];
	srand(7);
	for (size_t i = 0; i < LEN(r); i++)
		r[i] = (uint32_t)(rand() % 40);
	cr_assert_eq(refsim_policy(&evict_random, r, LEN(r), 16, 3),
	             refsim_policy(&evict_random, r, LEN(r), 16, 3));
}

Test(evict, policies_are_found_by_name)
{
	cr_assert_eq(evict_policy_named("clock"), &evict_clock);
	cr_assert_eq(evict_policy_named("fifo"), &evict_fifo);
	cr_assert_eq(evict_policy_named("random"), &evict_random);
	cr_assert_null(evict_policy_named("lru"));
	cr_assert_null(evict_policy_named("clock2"));
}

/* On random strings: no policy beats OPT, every one faults at least once per distinct page and at
 * most once per reference, all fault only cold when every page fits, and OPT and LRU (stack
 * algorithms) never fault more with more frames. */
Test(evict, random_strings_keep_the_bounds)
{
	static const struct evict_policy *const all[] = {&evict_clock, &evict_fifo, &evict_random};
	enum { N = 3000, PAGES = 60 };
	static uint32_t r[N];
	srand(12);
	for (size_t i = 0; i < N; i++) /* a hot set of 10 pages three times out of four */
		r[i] = (uint32_t)(rand() % 4 ? rand() % 10 : rand() % PAGES);
	uint64_t prev_opt = N, prev_lru = N;
	for (uint32_t frames = 1; frames <= PAGES; frames++) {
		uint64_t opt = refsim_opt(r, N, frames), lru = refsim_lru(r, N, frames);
		cr_assert_leq(opt, lru);
		cr_assert_leq(opt, prev_opt);
		cr_assert_leq(lru, prev_lru);
		prev_opt = opt;
		prev_lru = lru;
		for (size_t p = 0; p < LEN(all); p++) {
			uint64_t faults = refsim_policy(all[p], r, N, frames, frames);
			cr_assert_leq(opt, faults, "%s, %u frames", all[p]->name, frames);
			cr_assert_leq(faults, N);
			if (frames == PAGES)
				cr_assert_eq(faults, opt);
		}
	}
	cr_assert_eq(prev_opt, PAGES, "every page fits: cold faults only");
}
