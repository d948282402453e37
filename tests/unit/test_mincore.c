/* Unit tests of mincore() and msync(): residency of anonymous memory (mapped pages), of shared
 * and file mappings (the object's pages, mapped here or not), of ELF image regions, and the
 * errors of both calls as Linux 6.12 gives them. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/layout.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

TestSuite(mincore, .init = host_setup, .fini = host_teardown);

#define PG PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/* A page for the vector, and the vector read back as a string of '0' and '1'. */
static vaddr_t vec_page(struct as *as)
{
	return (vaddr_t)as_mmap(as, 0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static const char *vec_str(struct as *as, vaddr_t vec, size_t n)
{
	static char s[64];
	uint8_t v[64];

	cr_assert_eq(as_copyin(as, v, vec, n), 0);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('0' + v[i]);
	s[n] = 0;
	return s;
}

Test(mincore, anonymous_private_is_what_is_mapped)
{
	struct as *as = host_as();
	vaddr_t vec = vec_page(as);
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 4 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	host_poke(as, a + PG, 1);
	host_load(as, a + 3 * PG);
	cr_assert_eq(as_mincore(as, a, 4 * PG, vec), 0);
	cr_assert_str_eq(vec_str(as, vec, 4), "0101");
	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(as_mincore(as, a, 4 * PG - 1, vec), 0);
	cr_assert_str_eq(vec_str(as, vec, 4), "0000");
	host_as_done(as);
}

Test(mincore, shared_memory_is_the_objects_pages)
{
	struct as *as = host_as();
	vaddr_t vec = vec_page(as);
	vaddr_t a = (vaddr_t)as_mmap(as, 0, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	vaddr_t b = (vaddr_t)as_mremap(as, a, 0, 4 * PG, MREMAP_MAYMOVE, 0);

	host_poke(as, a + 2 * PG, 1);
	cr_assert_eq(as_mincore(as, b, 4 * PG, vec), 0);
	cr_assert_str_eq(vec_str(as, vec, 4), "0010", "in the object, not mapped at b");
	cr_assert_eq(as_madvise(as, a, 4 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(as_mincore(as, a, 4 * PG, vec), 0);
	cr_assert_str_eq(vec_str(as, vec, 4), "0010", "still in the object");
	host_as_done(as);
}

Test(mincore, file_mappings_show_the_page_cache)
{
	struct as *as = host_as();
	vaddr_t vec = vec_page(as);
	struct shmem *s = shmem_create(4);

	shmem_page(s, 1);
	shmem_page(s, 3);

	vaddr_t a = (vaddr_t)as_mmap_object(as, 0, 4 * PG, RW, MAP_PRIVATE, s, 0, NULL);

	cr_assert_eq(as_mincore(as, a, 4 * PG, vec), 0);
	cr_assert_str_eq(vec_str(as, vec, 4), "0101");
	host_poke(as, a, 1); /* a hole: the file gets the page, the mapping a copy */
	cr_assert_eq(as_mincore(as, a, 4 * PG, vec), 0);
	cr_assert_str_eq(vec_str(as, vec, 4), "1101");
	shmem_put(s);
	host_as_done(as);
}

Test(mincore, image_pages_are_cached_bss_is_not)
{
	static uint8_t image[PG + 100];
	struct as *as = host_as();
	vaddr_t vec = vec_page(as);

	cr_assert_eq(as_define_region(as, 0x400000, 0x404000, RW, RK_DATA, image, 0x400000,
	                              sizeof(image)),
	             0);
	cr_assert_eq(as_mincore(as, 0x400000, 4 * PG, vec), 0);
	cr_assert_str_eq(vec_str(as, vec, 4), "1100");
	host_as_done(as);
}

Test(mincore, errors)
{
	struct as *as = host_as();
	vaddr_t vec = vec_page(as);
	vaddr_t a = (vaddr_t)as_mmap(as, 0x40000000, 2 * PG, RW,
	                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	host_poke(as, a, 1);
	cr_assert_eq(as_mincore(as, a + 1, PG, vec), -EINVAL);
	cr_assert_eq(as_mincore(as, a, 0, vec), 0);
	cr_assert_eq(as_mincore(as, a, 3 * PG, vec), -ENOMEM, "a hole after the region");
	cr_assert_str_eq(vec_str(as, vec, 2), "10", "written up to the hole");
	cr_assert_eq(as_mincore(as, a, USER_END, vec), -ENOMEM);
	cr_assert_eq(as_mincore(as, a, PG, USER_END + 5), -EFAULT);
	cr_assert_eq(as_mincore(as, a, PG, 0x1000), -EFAULT, "no region at vec");
	cr_assert_eq(as_mincore(as, 0x20000, PG, 0x1000), -ENOMEM, "the hole first");
	cr_assert_eq(as_mincore(as, a, PG, a + 5), 0, "written into the range itself");
	host_as_done(as);
}

Test(mincore, msync)
{
	struct as *as = host_as();
	vaddr_t a = (vaddr_t)as_mmap(as, 0x40000000, 2 * PG, RW,
	                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	vaddr_t b = (vaddr_t)as_mmap(as, a + 3 * PG, PG, RW,
	                             MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED, -1, 0);

	cr_assert_eq(as_msync(as, a, 2 * PG, MS_SYNC), 0);
	cr_assert_eq(as_msync(as, a, 2 * PG, 0), 0);
	cr_assert_eq(as_msync(as, a + 1, PG, MS_SYNC), -EINVAL);
	cr_assert_eq(as_msync(as, a, PG, 8), -EINVAL);
	cr_assert_eq(as_msync(as, a, PG, MS_SYNC | MS_ASYNC), -EINVAL);
	cr_assert_eq(as_msync(as, a, 0, MS_SYNC), 0);
	cr_assert_eq(as_msync(as, a, ~0UL, MS_SYNC), 0, "the length wraps to 0");
	cr_assert_eq(as_msync(as, a, 4 * PG, MS_SYNC), -ENOMEM, "a hole, then the rest");
	cr_assert_eq(as_msync(as, a, 4 * PG, MS_ASYNC), -ENOMEM);
	cr_assert_eq(as_msync(as, a, 4 * PG, MS_INVALIDATE), -EBUSY, "after the hole: locked");
	cr_assert_eq(as_msync(as, b, PG, MS_INVALIDATE | MS_SYNC), -EBUSY);
	cr_assert_eq(as_msync(as, a, 5 * PG, MS_SYNC), -ENOMEM, "past the last region");
	cr_assert_eq(as_msync(as, a + PG, 2 * PG, MS_SYNC), -ENOMEM, "ends in the hole");
	cr_assert_eq(as_msync(as, ~0UL & ~(PG - 1), 2 * PG, 0), -ENOMEM, "wraps");
	host_as_done(as);
}
