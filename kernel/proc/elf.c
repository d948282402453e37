/* The ELF checker: reads the file header and program headers, refusing anything that is not a
 * static x86-64 executable whose loadable segments sit, aligned and apart, in the user half. */
#include "mm/layout.h"
#include "mm/region.h"
#include "proc/elf.h"
#include <string.h>

#define ET_EXEC    2
#define ET_DYN     3
#define EM_X86_64  62
#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define PT_PHDR    6
#define PF_X       1
#define PF_W       2
#define PF_R       4

struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static const char *check_header(const struct ehdr *h, size_t len)
{
	if (memcmp(h->ident, "\177ELF", 4) != 0)
		return "not an ELF file";
	if (h->ident[4] != 2)
		return "not a 64-bit ELF file";
	if (h->ident[5] != 1)
		return "not a little-endian ELF file";
	if (h->ident[6] != 1 || h->version != 1)
		return "unknown ELF version";
	if (h->machine != EM_X86_64)
		return "not an x86-64 program";
	if (h->type == ET_DYN)
		return "position-independent executable (ET_DYN): only static ET_EXEC programs run";
	if (h->type != ET_EXEC)
		return "not an executable ELF file";
	if (h->phentsize != sizeof(struct phdr))
		return "program header size is not 56";
	if (h->phnum == 0 || h->phnum > 256)
		return "absurd number of program headers";
	if (h->phoff > len || (uint64_t)h->phnum * sizeof(struct phdr) > len - h->phoff)
		return "program headers beyond the end of the file";
	if (h->phoff % 8)
		return "misaligned program headers";
	return NULL;
}

/* Check one PT_LOAD header and describe it as a segment. */
static const char *check_load(const struct phdr *p, size_t len, struct elf_segment *s)
{
	if (p->filesz > p->memsz)
		return "segment with p_filesz > p_memsz";
	if (p->offset > len || p->filesz > len - p->offset)
		return "segment beyond the end of the file";
	if ((p->vaddr & PAGE_MASK) != (p->offset & PAGE_MASK))
		return "segment address and file offset disagree modulo the page size";
	if (p->vaddr < USER_MIN)
		return "segment below 64 KiB (address 0 is never mapped)";
	if (p->vaddr + p->memsz < p->vaddr)
		return "segment wraps around the end of the address space";
	if (p->memsz > USER_END || p->vaddr > USER_END - p->memsz)
		return "segment reaches the kernel half";
	if (p->vaddr + p->memsz > STACK_BASE - STACK_GUARD)
		return "segment overlaps the stack or its guard";
	*s = (struct elf_segment){
	    .vaddr = p->vaddr,
	    .memsz = p->memsz,
	    .offset = p->offset,
	    .filesz = p->filesz,
	    .prot = ((p->flags & PF_R) ? VM_READ : 0) | ((p->flags & PF_W) ? VM_WRITE : 0) |
	            ((p->flags & PF_X) ? VM_EXEC : 0),
	};
	return NULL;
}

/* Segments may not share a page: each page has one set of rights and one source. */
static bool overlaps(const struct elf_segment *a, const struct elf_segment *b)
{
	vaddr_t a0 = PAGE_DOWN(a->vaddr), a1 = PAGE_UP(a->vaddr + a->memsz);
	vaddr_t b0 = PAGE_DOWN(b->vaddr), b1 = PAGE_UP(b->vaddr + b->memsz);
	return a0 < b1 && b0 < a1;
}

/* The user address of the program headers: inside the segment whose file bytes hold them. */
static vaddr_t phdr_address(const struct ehdr *h, const struct elf_program *prog)
{
	uint64_t size = (uint64_t)h->phnum * h->phentsize;
	for (unsigned i = 0; i < prog->nsegments; i++) {
		const struct elf_segment *s = &prog->segments[i];
		if (h->phoff >= s->offset && h->phoff + size <= s->offset + s->filesz)
			return s->vaddr + (h->phoff - s->offset);
	}
	return 0;
}

const char *elf_check(const uint8_t *image, size_t len, struct elf_program *prog)
{
	struct ehdr h;
	if (len < sizeof(h))
		return "truncated ELF header";
	memcpy(&h, image, sizeof(h));
	const char *why = check_header(&h, len);
	if (why)
		return why;
	memset(prog, 0, sizeof(*prog));
	bool entry_ok = false;
	for (unsigned i = 0; i < h.phnum; i++) {
		struct phdr p;
		memcpy(&p, image + h.phoff + i * sizeof(p), sizeof(p));
		if (p.type == PT_INTERP)
			return "dynamically linked (PT_INTERP): only static programs run";
		if (p.type != PT_LOAD || (p.memsz == 0 && p.filesz == 0))
			continue;
		if (prog->nsegments == ELF_MAX_SEGMENTS)
			return "too many loadable segments";
		struct elf_segment *s = &prog->segments[prog->nsegments];
		if ((why = check_load(&p, len, s)) != NULL)
			return why;
		for (unsigned k = 0; k < prog->nsegments; k++)
			if (overlaps(s, &prog->segments[k]))
				return "loadable segments overlap";
		prog->nsegments++;
		if (s->vaddr + s->memsz > prog->end)
			prog->end = s->vaddr + s->memsz;
		if ((s->prot & VM_EXEC) && h.entry >= s->vaddr && h.entry < s->vaddr + s->memsz)
			entry_ok = true;
	}
	if (prog->nsegments == 0)
		return "no loadable segment";
	if (!entry_ok)
		return "entry point outside every executable segment";
	prog->entry = h.entry;
	prog->phnum = h.phnum;
	prog->phentsize = h.phentsize;
	prog->phdr = phdr_address(&h, prog);
	return NULL;
}
