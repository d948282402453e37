/* Address spaces: creation and teardown, the regions exec defines (ELF segments, the stack, the
 * heap's start) and walks over the regions. */
#include <errno.h>

#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/slab.h"
#include "mm/vma.h"

static struct slab_cache as_cache;

/* An empty address space (kernel half only), or NULL when out of memory. The cache is set up on
 * first use, so that no init call is needed before. */
struct as *as_create(void)
{
	if (!as_cache.objsize)
		slab_init(&as_cache, sizeof(struct as));

	struct as *as = slab_alloc(&as_cache);

	if (!as)
		return NULL;
	as->root = pt_create();
	if (!as->root) {
		slab_free(&as_cache, as);
		return NULL;
	}
	return as;
}

/* Release every region of the subtree at r (no rebalancing: the whole tree goes). */
static void release_tree(struct region *r)
{
	if (!r)
		return;
	release_tree(r->left);
	release_tree(r->right);
	region_release(r);
}

/* as_for_each_region() callback: a locked region's pages go back to reclaim, as (arg) goes and
 * those others map too outlive it. */
static void unlock_region(const struct region *r, void *arg)
{
	if (r->flags & REGION_LOCKED)
		reclaim_unlocked(arg, r->start, r->end);
}

/* Free every user page, every page-table page, every region and as itself. */
void as_destroy(struct as *as)
{
	as_for_each_region(as, unlock_region, as);
	pt_destroy(as->root);
	release_tree(as->regions.root);
	slab_free(&as_cache, as);
}

/* Whether exec may put a segment of kind with prot at [start, end): 0, -EINVAL (not page aligned,
 * empty, outside user memory, bad rights or kind) or -EEXIST (a region is there). */
static int segment_check(const struct as *as, vaddr_t start, vaddr_t end, unsigned prot,
                         enum region_kind kind)
{
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) || start >= end || start < USER_MIN ||
	    end > USER_END || (prot & ~VM_RIGHTS) || (unsigned)kind >= RK_NKINDS)
		return -EINVAL;
	return any_region(as, start, end) ? -EEXIST : 0;
}

/* A segment's region before its backing: a PF_X-only segment has the execute-only key (Linux's
 * elf_load()); writable file pages or bss are charged (VM_ACCOUNT), as Linux's mmap and brk
 * charge them. */
static struct region segment_template(vaddr_t start, vaddr_t end, unsigned prot,
                                      enum region_kind kind)
{
	return (struct region){
	    .start = start,
	    .end = end,
	    .prot = (uint8_t)prot,
	    .kind = (uint8_t)kind,
	    .flags = exec_only_flag((int)prot) | ((prot & VM_WRITE) ? REGION_ACCOUNT : 0),
	};
}

/* Add a region [start, end) (page aligned). 0, -EINVAL (bad range), -EEXIST (overlap), -ENOMEM. */
int as_define_region(struct as *as, vaddr_t start, vaddr_t end, unsigned prot,
                     enum region_kind kind, const uint8_t *image, vaddr_t file_va,
                     uint64_t file_len)
{
	int err = file_len && !image ? -EINVAL : segment_check(as, start, end, prot, kind);

	if (err)
		return err;

	struct region tmpl = segment_template(start, end, prot, kind);

	tmpl.backing = file_len ? RB_IMAGE : RB_ZERO;
	tmpl.pgoff = start >> PAGE_SHIFT;
	if (file_len) {
		tmpl.image = image;
		tmpl.file_va = file_va;
		tmpl.file_len = file_len;
	}
	return as_add_region(as, &tmpl) ? 0 : -ENOMEM;
}

/* Add [start, end) (page aligned) mapping obj privately from page off, as exec maps an ELF
 * segment from the program's page cache (Linux's elf_map()): copied on write, SIGBUS past
 * obj's end, kind kept for the trace map. 0, -EINVAL, -EEXIST or -ENOMEM, as
 * as_define_region(). */
int as_define_object_region(struct as *as, vaddr_t start, vaddr_t end, unsigned prot,
                            enum region_kind kind, struct shmem *obj, uint64_t off, void *file)
{
	int err = !obj || !PAGE_ALIGNED(off) ? -EINVAL : segment_check(as, start, end, prot, kind);

	if (err)
		return err;

	struct region tmpl = segment_template(start, end, prot, kind);

	tmpl.backing = RB_OBJECT;
	tmpl.pgoff = off >> PAGE_SHIFT;
	tmpl.shm = obj;
	tmpl.file = file;
	return as_add_region(as, &tmpl) ? 0 : -ENOMEM;
}

/* Add the stack as Linux's setup_arg_pages() leaves it: one grows-down region from STACK_EXPAND
 * below the page holding args (the lowest byte of the argument strings) up to STACK_TOP, at
 * most STACK_SIZE long. Faults below it grow it (grow_down). 0 or -errno. */
int as_define_stack(struct as *as, vaddr_t args)
{
	vaddr_t start = PAGE_DOWN(args) - STACK_EXPAND;

	if (args < STACK_BASE || args >= STACK_TOP)
		return -EINVAL;
	if (start < STACK_BASE)
		start = STACK_BASE;
	if (any_region(as, start, STACK_TOP))
		return -EEXIST;

	struct region tmpl = {
	    .start = start,
	    .end = STACK_TOP,
	    .prot = VM_READ | VM_WRITE,
	    .kind = RK_STACK,
	    .backing = RB_ZERO,
	    .flags = REGION_GROWSDOWN | REGION_ACCOUNT, /* Linux's VM_STACK_FLAGS */
	    .pgoff = start >> PAGE_SHIFT,
	};
	return as_add_region(as, &tmpl) ? 0 : -ENOMEM;
}

/* Start the heap at start (rounded up to a page): brk_start = brk = that. */
void as_init_brk(struct as *as, vaddr_t start)
{
	as->brk_start = as->brk = PAGE_UP(start);
}

static void each_region(const struct region *r, void (*fn)(const struct region *r, void *arg),
                        void *arg)
{
	if (!r)
		return;
	each_region(r->left, fn, arg);
	fn(r, arg);
	each_region(r->right, fn, arg);
}

/* Call fn on every region in address order (for the --trace map of a killed process). */
void as_for_each_region(const struct as *as, void (*fn)(const struct region *r, void *arg),
                        void *arg)
{
	each_region(as->regions.root, fn, arg);
}
