/* The hal of kernel/mm on the host: physical memory is a buffer, a TLB flush is a counter.
 * Also the small helpers the tests share (fresh RAM per test, reading user bytes). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "mm/failpoint.h"
#include "mm/as.h"
#include "mm/hal.h"
#include "mm/pagetable.h"

uint8_t *host_ram;
size_t host_ram_size;
unsigned long host_flushes;
vaddr_t host_last_flush;

/* Kernel pointer through which physical address pa can be read and written. */
void *phys_to_virt(paddr_t pa)
{
	assert(host_ram && pa < host_ram_size);
	return host_ram + pa;
}

/* The physical address behind p, a pointer into the fake RAM. */
paddr_t virt_to_phys(const void *p)
{
	const uint8_t *b = p;

	assert(host_ram && b >= host_ram && b < host_ram + host_ram_size);
	return (paddr_t)(b - host_ram);
}

/* Forget any translation of user address va (called after a PTE lost rights or was removed). */
void hal_flush_page(vaddr_t va)
{
	host_flushes++;
	host_last_flush = va;
}

bool host_exec_only;

/* True when execute-only memory is unreadable: as the test sets host_exec_only. */
bool hal_exec_only(void)
{
	return host_exec_only;
}

void host_init(size_t bytes)
{
	static pte_t kernel_pml4[PT_ENTRIES];

	host_teardown();
	host_ram_size = (bytes + 4095) & ~4095UL;
	host_ram = aligned_alloc(4096, host_ram_size);
	assert(host_ram);
	memset(host_ram, 0xa5, host_ram_size); /* garbage: frames must be filled before use */
	host_flushes = 0;
	host_exec_only = false;
	/* The tests count pages fault by fault; the fault-around tests turn it on themselves. */
	fault_around_pages = 1;
	fail_setup(&(struct fail_spec){0}); /* no injection unless a test asks for it */

	/* Like a PC: a low range starting above 0 (mid-page), a hole, then the rest with a ragged
	 * end. Tiny RAM sizes use one range. */
	struct phys_range r[2];
	size_t n = 0;

	if (host_ram_size >= (4UL << 20)) {
		r[n++] = (struct phys_range){0x234, 0x9fc00};
		r[n++] = (struct phys_range){0x100000, host_ram_size - 0x321};
	} else {
		r[n++] = (struct phys_range){0x1234, host_ram_size - 0x10};
	}
	int err = frame_table_init(r, n);
	assert(err == 0);
	(void)err;
	for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		kernel_pml4[i] = ((pte_t)i << 12) | PTE_P | PTE_W | PTE_G;
	pt_set_kernel_half(kernel_pml4);
}

void host_setup(void)
{
	host_init(HOST_RAM_DEFAULT);
}

void host_teardown(void)
{
	free(host_ram);
	host_ram = NULL;
	host_ram_size = 0;
}

uint64_t host_pte(struct as *as, vaddr_t va)
{
	pte_t *pte = pt_walk(as->root, va & ~0xfffUL, false);

	return pte ? *pte : 0;
}

int host_peek(struct as *as, vaddr_t va)
{
	pte_t pte = host_pte(as, va);

	if (!(pte & PTE_P))
		return -1;
	return ((uint8_t *)phys_to_virt(pte & PTE_ADDR))[va & 0xfff];
}

static size_t as_baseline;

struct as *host_as(void)
{
	as_baseline = frames_used();

	struct as *as = as_create();

	assert(as);
	return as;
}

void host_as_done(struct as *as)
{
	as_destroy(as);
	if (frames_used() != as_baseline)
		abort(); /* a leak: make the test crash loudly */
}

/* True when the PTE of va lets the user make access (VM_READ or VM_WRITE). */
static bool pte_ok(struct as *as, vaddr_t va, unsigned access)
{
	pte_t pte = host_pte(as, va);

	if ((pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
		return false;
	return access != VM_WRITE || (pte & PTE_W);
}

enum fault_result host_poke(struct as *as, vaddr_t va, uint8_t v)
{
	if (!pte_ok(as, va, VM_WRITE)) {
		enum fault_result r = vm_fault(as, va, VM_WRITE);

		if (r != FAULT_OK)
			return r;
		assert(pte_ok(as, va, VM_WRITE));
	}
	*pt_walk(as->root, va, false) |= PTE_A | PTE_D; /* as the CPU marks a store */
	((uint8_t *)phys_to_virt(host_pte(as, va) & PTE_ADDR))[va & 0xfff] = v;
	return FAULT_OK;
}

int host_load(struct as *as, vaddr_t va)
{
	if (!pte_ok(as, va, VM_READ)) {
		enum fault_result r = vm_fault(as, va, VM_READ);

		if (r != FAULT_OK)
			return -1 - (int)r;
		assert(pte_ok(as, va, VM_READ));
	}
	return host_peek(as, va);
}
