/* Hand-made ELF files: the tiny valid executable and the defects, each a patch of a few bytes of a
 * valid file that breaks one rule of kernel/proc/elf.c. Uses the host's <elf.h>, not SOS's. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfgen.h"

#define PAGE        0x1000UL
#define PAGE_OFF(x) ((x) & (PAGE - 1))
#define USER_TOP    0x7ffffffff000UL         /* Linux's TASK_SIZE */
#define STACK_LOW   (USER_TOP - (8UL << 20)) /* the lowest byte of SOS's 8 MiB stack */
#define STACK_GUARD (256 * PAGE)             /* its guard pages, below it */
#define KERNEL_HALF 0xffffffff80000000UL     /* where kernels link themselves */

/* write(1, "elf\n", 4); *(int *)0x403000 = 1 (a bss page); exit(42). */
static const char tiny_code[] =
    "\xb8\x01\x00\x00\x00"                         /* mov $1, %eax */
    "\xbf\x01\x00\x00\x00"                         /* mov $1, %edi */
    "\xbe\x00\x20\x40\x00"                         /* mov $0x402000, %esi */
    "\xba\x04\x00\x00\x00"                         /* mov $4, %edx */
    "\x0f\x05"                                     /* syscall */
    "\xc7\x04\x25\x00\x30\x40\x00\x01\x00\x00\x00" /* movl $1, 0x403000 */
    "\xb8\x3c\x00\x00\x00"                         /* mov $60, %eax */
    "\xbf\x2a\x00\x00\x00"                         /* mov $42, %edi */
    "\x0f\x05";                                    /* syscall */
#define TINY_CODE_SIZE (sizeof(tiny_code) - 1)
_Static_assert(TINY_STATUS == 0x2a, "tiny_code exits with 0x2a");

struct elf_image tiny_elf(void)
{
	const size_t headers = sizeof(Elf64_Ehdr) + TINY_PHNUM * sizeof(Elf64_Phdr);
	struct elf_image img = {calloc(1, 2 * PAGE + 4), 2 * PAGE + 4};
	const Elf64_Ehdr h = {
	    .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
	                ELFOSABI_SYSV},
	    .e_type = ET_EXEC,
	    .e_machine = EM_X86_64,
	    .e_version = EV_CURRENT,
	    .e_entry = TINY_ENTRY,
	    .e_phoff = sizeof(Elf64_Ehdr),
	    .e_ehsize = sizeof(Elf64_Ehdr),
	    .e_phentsize = sizeof(Elf64_Phdr),
	    .e_phnum = TINY_PHNUM,
	};
	const Elf64_Phdr ph[TINY_PHNUM] = {
	    {PT_LOAD, PF_R, 0, 0x400000, 0x400000, headers, headers, PAGE},
	    {PT_LOAD, PF_R | PF_X, PAGE, TINY_ENTRY, TINY_ENTRY, TINY_CODE_SIZE, TINY_CODE_SIZE,
	     PAGE},
	    {PT_LOAD, PF_R | PF_W, 2 * PAGE, TINY_DATA, TINY_DATA, 4, TINY_END - TINY_DATA, PAGE},
	    {PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16},
	};
	memcpy(img.bytes, &h, sizeof(h));
	memcpy(img.bytes + h.e_phoff, ph, sizeof(ph));
	memcpy(img.bytes + PAGE, tiny_code, TINY_CODE_SIZE);
	memcpy(img.bytes + 2 * PAGE, "elf\n", 4);
	return img;
}

struct elf_image image_copy(struct elf_image img)
{
	struct elf_image c = {malloc(img.len + 1), img.len};
	memcpy(c.bytes, img.bytes, img.len);
	return c;
}

struct elf_image image_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct elf_image img = {NULL, 0};
	long n;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(2);
	}
	img.len = (size_t)n;
	img.bytes = malloc(img.len + 1);
	if (fread(img.bytes, 1, img.len, f) != img.len) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return img;
}

/* ---- reading and writing the headers of an image ---- */

static Elf64_Ehdr get_ehdr(const struct elf_image *img)
{
	Elf64_Ehdr h;
	memcpy(&h, img->bytes, sizeof(h));
	return h;
}

static void put_ehdr(struct elf_image *img, const Elf64_Ehdr *h)
{
	memcpy(img->bytes, h, sizeof(*h));
}

