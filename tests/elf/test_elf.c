/* Unit tests of elf_check (kernel/proc/elf.c) on the host: the tiny executable and user programs
 * are accepted and described right, each defect of elfgen.c refused, each oddity accepted. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfgen.h"
#include "invariants.h"
#include "mm/layout.h"
#include "mm/region.h"

/* Check img and return elf_check's answer, after checking the promises of an acceptance. */
static const char *check(struct elf_image img, struct elf_program *prog)
{
	const char *why = elf_check(img.bytes, img.len, prog);
	const char *broken = why ? elf_reason_ok(why) : elf_invariants(img.bytes, img.len, prog);
	cr_assert(broken == NULL, "%s (answer: %s)", broken, why ? why : "accepted");
	return why;
}

/* elf_check must refuse img with a reason containing want; name says which file it was. */
static void expect_refused(struct elf_image img, const char *want, const char *name)
{
	struct elf_program prog;
	const char *why = check(img, &prog);
	cr_assert(why != NULL, "%s: accepted", name);
	cr_assert(strstr(why, want) != NULL, "%s: reason \"%s\" does not say \"%s\"", name, why,
	          want);
}

/* elf_check must accept img; returns its description. */
static struct elf_program expect_accepted(struct elf_image img, const char *name)
{
	struct elf_program prog;
	const char *why = check(img, &prog);
	cr_assert(why == NULL, "%s: refused: %s", name, why);
	return prog;
}

static Elf64_Phdr phdr_of(struct elf_image img, unsigned i)
{
	Elf64_Phdr p;
	memcpy(&p, img.bytes + sizeof(Elf64_Ehdr) + i * sizeof(p), sizeof(p));
	return p;
}

static void set_phdr(struct elf_image img, unsigned i, const Elf64_Phdr *p)
{
	memcpy(img.bytes + sizeof(Elf64_Ehdr) + i * sizeof(*p), p, sizeof(*p));
}

/* ---- the tiny executable ---- */

Test(tiny, accepted_and_described)
{
	struct elf_image img = tiny_elf();
	struct elf_program prog = expect_accepted(img, "tiny");
	cr_assert_eq(prog.entry, TINY_ENTRY);
	cr_assert_eq(prog.phdr, 0x400000 + sizeof(Elf64_Ehdr));
	cr_assert_eq(prog.phnum, TINY_PHNUM);
	cr_assert_eq(prog.phentsize, sizeof(Elf64_Phdr));
	cr_assert_eq(prog.end, TINY_END);
	cr_assert_eq(prog.nsegments, 3);
	cr_assert_eq(prog.segments[0].vaddr, 0x400000);
	cr_assert_eq(prog.segments[0].prot, VM_READ);
	cr_assert_eq(prog.segments[1].vaddr, TINY_ENTRY);
	cr_assert_eq(prog.segments[1].offset, 0x1000);
	cr_assert_eq(prog.segments[1].prot, VM_READ | VM_EXEC);
	cr_assert_eq(prog.segments[2].vaddr, TINY_DATA);
	cr_assert_eq(prog.segments[2].filesz, 4);
	cr_assert_eq(prog.segments[2].memsz, TINY_END - TINY_DATA);
	cr_assert_eq(prog.segments[2].prot, VM_READ | VM_WRITE);
	free(img.bytes);
}

/* Criterion copies parameters into another process: indices, not pointers. */
ParameterizedTestParameters(tiny, defect)
{
	static size_t index[ELF_NDEFECTS];
	for (size_t i = 0; i < ELF_NDEFECTS; i++)
		index[i] = i;
	return cr_make_param_array(size_t, index, ELF_NDEFECTS);
}

ParameterizedTest(size_t *i, tiny, defect)
{
	const struct elf_defect *d = &elf_defects[*i];
	struct elf_image img = tiny_elf();
	cr_assert(d->apply(&img), "%s cannot be applied to the tiny executable", d->name);
	expect_refused(img, d->reason, d->name);
	free(img.bytes);
}

ParameterizedTestParameters(tiny, oddity)
{
	static size_t index[ELF_NODDITIES];
	for (size_t i = 0; i < ELF_NODDITIES; i++)
		index[i] = i;
	return cr_make_param_array(size_t, index, ELF_NODDITIES);
}

ParameterizedTest(size_t *i, tiny, oddity)
{
	const struct elf_defect *d = &elf_oddities[*i];
	struct elf_image img = tiny_elf();
	cr_assert(d->apply(&img), "%s cannot be applied to the tiny executable", d->name);
	expect_accepted(img, d->name);
	free(img.bytes);
}

/* Every prefix of the file is refused: its last byte belongs to the data segment. */
Test(tiny, every_prefix_refused)
{
	struct elf_image img = tiny_elf();
	for (size_t len = 0; len < img.len; len++) {
		struct elf_image cut = {img.bytes, len};
		struct elf_program prog;
		cr_assert(check(cut, &prog) != NULL, "a prefix of %zu bytes accepted", len);
	}
	free(img.bytes);
}

