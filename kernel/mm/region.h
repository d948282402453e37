/* Regions: page-aligned, non-overlapping [start, end) ranges of an address space with rights, kind
 * and backing, kept in a balanced search tree so that lookup stays O(log n). */
#pragma once
#include "mm/types.h"

/* Rights of a region (and the access a fault asks for). */
#define VM_READ  1U
#define VM_WRITE 2U
#define VM_EXEC  4U

enum region_kind {
	RK_TEXT,   /* ELF segment with execute right */
	RK_RODATA, /* ELF segment, read only */
	RK_DATA,   /* ELF segment, writable (data and bss) */
	RK_HEAP,   /* grown and shrunk by brk */
	RK_STACK,
	RK_MMAP, /* anonymous mmap */
	RK_NKINDS
};

/* Where the bytes of a page come from the first time it is touched. */
enum region_backing {
	RB_ZERO,   /* a zero-filled frame */
	RB_IMAGE,  /* bytes [file_va, file_va + file_len) come from image; the rest is zero */
	RB_OBJECT, /* a file's object shm (its page cache): shared, or private and copied on write
	            */
};

struct anon_rmap;

struct region {
	vaddr_t start, end; /* page aligned, start < end */
	uint8_t prot;       /* VM_READ | VM_WRITE | VM_EXEC */
	uint8_t kind;       /* enum region_kind */
	uint8_t backing;    /* enum region_backing */
	/* anon came from fork (Linux: an anon_vma_chain of more than one entry, the parent's
	 * anon_vma linked in): a neighbour never takes it, nor joins r without an anon identity of
	 * its own */
	uint8_t forked;
	uint32_t flags; /* REGION_* below: Linux's vm_flags besides the rights */
	/* Linux's VMA identity, so that regions split and merge exactly where Linux's VMAs do (a
	 * program sees the difference in mremap): anon is the anon_vma, given at the first write
	 * fault of private memory (0 before); obj the shmem object of a MAP_SHARED mapping; pgoff
	 * the page index of start in that anon or object space (start >> 12 at creation). */
	uint32_t anon, obj;
	uint64_t pgoff;
	/* MAP_SHARED and file mappings: the object holding the pages (one reference per region),
	 * page pgoff of it at start. A page at or beyond its size is SIGBUS, as past the end of
	 * Linux's shmem. A private mapping (RB_OBJECT without REGION_SHARED) maps the object's
	 * frames read-only and copies one at its first write. */
	struct shmem *shm;
	/* RB_OBJECT only: the file mapped, opaque to mm (the fs's open file), held through the
	 * hooks of mm_set_file_hooks() while the region lives; for /proc/self/maps. */
	void *file;
	/* With shm: the address space holding the region and its links in the object's list of
	 * the regions mapping it (object.c), so that a truncation reaches every mapping. */
	struct as *as;
	struct region *obj_prev, *obj_next;
	/* With an anon identity: the family of regions whose anonymous pages may be shared (fork),
	 * and the links in its list, so that a frame finds every mapping of it (rmap.c). */
	struct anon_rmap *ar;
	struct region *ar_prev, *ar_next;
	/* RB_IMAGE only: the byte at user address a (file_va <= a < file_va + file_len) is
	 * image[a - file_va]. Absolute addresses, so splitting a region changes nothing here. */
	const uint8_t *image;
	vaddr_t file_va;
	uint64_t file_len;
	/* tree links and subtree summaries, owned by region.c: never change start or end of a
	 * region while it is in a tree (remove, change, insert) */
	struct region *left, *right;
	int height;
	vaddr_t sub_lo, sub_hi; /* lowest start and highest end in this subtree */
	vaddr_t max_gap;        /* widest hole between two regions of this subtree */
};

