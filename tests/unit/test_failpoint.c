/* Unit tests of fault injection (kernel/mm/failpoint.c): the fail= grammar, every Nth call, the
 * seeded random mode, arming, and the sites in frame.c, slab.c and swap.c failing cleanly. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>

#include "host.h"
#include "mm/failpoint.h"
#include "mm/slab.h"
#include "mm/uapi.h"
#include "mm/swap.h"
#include "swap_fake.h"

TestSuite(failpoint, .init = host_setup, .fini = host_teardown);

/* Set spec (parsed from text) up and arm it. */
static void inject(const char *text)
{
	struct fail_spec s;

	cr_assert_eq(fail_parse(text, &s), 0, "%s", text);
	fail_setup(&s);
	fail_arm(true);
}

Test(failpoint, grammar)
{
	struct fail_spec s = {0};

	cr_assert_eq(fail_parse("all:7", &s), 0);
	cr_assert_eq(s.sites, FAIL_ALL);
	cr_assert_eq(s.every, 7);
	cr_assert(!s.random);
	cr_assert_eq(fail_parse("frame+slab:100:3 trace", &s), 0, "a space ends the spec");
	cr_assert_eq(s.sites, FAIL_FRAME | FAIL_SLAB);
	cr_assert_eq(s.every, 100);
	cr_assert_eq(s.seed, 3);
	cr_assert(s.random);
	cr_assert_eq(fail_parse("pt+swapin+swapout:1:0", &s), 0);
	cr_assert_eq(s.sites, FAIL_PT | FAIL_SWAPIN | FAIL_SWAPOUT);
	cr_assert(s.random && s.seed == 0);
	cr_assert_eq(fail_parse("swapout+all:2", &s), 0);
	cr_assert_eq(s.sites, FAIL_ALL);
}

Test(failpoint, grammar_of_call_sites)
{
	struct fail_spec s = {0};

	cr_assert_eq(fail_parse("slab:1@0xffffffff80110000-0xffffffff80110a40 stats", &s), 0);
	cr_assert_eq(s.sites, FAIL_SLAB);
	cr_assert_eq(s.from_lo, 0xffffffff80110000ULL);
	cr_assert_eq(s.from_hi, 0xffffffff80110a40ULL);
	cr_assert(!s.random);
	cr_assert_eq(fail_parse("all:3:9@0x10-0x11", &s), 0);
	cr_assert(s.random && s.seed == 9 && s.from_lo == 0x10 && s.from_hi == 0x11);
	cr_assert_eq(fail_parse("all:3", &s), 0);
	cr_assert_eq(s.from_hi, 0, "no call site: calls from anywhere");
}

Test(failpoint, grammar_refusals)
{
	const char *bad[] = {"",
	                     "all",
	                     "all:",
	                     "all:0",
	                     ":5",
	                     "frames:5",
	                     "frame+:5",
	                     "+frame:5",
	                     "frame,pt:5",
	                     "all:5:",
	                     "all:5:x",
	                     "all:-1",
	                     "all:5:3:1",
	                     "ALL:5",
	                     "all:5x",
	                     "all:99999999999999999999",
	                     "all:5:99999999999999999999",
	                     "all:5@",
	                     "all:5@0x10",
	                     "all:5@0x10-",
	                     "all:5@10-20",
	                     "all:5@0x-0x20",
	                     "all:5@0x20-0x10",
	                     "all:5@0x10-0x10",
	                     "all:5@0xABC-0xdef",
	                     "all:5@0x10-0x20x",
	                     "all:5@0x10000000000000000-0x20000000000000000",
	                     "all:5@0x10-0x20@0x30-0x40"};
	struct fail_spec s = {.sites = 42};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(fail_parse(bad[i], &s), -EINVAL, "'%s' was taken", bad[i]);
		cr_assert_eq(s.sites, 42, "'%s' changed the spec", bad[i]);
	}
}

Test(failpoint, every_nth_call_across_sites)
{
	inject("frame+slab:3");
	for (int i = 1; i <= 30; i++) {
		bool fails = fail_inject(i % 2 ? FAIL_FRAME : FAIL_SLAB);

		cr_assert_eq(fails, i % 3 == 0, "call %d", i);
	}
	cr_assert_eq(fail_injected(FAIL_ALL), 10);
	cr_assert_eq(fail_injected(FAIL_FRAME) + fail_injected(FAIL_SLAB), 10);
	cr_assert(!fail_inject(FAIL_PT), "a site not chosen never fails");
	cr_assert(!fail_inject(FAIL_PT) && !fail_inject(FAIL_PT), "nor counts as a call");
	cr_assert(!fail_inject(FAIL_FRAME) && !fail_inject(FAIL_FRAME) && fail_inject(FAIL_FRAME));
}

