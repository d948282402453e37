/* Turning a checked ELF program into an address space: segments become regions loaded on first
 * touch, then the heap and the stack, and the initial stack Linux builds (argc, argv, envp, auxv).
 */
#include "arch/x86_64/platform.h"
#include "lib/printf.h"
#include "mm/as.h"
#include "mm/layout.h"
#include "mm/overcommit.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include <errno.h>
#include <string.h>

#define AT_NULL        0
#define AT_PHDR        3
#define AT_PHENT       4
#define AT_PHNUM       5
#define AT_PAGESZ      6
#define AT_BASE        7
#define AT_FLAGS       8
#define AT_ENTRY       9
#define AT_UID         11
#define AT_EUID        12
#define AT_GID         13
#define AT_EGID        14
#define AT_PLATFORM    15
#define AT_HWCAP       16
#define AT_CLKTCK      17
#define AT_SECURE      23
#define AT_RANDOM      25
#define AT_EXECFN      31
#define AT_MINSIGSTKSZ 51

#define MAX_ARG_BYTES (6 * 1024 * 1024) /* argv, envp and file name: Linux's _STK_LIM / 4 * 3 */

static enum region_kind segment_kind(unsigned prot)
{
	if (prot & VM_EXEC)
		return RK_TEXT;
	return (prot & VM_WRITE) ? RK_DATA : RK_RODATA;
}

/* Map the file pages [start, file_end) of segment s: from the program's page cache obj when it
 * has one and the segment's offset and address agree within a page (Linux's elf_map() maps the
 * file privately, so the last page shows the file's next bytes until padzero() clears them
 * before a bss; a read-only segment keeps them, as there padzero() fails quietly); else from
 * image's bytes, zero past them. 0, -EFAULT, or -ENOMEM when the zeroing found no frame. */
static int map_file_pages(struct as *as, const uint8_t *image, struct shmem *obj,
                          const struct elf_segment *s, vaddr_t start, vaddr_t file_end)
{
	static const uint8_t zeros[PAGE_SIZE];
	vaddr_t tail = s->vaddr + s->filesz;
	if (!obj || (s->offset & PAGE_MASK) != (s->vaddr & PAGE_MASK))
		return as_define_region(as, start, file_end, s->prot, segment_kind(s->prot),
		                        image + s->offset, s->vaddr, s->filesz);
	int err = as_define_object_region(as, start, file_end, s->prot, segment_kind(s->prot), obj,
	                                  PAGE_DOWN(s->offset), NULL);
	if (!err && s->memsz > s->filesz && tail < file_end) {
		int zerr = as_copyout(as, tail, zeros, file_end - tail);
		if (zerr == -ENOMEM || (zerr && (s->prot & VM_WRITE)))
			err = zerr;
	}
	return err;
}

/* Define a segment's regions as Linux 6.12's elf_load() maps it: the pages holding file bytes
 * with the segment's rights (map_file_pages()), and the whole pages past them (bss) as brk
 * memory, readable and writable whatever the segment asks, executable if it is, and charged as
 * brk memory is (a bss larger than RAM + swap is EXEC_BSS_REFUSED). Nothing is copied until a
 * touch. */
static int define_segment(struct as *as, const uint8_t *image, struct shmem *obj,
                          const struct elf_segment *s)
{
	vaddr_t start = PAGE_DOWN(s->vaddr), file_end = start, end = PAGE_UP(s->vaddr + s->memsz);
	int err = 0;
	if (s->filesz) {
		file_end = PAGE_UP(s->vaddr + s->filesz);
		err = map_file_pages(as, image, obj, s, start, file_end);
	}
	if (!err && end > file_end && vm_enough_memory((end - file_end) >> PAGE_SHIFT))
		return EXEC_BSS_REFUSED;
	if (!err && end > file_end)
		err = as_define_region(as, file_end, end, VM_READ | VM_WRITE | (s->prot & VM_EXEC),
		                       RK_DATA, NULL, 0, 0);
	return err;
}

/* Define the regions of every loadable segment. */
static int define_segments(struct as *as, const uint8_t *image, struct shmem *obj,
                           const struct elf_program *ep)
{
	int err = 0;
	for (unsigned i = 0; i < ep->nsegments && !err; i++)
		err = define_segment(as, image, obj, &ep->segments[i]);
	return err;
}

/* Push n bytes below *sp in user memory; returns their user address. */
static int push(struct as *as, vaddr_t *sp, const void *data, size_t n, vaddr_t *at)
{
	*sp -= n;
	*at = *sp;
	return as_copyout(as, *sp, data, n);
}

/* The bytes of n strings with their NULs, or more than MAX_ARG_BYTES when they do not fit. */
static size_t strings_size(int n, const char *const *v)
{
	size_t total = 0;
	for (int i = 0; i < n && total <= MAX_ARG_BYTES; i++)
		total += strlen(v[i]) + 1;
	return total;
}

/* Every string exec puts on the stack: argv, envp and the file name. */
static size_t args_size(const struct exec_args *a)
{
	return strings_size(a->argc, a->argv) + strings_size(a->envc, a->envp) +
	       strlen(a->filename) + 1;
}

/* Push n strings below *sp so that they lie in order, the first lowest (Linux copies them last
 * first); *first is where v[0] went. */
static int push_strings(struct as *as, vaddr_t *sp, int n, const char *const *v, vaddr_t *first)
{
	int err = 0;
	*first = *sp;
	for (int i = n - 1; i >= 0 && !err; i--)
		err = push(as, sp, v[i], strlen(v[i]) + 1, first);
	return err;
}