/* Region flags: Linux's vm_flags of the same meaning. Regions merge only when all are equal. */
#define REGION_SHARED     0x0001 /* MAP_SHARED: pages live in the object shm */
#define REGION_GROWSDOWN  0x0002 /* MAP_GROWSDOWN: a fault just below extends the region down */
#define REGION_NORESERVE  0x0004 /* MAP_NORESERVE */
#define REGION_ACCOUNT    0x0008 /* private writable memory charged to the commit (VM_ACCOUNT) */
#define REGION_DROPPABLE  0x0010 /* MAP_DROPPABLE */
#define REGION_RAND_READ  0x0020 /* MADV_RANDOM */
#define REGION_SEQ_READ   0x0040 /* MADV_SEQUENTIAL */
#define REGION_DONTCOPY   0x0080 /* MADV_DONTFORK */
#define REGION_DONTDUMP   0x0100 /* MADV_DONTDUMP */
#define REGION_WIPEONFORK 0x0200 /* MADV_WIPEONFORK */
#define REGION_HUGEPAGE   0x0400 /* MADV_HUGEPAGE */
#define REGION_NOHUGEPAGE 0x0800 /* MADV_NOHUGEPAGE, MAP_STACK */
#define REGION_MERGEABLE  0x1000 /* MADV_MERGEABLE */
#define REGION_SYNC       0x2000 /* MAP_SYNC */
#define REGION_LOCKED     0x4000 /* mlock, MAP_LOCKED, mlockall: pages faulted in and kept */
#define REGION_ONFAULT    0x8000 /* with REGION_LOCKED: MLOCK_ONFAULT, MCL_ONFAULT: not populated */
/* MAP_HUGETLB (VM_HUGETLB): no huge page is ever available, so every touch is SIGBUS and no frame
 * is ever mapped; cut only at huge-page boundaries, never merged (Linux's VM_SPECIAL). */
#define REGION_HUGETLB 0x10000
#define REGION_HUGE1G  0x20000 /* with REGION_HUGETLB: 1 GiB pages, else 2 MiB */
/* Linux's execute-only protection key (VM_PKEY_BIT0): mmap or mprotect asked for PROT_EXEC and
 * nothing else on a CPU with protection keys (hal_exec_only()); user and kernel reads fail. */
#define REGION_EXEC_ONLY 0x40000
/* Linux's VM_MAYWRITE missing: a MAP_SHARED mapping of a file not open for writing, which
 * mprotect may not make writable nor MADV_REMOVE punch (-EACCES: Linux clears VM_SHARED too). */
#define REGION_NOMAYWRITE 0x80000

struct region_tree {
	struct region *root;
	size_t count;
	/* The region region_find() found last: faults come in runs within one region (a loop
	 * over an array, a growing heap or stack), so it answers most lookups without a descent,
	 * whatever the number of regions. Never a region that has left the tree. */
	struct region *hint;
	/* Pages the regions cover now, and the most they covered at a removal (Linux's total_vm and
	 * hiwater_vm, kept as lazily: as_note_peaks() brings the peak up to date). */
	uint64_t pages, peak_pages;
};

/* The region containing va, or NULL. Remembers it as the tree's hint. */
struct region *region_find(struct region_tree *t, vaddr_t va);

/* The first region ending above va (the one containing va, or the next one up), or NULL. */
struct region *region_first_after(const struct region_tree *t, vaddr_t va);

/* The region just below r (the last one ending at or below r->start), or NULL. */
struct region *region_prev(const struct region_tree *t, const struct region *r);

/* The region just above r, or NULL. */
struct region *region_next(const struct region_tree *t, const struct region *r);

/* Link r into the tree; r must overlap nothing already there. */
void region_insert(struct region_tree *t, struct region *r);

/* Unlink r from the tree (r is not freed). */
void region_remove(struct region_tree *t, struct region *r);

/* The highest page-aligned a with [a, a + len) inside [lo, hi) and free, or 0 when none. */
vaddr_t region_gap_topdown(const struct region_tree *t, vaddr_t lo, vaddr_t hi, vaddr_t len);

/* The lowest page-aligned a with [a, a + len) inside [lo, hi) and free, or 0 when none. */
vaddr_t region_gap_bottomup(const struct region_tree *t, vaddr_t lo, vaddr_t hi, vaddr_t len);
