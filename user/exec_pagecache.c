/* exec_pagecache: what the program's own segments show around their file bytes, as Linux maps
 * them from the page cache: before a segment's start and past its file bytes in the same pages
 * the file's neighbouring bytes (zeros only where padzero() cleared them before a bss), and a
 * private copy after a write. Prints checksums of those bytes for the oracle to compare. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>

#include "include/check.h"

#define PG 4096UL

/* The sum (and count of nonzero bytes) of [lo, hi). */
static void sum(const char *what, uintptr_t lo, uintptr_t hi)
{
	unsigned long s = 0, nz = 0;

	for (uintptr_t a = lo; a < hi; a++) {
		unsigned char c = *(volatile unsigned char *)a;

		s = s * 31 + c;
		nz += c != 0;
	}
	printf("%s: %lu bytes, %lu nonzero, sum %lx\n", what, (unsigned long)(hi - lo), nz, s);
}

int main(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned long i = 0; i < n; i++) {
		const Elf64_Phdr *p = &ph[i];
		char what[64];

		if (p->p_type != PT_LOAD)
			continue;
		uintptr_t lo = p->p_vaddr & ~(PG - 1), end = p->p_vaddr + p->p_filesz;

		snprintf(what, sizeof(what), "segment %lu (%c%c%c) before its start", i,
		         p->p_flags & PF_R ? 'r' : '-', p->p_flags & PF_W ? 'w' : '-',
		         p->p_flags & PF_X ? 'x' : '-');
		sum(what, lo, p->p_vaddr);
		snprintf(what, sizeof(what), "segment %lu past its file bytes", i);
		if (!(p->p_flags & PF_W)) /* a writable one's bss is the program's own by now */
			sum(what, end, (end + PG - 1) & ~(PG - 1));
	}
	printf("exec_pagecache: %s\n", failures ? "FAILED" : "passed");
	return 0;
}
