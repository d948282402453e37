/* The kernel half of every address space: a direct map of all RAM (2 MiB pages) and the kernel
 * image with text R-X, rodata R-- and data R-W. Also the platform side of kernel/mm (hal.h). */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/vm.h"
#include "arch/x86_64/x86.h"
#include "lib/panic.h"
#include "mm/hal.h"
#include <string.h>

extern char _text_start[], _text_end[], _rodata_end[], _end[];

static paddr_t kernel_root;
static bool direct_map_live;

/* Before the direct map exists, the boot page table reaches the first GiB at KERNEL_BASE. */
static void *boot_p2v(paddr_t pa)
{
	if (pa >= (1UL << 30))
		panic("boot: frame 0x%lx above the first GiB", pa);
	return (void *)(KERNEL_BASE + pa);
}

void *phys_to_virt(paddr_t pa)
{
	return direct_map_live ? (void *)(DIRECT_MAP + pa) : boot_p2v(pa);
}

paddr_t virt_to_phys(const void *p)
{
	vaddr_t va = (vaddr_t)p;

	return va >= KERNEL_BASE ? va - KERNEL_BASE : va - DIRECT_MAP;
}

void hal_flush_page(vaddr_t va)
{
	invlpg(va);
}

paddr_t arch_kernel_root(void)
{
	return kernel_root;
}

void arch_switch_root(paddr_t root)
{
	write_cr3(root);
}

paddr_t arch_current_root(void)
{
	return read_cr3() & PTE_ADDR;
}

/* The table that entry points to, made from a fresh frame if there is none yet. */
static pte_t *next_table(pte_t *entry, paddr_t (*alloc)(void))
{
	if (!(*entry & PTE_P)) {
		paddr_t pa = alloc();
		memset(boot_p2v(pa), 0, PAGE_SIZE);
		*entry = pa | PTE_P | PTE_W;
	}
	return boot_p2v(*entry & PTE_ADDR);
}

/* Map va to pa in root at the given level (0: 4 KiB page, 1: 2 MiB page) with flags. */
static void kmap(pte_t *root, vaddr_t va, paddr_t pa, int level, pte_t flags,
                 paddr_t (*alloc)(void))
{
	pte_t *t = root;
	for (int l = 3; l > level; l--)
		t = next_table(&t[PT_INDEX(va, l)], alloc);
	t[PT_INDEX(va, level)] = pa | flags | PTE_P | (level ? PTE_PS : 0);
}

/* The page tables of the slots and the window, down to the leaf tables, which arch_kslot_map()
 * and arch_window_map() fill: made now, so the kernel half copied into each address space never
 * changes. */
static void kstack_tables(pte_t *root, paddr_t (*alloc)(void))
{
	for (vaddr_t va = KSTACK_AREA; va < WINDOW_AREA + WINDOW_PAGES * PAGE_SIZE;
	     va += 1UL << 21) {
		pte_t *t = root;
		for (int l = 3; l > 0; l--)
			t = next_table(&t[PT_INDEX(va, l)], alloc);
	}
}

/* The leaf entry of va among the slots, the window or the MMIO area. */
static pte_t *kstack_pte(vaddr_t va)
{
	pte_t *t = phys_to_virt(kernel_root);
	for (int l = 3; l > 0; l--)
		t = phys_to_virt(t[PT_INDEX(va, l)] & PTE_ADDR);
	return &t[PT_INDEX(va, 0)];
}

/* The address of page i of slot (i past the process's pages skips the guard). */
static vaddr_t kslot_page(unsigned slot, int i)
{
	vaddr_t base = KSTACK_AREA + (vaddr_t)slot * KSLOT_STRIDE;
	return i < KSLOT_PROC_PAGES ? base + (vaddr_t)i * PAGE_SIZE
	                            : base + KSLOT_STRIDE - (vaddr_t)(KSLOT_PAGES - i) * PAGE_SIZE;
}

void *arch_kslot_map(unsigned slot, const paddr_t *frames)
{
	for (int i = 0; i < KSLOT_PAGES; i++)
		*kstack_pte(kslot_page(slot, i)) = frames[i] | PTE_P | PTE_W | PTE_G | PTE_NX;
	return (void *)kslot_page(slot, 0);
}

void arch_kslot_unmap(unsigned slot)
{
	for (int i = 0; i < KSLOT_PAGES; i++) {
		*kstack_pte(kslot_page(slot, i)) = 0;
		invlpg(kslot_page(slot, i));
	}
}

void *arch_window_map(size_t page, paddr_t frame)
{
	vaddr_t va = WINDOW_AREA + page * PAGE_SIZE;
	*kstack_pte(va) = frame | PTE_P | PTE_W | PTE_G | PTE_NX;
	return (void *)va;
}

void arch_window_unmap(size_t pages)
{
	for (size_t i = 0; i < pages; i++) {
		vaddr_t va = WINDOW_AREA + i * PAGE_SIZE;
		*kstack_pte(va) = 0;
		invlpg(va);
	}
}

void *arch_mmio_map(paddr_t pa, size_t len)
{
	static size_t used; /* pages of MMIO_AREA handed out */
	paddr_t first = pa & ~(paddr_t)(PAGE_SIZE - 1);
	size_t pages = (pa + len - first + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!len || pages > MMIO_PAGES - used)
		return NULL;
	vaddr_t va = MMIO_AREA + used * PAGE_SIZE;
	for (size_t i = 0; i < pages; i++)
		*kstack_pte(va + i * PAGE_SIZE) =
		    (first + i * PAGE_SIZE) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX;
	used += pages;
	return (void *)(va + (pa - first));
}

void vm_init(paddr_t ram_end, paddr_t (*alloc)(void))
{
	kernel_root = alloc();
	pte_t *root = boot_p2v(kernel_root);
	memset(root, 0, PAGE_SIZE);
	const paddr_t big = 1UL << 21;
	for (paddr_t pa = 0; pa < ram_end; pa += big)
		kmap(root, DIRECT_MAP + pa, pa, 1, PTE_W | PTE_G | PTE_NX, alloc);
	for (vaddr_t va = (vaddr_t)_text_start; va < (vaddr_t)_end; va += PAGE_SIZE) {
		pte_t flags = PTE_G;
		if (va >= (vaddr_t)_text_end)
			flags |= PTE_NX;
		if (va >= (vaddr_t)_rodata_end)
			flags |= PTE_W;
		kmap(root, va, va - KERNEL_BASE, 0, flags, alloc);
	}
	kstack_tables(root, alloc);
	kmap(root, APIC_VA, APIC_PHYS, 0, PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX, alloc);
	write_cr3(kernel_root);
	direct_map_live = true;
}

/* Count the kernel half's pages (of any size) reachable as writable and executable at once,
 * given the table at level and the rights the levels above allow. */
static size_t count_wx(const pte_t *table, int level, bool writable, bool executable)
{
	size_t bad = 0;
	for (int i = (level == 3 ? PT_ENTRIES / 2 : 0); i < PT_ENTRIES; i++) {
		pte_t e = table[i];
		if (!(e & PTE_P))
			continue;
		bool w = writable && (e & PTE_W), x = executable && !(e & PTE_NX);
		if (level == 0 || (e & PTE_PS))
			bad += w && x;
		else
			bad += count_wx(phys_to_virt(e & PTE_ADDR), level - 1, w, x);
	}
	return bad;
}

size_t vm_audit_wx(void)
{
	return count_wx(phys_to_virt(kernel_root), 3, true, true);
}
