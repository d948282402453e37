/* The promises of an accepted ELF description, checked against the file itself with the host's
 * <elf.h>: segments inside the file and the user half, aligned, apart, and the entry in code. */
#include <elf.h>
#include <string.h>

#include "invariants.h"
#include "mm/layout.h"
#include "mm/region.h"

/* NULL when segment s is inside the file for its filesz, inside [USER_MIN, USER_END) and below the
 * stack's guard, and its address and offset agree modulo the page size. */
static const char *segment_ok(const struct elf_segment *s, size_t len)
{
	if (s->memsz == 0)
		return "an empty segment";
	if (s->filesz > s->memsz)
		return "a segment with filesz > memsz";
	if (s->offset > len || s->filesz > len - s->offset)
		return "a segment's file bytes beyond the file";
	if (s->vaddr < USER_MIN)
		return "a segment below USER_MIN";
	if (s->vaddr > USER_END || s->memsz > USER_END - s->vaddr)
		return "a segment past USER_END";
	if (s->vaddr + s->memsz > STACK_BASE - STACK_GUARD)
		return "a segment over the stack or its guard";
	if ((s->vaddr & PAGE_MASK) != (s->offset & PAGE_MASK))
		return "a segment whose address and offset disagree modulo the page size";
	if (s->prot & ~(VM_READ | VM_WRITE | VM_EXEC))
		return "a segment with unknown rights";
	return NULL;
}

/* True when the pages of a and b (both inside the user half) have one in common. */
static bool share_a_page(const struct elf_segment *a, const struct elf_segment *b)
{
	return PAGE_DOWN(a->vaddr) < PAGE_UP(b->vaddr + b->memsz) &&
	       PAGE_DOWN(b->vaddr) < PAGE_UP(a->vaddr + a->memsz);
}

/* NULL when the segments are the file's non-empty PT_LOADs, in order, with their rights. */
static const char *segments_match_file(const uint8_t *image, const Elf64_Ehdr *h,
                                       const struct elf_program *prog)
{
	unsigned n = 0;
	for (unsigned i = 0; i < h->e_phnum; i++) {
		Elf64_Phdr p;
		memcpy(&p, image + h->e_phoff + i * sizeof(p), sizeof(p));
		if (p.p_type == PT_INTERP)
			return "accepted a PT_INTERP";
		if (p.p_type != PT_LOAD || p.p_memsz == 0)
			continue;
		if (n == prog->nsegments)
			return "fewer segments than non-empty PT_LOADs";
		const struct elf_segment *s = &prog->segments[n++];
		unsigned prot = ((p.p_flags & PF_R) ? VM_READ : 0) |
		                ((p.p_flags & PF_W) ? VM_WRITE : 0) |
		                ((p.p_flags & PF_X) ? VM_EXEC : 0);
		if (s->vaddr != p.p_vaddr || s->memsz != p.p_memsz || s->offset != p.p_offset ||
		    s->filesz != p.p_filesz || s->prot != prot)
			return "a segment that differs from its PT_LOAD";
	}
	return n == prog->nsegments ? NULL : "more segments than non-empty PT_LOADs";
}

/* NULL when the file header is that of a static x86-64 executable with a whole table. */
static const char *header_ok(const uint8_t *image, size_t len, const Elf64_Ehdr *h)
{
	if (len < sizeof(*h) || memcmp(image, ELFMAG, SELFMAG) != 0)
		return "accepted a file without the ELF magic";
	if (image[EI_CLASS] != ELFCLASS64 || image[EI_DATA] != ELFDATA2LSB ||
	    image[EI_VERSION] != EV_CURRENT || h->e_version != EV_CURRENT)
		return "accepted a file of the wrong class, data or version";
	if (h->e_machine != EM_X86_64 || h->e_type != ET_EXEC)
		return "accepted a file that is not an x86-64 ET_EXEC";
	if (h->e_phentsize != sizeof(Elf64_Phdr) || h->e_phnum == 0 || h->e_phoff > len ||
	    (uint64_t)h->e_phnum * sizeof(Elf64_Phdr) > len - h->e_phoff)
		return "accepted a broken program header table";
	return NULL;
}

/* NULL when prog->phdr is 0 or the user address of a copy of the program header table. */
static const char *phdr_ok(const uint8_t *image, const Elf64_Ehdr *h,
                           const struct elf_program *prog)
{
	uint64_t size = (uint64_t)h->e_phnum * sizeof(Elf64_Phdr);
	if (prog->phnum != h->e_phnum || prog->phentsize != sizeof(Elf64_Phdr))
		return "AT_PHNUM or AT_PHENT differ from the header";
	if (prog->phdr == 0)
		return NULL;
	for (unsigned i = 0; i < prog->nsegments; i++) {
		const struct elf_segment *s = &prog->segments[i];
		if (prog->phdr < s->vaddr || prog->phdr - s->vaddr > s->filesz ||
		    size > s->filesz - (prog->phdr - s->vaddr))
			continue;
		if (memcmp(image + s->offset + (prog->phdr - s->vaddr), image + h->e_phoff, size))
			return "AT_PHDR points at bytes that are not the program headers";
		return NULL;
	}
	return "AT_PHDR outside every segment's file bytes";
}

const char *elf_invariants(const uint8_t *image, size_t len, const struct elf_program *prog)
{
	Elf64_Ehdr h;
	const char *why;
	if (len < sizeof(h))
		return "accepted a file shorter than an ELF header";
	memcpy(&h, image, sizeof(h));
	if ((why = header_ok(image, len, &h)) != NULL)
		return why;
	if (prog->nsegments == 0 || prog->nsegments > ELF_MAX_SEGMENTS)
		return "no segment, or more than ELF_MAX_SEGMENTS";
	vaddr_t end = 0;
	bool entry_ok = false;
	for (unsigned i = 0; i < prog->nsegments; i++) {
		const struct elf_segment *s = &prog->segments[i];
		if ((why = segment_ok(s, len)) != NULL)
			return why;
		for (unsigned k = 0; k < i; k++)
			if (share_a_page(s, &prog->segments[k]))
				return "two segments share a page";
		if (s->vaddr + s->memsz > end)
			end = s->vaddr + s->memsz;
		if ((s->prot & VM_EXEC) && prog->entry >= s->vaddr &&
		    prog->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok || prog->entry != h.e_entry)
		return "the entry is not e_entry inside an executable segment";
	if (prog->end != end)
		return "end is not the end of the highest segment";
	if ((why = segments_match_file(image, &h, prog)) != NULL)
		return why;
	return phdr_ok(image, &h, prog);
}

const char *elf_reason_ok(const char *why)
{
	size_t n = strlen(why);
	if (n < 8 || n > 100)
		return "a reason shorter than 8 or longer than 100 characters";
	if (strchr(why, '\n'))
		return "a reason of more than one line";
	return NULL;
}