Test(failpoint, disarmed_calls_do_not_count)
{
	inject("all:2");
	cr_assert(!fail_inject(FAIL_FRAME));
	fail_arm(false);
	for (int i = 0; i < 5; i++)
		cr_assert(!fail_inject(FAIL_FRAME));
	fail_arm(true);
	cr_assert(fail_inject(FAIL_SLAB), "the second armed call");
	cr_assert_eq(fail_injected(FAIL_ALL), 1);
}

/* The fake stack walk: whether the call comes from [lo, hi) is whether `here` lies in it. */
static uint64_t here;
static uint64_t asked_lo, asked_hi;

static bool called_from_here(uint64_t lo, uint64_t hi)
{
	asked_lo = lo, asked_hi = hi;
	return here >= lo && here < hi;
}

Test(failpoint, only_calls_from_the_call_site_count)
{
	fail_called_from = called_from_here;
	inject("frame:2@0x1000-0x2000");
	here = 0x3000;
	for (int i = 0; i < 5; i++)
		cr_assert(!fail_inject(FAIL_FRAME), "a call from elsewhere never fails");
	cr_assert_eq(asked_lo, 0x1000);
	cr_assert_eq(asked_hi, 0x2000);
	here = 0x1fff;
	cr_assert(!fail_inject(FAIL_FRAME), "the first call from the site");
	here = 0x2000;
	cr_assert(!fail_inject(FAIL_FRAME), "nor counts as a call");
	here = 0x1000;
	cr_assert(fail_inject(FAIL_FRAME), "the second call from the site fails");
	cr_assert_eq(fail_injected(FAIL_ALL), 1);
	fail_called_from = NULL;
	cr_assert(!fail_inject(FAIL_FRAME) && !fail_inject(FAIL_FRAME),
	          "without a stack walk, a call site injects nothing");
}

/* The calls of 1,000 that fail under spec text, as a bit per call. */
static void pattern(const char *text, bool out[1000])
{
	inject(text);
	for (int i = 0; i < 1000; i++)
		out[i] = fail_inject(FAIL_FRAME);
}

Test(failpoint, random_is_seeded)
{
	static bool a[1000], b[1000], c[1000];
	int fails = 0, same = 0;

	pattern("frame:10:7", a);
	pattern("frame:10:7", b);
	pattern("frame:10:8", c);
	for (int i = 0; i < 1000; i++) {
		cr_assert_eq(a[i], b[i], "the same seed, another failure at call %d", i);
		fails += a[i];
		same += a[i] && c[i];
	}
	cr_assert(fails > 60 && fails < 140, "%d failures of 1,000 at 1/10", fails);
	cr_assert(same < fails / 2, "seeds 7 and 8 fail the same %d calls of %d", same, fails);
	cr_assert_eq(fail_injected(FAIL_FRAME), fail_injected(FAIL_ALL));
}

Test(failpoint, one_fails_every_call)
{
	inject("pt:1:5");
	for (int i = 0; i < 100; i++)
		cr_assert(fail_inject(FAIL_PT));
}

Test(failpoint, site_names)
{
	cr_assert_str_eq(fail_site_name(FAIL_FRAME), "frame");
	cr_assert_str_eq(fail_site_name(FAIL_PT), "pt");
	cr_assert_str_eq(fail_site_name(FAIL_SLAB), "slab");
	cr_assert_str_eq(fail_site_name(FAIL_SWAPIN), "swapin");
	cr_assert_str_eq(fail_site_name(FAIL_SWAPOUT), "swapout");
	cr_assert_str_eq(fail_site_name(FAIL_ALL), "?");
}

