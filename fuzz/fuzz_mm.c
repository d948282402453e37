/* libFuzzer target for kernel/mm (built on the host under ASan/UBSan): the input's bytes are a
 * sequence of memory calls, run on a fresh address space and on the page model (mm_model.c), with
 * a fake swap disk: evictions are calls too, and contents are checked across them. */
#include <stdio.h>
#include <stdlib.h>

#include "host.h"
#include "mm/uapi.h"
#include "mm_model.h"

#define OP_BYTES 4   /* each call is four bytes: kind and flags, page, count, argument */
#define MAX_OPS  256 /* bytes past MAX_OPS calls are ignored: an execution stays short */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum op_kind {
	OP_MMAP,
	OP_MUNMAP,
	OP_MPROTECT,
	OP_MADVISE,
	OP_MREMAP,
	OP_BRK,
	OP_TOUCH,
	OP_MMAP_FILE,
	OP_TRUNCATE,
	OP_FORK,
	OP_SWITCH,
	OP_EVICT
};

/* One decoded call with every parameter it takes. */
struct call {
	enum op_kind kind;
	size_t i, n, newn, t, off;
	unsigned file;
	int prot, flags;
	bool write;
	uint8_t v;
};

static const char *const kind_names[] = {"mmap",     "munmap", "mprotect", "madvise",
                                         "mremap",   "brk",    "touch",    "mmap_file",
                                         "truncate", "fork",   "switch",   "evict"};

/* The call four bytes a, b, c, d stand for: a picks the kind (its bits 0-2 and 7; touches the
 * most often, as they are what shows a page's contents), its flags and (bit 6) which file, b the
 * page, c a count, d an argument (rights; a file mapping's offset in its bits 3-7; the advice in
 * bits 2-7, half of it about fork, a quarter about swap). A fork makes a second address space
 * (mm_model.h), a switch makes the calls act on the other one; an eviction takes c % 17 frames,
 * or all it can when c's bit 7 is set. */
static struct call decode(const uint8_t *op)
{
	static const enum op_kind kinds[16] = {OP_MMAP,      OP_MUNMAP,    OP_MPROTECT, OP_MADVISE,
	                                       OP_MREMAP,    OP_BRK,       OP_TOUCH,    OP_TOUCH,
	                                       OP_MMAP_FILE, OP_MMAP_FILE, OP_TRUNCATE, OP_MADVISE,
	                                       OP_FORK,      OP_TOUCH,     OP_EVICT,    OP_SWITCH};
	static const int remaps[4] = {0, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED,
	                              MREMAP_MAYMOVE};
	uint8_t a = op[0], b = op[1], c = op[2], d = op[3];
	/* counts of 0 to 16 pages: 0 for the calls' refusals of an empty range */
	struct call k = {.kind = kinds[(a & 7) | (a >> 7) << 3],
	                 .i = b % MM_MODEL_NPAGES,
	                 .n = c % 17,
	                 .file = (a >> 6) & 1};

	k.prot = d & (PROT_READ | PROT_WRITE | PROT_EXEC);
	k.flags = (a & 8 ? MAP_SHARED : MAP_PRIVATE) | (a & 16 ? MAP_FIXED : 0) |
	          (a & 32 ? MAP_POPULATE : 0);
	static const int fork_advice[4] = {MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK,
	                                   MADV_KEEPONFORK};
	static const int swap_advice[4] = {MADV_PAGEOUT, MADV_COLD, MADV_WILLNEED, MADV_PAGEOUT};

	if (k.kind == OP_MADVISE && (d & 0x80))
		k.flags = fork_advice[(d >> 5) & 3];
	else if (k.kind == OP_MADVISE && (d & 4))
		k.flags = swap_advice[d & 3];
	else if (k.kind == OP_MADVISE)
		k.flags = d & 16 ? MADV_REMOVE : d & 8 ? MADV_FREE : MADV_DONTNEED;
	if (k.kind == OP_MMAP_FILE)
		k.t = (d >> 3) % 32; /* the file offset in pages, maybe past its end */
	if (k.kind == OP_TRUNCATE)
		k.n = c % 49;
	if (k.kind == OP_EVICT)
		k.n = c & 0x80 ? 1000 : c % 17;
	if (k.kind == OP_MREMAP) {
		k.n = 1 + c % 8;
		k.newn = 1 + (c >> 3) % 12;
		k.flags = remaps[(a >> 3) & 3];
		k.t = d % MM_MODEL_NPAGES;
	}
	k.off = (b % 33) * PAGE_SIZE + (c & 1 ? d * 16u : 0); /* brk: pages, sometimes bytes */
	k.write = a & 8;
	k.v = c ? c : 1; /* a store of nonzero, so that zero-fill tells apart */
	return k;
}

