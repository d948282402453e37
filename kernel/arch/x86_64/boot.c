/* From the multiboot hand-off to a running kernel: read the memory map and the modules, give the
 * boot page tables their frames, then hand every frame nobody holds to the frame table. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/platform.h"
#include "arch/x86_64/vm.h"
#include "lib/console.h"
#include "lib/panic.h"
#include "mm/frame.h"
#include <string.h>

#define MB_BOOT_MAGIC    0x2badb002
#define MB_INFO_CMDLINE  (1U << 2)
#define MB_INFO_MODS     (1U << 3)
#define MB_INFO_MMAP     (1U << 6)
#define MB_MEM_AVAILABLE 1

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size; /* of the rest of the entry */
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

#define MAX_RANGES 64
static struct phys_range usable[MAX_RANGES];
static size_t nusable;

extern char _load_start[], _end[];

/* The first GiB is reachable at KERNEL_BASE until the direct map is live; multiboot data is there.
 */
static const void *boot_ptr(uint64_t pa)
{
	if (pa >= (1UL << 30))
		panic("boot: multiboot data at 0x%lx, above the first GiB", pa);
	return (const void *)(KERNEL_BASE + pa);
}

/* Remove [start, end) from the usable ranges, splitting one when the hole is in its middle. */
static void reserve(paddr_t start, paddr_t end)
{
	for (size_t i = 0; i < nusable; i++) {
		struct phys_range *r = &usable[i];
		if (end <= r->start || start >= r->end)
			continue;
		if (start > r->start && end < r->end) {
			if (nusable == MAX_RANGES)
				panic("boot: too many memory ranges");
			usable[nusable++] = (struct phys_range){end, r->end};
			r->end = start;
		} else if (start > r->start) {
			r->end = start;
		} else {
			r->start = end < r->end ? end : r->end;
		}
	}
}

/* One frame for the kernel's page tables, taken from the lowest usable range in the first GiB. */
static paddr_t boot_frame(void)
{
	for (size_t i = 0; i < nusable; i++) {
		paddr_t pa = PAGE_UP(usable[i].start);
		if (pa + PAGE_SIZE <= usable[i].end && pa + PAGE_SIZE <= (1UL << 30)) {
			usable[i].start = pa + PAGE_SIZE;
			return pa;
		}
	}
	panic("boot: no memory for the kernel page table");
}

static paddr_t read_memory_map(const struct mb_info *mb)
{
	if (!(mb->flags & MB_INFO_MMAP))
		panic("boot: the loader gave no memory map");
	paddr_t ram_end = 0;
	uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;
	while (p < end) {
		const struct mb_mmap_entry *e = boot_ptr(p);
		if (e->type == MB_MEM_AVAILABLE && e->len && nusable < MAX_RANGES) {
			usable[nusable++] = (struct phys_range){e->addr, e->addr + e->len};
			if (e->addr + e->len > ram_end)
				ram_end = e->addr + e->len;
		}
		p += e->size + sizeof(e->size);
	}
	return ram_end;
}

static void read_modules(const struct mb_info *mb, struct boot_info *bi)
{
	if (mb->flags & MB_INFO_CMDLINE) {
		const char *s = boot_ptr(mb->cmdline);
		size_t n = strnlen(s, sizeof(bi->cmdline) - 1);
		memcpy(bi->cmdline, s, n);
		bi->cmdline[n] = '\0';
	}
	if (!(mb->flags & MB_INFO_MODS))
		return;
	const struct mb_module *m = boot_ptr(mb->mods_addr);
	for (uint32_t i = 0; i < mb->mods_count && i < BOOT_MAX_MODULES; i++) {
		bi->modules[i] = (struct boot_module){m[i].start, m[i].end};
		bi->nmodules++;
		reserve(PAGE_DOWN((paddr_t)m[i].start), PAGE_UP((paddr_t)m[i].end));
	}
}

void arch_init(uint32_t magic, uint32_t mbi, struct boot_info *bi)
{
	time_init();
	if (magic != MB_BOOT_MAGIC)
		panic("boot: not started by a multiboot loader (magic 0x%x)", magic);
	const struct mb_info *mb = boot_ptr(mbi);
	paddr_t ram_end = read_memory_map(mb);
	reserve(0, 0x100000); /* BIOS data, option ROMs and the loader's own structures */
	reserve((paddr_t)_load_start - KERNEL_BASE, PAGE_UP((paddr_t)_end - KERNEL_BASE));
	read_modules(mb, bi);
	vm_init(ram_end, boot_frame);
	cpu_init();
	size_t wx = vm_audit_wx();
	if (wx)
		panic("boot: %zu kernel pages are writable and executable", wx);
	if (frame_table_init(usable, nusable) != 0)
		panic("boot: no memory for the frame table");
}