static Elf64_Phdr get_phdr(const struct elf_image *img, unsigned i)
{
	Elf64_Phdr p;
	memcpy(&p, img->bytes + get_ehdr(img).e_phoff + i * sizeof(p), sizeof(p));
	return p;
}

static void put_phdr(struct elf_image *img, unsigned i, const Elf64_Phdr *p)
{
	memcpy(img->bytes + get_ehdr(img).e_phoff + i * sizeof(*p), p, sizeof(*p));
}

/* True when img holds a whole file header and program header table to patch. */
static bool has_headers(const struct elf_image *img)
{
	if (img->len < sizeof(Elf64_Ehdr))
		return false;
	Elf64_Ehdr h = get_ehdr(img);
	return h.e_phentsize == sizeof(Elf64_Phdr) && h.e_phoff <= img->len &&
	       (uint64_t)h.e_phnum * sizeof(Elf64_Phdr) <= img->len - h.e_phoff;
}

static bool is_load(const struct elf_image *img, unsigned i)
{
	Elf64_Phdr p = get_phdr(img, i);
	return p.p_type == PT_LOAD && p.p_memsz > 0;
}

/* Index of the n-th non-empty PT_LOAD (n < 0 counts from the last), or -1. */
static int load_index(const struct elf_image *img, int n)
{
	if (!has_headers(img))
		return -1;
	unsigned phnum = get_ehdr(img).e_phnum;
	int count = 0;
	for (unsigned i = 0; i < phnum; i++)
		count += is_load(img, i);
	if (n < 0)
		n += count;
	for (unsigned i = 0; i < phnum && n >= 0; i++)
		if (is_load(img, i) && n-- == 0)
			return (int)i;
	return -1;
}

/* Index of the first executable PT_LOAD, or -1. */
static int text_index(const struct elf_image *img)
{
	for (int k = 0, i; (i = load_index(img, k)) >= 0; k++)
		if (get_phdr(img, (unsigned)i).p_flags & PF_X)
			return i;
	return -1;
}

/* True when some executable PT_LOAD holds address a. */
static bool in_text(const struct elf_image *img, uint64_t a)
{
	for (int k = 0, i; (i = load_index(img, k)) >= 0; k++) {
		Elf64_Phdr p = get_phdr(img, (unsigned)i);
		if ((p.p_flags & PF_X) && a >= p.p_vaddr && a - p.p_vaddr < p.p_memsz)
			return true;
	}
	return false;
}

/* ---- truncations ---- */

static bool cut_empty(struct elf_image *img)
{
	img->len = 0;
	return true;
}

static bool cut_ident(struct elf_image *img)
{
	img->len = EI_NIDENT;
	return true;
}

static bool cut_header(struct elf_image *img)
{
	img->len = sizeof(Elf64_Ehdr) - 1;
	return true;
}

static bool cut_phdrs(struct elf_image *img)
{
	if (!has_headers(img))
		return false;
	Elf64_Ehdr h = get_ehdr(img);
	img->len = h.e_phoff + h.e_phnum * sizeof(Elf64_Phdr) - 1;
	return true;
}

/* Cut the last byte of the segment whose file bytes end last. */
static bool cut_segments(struct elf_image *img)
{
	uint64_t end = 0;
	for (int k = 0, i; (i = load_index(img, k)) >= 0; k++) {
		Elf64_Phdr p = get_phdr(img, (unsigned)i);
		if (p.p_offset + p.p_filesz > end)
			end = p.p_offset + p.p_filesz;
	}
	Elf64_Ehdr h = get_ehdr(img);
	if (end <= h.e_phoff + h.e_phnum * sizeof(Elf64_Phdr))
		return false;
	img->len = end - 1;
	return true;
}

/* ---- the program header table ---- */

static bool phoff_beyond(struct elf_image *img)
{
	Elf64_Ehdr h = get_ehdr(img);
	h.e_phoff = img->len;
	put_ehdr(img, &h);
	return true;
}

/* The table starts a few bytes past the end of the file (8-byte aligned). */
static bool phoff_past_end(struct elf_image *img)
{
	Elf64_Ehdr h = get_ehdr(img);
	h.e_phoff = (img->len + 8) & ~7UL;
	put_ehdr(img, &h);
	return true;
}

