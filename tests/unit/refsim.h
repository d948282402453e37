/* Replacement simulators over a reference string of page numbers: the kernel's policies
 * (kernel/mm/evict.c) run on a fake frame set, and Belady's OPT and LRU, so that the bench and the
 * tests compare policies on the same string. Each returns its page faults, cold ones included. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "mm/evict.h"

/* Faults of policy p with frames frames (random seeded with seed); the accessed bit is set by
 * every reference, the faulting one included, as the hardware does; each victim is paged out
 * (evict_evicted) and 2q has a history of one entry per frame (rounded up to a multiple of 4). */
uint64_t refsim_policy(const struct evict_policy *p, const uint32_t *refs, size_t n,
                       uint32_t frames, uint64_t seed);

/* The same, the frames evicted batch at a time when none is free, as the kernel does between
 * its watermarks (refsim_policy: batch 1). */
uint64_t refsim_policy_batch(const struct evict_policy *p, const uint32_t *refs, size_t n,
                             uint32_t frames, uint64_t seed, uint32_t batch);

/* Faults of least-recently-used replacement. */
uint64_t refsim_lru(const uint32_t *refs, size_t n, uint32_t frames);

/* Faults of Belady's optimal replacement: the page next used furthest ahead goes. */
uint64_t refsim_opt(const uint32_t *refs, size_t n, uint32_t frames);

/* Faults of the best policy that knows the odds but not the future, for a string of independent
 * draws (Aho, Denning and Ullman's A0): the resident page least likely to be read next goes,
 * rarity[page] being how many pages share its chance (the largest goes). */
uint64_t refsim_irm(const uint32_t *refs, size_t n, uint32_t frames, const uint32_t *rarity);
