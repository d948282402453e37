/* Unit tests of MADV_HWPOISON and MADV_SOFT_OFFLINE as the oracle (Linux 6.12 with
 * CONFIG_MEMORY_FAILURE, run as root) answers them: get_user_pages() of each page, the shared zero
 * page refused, other pages offlined or poisoned (-EHWPOISON: the caller kills with SIGBUS). */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/pagetable.h"
#include "mm/uapi.h"

TestSuite(poison, .init = host_setup, .fini = host_teardown);

#define RW  (PROT_READ | PROT_WRITE)
#define FIX (MAP_ANONYMOUS | MAP_FIXED)
#define PG  PAGE_SIZE
#define A   0x600000000UL

static vaddr_t at(long page)
{
	return A + (vaddr_t)page * PG;
}

Test(poison, private_pages)
{
	struct as *as = host_as();
	uint8_t b = 1;

	cr_assert_eq(as_mmap(as, A, 4 * PG, RW, FIX | MAP_PRIVATE, -1, 0), (long)A);
	cr_assert_eq(host_poke(as, at(1), 7), FAULT_OK);
	cr_assert_eq(as_madvise(as, at(0), 0, MADV_HWPOISON), 0, "nothing to poison");
	cr_assert_eq(as_madvise(as, at(0) + 1, PG, MADV_HWPOISON), -EINVAL);
	cr_assert_eq(as_madvise(as, at(8), PG, MADV_SOFT_OFFLINE), -EFAULT, "a hole");
	cr_assert_eq(as_madvise(as, at(0), PG, MADV_SOFT_OFFLINE), -EIO, "the zero page");
	cr_assert_eq(host_pte(as, at(0)) & PTE_ADDR, zero_page,
	             "read in first, as get_user_pages()");
	cr_assert_eq(as->resident, 1, "the zero page is no page of the RSS");
	cr_assert_eq(as_madvise(as, at(0), PG, MADV_HWPOISON), -EBUSY, "the zero page");
	cr_assert_eq(as_madvise(as, at(1), PG, MADV_SOFT_OFFLINE), 0, "migrated");
	cr_assert_eq(host_load(as, at(1)), 7);
	cr_assert_eq(as_madvise(as, at(1), PG, MADV_HWPOISON), -EHWPOISON, "written: SIGBUS");
	cr_assert_eq(as_copyout(as, at(2), &b, 1), 0);
	cr_assert_eq(as_madvise(as, at(2), PG, MADV_HWPOISON), -EHWPOISON, "a copy dirtied it");
	cr_assert_eq(as_madvise(as, at(3), PG, MADV_POPULATE_WRITE), 0);
	cr_assert_eq(as_madvise(as, at(3), PG, MADV_SOFT_OFFLINE), 0, "populated for writing");
	cr_assert_eq(as_mprotect(as, at(3), PG, PROT_WRITE), 0);
	cr_assert_eq(as_madvise(as, at(3), PG, MADV_SOFT_OFFLINE), -EFAULT, "not readable");
	host_as_done(as);
}

Test(poison, shared_pages)
{
	struct as *as = host_as();

	cr_assert_eq(as_mmap(as, A, 2 * PG, RW, FIX | MAP_SHARED, -1, 0), (long)A);
	cr_assert_eq(host_poke(as, at(1), 7), FAULT_OK);
	cr_assert_eq(as_madvise(as, at(0), PG, MADV_SOFT_OFFLINE), 0, "a page of the object");
	cr_assert_eq(as_madvise(as, at(0), PG, MADV_HWPOISON), 0, "clean: dropped, no harm");
	cr_assert_eq(as_madvise(as, at(0), 2 * PG, MADV_HWPOISON), -EHWPOISON, "dirty: SIGBUS");
	host_as_done(as);
}