/* Every byte of the headers set to a few values: refused, or accepted with every promise kept. */
Test(tiny, header_bytes_swept)
{
	struct elf_image img = tiny_elf();
	const size_t headers = sizeof(Elf64_Ehdr) + TINY_PHNUM * sizeof(Elf64_Phdr);
	for (size_t i = 0; i < headers; i++) {
		uint8_t old = img.bytes[i];
		const uint8_t values[] = {0, 0xff, 0x80, 1, old ^ 1, old ^ 0x10, old ^ 0x80};
		for (size_t v = 0; v < sizeof(values); v++) {
			struct elf_program prog;
			img.bytes[i] = values[v];
			check(img, &prog);
		}
		img.bytes[i] = old;
	}
	free(img.bytes);
}

/* ---- edges: each side of a limit ---- */

Test(edge, entry_on_last_byte_of_code)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr text = phdr_of(img, 1);
	Elf64_Ehdr h;
	memcpy(&h, img.bytes, sizeof(h));
	h.e_entry = text.p_vaddr + text.p_memsz - 1;
	memcpy(img.bytes, &h, sizeof(h));
	cr_assert_eq(expect_accepted(img, "entry on the last byte").entry, h.e_entry);
	free(img.bytes);
}

/* A PT_LOAD with nothing in it (memsz and filesz 0) is skipped, wherever it claims to be. */
Test(edge, empty_load_skipped)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = {PT_LOAD, PF_R | PF_W | PF_X, 0x12345, 0, 0, 0, 0, 0x1000};
	set_phdr(img, 3, &p);
	cr_assert_eq(expect_accepted(img, "empty PT_LOAD").nsegments, 3);
	free(img.bytes);
}

/* ... but one with file bytes and no memory is a p_filesz > p_memsz defect. */
Test(edge, load_with_filesz_and_no_memsz)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = {PT_LOAD, PF_R, 0x1000, 0x800000, 0, 1, 0, 0x1000};
	set_phdr(img, 3, &p);
	expect_refused(img, "p_filesz > p_memsz", "PT_LOAD with filesz 1, memsz 0");
	free(img.bytes);
}

Test(edge, segment_at_user_min)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = phdr_of(img, 0);
	p.p_vaddr = USER_MIN;
	set_phdr(img, 0, &p);
	struct elf_program prog = expect_accepted(img, "segment at USER_MIN");
	cr_assert_eq(prog.segments[0].vaddr, USER_MIN);
	cr_assert_eq(prog.phdr, USER_MIN + sizeof(Elf64_Ehdr));
	free(img.bytes);
}

/* The highest place for a segment: just below the stack's guard pages. */
Test(edge, segment_ending_at_stack_guard)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = phdr_of(img, 2);
	p.p_vaddr = STACK_BASE - STACK_GUARD - 0x2000;
	p.p_memsz = 0x2000;
	set_phdr(img, 2, &p);
	cr_assert_eq(expect_accepted(img, "segment ending at the guard").end,
	             STACK_BASE - STACK_GUARD);
	free(img.bytes);
}

/* One byte more is in the guard. */
Test(edge, segment_ending_in_stack_guard)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = phdr_of(img, 2);
	p.p_vaddr = STACK_BASE - STACK_GUARD - 0x2000;
	p.p_memsz = 0x2001;
	set_phdr(img, 2, &p);
	expect_refused(img, "overlaps the stack", "segment ending one byte into the guard");
	free(img.bytes);
}

/* One byte past USER_END is the kernel half. */
Test(edge, segment_ending_past_user_end)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = phdr_of(img, 2);
	p.p_vaddr = USER_END - 0x2000;
	p.p_memsz = 0x2001;
	set_phdr(img, 2, &p);
	expect_refused(img, "kernel half", "segment ending one byte past USER_END");
	free(img.bytes);
}

/* A segment starting on the last byte below USER_MIN (its offset on the last byte of a page). */
Test(edge, segment_one_byte_below_user_min)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = phdr_of(img, 1);
	p.p_vaddr = USER_MIN - 1;
	p.p_offset = 0xfff;
	set_phdr(img, 1, &p);
	expect_refused(img, "below 64 KiB", "segment at USER_MIN - 1");
	free(img.bytes);
}

/* Segments in adjacent pages do not overlap. */
Test(edge, segments_in_adjacent_pages)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = phdr_of(img, 2);
	p.p_vaddr = TINY_ENTRY + 0x1000;
	set_phdr(img, 2, &p);
	expect_accepted(img, "adjacent segments");
	free(img.bytes);
}

/* With the program headers outside every segment, AT_PHDR is 0. */
Test(edge, phdrs_not_loaded)
{
	struct elf_image img = tiny_elf();
	Elf64_Phdr p = phdr_of(img, 0);
	p.p_filesz = p.p_memsz = sizeof(Elf64_Ehdr);
	set_phdr(img, 0, &p);
	cr_assert_eq(expect_accepted(img, "program headers not loaded").phdr, 0);
	free(img.bytes);
}