/* Move the table 4 bytes up (over padding) so that it is no longer 8-byte aligned. */
static bool phoff_misaligned(struct elf_image *img)
{
	if (!has_headers(img))
		return false;
	Elf64_Ehdr h = get_ehdr(img);
	size_t size = h.e_phnum * sizeof(Elf64_Phdr);
	if (h.e_phoff + size + 4 > img->len)
		return false;
	memmove(img->bytes + h.e_phoff + 4, img->bytes + h.e_phoff, size);
	h.e_phoff += 4;
	put_ehdr(img, &h);
	return true;
}

/* Append 17 small bss-only PT_LOADs far above the program: more than SOS keeps. */
static bool too_many_loads(struct elf_image *img)
{
	if (!has_headers(img))
		return false;
	Elf64_Ehdr h = get_ehdr(img);
	unsigned n = h.e_phnum + 17u;
	if (h.e_phoff + n * sizeof(Elf64_Phdr) > img->len)
		return false;
	for (unsigned i = h.e_phnum; i < n; i++) {
		Elf64_Phdr p = {PT_LOAD, PF_R, 0, 0x10000000 + i * 2 * PAGE, 0, 0, 1, PAGE};
		put_phdr(img, i, &p);
	}
	h.e_phnum = (uint16_t)n;
	put_ehdr(img, &h);
	return true;
}

/* The first program header that is not PT_LOAD becomes PT_INTERP. */
static bool interp(struct elf_image *img)
{
	if (!has_headers(img))
		return false;
	for (unsigned i = 0; i < get_ehdr(img).e_phnum; i++) {
		Elf64_Phdr p = get_phdr(img, i);
		if (p.p_type != PT_LOAD) {
			p.p_type = PT_INTERP;
			put_phdr(img, i, &p);
			return true;
		}
	}
	return false;
}

/* Every PT_LOAD becomes PT_NOTE. */
static bool no_load(struct elf_image *img)
{
	int i = load_index(img, 0);
	for (; i >= 0; i = load_index(img, 0)) {
		Elf64_Phdr p = get_phdr(img, (unsigned)i);
		p.p_type = PT_NOTE;
		put_phdr(img, (unsigned)i, &p);
	}
	return true;
}

/* ---- one segment ---- */

/* Move PT_LOAD number i to address a (plus its offset's place in the page, to stay aligned). */
static bool move_load(struct elf_image *img, int i, uint64_t a)
{
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_vaddr = a + PAGE_OFF(p.p_offset);
	put_phdr(img, (unsigned)i, &p);
	return true;
}

static bool overlap_first_page(struct elf_image *img)
{
	int first = load_index(img, 0), last = load_index(img, -1);
	if (first < 0 || first == last)
		return false;
	return move_load(img, last, get_phdr(img, (unsigned)first).p_vaddr & ~(PAGE - 1));
}

/* The last segment starts in the page where the one before it ends. */
static bool overlap_shared_page(struct elf_image *img)
{
	int prev = load_index(img, -2);
	if (prev < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)prev);
	return move_load(img, load_index(img, -1), (p.p_vaddr + p.p_memsz - 1) & ~(PAGE - 1));
}

static bool kernel_half(struct elf_image *img)
{
	return move_load(img, load_index(img, -1), KERNEL_HALF);
}

static bool non_canonical(struct elf_image *img)
{
	return move_load(img, load_index(img, -1), 1UL << 47);
}

/* The last segment starts in the last user page and runs on past USER_TOP. */
static bool user_top(struct elf_image *img)
{
	int i = load_index(img, -1);
	if (!move_load(img, i, USER_TOP - PAGE))
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_memsz += 2 * PAGE;
	put_phdr(img, (unsigned)i, &p);
	return true;
}

/* The last segment moves into the stack, or into the guard pages just below it. */
static bool in_stack(struct elf_image *img)
{
	return move_load(img, load_index(img, -1), STACK_LOW);
}

static bool in_stack_guard(struct elf_image *img)
{
	return move_load(img, load_index(img, -1), STACK_LOW - 2 * PAGE);
}

static bool address_zero(struct elf_image *img)
{
	return move_load(img, load_index(img, 0), 0);
}

static bool below_64k(struct elf_image *img)
{
	return move_load(img, load_index(img, 0), 0x10000 - PAGE);
}

