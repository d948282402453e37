/* An address space: a page table, its regions and the program break, and the operations on them:
 * the page-fault handler, checked user copies and the Linux memory system calls. */
#pragma once
#include "mm/region.h"
#include "mm/types.h"

struct as {
	paddr_t root;               /* top-level page table (PML4) */
	struct region_tree regions; /* never overlapping */
	vaddr_t brk_start;          /* first byte of the heap */
	vaddr_t brk;                /* current program break (not page aligned) */
	size_t resident;            /* user pages mapped now */
	size_t peak_rss; /* the most resident was when pages were last unmapped (VmHWM) */
	/* Faults served as Linux counts them (its minflt): anonymous pages mapped ahead count, as
	 * Linux would have taken a fault for each; object pages mapped around a read fault do not.
	 */
	uint64_t minflt;
	uint64_t majflt; /* faults that read a page back from swap (Linux's majflt) */
	size_t swapents; /* entries of its page table that name a swap slot (VmSwap) */
	uint32_t ids;    /* the last anon or shared-object identity handed out */
	/* [ahead_lo, ahead_hi): the pages the last fault mapped. A fault just above or just
	 * below continues a sequential run, and maps several pages at once (fault-around). */
	vaddr_t ahead_lo, ahead_hi;
	uint16_t lock_future; /* REGION_LOCKED(|LOCKONFAULT) after mlockall(MCL_FUTURE), else 0 */
};

/* Why vm_fault() could not resolve a fault. */
enum fault_result {
	FAULT_OK = 0,
	FAULT_NO_REGION, /* no region contains the address */
	FAULT_DENIED,    /* a region does, but its rights forbid the access */
	FAULT_GUARD,     /* below the stack, where it may not grow: a stack overflow */
	FAULT_OOM,       /* no frame left */
	FAULT_SIGBUS,    /* a shared region's page beyond its object's end */
	FAULT_NOHUGE,    /* a MAP_HUGETLB region: no huge page to give (SIGBUS) */
	FAULT_IO,        /* the page is on swap and the disk failed to read it back (SIGBUS) */
};

/* Pages a write fault maps at once when it continues a sequential run through private anonymous
 * memory (1: only the faulting page, as Linux). The kernel command line's fault_around=N. */
#define FAULT_AROUND_DEFAULT 16
#define FAULT_AROUND_MAX     512
extern unsigned fault_around_pages;

/* An empty address space (kernel half only), or NULL when out of memory. */
struct as *as_create(void);

/* Free every user page, every page-table page, every region and as itself. */
void as_destroy(struct as *as);

/* fork(2)'s address space: a new one that is a copy of parent, which must be the current address
 * space (its TLB entries are flushed), or NULL when out of memory or the commit charge is refused
 * (nothing taken stays taken). Private pages are shared copy-on-write, read-only in both until
 * one writes; shared mappings stay shared; MADV_DONTFORK regions are left out, MADV_WIPEONFORK
 * regions come empty, locks are not inherited. Either side's as_destroy() frees only its own. */
struct as *as_fork(struct as *parent);

/* Map frame at va with rights (VM_*), making intermediate tables as needed. The frame gains a
 * reference. 0, -ENOMEM (no frame for a table) or -EEXIST (va already mapped). */
int sos_map_page(struct as *as, vaddr_t va, paddr_t frame, unsigned rights);

/* Remove the mapping of va, dropping its frame's reference. Returns the frame, or 0 if none. */
paddr_t sos_unmap_page(struct as *as, vaddr_t va);

/* Add a region [start, end) (page aligned). 0, -EINVAL (bad range), -EEXIST (overlap), -ENOMEM. */
int as_define_region(struct as *as, vaddr_t start, vaddr_t end, unsigned prot,
                     enum region_kind kind, const uint8_t *image, vaddr_t file_va,
                     uint64_t file_len);

struct shmem;

/* Add [start, end) (page aligned) mapping the object obj privately from byte off (page
 * aligned), as exec maps an ELF segment from the program's page cache: the object's frames
 * read-only, copied at a first write; SIGBUS past its end. file is the fs's open file or NULL
 * (held through the file hooks). 0, -EINVAL (bad range), -EEXIST (overlap) or -ENOMEM. */
