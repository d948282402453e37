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
	cr_assert_eq(evict_policy_named("2q"), &evict_2q);
	cr_assert_null(evict_policy_named("lru"));
	cr_assert_null(evict_policy_named("clock2"));
}

/* On random strings: no policy beats OPT, every one faults at least once per distinct page and at
 * most once per reference, all fault only cold when every page fits, and OPT and LRU (stack
 * algorithms) never fault more with more frames. */
Test(evict, random_strings_keep_the_bounds)
{
	static const struct evict_policy *const all[] = {&evict_clock, &evict_fifo, &evict_random,
	                                                 &evict_2q};
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

/* A0 keeps the likelier page. 2 frames, page 1 likelier than 2, 2 than 3: 1 2, 3(-2), hit 1,
 * 2(-3), 3(-2), hit 1: 5 faults; LRU faults at every reference (7); OPT: 1 2, 3(-2), hit 1,
 * 2(-1, used after 3), hit 3, 1: 5. */
Test(evict, a0_keeps_the_likelier_page)
{
	static const uint32_t r[] = {1, 2, 3, 1, 2, 3, 1}, rarity[] = {0, 1, 2, 3};
	cr_assert_eq(refsim_irm(r, LEN(r), 2, rarity), 5);
	cr_assert_eq(refsim_lru(r, LEN(r), 2), 7);
	cr_assert_eq(refsim_opt(r, LEN(r), 2), 5);
}

/* On independent draws with a hot set of 10 pages among 60 (hot pages about 19 times as likely
 * as the others): A0 never beats OPT, and once the hot set fits it faults less than LRU in all
 * (at a single size chance may favour either: both keep arbitrary cold pages beside the hot). */
Test(evict, a0_lies_between_opt_and_lru_on_draws)
{
	enum { N = 3000, PAGES = 60 };
	static uint32_t r[N], rarity[PAGES];
	uint64_t a0_sum = 0, lru_sum = 0;
	srand(5);
	for (size_t i = 0; i < N; i++)
		r[i] = (uint32_t)(rand() % 4 ? rand() % 10 : rand() % PAGES);
	for (uint32_t p = 0; p < PAGES; p++)
		rarity[p] = p < 10 ? 1 : 19;
	for (uint32_t frames = 1; frames <= PAGES; frames++) {
		uint64_t a0 = refsim_irm(r, N, frames, rarity);
		cr_assert_leq(refsim_opt(r, N, frames), a0, "%u frames", frames);
		if (frames >= 10) {
			a0_sum += a0;
			lru_sum += refsim_lru(r, N, frames);
		}
	}
	cr_assert_lt(a0_sum, lru_sum);
}

/* Two hot pages and a scan, 4 frames, under 2q (cold ring from its hand, hot ring; R referenced,
 * S seen once; the history holds the keys of paged-out pages with the page-out count then; below
 * 8 frames the cold ring has no minimum share): 1 2 10, hits 1 2, 11: cold [1R 2R 10R 11R];
 * 12: the hand marks all four seen and takes 1 (history 1@1), [2S 10S 11S 12R]; 13: -2 (2@2);
 * 1: -10 (10@3), and 1 is back after 3 - 1 = 2 page-outs, within the 3 resident: hot [1];
 * 2: -11 (11@4), 2 back after 2: hot [1 2], cold [12R 13R]; 14: 12 and 13 marked, -12;
 * 15: -13; 16: 14 and 15 marked, -14; hits 1 2: 11 faults. LRU keeps the scan and loses the hot
 * pages: after 1 2 10 1 2 11, 12(-10) 13(-1) 1(-2) 2(-11) 14(-12) 15(-13) 16(-1) 1(-2) 2(-14):
 * 13; CLOCK 13 too; OPT 9. */
static const uint32_t hot_and_scan[] = {1, 2, 10, 1, 2, 11, 12, 13, 1, 2, 14, 15, 16, 1, 2};

Test(evict, twoq_brings_a_page_back_hot_and_lets_a_scan_pass)
{
	cr_assert_eq(run(&evict_2q, hot_and_scan, LEN(hot_and_scan), 4), 11);
	cr_assert_eq(refsim_lru(hot_and_scan, LEN(hot_and_scan), 4), 13);
	cr_assert_eq(run(&evict_clock, hot_and_scan, LEN(hot_and_scan), 4), 13);
	cr_assert_eq(refsim_opt(hot_and_scan, LEN(hot_and_scan), 4), 9);
}

Test(evict, twoq_promotes_a_frame_referenced_at_two_looks)
{
	struct evict_set s = fresh(&evict_2q);
	for (uint32_t f = 0; f < 8; f++) {
		evict_resident(&s, f);
		evict_touched(&s, f); /* the fault's own access */
	}
	evict_touched(&s, 3);
	/* The first look marks all 8 seen (3's two accesses are one bit); the second takes 0. */
	cr_assert_eq(evict_pick(&s), 0);
	evict_touched(&s, 3); /* after its first look */
	cr_assert_eq(evict_pick(&s), 1);
	cr_assert_eq(evict_pick(&s), 2);
	cr_assert_eq(evict_pick(&s), 4, "the hand promoted 3 on its way");
	cr_assert(s.bits[3] & EVICT_HOT);
	cr_assert_eq(s.nhot, 1);
	evict_freed(&s, 3);
	cr_assert_eq(s.nhot, 0);
	cr_assert_eq(evict_pick(&s), 5);
}

Test(evict, a_cooled_frame_leaves_the_hot_ring_unreferenced)
{
	struct evict_set s = fresh(&evict_2q);
	for (uint32_t f = 0; f < 8; f++) {
		evict_resident(&s, f);
		evict_touched(&s, f);
	}
	evict_touched(&s, 3);
	cr_assert_eq(evict_pick(&s), 0);
	evict_touched(&s, 3);
	cr_assert_eq(evict_pick(&s), 1);
	cr_assert_eq(evict_pick(&s), 2);
	cr_assert_eq(evict_pick(&s), 4, "3 promoted on the way");
	cr_assert(s.bits[3] & EVICT_HOT);
	evict_touched(&s, 3);
	evict_cooled(&s, 3);
	cr_assert_eq(s.bits[3], EVICT_RESIDENT, "in the cold ring, neither referenced nor seen");
	cr_assert_eq(s.nhot, 0);
	for (uint32_t want = 5; want < 8; want++)
		cr_assert_eq(evict_pick(&s), want);
	cr_assert_eq(evict_pick(&s), 3);
	cr_assert_eq(evict_pick(&s), EVICT_NONE);
}

Test(evict, twoq_takes_from_the_hot_ring_when_the_cold_ring_is_empty)
{
	struct evict_set s = fresh(&evict_2q);
	evict_resident(&s, 0);
	evict_resident(&s, 1);
	evict_touched(&s, 0);
	evict_touched(&s, 1);
	cr_assert_eq(evict_pick(&s), 0, "both seen at the first look, neither referenced again");
	evict_touched(&s, 1);
	cr_assert_eq(evict_pick(&s), 1, "promoted, then the only frame left");
	cr_assert_eq(s.nhot, 0);
	cr_assert_eq(evict_pick(&s), EVICT_NONE);
}

Test(evict, twoq_history_remembers_recent_page_outs_only)
{
	static struct evict_ghost ghost[8];
	struct evict_set s = fresh(&evict_2q);
	evict_set_ghost(&s, ghost, 8);
	for (uint32_t f = 0; f < 4; f++)
		evict_resident_key(&s, f, 100 + f);
	cr_assert_eq(evict_pick(&s), 0);
	evict_evicted(&s, 100);
	evict_resident_key(&s, 0, 100);
	cr_assert(s.bits[0] & EVICT_HOT, "back after 1 page-out");
	cr_assert_eq(evict_pick(&s), 1);
	evict_evicted(&s, 101);
	for (int i = 0; i < 5; i++)
		evict_evicted(&s, 900 + (uint64_t)i); /* other pages, out of other sets */
	evict_resident_key(&s, 1, 101);
	cr_assert(!(s.bits[1] & EVICT_HOT), "back after 6 page-outs, more than the 4 resident");
	evict_resident_key(&s, 4, 555);
	cr_assert(!(s.bits[4] & EVICT_HOT), "never paged out");
}

Test(evict, twoq_without_a_history_or_keys)
{
	struct evict_set s = fresh(&evict_2q);
	evict_resident_key(&s, 0, 7);
	evict_resident(&s, 1);
	cr_assert_eq(evict_pick(&s), 0);
	evict_evicted(&s, 7);
	evict_resident_key(&s, 0, 7);
	cr_assert(!(s.bits[0] & EVICT_HOT), "no history: starts cold");
}

/* The next number of a xorshift64 generator: the same string on every libc. */
static uint32_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (uint32_t)(*x >> 32);
}