/* A copy of the tiny executable with its program header table moved to the end of the file and
 * grown to phnum entries: the tiny ones, then `loads` bss-only PT_LOADs, then PT_NULLs. */
static struct elf_image tiny_with_phnum(unsigned phnum, unsigned loads)
{
	struct elf_image tiny = tiny_elf();
	size_t at = (tiny.len + 7) & ~7UL;
	struct elf_image img = {calloc(1, at + phnum * sizeof(Elf64_Phdr)), 0};
	img.len = at + phnum * sizeof(Elf64_Phdr);
	memcpy(img.bytes, tiny.bytes, tiny.len);
	memcpy(img.bytes + at, tiny.bytes + sizeof(Elf64_Ehdr), TINY_PHNUM * sizeof(Elf64_Phdr));
	for (unsigned i = 0; i < loads; i++) {
		Elf64_Phdr p = {PT_LOAD, PF_R, 0, 0x10000000 + i * 0x2000, 0, 0, 1, 0x1000};
		memcpy(img.bytes + at + (TINY_PHNUM + i) * sizeof(p), &p, sizeof(p));
	}
	Elf64_Ehdr h;
	memcpy(&h, img.bytes, sizeof(h));
	h.e_phoff = at;
	h.e_phnum = (uint16_t)phnum;
	memcpy(img.bytes, &h, sizeof(h));
	free(tiny.bytes);
	return img;
}

Test(edge, phnum_256_accepted)
{
	struct elf_image img = tiny_with_phnum(256, 0);
	struct elf_program prog = expect_accepted(img, "256 program headers");
	cr_assert_eq(prog.phnum, 256);
	cr_assert_eq(prog.phdr, 0, "the table is outside every segment");
	free(img.bytes);
}

Test(edge, phnum_257_refused)
{
	struct elf_image img = tiny_with_phnum(257, 0);
	expect_refused(img, "number of program headers", "257 program headers");
	free(img.bytes);
}

Test(edge, max_segments_accepted)
{
	unsigned extra = ELF_MAX_SEGMENTS - 3;
	struct elf_image img = tiny_with_phnum(TINY_PHNUM + extra, extra);
	cr_assert_eq(expect_accepted(img, "ELF_MAX_SEGMENTS segments").nsegments, ELF_MAX_SEGMENTS);
	free(img.bytes);
}

Test(edge, one_segment_too_many)
{
	unsigned extra = ELF_MAX_SEGMENTS - 2;
	struct elf_image img = tiny_with_phnum(TINY_PHNUM + extra, extra);
	expect_refused(img, "too many loadable segments", "ELF_MAX_SEGMENTS + 1 segments");
	free(img.bytes);
}

/* ---- the real user programs ($ELF_TEST_BINARIES: paths separated by spaces) ---- */

/* Run f on every real binary; skips the test when none are named. */
static void for_each_binary(void (*f)(const char *path, struct elf_image img))
{
	const char *list = getenv("ELF_TEST_BINARIES");
	if (!list || !*list)
		cr_skip_test("ELF_TEST_BINARIES names no binary");
	char *copy = strdup(list), *save = NULL;
	for (char *path = strtok_r(copy, " ", &save); path; path = strtok_r(NULL, " ", &save)) {
		struct elf_image img = image_read(path);
		f(path, img);
		free(img.bytes);
	}
	free(copy);
}

static void real_accepted(const char *path, struct elf_image img)
{
	Elf64_Ehdr h;
	memcpy(&h, img.bytes, sizeof(h));
	struct elf_program prog = expect_accepted(img, path);
	cr_assert_eq(prog.entry, h.e_entry, "%s: entry", path);
	cr_assert(prog.phdr != 0, "%s: the program headers are loaded by musl's layout", path);
}

Test(real, accepted_and_described)
{
	for_each_binary(real_accepted);
}

static void real_defects(const char *path, struct elf_image img)
{
	for (size_t i = 0; i < ELF_NDEFECTS; i++) {
		const struct elf_defect *d = &elf_defects[i];
		struct elf_image bad = image_copy(img);
		char name[512];
		snprintf(name, sizeof(name), "%s with %s", path, d->name);
		cr_assert(d->apply(&bad), "%s cannot be applied", name);
		expect_refused(bad, d->reason, name);
		free(bad.bytes);
	}
}

Test(real, every_defect_refused)
{
	for_each_binary(real_defects);
}

static void real_oddities(const char *path, struct elf_image img)
{
	for (size_t i = 0; i < ELF_NODDITIES; i++) {
		const struct elf_defect *d = &elf_oddities[i];
		struct elf_image odd = image_copy(img);
		char name[512];
		snprintf(name, sizeof(name), "%s with %s", path, d->name);
		cr_assert(d->apply(&odd), "%s cannot be applied", name);
		expect_accepted(odd, name);
		free(odd.bytes);
	}
}

Test(real, every_oddity_accepted)
{
	for_each_binary(real_oddities);
}
