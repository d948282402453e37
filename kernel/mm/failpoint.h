/* Fault injection: the kernel command line's fail=SITES:N[:SEED] makes allocations and swap I/O
 * fail on purpose while programs run, so that every error path is walked (issue 13). */
#pragma once
#include "mm/types.h"

/* The sites: where a call asks fail_inject() before doing its work. */
enum fail_site {
	FAIL_FRAME = 1 << 0,   /* frame_alloc*() of user and kernel frames */
	FAIL_PT = 1 << 1,      /* frame_alloc*() of page-table pages */
	FAIL_SLAB = 1 << 2,    /* slab_alloc() */
	FAIL_SWAPIN = 1 << 3,  /* a read request to the swap device */
	FAIL_SWAPOUT = 1 << 4, /* a write request to the swap device */
	FAIL_NSITES = 5,
	FAIL_ALL = (1 << FAIL_NSITES) - 1,
};

/* What fail= asked for: sites, and every Nth call of theirs fails, or (random) each call fails
 * with probability 1/every from a generator seeded with seed. With a call site, only the calls
 * made from kernel code in [from_lo, from_hi) count (Linux's require-start/require-end). */
struct fail_spec {
	unsigned sites; /* FAIL_* bits; 0: no injection */
	uint64_t every; /* N >= 1 */
	uint64_t seed;
	bool random;
	uint64_t from_lo, from_hi; /* from_hi 0: calls from anywhere */
};

/* Parse SPEC, SITES:N[:SEED][@0xLO-0xHI] (a NUL or a space ends it), into *spec: 0, or -EINVAL
 * with *spec untouched. bin/sos-run turns --fail SPEC@FUNCTION into the range of FUNCTION. */
int fail_parse(const char *s, struct fail_spec *spec);

/* Take spec as the injection to make: counts and generator start afresh; not armed yet. */
void fail_setup(const struct fail_spec *spec);

/* Turn injection on (the spec's sites) or off (none) from now on. */
void fail_arm(bool on);

/* The sites armed now: fail_inject()'s fast test. */
extern unsigned fail_armed;

/* Count a call at site (armed) and say whether it fails now. */
bool fail_decide(enum fail_site site);

/* True when this call at site must fail: one load and a test while nothing is armed. */
static inline bool fail_inject(enum fail_site site)
{
	return (fail_armed & site) && fail_decide(site);
}

/* Failures injected so far at site (one FAIL_* bit), or at every site (FAIL_ALL). */
uint64_t fail_injected(unsigned sites);

/* The name of site (one FAIL_* bit): "frame", "pt", "slab", "swapin" or "swapout". */
const char *fail_site_name(unsigned site);

/* Whether the running code was called, at any depth, from code in [lo, hi): the stack walk the
 * kernel provides for call sites, or NULL (then a spec with a call site injects nothing). */
extern bool (*fail_called_from)(uint64_t lo, uint64_t hi);

/* Called at each injected failure (for --trace), or NULL. */
extern void (*fail_trace)(enum fail_site site, uint64_t call);
