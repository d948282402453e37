/* Unit tests of the slab caches: zeroed objects, pages taken from the frame table as
 * FRAME_KERNEL and handed back as soon as they are empty. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "host.h"
#include "mm/slab.h"

TestSuite(slab, .init = host_setup, .fini = host_teardown);

Test(slab, pages_return_when_empty)
{
	struct slab_cache c;
	void *objs[1000];

	slab_init(&c, 72);
	for (int i = 0; i < 1000; i++) {
		objs[i] = slab_alloc(&c);
		cr_assert_not_null(objs[i]);
		for (int j = 0; j < 72; j++)
			cr_assert_eq(((uint8_t *)objs[i])[j], 0);
		memset(objs[i], 0xee, 72);
	}
	cr_assert_gt(c.pages, 1000 * 72 / PAGE_SIZE);
	cr_assert_eq(frames_in_state(FRAME_KERNEL), c.pages);
	cr_assert_eq(c.objects, 1000);
	/* Free every other object: pages stay; then the rest: every page goes back. */
	for (int i = 0; i < 1000; i += 2)
		slab_free(&c, objs[i]);
	cr_assert_gt(c.pages, 0);
	for (int i = 1; i < 1000; i += 2)
		slab_free(&c, objs[i]);
	cr_assert_eq(c.pages, 0);
	cr_assert_eq(c.objects, 0);
	cr_assert_eq(frames_used(), 0);
}

Test(slab, distinct_objects_and_reuse)
{
	struct slab_cache c;

	slab_init(&c, 100);
	uint8_t *a = slab_alloc(&c), *b = slab_alloc(&c);

	cr_assert_neq(a, b);
	cr_assert(a + 100 <= b || b + 100 <= a);
	slab_free(&c, a);
	uint8_t *d = slab_alloc(&c);

	cr_assert_eq(d, a, "a freed object is reused first");
	slab_free(&c, b);
	slab_free(&c, d);
	cr_assert_eq(frames_used(), 0);
}

Test(slab, out_of_frames)
{
	struct slab_cache c;
	size_t n = 0;

	host_init(1UL << 20);
	slab_init(&c, 2000); /* two per page */
	while (slab_alloc(&c))
		n++;
	cr_assert_eq(frames_free(), 0);
	cr_assert_eq(n, 2 * frames_total());
}
