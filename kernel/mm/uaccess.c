/* Checked copies between kernel memory and user memory (as_copyin(), as_copyout()): page by page
 * through the page table, faulting pages in as the user's own access would. */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "mm/fault.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "mm/pagetable.h"

/* True when the present leaf pte lets the user make access (a protection key forbids data). */
static bool pte_allows(pte_t pte, unsigned access)
{
	if ((pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
		return false;
	if (access != VM_EXEC && (pte & PTE_PKEY_MASK))
		return false;
	if (access == VM_WRITE)
		return (pte & PTE_W) != 0;
	if (access == VM_EXEC)
		return (pte & PTE_NX) == 0;
	return true;
}

/* Kernel pointer to user byte va for access, faulting its page in as the CPU would; NULL with
 * *err set (-EFAULT, or -ENOMEM when no frame was left) when the user could not access it. */
static uint8_t *user_byte(struct as *as, vaddr_t va, unsigned access, int *err)
{
	vaddr_t page = PAGE_DOWN(va);
	pte_t *pte = pt_walk(as->root, page, false);

	/* A PTE never grants more than its region, so a PTE that allows the access settles it. */
	if (!pte || !pte_allows(*pte, access)) {
		enum fault_result fr = vm_fault(as, va, access);

		if (fr != FAULT_OK) {
			*err = fr == FAULT_OOM ? -ENOMEM : -EFAULT;
			return NULL;
		}
		pte = pt_walk(as->root, page, false);
		assert(pte && pte_allows(*pte, access));
	}
	if (access == VM_WRITE)
		*pte |=
		    PTE_D; /* the kernel writes through the direct map: dirty it as the CPU would */
	return (uint8_t *)phys_to_virt(*pte & PTE_ADDR) + (va - page);
}

/* True when [va, va + n) lies below USER_END (without wrapping). */
static bool user_range_ok(vaddr_t va, size_t n)
{
	return va < USER_END && n <= USER_END - va;
}

/* Copy n bytes between kernel memory k and user address va: to the kernel for VM_READ, to the
 * user for VM_WRITE, page by page through user_byte(). 0 or -errno. */
static int copy_user(struct as *as, vaddr_t va, uint8_t *k, size_t n, unsigned access)
{
	int err = -EFAULT;

	if (n && !user_range_ok(va, n))
		return -EFAULT;
	while (n > 0) {
		size_t chunk = PAGE_SIZE - (va & PAGE_MASK);
		uint8_t *u = user_byte(as, va, access, &err);

		if (!u)
			return err;
		chunk = chunk < n ? chunk : n;
		if (access == VM_WRITE)
			memcpy(u, k, chunk);
		else
			memcpy(k, u, chunk);
		k += chunk;
		va += chunk;
		n -= chunk;
	}
	return 0;
}

int as_copyin(struct as *as, void *dst, vaddr_t src, size_t n)
{
	return copy_user(as, src, dst, n, VM_READ);
}

int as_copyout(struct as *as, vaddr_t dst, const void *src, size_t n)
{
	return copy_user(as, dst, (uint8_t *)src, n, VM_WRITE); /* only read when writing out */
}