int as_define_object_region(struct as *as, vaddr_t start, vaddr_t end, unsigned prot,
                            enum region_kind kind, struct shmem *obj, uint64_t off, void *file);

/* Add the stack as Linux's setup_arg_pages() leaves it: one grows-down region from STACK_EXPAND
 * below the page holding args (the lowest byte of the argument strings) up to STACK_TOP, at
 * most STACK_SIZE long. 0, -EINVAL (args outside the stack), -EEXIST, -ENOMEM. */
int as_define_stack(struct as *as, vaddr_t args);

/* Start the heap at start (rounded up to a page): brk_start = brk = that. */
void as_init_brk(struct as *as, vaddr_t start);

/* Resolve a fault at va for access (one of VM_READ, VM_WRITE, VM_EXEC): map the page if the
 * region allows it. A fault on a page already mapped with the needed rights is FAULT_OK. */
enum fault_result vm_fault(struct as *as, vaddr_t va, unsigned access);

/* A few words for the kill diagnostic: "no region", "protection", "stack overflow, guard gap",
 * "out of memory", "beyond the shared object", "no huge page", "swap read error". */
const char *fault_reason(enum fault_result r);

/* Checked copies between kernel memory and user memory, faulting pages in as a user access
 * would. 0, or -EFAULT when any byte is outside a region allowing the access (or -ENOMEM). */
int as_copyin(struct as *as, void *dst, vaddr_t src, size_t n);
int as_copyout(struct as *as, vaddr_t dst, const void *src, size_t n);

/* The Linux memory system calls, returning what the system call returns (a value or -errno). */
vaddr_t as_brk(struct as *as, vaddr_t newbrk);
long as_mmap(struct as *as, vaddr_t addr, size_t len, int prot, int flags, int fd, long off);
long as_munmap(struct as *as, vaddr_t addr, size_t len);
long as_msync(struct as *as, vaddr_t addr, size_t len, int flags);
long as_mincore(struct as *as, vaddr_t addr, size_t len, vaddr_t vec);

/* mmap(2) of a file whose pages are the object obj (a tmpfs file's page cache), once the fs has
 * checked the descriptor (EBADF, EACCES, ENODEV): MAP_SHARED maps obj's frames, MAP_PRIVATE maps
 * them read-only and copies a page at its first write. off is the byte offset in the file; file
 * is the fs's open file, opaque here, held by each region through the file hooks. The place, or
 * -errno as Linux 6.12's do_mmap() for a tmpfs file. A touch at or past obj's end is SIGBUS. */
long as_mmap_object(struct as *as, vaddr_t addr, size_t len, int prot, int flags, struct shmem *obj,
                    uint64_t off, void *file);

/* The fs's reference counting of the file a region maps: get when a region starts holding it
 * (mmap, split, a copy by mremap), put when a region holding it goes (munmap, a merge, exit). */
void mm_set_file_hooks(void (*get)(void *file), void (*put)(void *file));

/* The fs's answer to "is file open for writing?": a MAP_SHARED mapping of a file that is not
 * may never become writable (Linux clears VM_MAYWRITE). Without it every file is. */
void mm_set_file_writable_hook(bool (*writable)(void *file));
long as_mprotect(struct as *as, vaddr_t addr, size_t len, int prot);
long as_madvise(struct as *as, vaddr_t addr, size_t len, int advice); /* -EHWPOISON: SIGBUS */
long as_mremap(struct as *as, vaddr_t old, size_t oldlen, size_t newlen, int flags,
               vaddr_t newaddr);
long as_mlock(struct as *as, vaddr_t addr, size_t len, int flags); /* mlock2; mlock is flags 0 */
long as_munlock(struct as *as, vaddr_t addr, size_t len);
long as_mlockall(struct as *as, int flags);
long as_munlockall(struct as *as);

/* Call fn on every region in address order (for the --trace map of a killed process). */
void as_for_each_region(const struct as *as, void (*fn)(const struct region *r, void *arg),
                        void *arg);

/* Pages of [r->start, r->end) mapped now. */
size_t as_region_resident(const struct as *as, const struct region *r);
