/* What the reclaim tests share (test_reclaim.c, test_reclaim_madv.c): fake RAM with a fake swap
 * disk and eviction started, pages filled with a pattern of their own and checked whole. */
#pragma once
#include <criterion/criterion.h>
#include <string.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "mm/uapi.h"
#include "swap_fake.h"

#define PG     PAGE_SIZE
#define RW     (PROT_READ | PROT_WRITE)
#define ANON   (MAP_PRIVATE | MAP_ANONYMOUS)
#define NSLOTS 1024 /* the fake disk's slots, the header included */

/* Fresh RAM of bytes, a fake disk of slots (batched or not) and eviction under policy. */
static inline void reclaim_env(size_t bytes, uint64_t slots, bool batched, const char *policy)
{
	host_init(bytes);
	swap_fake_init(slots);
	cr_assert_eq(swap_init(batched ? &swap_fake_batched : &swap_fake, slots), 0);
	cr_assert_eq(reclaim_set_policy(policy), 0, "policy %s", policy);
	memset(&vm_events, 0, sizeof(vm_events));
	reclaim_start();
}

static inline void reclaim_setup(void)
{
	reclaim_env(HOST_RAM_DEFAULT, NSLOTS, false, "clock");
}

/* Undo reclaim_env() whatever the test left (a failed test may leave slots in use). */
static inline void reclaim_teardown(void)
{
	reclaim_stop();
	if (swap_slots_used() == 0)
		swap_reset();
	swap_fake_done();
	host_teardown();
	reclaim_set_policy("clock");
}

/* The byte at offset off of page i of a fill with seed. */
static inline uint8_t pattern(unsigned seed, size_t i, size_t off)
{
	return (uint8_t)(seed * 31 + i * 7 + off * 13 + (off >> 8));
}

/* Write the whole of pages [a, a + n pages) with seed's pattern. */
static inline void fill(struct as *as, vaddr_t a, size_t n, unsigned seed)
{
	static uint8_t buf[PAGE_SIZE];

	for (size_t i = 0; i < n; i++) {
		for (size_t off = 0; off < PG; off++)
			buf[off] = pattern(seed, i, off);
		cr_assert_eq(as_copyout(as, a + i * PG, buf, PG), 0, "fill page %zu", i);
	}
}

/* True when pages [a, a + n pages) hold seed's pattern (faulting them in). */
static inline bool holds(struct as *as, vaddr_t a, size_t n, unsigned seed)
{
	static uint8_t buf[PAGE_SIZE];

	for (size_t i = 0; i < n; i++) {
		if (as_copyin(as, buf, a + i * PG, PG))
			return false;
		for (size_t off = 0; off < PG; off++)
			if (buf[off] != pattern(seed, i, off))
				return false;
	}
	return true;
}

/* n pages of private anonymous memory written with seed's pattern. */
static inline vaddr_t filled_pages(struct as *as, size_t n, unsigned seed)
{
	long a = as_mmap(as, 0, n * PG, RW, ANON, -1, 0);

	cr_assert_gt(a, 0);
	fill(as, (vaddr_t)a, n, seed);
	return (vaddr_t)a;
}

static inline bool on_swap(struct as *as, vaddr_t va)
{
	return pte_is_swap(host_pte(as, va));
}

/* The slot the entry of va names (0 when it names none). */
static inline uint64_t slot_at(struct as *as, vaddr_t va)
{
	pte_t e = host_pte(as, va);

	return pte_is_swap(e) ? pte_slot(e) : 0;
}

/* Pages of [a, a + n pages) whose entries name a slot. */
static inline size_t swapped(struct as *as, vaddr_t a, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += on_swap(as, a + i * PG);
	return k;
}

static inline paddr_t frame_at(struct as *as, vaddr_t va)
{
	return host_pte(as, va) & PTE_ADDR;
}

static inline unsigned refs_at_frame(paddr_t pa)
{
	return frame_of(pa)->refs;
}

static inline const struct region *at_region(struct as *as, vaddr_t va)
{
	return region_find(&as->regions, va);
}

/* mincore of [a, a + n pages) as a string of '0' and '1' (vec: a page of as for the vector). */
static inline const char *residency_of(struct as *as, vaddr_t a, size_t n, vaddr_t vec)
{
	static char s[65];
	uint8_t v[64];

	cr_assert(n <= 64);
	cr_assert_eq(as_mincore(as, a, n * PG, vec), 0);
	cr_assert_eq(as_copyin(as, v, vec, n), 0);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('0' + v[i]);
	s[n] = 0;
	return s;
}

/* Destroy as: every frame back (host_as_done), every slot and cached page free. */
static inline void done(struct as *as)
{
	host_as_done(as);
	cr_assert_eq(swap_slots_used(), 0, "slots left in use");
	cr_assert_eq(swap_cache_pages(), 0, "pages left in the swap cache");
}