Test(failpoint, frame_and_pt_sites)
{
	size_t used = frames_used();

	inject("pt:1");
	cr_assert_eq(frame_alloc(FRAME_PAGETABLE), 0);
	cr_assert_eq(frame_alloc_zeroed(FRAME_PAGETABLE), 0);

	paddr_t pa = frame_alloc(FRAME_USER);

	cr_assert_neq(pa, 0, "the frame site is not armed");
	frame_free(pa);
	inject("frame:1");
	cr_assert_eq(frame_alloc_mapped(), 0);
	cr_assert_eq(frame_alloc_anon(0, 0), 0);
	cr_assert_eq(frame_alloc(FRAME_KERNEL), 0);
	cr_assert_eq(frames_used(), used, "a failed allocation takes no frame");
	cr_assert_eq(fail_injected(FAIL_FRAME), 3);
}

Test(failpoint, slab_site)
{
	struct slab_cache c;

	slab_init(&c, 64);
	inject("slab:2");

	void *a = slab_alloc(&c);

	cr_assert_not_null(a);
	cr_assert_null(slab_alloc(&c));
	cr_assert_eq(c.objects, 1, "a failed allocation takes no object");
	slab_free(&c, a);
	cr_assert_eq(frames_used(), 0);
}

Test(failpoint, swap_sites)
{
	paddr_t f[2] = {frame_alloc(FRAME_USER), frame_alloc(FRAME_USER)};

	swap_fake_init(16);
	cr_assert_eq(swap_init(&swap_fake, 16), 0);

	uint64_t s = swap_alloc(), t = swap_alloc();

	inject("swapout:1");
	cr_assert_eq(swap_write(s, f[0]), -EIO);
	cr_assert_eq(swap_write_pages(s, f, 2), -EIO);
	cr_assert_eq(swap_read(s, f[0]), 0, "reads are not armed");
	cr_assert_eq(swap_fake_writes, 0, "an injected failure reaches no device");
	inject("swapin:1");
	cr_assert_eq(swap_read(t, f[1]), -EIO);
	cr_assert_eq(swap_read_pages(s, f, 2), -EIO);
	cr_assert_eq(swap_write(t, f[1]), 0);
	cr_assert_eq(fail_injected(FAIL_SWAPIN), 2);
	swap_free(s);
	swap_free(t);
	frame_free(f[0]);
	frame_free(f[1]);
	swap_reset();
	swap_fake_done();
}

#define PG   PAGE_SIZE
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* A user store of v at va, as the CPU would make it; an injected failure may refuse it. */
static void store(struct as *as, vaddr_t va, uint8_t v)
{
	(void)host_poke(as, va, v);
}

/* The memory calls a process makes, each allowed to fail: map, touch, split by mprotect and
 * munmap, grow by mremap, share, fork and write on both sides, then exit. Nothing checked here
 * but the caller's: every frame comes back. */
static void life(void)
{
	struct as *as = as_create(), *child;

	if (!as)
		return;
	long a = as_mmap(as, 0, 64 * PG, PROT_READ | PROT_WRITE, ANON, -1, 0);
	long s = as_mmap(as, 0, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	for (int i = 0; a > 0 && i < 64; i++)
		store(as, (vaddr_t)a + i * PG, (uint8_t)i);
	for (int i = 0; s > 0 && i < 8; i++)
		store(as, (vaddr_t)s + i * PG, (uint8_t)i);
	if (a > 0) {
		(void)as_mprotect(as, (vaddr_t)a + 8 * PG, 4 * PG, PROT_READ);
		(void)as_munmap(as, (vaddr_t)a + 20 * PG, 2 * PG);
		(void)as_mremap(as, (vaddr_t)a + 40 * PG, 24 * PG, 48 * PG, MREMAP_MAYMOVE, 0);
	}
	child = as_fork(as);
	for (int i = 0; child && a > 0 && i < 8; i++) {
		store(child, (vaddr_t)a + i * PG, 0xcc);
		store(as, (vaddr_t)a + i * PG, 0xdd);
	}
	if (child)
		as_destroy(child);
	as_destroy(as);
}

/* Under every Nth failure, N from 1 to 400, and 200 seeds of 1 in 20: no frame is lost. */
Test(failpoint, memory_calls_leak_nothing_under_injection)
{
	size_t used = frames_used();
	char spec[40];

	for (int n = 1; n <= 600; n++) {
		if (n <= 400)
			snprintf(spec, sizeof(spec), "all:%d", n);
		else
			snprintf(spec, sizeof(spec), "all:20:%d", n);
		inject(spec);
		life();
		fail_arm(false);
		cr_assert_eq(frames_used(), used, "%s: %zu frames lost after %lu failures", spec,
		             frames_used() - used, (unsigned long)fail_injected(FAIL_ALL));
	}
}
