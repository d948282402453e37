/* libFuzzer target for the ELF checker (kernel/proc/elf.c, built on the host under ASan/UBSan):
 * any input must be refused with a sensible reason or accepted with every promise of elf.h kept. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "mm/layout.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report what is wrong with the input at hand and crash, so that libFuzzer keeps it. */
static void fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_elf: %s (elf_check said: %s)\n", what, why ? why : "accepted");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_program prog, again;
	memset(&prog, 0xa5, sizeof(prog));
	memset(&again, 0x5a, sizeof(again));
	const char *why = elf_check(data, size, &prog);
	const char *broken = why ? elf_reason_ok(why) : elf_invariants(data, size, &prog);
	if (broken)
		fail(broken, why);
	if (elf_check(data, size, &again) != why)
		fail("a second check of the same bytes answers differently", why);
	if (!why &&
	    memcmp(&prog.segments, &again.segments, prog.nsegments * sizeof(prog.segments[0])) != 0)
		fail("a second check of the same bytes describes them differently", why);
	return 0;
}

/* ---- a mutator that knows the headers: limits of elf.c and values of other fields ---- */

/* A small xorshift generator, seeded by libFuzzer for each mutation. */
static uint64_t next(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* A value near a limit that elf.c or the layout cares about, or near another field's value. */
static uint64_t interesting(uint64_t *rng, uint64_t size, uint64_t near)
{
	static const uint64_t limits[] = {
	    0,          USER_MIN, PAGE_SIZE, 0x400000,  STACK_BASE - STACK_GUARD,
	    STACK_BASE, USER_END, 1UL << 47, 1UL << 63, 0xffffffff80000000UL,
	    UINT64_MAX, 256,      56,        64,        0x10000000,
	};
	uint64_t base;
	switch (next(rng) % 4) {
	case 0:
		base = limits[next(rng) % (sizeof(limits) / sizeof(limits[0]))];
		break;
	case 1:
		base = size;
		break;
	case 2:
		base = near;
		break;
	default:
		base = -near; /* so that near + base wraps */
		break;
	}
	switch (next(rng) % 4) {
	case 0:
		return base;
	case 1:
		return base + 1 - next(rng) % 3; /* base - 1, base, base + 1 */
	case 2:
		return base + (next(rng) % 2 ? PAGE_SIZE : -PAGE_SIZE);
	default:
		return PAGE_DOWN(base) +
		       (near & PAGE_MASK); /* keeps an address and offset agreeing */
	}
}

/* Set one 8-byte field of program header i (offset, vaddr, filesz or memsz), or its type or
 * flags, to a value near a limit or near one of its other fields. */
static void mutate_phdr(uint8_t *data, size_t size, uint64_t off, uint64_t *rng)
{
	Elf64_Phdr p;
	memcpy(&p, data + off, sizeof(p));
	uint64_t *fields[] = {&p.p_offset, &p.p_vaddr, &p.p_filesz, &p.p_memsz};
	uint64_t *others[] = {&p.p_vaddr, &p.p_offset, &p.p_memsz, &p.p_filesz};
	unsigned k = next(rng) % 6;
	if (k < 4)
		*fields[k] = interesting(rng, size, *others[k]);
	else if (k == 4)
		p.p_type = next(rng) % 2 ? PT_LOAD : (uint32_t)(next(rng) % 8);
	else
		p.p_flags = (uint32_t)(next(rng) % 8);
	memcpy(data + off, &p, sizeof(p));
}

/* Set the entry point near the start or end of program header i's segment. */
static void mutate_entry(uint8_t *data, uint64_t off, uint64_t *rng)
{
	Elf64_Ehdr h;
	Elf64_Phdr p;
	memcpy(&h, data, sizeof(h));
	memcpy(&p, data + off, sizeof(p));
	h.e_entry = (next(rng) % 2 ? p.p_vaddr : p.p_vaddr + p.p_memsz) + 1 - next(rng) % 3;
	memcpy(data, &h, sizeof(h));
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed)
{
	uint64_t rng = seed | 1UL << 32;
	Elf64_Ehdr h;
	if (next(&rng) % 2 || size < sizeof(h))
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(&h, data, sizeof(h));
	if (h.e_phentsize != sizeof(Elf64_Phdr) || h.e_phnum == 0 || h.e_phoff > size ||
	    (uint64_t)h.e_phnum * sizeof(Elf64_Phdr) > size - h.e_phoff)
		return LLVMFuzzerMutate(data, size, max_size);
	uint64_t off = h.e_phoff + next(&rng) % h.e_phnum * sizeof(Elf64_Phdr);
	if (next(&rng) % 4)
		mutate_phdr(data, size, off, &rng);
	else
		mutate_entry(data, off, &rng);
	return size;
}
