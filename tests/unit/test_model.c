/* Model-based random test: long random sequences of mmap (anonymous and of files), munmap,
 * mprotect, madvise, mremap, brk, file truncation, user loads and stores, fork (two address
 * spaces, the calls acting on either) and eviction to a fake swap disk, checked after every step
 * against the model of mm_model.c, under each replacement policy.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "host.h"
#include "mm/uapi.h"
#include "mm/reclaim.h"
#include "mm_model.h"

#define PG     PAGE_SIZE
#define NPAGES MM_MODEL_NPAGES

static struct mm_model mm;
static char last[96]; /* the last operation, for a failure's message */

#define SAY(...) snprintf(last, sizeof(last), __VA_ARGS__)

static size_t rnd(size_t n)
{
	return (size_t)rand() % n;
}

static const int prots[] = {PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC};

static bool op_mmap(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(8);
	int prot = prots[rnd(4)];
	bool shared = rnd(4) == 0, fixed = rnd(2), populate = rnd(4) == 0;
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (populate ? MAP_POPULATE : 0) |
	            (fixed ? MAP_FIXED : 0);

	SAY("mmap(%zu, %zu, %#x, %#x)", i, n, prot, flags);
	return mm_model_mmap(&mm, i, n, prot, flags);
}

/* A mapping of one of the model's files, at an offset that may run past its end. */
static bool op_mmap_file(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(12), off = rnd(32);
	int prot = prots[rnd(4)];
	bool shared = rnd(3) == 0, fixed = rnd(2), populate = rnd(4) == 0;
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (populate ? MAP_POPULATE : 0) |
	            (fixed ? MAP_FIXED : 0);

	unsigned f = (unsigned)rnd(MM_MODEL_NFILES);

	SAY("mmap_file(%zu, %zu, %#x, %#x, %u, %zu)", i, n, prot, flags, f, off);
	return mm_model_mmap_file(&mm, i, n, prot, flags, f, off);
}

/* A truncation (or extension) of a file under its mappings. */
static bool op_truncate(void)
{
	unsigned f = (unsigned)rnd(MM_MODEL_NFILES);
	size_t pages = rnd(49);

	SAY("truncate(%u, %zu)", f, pages);
	return mm_model_truncate(&mm, f, pages);
}

static bool op_munmap(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(10);

	SAY("munmap(%zu, %zu)", i, n);
	return mm_model_munmap(&mm, i, n);
}

static bool op_mprotect(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(10);
	int prot = prots[rnd(4)];

	SAY("mprotect(%zu, %zu, %#x)", i, n, prot);
	return mm_model_mprotect(&mm, i, n, prot);
}

static bool op_madvise(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(10);
	int advice = (int[]){MADV_DONTNEED, MADV_FREE,       MADV_REMOVE,     MADV_DONTFORK,
	                     MADV_DOFORK,   MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_PAGEOUT,
	                     MADV_COLD,     MADV_WILLNEED}[rnd(10)];

	SAY("madvise(%zu, %zu, %d)", i, n, advice);
	return mm_model_madvise(&mm, i, n, advice);
}

static bool op_touch(void)
{
	size_t i = rnd(NPAGES);
	bool write = rnd(2);
	uint8_t v = (uint8_t)(1 + rnd(255));

	SAY("touch(%zu, %d, %u)", i, write, v);
	return mm_model_touch(&mm, i, write, v);
}

static bool op_brk(void)
{
	size_t off = rnd(NPAGES * PG / 2);

	SAY("brk(%#zx)", off);
	return mm_model_brk(&mm, off);
}

static bool op_mremap(void)
{
	size_t i = rnd(NPAGES), oldn = rnd(8) ? 1 + rnd(4) : 0, newn = 1 + rnd(6);
	int kind = (int)rnd(3);
	int flags = kind == 0 ? 0 : kind == 1 ? MREMAP_MAYMOVE : MREMAP_MAYMOVE | MREMAP_FIXED;
	size_t t = rnd(NPAGES);

	SAY("mremap(%zu, %zu, %zu, %d, %zu)", i, oldn, newn, flags, t);
	return mm_model_mremap(&mm, i, oldn, newn, flags, t);
}

/* Eviction of a few frames, sometimes of all there are. */
static bool op_evict(void)
{
	size_t n = rnd(8) ? 1 + rnd(16) : 1000;

	SAY("evict(%zu)", n);
	return mm_model_evict(&mm, n);
}

/* One random operation on kernel and model; false when they disagree. */
static bool random_op(void)
{
	switch (rnd(17)) {
	case 0:
		return op_mmap();
	case 1:
		return op_munmap();
	case 2:
		return op_mprotect();
	case 3:
		return op_madvise();
	case 4:
		return op_mremap();
	case 5:
		return op_brk();
	case 6:
	case 7:
		return op_mmap_file();
	case 8:
		return rnd(3) ? op_touch() : op_truncate();
	case 9:
		if (rnd(4)) {
			SAY("switch()");
			return mm_model_switch(&mm);
		}
		SAY("fork()");
		return mm_model_fork(&mm);
	case 15:
	case 16:
		return op_evict();
	default:
		return op_touch();
	}
}

static void run_model(unsigned seed, int steps)
{
	srand(seed);
	cr_assert(mm_model_start(&mm), "%s", mm.why);
	mm.pressure = frames_total() < 1024;
	for (int step = 0; step < steps; step++) {
		cr_assert(random_op(), "seed %u step %d, %s: %s", seed, step, last, mm.why);
		cr_assert(mm_model_check(&mm), "seed %u step %d, after %s: %s", seed, step, last,
		          mm.why);
	}
	cr_assert_gt(vm_events.pgmajfault, 0, "seed %u: pages came back from swap", seed);
	cr_assert(mm_model_finish(&mm), "seed %u: %s", seed, mm.why);
}

TestSuite(model, .init = host_setup, .fini = host_teardown);

/* Each seed under another replacement policy: the policy picks which pages go. */
Test(model, seed_1)
{
	mm_model_swap_on("clock", MM_MODEL_SLOTS);
	run_model(1, 20000);
}

Test(model, seed_2)
{
	mm_model_swap_on("fifo", MM_MODEL_SLOTS);
	run_model(2, 20000);
}

Test(model, seed_3)
{
	mm_model_swap_on("random", MM_MODEL_SLOTS);
	run_model(3, 20000);
}

Test(model, seed_4)
{
	mm_model_swap_on("clock", MM_MODEL_SLOTS);
	run_model(4, 20000);
}

/* RAM so small that the safe points evict by themselves: the model learns it at each check. */
Test(model, seed_5_short_of_ram)
{
	host_init(5UL << 18); /* 320 frames: eviction starts below 256 free */
	mm_model_swap_on("clock", MM_MODEL_SLOTS);
	run_model(5, 20000);
	cr_assert_gt(vm_events.evictions, 500, "%lu evictions", vm_events.evictions);
}

/* Short of RAM and of swap (16 slots): evictions stop when the disk is full, nothing is lost. */
Test(model, seed_6_short_of_ram_and_swap)
{
	host_init(5UL << 18);
	mm_model_swap_on("random", 17);
	run_model(6, 20000);
}
