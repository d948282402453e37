/* Unit tests of execute-only memory: on a CPU with protection keys Linux gives PROT_EXEC-only
 * mappings a key that forbids reading them (user reads fault, kernel copies and get_user_pages()
 * fail); without them, x86 reads any mapped page. The key is part of the region's flags. */
#include <criterion/criterion.h>
#include <errno.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/place.h"
#include "mm/uapi.h"

TestSuite(pkey, .init = host_setup, .fini = host_teardown);

#define FIX      (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define PROT_SEM 0x8
#define PG       PAGE_SIZE
#define A        0x600000000UL

static const struct region *region_at(struct as *as, vaddr_t va)
{
	const struct region *r = region_find(&as->regions, va);

	cr_assert(r, "no region at %#lx", va);
	return r;
}

Test(pkey, execute_only_is_unreadable_with_keys)
{
	struct as *as = host_as();
	uint8_t b;

	host_exec_only = true;
	cr_assert_eq(as_mmap(as, A, 2 * PG, PROT_EXEC, FIX, -1, 0), (long)A);
	cr_assert(region_at(as, A)->flags & REGION_EXEC_ONLY);
	cr_assert_eq(vm_fault(as, A, VM_READ), FAULT_DENIED);
	cr_assert_eq(vm_fault(as, A, VM_EXEC), FAULT_OK);
	cr_assert_eq(host_pte(as, A) & PTE_PKEY_MASK, PTE_PKEY_EXEC_ONLY);
	cr_assert_eq(as_copyin(as, &b, A, 1), -EFAULT, "present, but the key forbids it");
	cr_assert_eq(as_mlock(as, A, 2 * PG, 0), -ENOMEM, "get_user_pages() cannot read it");
	cr_assert(region_at(as, A)->flags & REGION_LOCKED, "locked all the same");
	cr_assert_eq(as_mprotect(as, A, PG, PROT_EXEC | PROT_SEM), 0);
	cr_assert_eq(as->regions.count, 2, "the key went from one page only");
	cr_assert_eq(host_pte(as, A) & PTE_PKEY_MASK, 0);
	cr_assert_eq(as_copyin(as, &b, A, 1), 0);
	cr_assert_eq(as_mprotect(as, A, PG, PROT_EXEC), 0);
	cr_assert_eq(as->regions.count, 1, "back: merged");
	cr_assert_eq(as_mmap(as, A + 2 * PG, PG, PROT_EXEC | PROT_SEM, FIX, -1, 0),
	             (long)(A + 2 * PG));
	cr_assert_eq(as->regions.count, 2, "PROT_EXEC | PROT_SEM gets no key: no merge");
	cr_assert_eq(as_munlock(as, A, 2 * PG), 0);
	cr_assert_eq(as_mprotect(as, A, 3 * PG, PROT_READ | PROT_EXEC), 0);
	cr_assert_eq(as->regions.count, 1, "readable again, all alike");
	host_as_done(as);
}

Test(pkey, execute_only_is_readable_without_keys)
{
	struct as *as = host_as();
	uint8_t b;

	cr_assert_eq(as_mmap(as, A, PG, PROT_EXEC, FIX, -1, 0), (long)A);
	cr_assert_eq(region_at(as, A)->flags & REGION_EXEC_ONLY, 0);
	cr_assert_eq(vm_fault(as, A, VM_READ), FAULT_OK, "x86 reads what it may execute");
	cr_assert_eq(as_copyin(as, &b, A, 1), 0);
	cr_assert_eq(as_mlock(as, A, PG, 0), 0);
	host_as_done(as);
}