/* Run call k on the kernel and the model; true when they agree. */
static bool run(struct mm_model *mm, const struct call *k)
{
	switch (k->kind) {
	case OP_MMAP:
		return mm_model_mmap(mm, k->i, k->n, k->prot, k->flags);
	case OP_MUNMAP:
		return mm_model_munmap(mm, k->i, k->n);
	case OP_MPROTECT:
		return mm_model_mprotect(mm, k->i, k->n, k->prot);
	case OP_MADVISE:
		return mm_model_madvise(mm, k->i, k->n, k->flags);
	case OP_MREMAP:
		return mm_model_mremap(mm, k->i, k->n, k->newn, k->flags, k->t);
	case OP_BRK:
		return mm_model_brk(mm, k->off);
	case OP_MMAP_FILE:
		return mm_model_mmap_file(mm, k->i, k->n, k->prot, k->flags, k->file, k->t);
	case OP_TRUNCATE:
		return mm_model_truncate(mm, k->file, k->n);
	case OP_FORK:
		return mm_model_fork(mm);
	case OP_SWITCH:
		return mm_model_switch(mm);
	case OP_EVICT:
		return mm_model_evict(mm, k->n);
	default:
		return mm_model_touch(mm, k->i, k->write, k->v);
	}
}

/* Print call k as the mm_model.h call that repeats it (a unit test can paste the lines). */
static void print_call(const struct call *k)
{
	switch (k->kind) {
	case OP_MREMAP:
		fprintf(stderr, "\tmm_model_mremap(&mm, %zu, %zu, %zu, %d, %zu);\n", k->i, k->n,
		        k->newn, k->flags, k->t);
		break;
	case OP_BRK:
		fprintf(stderr, "\tmm_model_brk(&mm, %#zx);\n", k->off);
		break;
	case OP_TOUCH:
		fprintf(stderr, "\tmm_model_touch(&mm, %zu, %d, %u);\n", k->i, k->write, k->v);
		break;
	case OP_MUNMAP:
		fprintf(stderr, "\tmm_model_munmap(&mm, %zu, %zu);\n", k->i, k->n);
		break;
	case OP_MMAP_FILE:
		fprintf(stderr, "\tmm_model_mmap_file(&mm, %zu, %zu, %#x, %#x, %u, %zu);\n", k->i,
		        k->n, k->prot, k->flags, k->file, k->t);
		break;
	case OP_TRUNCATE:
		fprintf(stderr, "\tmm_model_truncate(&mm, %u, %zu);\n", k->file, k->n);
		break;
	case OP_EVICT:
		fprintf(stderr, "\tmm_model_evict(&mm, %zu);\n", k->n);
		break;
	case OP_FORK:
	case OP_SWITCH:
		fprintf(stderr, "\tmm_model_%s(&mm);\n", kind_names[k->kind]);
		break;
	default: /* mmap, mprotect, madvise: a page, a count and one or two arguments */
		fprintf(stderr, "\tmm_model_%s(&mm, %zu, %zu, %#x%s", kind_names[k->kind], k->i,
		        k->n, k->kind == OP_MADVISE ? k->flags : k->prot,
		        k->kind == OP_MMAP ? "" : ");\n");
		if (k->kind == OP_MMAP)
			fprintf(stderr, ", %#x);\n", k->flags);
	}
}

/* Report the disagreement after the first `count` calls of data and crash, so libFuzzer keeps
 * the input: the calls first, as a reproducer, then what differs, so that a log's tail has it. */
static void fail(const struct mm_model *mm, const uint8_t *data, size_t count, const char *when)
{
	fprintf(stderr, "fuzz_mm: reproducer (mm_model.h calls after mm_model_swap_on(\"clock\", "
	                "MM_MODEL_SLOTS) "
	                "and mm_model_start; read-ahead depends on earlier inputs too):\n");
	for (size_t j = 0; j < count; j++) {
		struct call k = decode(data + j * OP_BYTES);

		print_call(&k);
	}
	fprintf(stderr, "fuzz_mm: kernel/mm and the model disagree %s: %s\n", when, mm->why);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	host_setup(); /* one fake RAM for the whole run: each input's frames must come back */
	mm_model_swap_on("clock",
	                 MM_MODEL_SLOTS); /* and one swap disk: each input's slots must come back */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_model mm;
	size_t count = size / OP_BYTES < MAX_OPS ? size / OP_BYTES : MAX_OPS;

	if (!mm_model_start(&mm))
		fail(&mm, data, 0, "at the start");
	for (size_t j = 0; j < count; j++) {
		struct call k = decode(data + j * OP_BYTES);

		if (!run(&mm, &k))
			fail(&mm, data, j + 1, "on the last call");
		if (!mm_model_check(&mm))
			fail(&mm, data, j + 1, "after the last call");
	}
	if (!mm_model_finish(&mm))
		fail(&mm, data, count, "after as_destroy");
	return 0;
}