/* Write at *at the n pointers to the strings laid out from first, then a NULL. */
static int put_pointers(struct as *as, vaddr_t *at, int n, const char *const *v, vaddr_t first)
{
	int err = 0;
	uint64_t ptr = first, zero = 0;
	for (int i = 0; i < n && !err; i++, *at += sizeof(uint64_t)) {
		err = as_copyout(as, *at, &ptr, sizeof(ptr));
		ptr += strlen(v[i]) + 1;
	}
	if (!err)
		err = as_copyout(as, *at, &zero, sizeof(zero));
	*at += sizeof(uint64_t);
	return err;
}

/* Build Linux's initial stack: the file name at the very top (under a zero word), the envp
 * strings below it and the argv strings below those, then (16-byte aligned) "x86_64" and 16
 * random bytes; then (16-byte aligned) argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
 * Returns 0 and the new rsp. */
static int build_stack(struct as *as, const struct elf_program *ep, const struct exec_args *a,
                       struct exec_layout *out)
{
	vaddr_t sp = STACK_TOP - sizeof(uint64_t); /* a zero word ends the stack, as on Linux */
	vaddr_t execfn, uenv, uargv, platform, random;
	if (args_size(a) > MAX_ARG_BYTES)
		return -E2BIG;
	uint64_t rnd[2] = {arch_random(), arch_random()};
	int err = push(as, &sp, a->filename, strlen(a->filename) + 1, &execfn);
	if (!err)
		err = push_strings(as, &sp, a->envc, a->envp, &uenv);
	if (!err)
		err = push_strings(as, &sp, a->argc, a->argv, &uargv);
	sp &= ~15UL; /* Linux's arch_align_stack() */
	if (!err)
		err = push(as, &sp, "x86_64", 7, &platform);
	if (!err)
		err = push(as, &sp, rnd, sizeof(rnd), &random);
	if (err)
		return err;

	const uint64_t auxv[] = {
	    AT_MINSIGSTKSZ, arch_sigframe_max(), /* first, as Linux's ARCH_DLINFO puts it */
	    AT_HWCAP,       arch_hwcap(),
	    AT_PAGESZ,      PAGE_SIZE,
	    AT_CLKTCK,      100,
	    AT_PHDR,        ep->phdr,
	    AT_PHENT,       ep->phentsize,
	    AT_PHNUM,       ep->phnum,
	    AT_BASE,        0,
	    AT_FLAGS,       0,
	    AT_ENTRY,       ep->entry,
	    AT_UID,         0,
	    AT_EUID,        0,
	    AT_GID,         0,
	    AT_EGID,        0,
	    AT_SECURE,      0,
	    AT_RANDOM,      random,
	    AT_EXECFN,      execfn,
	    AT_PLATFORM,    platform,
	    AT_NULL,        0,
	};
	size_t words = 1 + (a->argc + 1) + (a->envc + 1) + sizeof(auxv) / sizeof(auxv[0]);
	sp = (sp - words * sizeof(uint64_t)) & ~15UL;
	out->start_stack = sp;
	out->arg_start = uargv;
	out->arg_end = out->env_start = uenv;
	out->env_end = execfn;
	uint64_t argc = a->argc;
	vaddr_t at = sp + sizeof(argc);
	err = as_copyout(as, sp, &argc, sizeof(argc));
	if (!err)
		err = put_pointers(as, &at, a->argc, a->argv, uargv);
	if (!err)
		err = put_pointers(as, &at, a->envc, a->envp, uenv);
	return err ? err : as_copyout(as, at, auxv, sizeof(auxv));
}

/* The lowest byte build_stack() gives the strings, below the zero word at the top: where
 * Linux's bprm->p points when setup_arg_pages() sizes the stack. */
static vaddr_t args_start(const struct exec_args *a)
{
	size_t total = sizeof(uint64_t) + args_size(a);
	/* too many bytes: build_stack() refuses them (E2BIG), so any size will do */
	return total <= MAX_ARG_BYTES + sizeof(uint64_t) ? STACK_TOP - total
	                                                 : STACK_TOP - PAGE_SIZE;
}

/* The code and data bounds Linux's load_elf_binary() records: code from the executable segments,
 * data up to the end of every segment's file bytes. */
static void record_segments(const struct elf_program *ep, struct exec_layout *out)
{
	out->start_code = ~0UL;
	for (unsigned i = 0; i < ep->nsegments; i++) {
		const struct elf_segment *s = &ep->segments[i];
		vaddr_t end = s->vaddr + s->filesz;
		if ((s->prot & VM_EXEC) && s->vaddr < out->start_code)
			out->start_code = s->vaddr;
		if ((s->prot & VM_EXEC) && end > out->end_code)
			out->end_code = end;
		if (s->vaddr > out->start_data)
			out->start_data = s->vaddr;
		if (end > out->end_data)
			out->end_data = end;
	}
}

int exec_load(struct as *as, const uint8_t *image, struct shmem *obj, const struct elf_program *ep,
              const struct exec_args *args, struct exec_layout *out)
{
	int err = define_segments(as, image, obj, ep);
	if (!err)
		err = as_define_stack(as, args_start(args));
	if (err)
		return err;
	as_init_brk(as, ep->end);
	record_segments(ep, out);
	return build_stack(as, ep, args, out);
}