/* p_vaddr + p_memsz wraps past 2^64 to just one page. */
static bool wrap(struct elf_image *img)
{
	int i = load_index(img, -1);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_memsz = PAGE - p.p_vaddr;
	put_phdr(img, (unsigned)i, &p);
	return true;
}

static bool filesz_over_memsz(struct elf_image *img)
{
	int i = load_index(img, -1);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_filesz = p.p_memsz + 1;
	put_phdr(img, (unsigned)i, &p);
	return true;
}

/* The last segment's file bytes start a page past the end of the file. */
static bool offset_beyond(struct elf_image *img)
{
	int i = load_index(img, -1);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_offset = ((img->len + PAGE - 1) & ~(PAGE - 1)) + PAGE_OFF(p.p_vaddr);
	put_phdr(img, (unsigned)i, &p);
	return true;
}

/* The code's file bytes run one byte past the end of the file. */
static bool filesz_beyond(struct elf_image *img)
{
	int i = text_index(img);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_filesz = img->len - p.p_offset + 1;
	if (p.p_memsz < p.p_filesz)
		p.p_memsz = p.p_filesz;
	put_phdr(img, (unsigned)i, &p);
	return true;
}

/* The code's offset is so large that offset + filesz wraps around to inside the file. */
static bool offset_wrap(struct elf_image *img)
{
	int i = text_index(img);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_offset = -PAGE + PAGE_OFF(p.p_vaddr);
	put_phdr(img, (unsigned)i, &p);
	return true;
}

/* The code moves up one byte in memory (and the entry with it), not in the file. */
static bool vaddr_misaligned(struct elf_image *img)
{
	int i = text_index(img);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	Elf64_Ehdr h = get_ehdr(img);
	p.p_vaddr++;
	h.e_entry++;
	put_phdr(img, (unsigned)i, &p);
	put_ehdr(img, &h);
	return true;
}

static bool offset_misaligned(struct elf_image *img)
{
	int i = text_index(img);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_offset++;
	put_phdr(img, (unsigned)i, &p);
	return true;
}

/* ---- the entry point ---- */

static bool set_entry(struct elf_image *img, uint64_t entry)
{
	if (!has_headers(img) || in_text(img, entry))
		return false;
	Elf64_Ehdr h = get_ehdr(img);
	h.e_entry = entry;
	put_ehdr(img, &h);
	return true;
}

static bool entry_zero(struct elf_image *img)
{
	return set_entry(img, 0);
}

static bool entry_in_data(struct elf_image *img)
{
	int i = load_index(img, -1);
	return i >= 0 && set_entry(img, get_phdr(img, (unsigned)i).p_vaddr);
}

static bool entry_past_text(struct elf_image *img)
{
	int i = text_index(img);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	return set_entry(img, p.p_vaddr + p.p_memsz);
}

static bool entry_kernel(struct elf_image *img)
{
	return set_entry(img, KERNEL_HALF);
}

/* ---- oddities: unusual files that SOS must accept ---- */

static bool odd_entry_last_byte(struct elf_image *img)
{
	int i = text_index(img);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	Elf64_Ehdr h = get_ehdr(img);
	h.e_entry = p.p_vaddr + p.p_memsz - 1;
	put_ehdr(img, &h);
	return true;
}

/* The first program header that is not PT_LOAD becomes an empty PT_LOAD at a silly place. */
static bool odd_empty_load(struct elf_image *img)
{
	if (!has_headers(img))
		return false;
	for (unsigned i = 0; i < get_ehdr(img).e_phnum; i++) {
		Elf64_Phdr p = get_phdr(img, i);
		if (p.p_type != PT_LOAD) {
			p = (Elf64_Phdr){PT_LOAD, PF_R | PF_W | PF_X, 0x12345, 0, 0, 0, 0, PAGE};
			put_phdr(img, i, &p);
			return true;
		}
	}
	return false;
}

static bool odd_at_user_min(struct elf_image *img)
{
	return move_load(img, load_index(img, 0), 0x10000);
}

/* The last segment ends right below the stack's guard pages: no room left for the heap. */
static bool odd_below_guard(struct elf_image *img)
{
	int i = load_index(img, -1);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	uint64_t pages = (PAGE_OFF(p.p_offset) + p.p_memsz + PAGE - 1) & ~(PAGE - 1);
	return move_load(img, i, STACK_LOW - STACK_GUARD - pages);
}

