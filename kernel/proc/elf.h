/* Checking an ELF file before SOS runs it: only a static x86-64 executable whose segments fit the
 * user half is accepted, and every refusal has a one-line reason. Pure: builds on the host too. */
#pragma once
#include "mm/types.h"

#define ELF_MAX_SEGMENTS 16

struct elf_segment {
	vaddr_t vaddr;   /* p_vaddr */
	uint64_t memsz;  /* p_memsz */
	uint64_t offset; /* p_offset */
	uint64_t filesz; /* p_filesz */
	unsigned prot;   /* VM_READ | VM_WRITE | VM_EXEC */
};

struct elf_program {
	vaddr_t entry;
	vaddr_t phdr;       /* user address of the program headers (AT_PHDR), 0 if not loaded */
	unsigned phnum;     /* AT_PHNUM */
	unsigned phentsize; /* AT_PHENT */
	vaddr_t end;        /* highest byte of any segment + 1: the heap starts after it */
	unsigned nsegments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/* Check image[0, len) and describe it in prog. NULL when SOS can run it, else why not. */
const char *elf_check(const uint8_t *image, size_t len, struct elf_program *prog);