/* Scan resistance: 100 frames, a hot set of 60 pages (uniform references) and five rounds of
 * 300 references to it and then a one-time scan of 150 new pages, a hot reference after every
 * 4th. Every policy faults once on each of the 750 scan pages; LRU and CLOCK lose the hot set to
 * each scan and load it more than 5 times (OPT 810, LRU 1067, CLOCK 1081), 2q keeps it in its
 * hot ring after the first rounds and loads it fewer than 4 times (932). */
Test(evict, twoq_resists_a_scan_better_than_clock_and_lru)
{
	enum { HOT = 60, SCAN = 150, ROUNDS = 5, FRAMES = 100 };
	static uint32_t r[ROUNDS * (300 + SCAN + SCAN / 4)];
	uint64_t x = 88172645463325252ULL;
	size_t n = 0;
	uint32_t scanned = HOT;
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < 300; i++)
			r[n++] = next(&x) % HOT;
		for (int i = 0; i < SCAN; i++) {
			r[n++] = scanned++;
			if (i % 4 == 3)
				r[n++] = next(&x) % HOT;
		}
	}
	uint64_t twoq = run(&evict_2q, r, n, FRAMES), clock = run(&evict_clock, r, n, FRAMES);
	uint64_t lru = refsim_lru(r, n, FRAMES), opt = refsim_opt(r, n, FRAMES);
	cr_log_info("hot+scan, %zu references: OPT %llu, 2q %llu, CLOCK %llu, LRU %llu", n,
	            (unsigned long long)opt, (unsigned long long)twoq, (unsigned long long)clock,
	            (unsigned long long)lru);
	cr_assert_lt(twoq, clock);
	cr_assert_lt(twoq, lru);
	cr_assert_geq(opt, ROUNDS * SCAN + HOT,
	              "every scan page once, every hot page at least once");
	cr_assert_gt(clock, ROUNDS * SCAN + 5 * HOT);
	cr_assert_gt(lru, ROUNDS * SCAN + 5 * HOT);
	cr_assert_lt(twoq, ROUNDS * SCAN + 4 * HOT);
}