/* The last segment sits where mmap hands out memory top-down. */
static bool odd_in_mmap_area(struct elf_image *img)
{
	return move_load(img, load_index(img, -1), 0x7fff00000000);
}

/* The last segment has 64 TiB of bss. */
static bool odd_huge_bss(struct elf_image *img)
{
	int i = load_index(img, -1);
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_memsz = 1UL << 46;
	put_phdr(img, (unsigned)i, &p);
	return true;
}

/* Set the p_flags of the code, or of the last segment. */
static bool set_flags(struct elf_image *img, int i, uint32_t flags)
{
	if (i < 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_flags = flags;
	put_phdr(img, (unsigned)i, &p);
	return true;
}

static bool odd_text_rwx(struct elf_image *img)
{
	return set_flags(img, text_index(img), PF_R | PF_W | PF_X);
}

static bool odd_text_x_only(struct elf_image *img)
{
	return set_flags(img, text_index(img), PF_X);
}

static bool odd_data_no_rights(struct elf_image *img)
{
	return set_flags(img, load_index(img, -1), 0);
}

/* The first segment no longer holds the program headers: AT_PHDR is 0. */
static bool odd_phdrs_unloaded(struct elf_image *img)
{
	int i = load_index(img, 0);
	if (i < 0 || get_phdr(img, (unsigned)i).p_offset != 0)
		return false;
	Elf64_Phdr p = get_phdr(img, (unsigned)i);
	p.p_filesz = p.p_memsz = sizeof(Elf64_Ehdr);
	put_phdr(img, (unsigned)i, &p);
	return true;
}

static const struct elf_defect oddities[] = {
    {"odd-entry-last-byte", NULL, odd_entry_last_byte},
    {"odd-empty-load", NULL, odd_empty_load},
    {"odd-at-user-min", NULL, odd_at_user_min},
    {"odd-below-guard", NULL, odd_below_guard},
    {"odd-in-mmap-area", NULL, odd_in_mmap_area},
    {"odd-huge-bss", NULL, odd_huge_bss},
    {"odd-text-rwx", NULL, odd_text_rwx},
    {"odd-text-x-only", NULL, odd_text_x_only},
    {"odd-data-no-rights", NULL, odd_data_no_rights},
    {"odd-phdrs-unloaded", NULL, odd_phdrs_unloaded},
};

_Static_assert(sizeof(oddities) / sizeof(oddities[0]) == ELF_NODDITIES, "ELF_NODDITIES is wrong");
const struct elf_defect *const elf_oddities = oddities;

/* ---- the table ---- */

/* A defect that writes one header field; F is the field of Elf64_Ehdr, V its new value. */
#define FIELD(NAME, REASON, F, V)                                                                  \
	{                                                                                          \
		NAME, REASON, field_##F##_##V                                                      \
	}
#define FIELD_FN(F, V)                                                                             \
	static bool field_##F##_##V(struct elf_image *img)                                         \
	{                                                                                          \
		Elf64_Ehdr h = get_ehdr(img);                                                      \
		h.F = V;                                                                           \
		put_ehdr(img, &h);                                                                 \
		return true;                                                                       \
	}
/* An e_ident byte. */
#define IDENT(NAME, REASON, I, V)                                                                  \
	{                                                                                          \
		NAME, REASON, ident_##I##_##V                                                      \
	}
#define IDENT_FN(I, V)                                                                             \
	static bool ident_##I##_##V(struct elf_image *img)                                         \
	{                                                                                          \
		img->bytes[I] = V;                                                                 \
		return true;                                                                       \
	}

IDENT_FN(0, 0)
IDENT_FN(1, 101) /* 'e' */
IDENT_FN(4, 0)
IDENT_FN(4, 1)
IDENT_FN(4, 3)
IDENT_FN(5, 0)
IDENT_FN(5, 2)
IDENT_FN(6, 0)
IDENT_FN(6, 2)
FIELD_FN(e_version, 0)
FIELD_FN(e_version, 2)
FIELD_FN(e_machine, 0)
FIELD_FN(e_machine, 3)
FIELD_FN(e_machine, 183)
FIELD_FN(e_type, 0)
FIELD_FN(e_type, 1)
FIELD_FN(e_type, 3)
FIELD_FN(e_type, 4)
FIELD_FN(e_phentsize, 0)
FIELD_FN(e_phentsize, 32)
FIELD_FN(e_phentsize, 64)
FIELD_FN(e_phnum, 0)
FIELD_FN(e_phnum, 257)
FIELD_FN(e_phnum, 65535)
FIELD_FN(e_phoff, 18446744073709551608UL)

static const struct elf_defect defects[] = {
    {"empty", "truncated", cut_empty},
    {"truncated-ident", "truncated", cut_ident},
    {"truncated-header", "truncated", cut_header},
    {"truncated-phdrs", "program headers beyond the end", cut_phdrs},
    {"truncated-segment", "beyond the end of the file", cut_segments},
    IDENT("bad-magic", "not an ELF file", 0, 0),
    IDENT("bad-magic-case", "not an ELF file", 1, 101),
    IDENT("class-none", "not a 64-bit", 4, 0),
    IDENT("class-32", "not a 64-bit", 4, 1),
    IDENT("class-bad", "not a 64-bit", 4, 3),
    IDENT("data-none", "not a little-endian", 5, 0),
    IDENT("big-endian", "not a little-endian", 5, 2),
    IDENT("ident-version-0", "ELF version", 6, 0),
    IDENT("ident-version-2", "ELF version", 6, 2),
    FIELD("version-0", "ELF version", e_version, 0),
    FIELD("version-2", "ELF version", e_version, 2),
    FIELD("machine-none", "not an x86-64", e_machine, 0),
    FIELD("machine-i386", "not an x86-64", e_machine, 3),
    FIELD("machine-aarch64", "not an x86-64", e_machine, 183),
    FIELD("type-none", "not an executable", e_type, 0),
    FIELD("type-rel", "not an executable", e_type, 1),
    FIELD("type-dyn", "ET_DYN", e_type, 3),
    FIELD("type-core", "not an executable", e_type, 4),
    FIELD("phentsize-0", "program header size", e_phentsize, 0),
    FIELD("phentsize-32", "program header size", e_phentsize, 32),
    FIELD("phentsize-64", "program header size", e_phentsize, 64),
    FIELD("phnum-0", "number of program headers", e_phnum, 0),
    FIELD("phnum-257", "number of program headers", e_phnum, 257),
    FIELD("phnum-65535", "number of program headers", e_phnum, 65535),
    {"phoff-beyond", "program headers beyond the end", phoff_beyond},
    {"phoff-past-end", "program headers beyond the end", phoff_past_end},
    FIELD("phoff-wrap", "program headers beyond the end", e_phoff, 18446744073709551608UL),
    {"phoff-misaligned", "misaligned program headers", phoff_misaligned},
    {"too-many-loads", "too many loadable segments", too_many_loads},
    {"interp", "PT_INTERP", interp},
    {"no-load", "no loadable segment", no_load},
    {"overlap", "segments overlap", overlap_first_page},
    {"overlap-shared-page", "segments overlap", overlap_shared_page},
    {"kernel-half", "kernel half", kernel_half},
    {"non-canonical", "kernel half", non_canonical},
    {"past-user-top", "kernel half", user_top},
    {"in-stack", "overlaps the stack", in_stack},
    {"in-stack-guard", "overlaps the stack", in_stack_guard},
    {"address-zero", "below 64 KiB", address_zero},
    {"below-64k", "below 64 KiB", below_64k},
    {"wrap", "wraps around", wrap},
    {"filesz-over-memsz", "p_filesz > p_memsz", filesz_over_memsz},
    {"offset-beyond", "beyond the end of the file", offset_beyond},
    {"filesz-beyond", "beyond the end of the file", filesz_beyond},
    {"offset-wrap", "beyond the end of the file", offset_wrap},
    {"vaddr-misaligned", "modulo the page size", vaddr_misaligned},
    {"offset-misaligned", "modulo the page size", offset_misaligned},
    {"entry-zero", "entry point outside", entry_zero},
    {"entry-in-data", "entry point outside", entry_in_data},
    {"entry-past-text", "entry point outside", entry_past_text},
    {"entry-kernel", "entry point outside", entry_kernel},
};

_Static_assert(sizeof(defects) / sizeof(defects[0]) == ELF_NDEFECTS, "ELF_NDEFECTS is wrong");
const struct elf_defect *const elf_defects = defects;