/* A loop over 1,125 pages with 1,000 frames, 4 times: LRU and CLOCK fault on every reference
 * (4,500); 2q's history brings pages back hot, and they stay so (2,750 faults, 1,125 of them the
 * first pass; OPT 1,500), also when the frames go 64 at a time, as the kernel evicts between its
 * watermarks (2q demoted a batch of hot pages per batch then, and faulted 4,500 times). */
Test(evict, twoq_keeps_most_of_a_loop_larger_than_memory)
{
	enum { PAGES = 1125, FRAMES = 1000, PASSES = 4 };
	static uint32_t r[PAGES * PASSES];
	for (size_t i = 0; i < LEN(r); i++)
		r[i] = (uint32_t)(i % PAGES);
	uint64_t opt = refsim_opt(r, LEN(r), FRAMES);
	uint64_t one = run(&evict_2q, r, LEN(r), FRAMES);
	uint64_t batched = refsim_policy_batch(&evict_2q, r, LEN(r), FRAMES, 1, 64);
	cr_log_info("loop: OPT %llu, 2q %llu, 2q in batches of 64 %llu", (unsigned long long)opt,
	            (unsigned long long)one, (unsigned long long)batched);
	cr_assert_eq(refsim_lru(r, LEN(r), FRAMES), LEN(r));
	cr_assert_eq(run(&evict_clock, r, LEN(r), FRAMES), LEN(r));
	cr_assert_lt(one, LEN(r) * 2 / 3);
	cr_assert_lt(batched, LEN(r) * 2 / 3);
	cr_assert_geq(one, opt);
}

Test(evict, batches_of_one_are_refsim_policy)
{
	static uint32_t r[4000];
	uint64_t x = 99;
	for (size_t i = 0; i < LEN(r); i++)
		r[i] = next(&x) % 300;
	for (int p = 0; p < 2; p++) {
		const struct evict_policy *pol = p ? &evict_2q : &evict_clock;
		cr_assert_eq(refsim_policy_batch(pol, r, LEN(r), 100, 1, 1),
		             run(pol, r, LEN(r), 100));
	}
}
