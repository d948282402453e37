/* Address spaces: creation and teardown, sos_map_page(), region bookkeeping (define, split, merge,
 * unmap), the page-fault handler and the checked copies to and from user memory. */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "mm/as_impl.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/hugetlb.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/shmem.h"
#include "mm/slab.h"

unsigned fault_around_pages = FAULT_AROUND_DEFAULT;

static struct slab_cache as_cache, region_cache;

/* Caches are set up on first use so that no init call is needed before as_create(). */
static void caches_init(void)
{
	if (as_cache.objsize)
		return;
	slab_init(&as_cache, sizeof(struct as));
	slab_init(&region_cache, sizeof(struct region));
}

struct region *region_alloc(void)
{
	caches_init();
	return slab_alloc(&region_cache);
}

/* Free r, taking it off its object's list and dropping its reference to the object. */
void region_release(struct region *r)
{
	if (r->shm) {
		obj_unlink(r);
		shmem_put(r->shm);
	}
	slab_free(&region_cache, r);
}

/* A region-cache copy of tmpl in as, holding its own reference to tmpl's object and on the
 * object's list, or NULL. */
struct region *region_dup(struct as *as, const struct region *tmpl)
{
	struct region *r = region_alloc();

	if (!r)
		return NULL;
	*r = *tmpl;
	r->as = as;
	if (r->shm) {
		shmem_get(r->shm);
		obj_link(r);
	}
	return r;
}

/* True when a region with prot allows access (VM_READ, VM_WRITE or VM_EXEC), as on x86. */
bool prot_allows(unsigned prot, unsigned access)
{
	switch (access) {
	case VM_READ:
		return (prot & VM_RIGHTS) != 0; /* x86 cannot map write-only or execute-only */
	case VM_WRITE:
		return (prot & VM_WRITE) != 0;
	case VM_EXEC:
		return (prot & VM_EXEC) != 0;
	default:
		return false;
	}
}

/* True when region r allows access: its rights as on x86, but no reading execute-only memory. */
bool region_allows(const struct region *r, unsigned access)
{
	if (access == VM_READ && (r->flags & REGION_EXEC_ONLY))
		return false;
	return prot_allows(r->prot, access);
}

/* True when the present leaf pte lets the user make access (a protection key forbids data). */
static bool pte_allows(pte_t pte, unsigned access)
{
	if ((pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
		return false;
	if (access != VM_EXEC && (pte & PTE_PKEY_MASK))
		return false;
	if (access == VM_WRITE)
		return (pte & PTE_W) != 0;
	if (access == VM_EXEC)
		return (pte & PTE_NX) == 0;
	return true;
}

/* An empty address space (kernel half only), or NULL when out of memory. */
struct as *as_create(void)
{
	caches_init();

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

/* Free every user page, every page-table page, every region and as itself. */
void as_destroy(struct as *as)
{
	pt_destroy(as->root);
	release_tree(as->regions.root);
	slab_free(&as_cache, as);
}

/* Map frame at va with rights (VM_*), making intermediate tables as needed. The frame gains a
 * reference. 0, -ENOMEM (no frame for a table) or -EEXIST (va already mapped). */
int sos_map_page(struct as *as, vaddr_t va, paddr_t frame, unsigned rights)
{
	assert(PAGE_ALIGNED(va) && PAGE_ALIGNED(frame) && frame != 0 && va < USER_END);

	pte_t *pte = pt_walk(as->root, va, true);

	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_P)
		return -EEXIST;
	frame_ref(frame);
	*pte = frame | pte_rights(rights);
	as->resident++;
	return 0;
}

/* Remove the mapping of va, dropping its frame's reference. Returns the frame, or 0 if none. */
paddr_t sos_unmap_page(struct as *as, vaddr_t va)
{
	if (va >= USER_END)
		return 0;

	pte_t *pte = pt_walk(as->root, PAGE_DOWN(va), false);

	if (!pte || !(*pte & PTE_P))
		return 0;

	paddr_t pa = *pte & PTE_ADDR;

	*pte = 0;
	hal_flush_page(PAGE_DOWN(va));
	as->resident--;
	frame_unref(pa);
	return pa;
}

/* pt_range() callback: unmap one page of the address space in arg. */
static void drop_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	as_drop_pte(arg, pte, va);
}

/* Unmap the present leaf pte of va in as: its frame loses the mapping's reference. */
void as_drop_pte(struct as *as, pte_t *pte, vaddr_t va)
{
	paddr_t pa = *pte & PTE_ADDR;

	*pte = 0;
	hal_flush_page(va);
	as->resident--;
	frame_unref(pa);
}

/* Unmap every page of [start, end) (frames lose a reference) and free emptied page tables. */
void as_drop_pages(struct as *as, vaddr_t start, vaddr_t end)
{
	pt_range(as->root, start, end, drop_leaf, as);
	pt_prune(as->root, start, end);
}

/* Pages in r. */
uint64_t region_pages(const struct region *r)
{
	return (r->end - r->start) >> PAGE_SHIFT;
}

/* True for private memory without a file behind it: Linux's vma_is_anonymous() (hugetlb memory
 * has a hugetlbfs file behind it, private or not). */
bool region_anonymous(const struct region *r)
{
	return r->backing == RB_ZERO && !(r->flags & (REGION_SHARED | REGION_HUGETLB));
}

/* The heap is anonymous memory like any other to Linux: it merges with mmap'd neighbours. */
static unsigned kind_class(unsigned kind)
{
	return kind == RK_HEAP ? RK_MMAP : kind;
}

/* True when a and b hold the same kind of pages: all but rights, anon and place agree. */
static bool alike(const struct region *a, const struct region *b)
{
	if (kind_class(a->kind) != kind_class(b->kind) || a->backing != b->backing ||
	    a->flags != b->flags || a->obj != b->obj)
		return false;
	if (a->backing == RB_IMAGE)
		return a->image == b->image && a->file_va == b->file_va &&
		       a->file_len == b->file_len;
	return true;
}

/* True when b starts where a ends, in address and in its anon or object space. */
static bool continues(const struct region *a, const struct region *b)
{
	return a->end == b->start && a->pgoff + region_pages(a) == b->pgoff;
}

static bool anon_compatible(const struct region *a, const struct region *b)
{
	return !a->anon || !b->anon || a->anon == b->anon;
}

/* True when Linux would merge b into a (b just above a). */
bool region_mergeable(const struct region *a, const struct region *b)
{
	if ((a->flags | b->flags) & REGION_HUGETLB)
		return false; /* Linux's VM_SPECIAL (VM_DONTEXPAND): never merged */
	return continues(a, b) && a->prot == b->prot && alike(a, b) && anon_compatible(a, b);
}

/* Join n, the region just above r, into r (r keeps its pgoff and gains n's anon if it has none). */
static void join(struct as *as, struct region *r, struct region *n)
{
	struct region_tree *t = &as->regions;

	/* Bounds change only outside the tree: its summaries depend on them. */
	region_remove(t, n);
	region_remove(t, r);
	r->end = n->end;
	if (!r->anon)
		r->anon = n->anon;
	region_insert(t, r);
	region_release(n);
}

/* The region ending exactly at r->start, or NULL. */
static struct region *below(const struct as *as, const struct region *r)
{
	struct region *p = region_prev(&as->regions, r);

	return p && p->end == r->start ? p : NULL;
}

/* The region starting exactly at r->end, or NULL. */
static struct region *above(const struct as *as, const struct region *r)
{
	struct region *n = region_next(&as->regions, r);

	return n && n->start == r->end ? n : NULL;
}

/* True when r, a region created, changed or moved, may join its neighbour n as Linux 6.12's
 * is_mergeable_anon_vma() allows: r has no anon identity, or n's. A neighbour without one does
 * not take r's (6.16 and later let it). */
static bool anon_joins(const struct region *r, const struct region *n)
{
	return !r->anon || r->anon == n->anon;
}

/* Merge r with its neighbours as Linux's vma_merge(): left first, both when anon agrees, never
 * with apart. */
struct region *as_merge(struct as *as, struct region *r, const struct region *apart)
{
	struct region *p = below(as, r), *n = above(as, r);
	bool left = p && p != apart && region_mergeable(p, r) && anon_joins(r, p);
	bool right = n && n != apart && region_mergeable(r, n) && anon_joins(r, n) &&
	             (!left || anon_compatible(p, n));

	if (left) {
		join(as, p, r);
		r = p;
	}
	if (right)
		join(as, r, n);
	return r;
}

/* Merge r with the region above only (r grew up to it). */
void as_merge_next(struct as *as, struct region *r)
{
	struct region *n = above(as, r);

	if (n && region_mergeable(r, n) && anon_joins(r, n))
		join(as, r, n);
}

/* Link a copy of tmpl (its range must be free) and merge it: the region holding it, or NULL. */
struct region *as_add_region(struct as *as, const struct region *tmpl)
{
	struct region *r = region_dup(as, tmpl);

	if (!r)
		return NULL;
	region_insert(&as->regions, r);
	return as_merge(as, r, NULL);
}

/* Cut the region containing va in two at va, unless va is already a boundary. 0, -EINVAL (inside
 * a huge page, as Linux's hugetlb_vm_op_split()) or -ENOMEM. */
int as_split(struct as *as, vaddr_t va)
{
	struct region *r = region_find(&as->regions, va);

	if (!r || r->start == va)
		return 0;

	if (huge_misaligned(r, va))
		return -EINVAL;

	struct region *hi = region_dup(as, r);

	if (!hi)
		return -ENOMEM;
	region_remove(&as->regions, r);
	r->end = va;
	hi->start = va;
	hi->pgoff = r->pgoff + region_pages(r);
	region_insert(&as->regions, r);
	region_insert(&as->regions, hi);
	return 0;
}

/* Undo as_split(as, va): join the two regions meeting at va. */
void as_unsplit(struct as *as, vaddr_t va)
{
	struct region *hi = region_find(&as->regions, va);

	if (!hi || hi->start != va)
		return;

	struct region *lo = below(as, hi);

	if (lo)
		join(as, lo, hi);
}

/* Cut the regions meeting [start, end) at start and end, as Linux's vms_gather_munmap_vmas(). 0,
 * -EINVAL (a cut inside a huge page; as Linux, a cut already made at start stays) or -ENOMEM
 * (nothing changed). */
int as_cut(struct as *as, vaddr_t start, vaddr_t end)
{
	const struct region *r = region_find(&as->regions, start);
	bool cut = r && r->start != start;
	int err = as_split(as, start);

	if (!err) {
		err = as_split(as, end);
		if (err == -ENOMEM && cut)
			as_unsplit(as, start); /* undo the lone cut: the map stays as it was */
	}
	return err;
}

/* Remove every region and page of [start, end), where no region crosses start or end. */
void as_remove_range(struct as *as, vaddr_t start, vaddr_t end)
{
	struct region *r = region_first_after(&as->regions, start);

	while (r && r->start < end) {
		struct region *n = region_next(&as->regions, r);

		assert(r->start >= start && r->end <= end);
		region_remove(&as->regions, r);
		region_release(r);
		r = n;
	}
	as_drop_pages(as, start, end);
}

/* Remove every region and page of [start, end), cutting regions at the ends. 0, -EINVAL (a cut
 * inside a huge page; as Linux, a cut already made at start stays) or -ENOMEM. */
int as_unmap_range(struct as *as, vaddr_t start, vaddr_t end)
{
	int err = as_cut(as, start, end);

	if (!err)
		as_remove_range(as, start, end);
	return err;
}

/* True when some region meets [start, end). */
bool any_region(const struct as *as, vaddr_t start, vaddr_t end)
{
	const struct region *r = region_first_after(&as->regions, start);

	return r && r->start < end;
}

/* Add a region [start, end) (page aligned). 0, -EINVAL (bad range), -EEXIST (overlap), -ENOMEM. */
int as_define_region(struct as *as, vaddr_t start, vaddr_t end, unsigned prot,
                     enum region_kind kind, const uint8_t *image, vaddr_t file_va,
                     uint64_t file_len)
{
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) || start >= end || start < USER_MIN ||
	    end > USER_END || (prot & ~VM_RIGHTS) || (unsigned)kind >= RK_NKINDS ||
	    (file_len && !image))
		return -EINVAL;
	if (any_region(as, start, end))
		return -EEXIST;

	struct region tmpl = {
	    .start = start,
	    .end = end,
	    .prot = (uint8_t)prot,
	    .kind = (uint8_t)kind,
	    .backing = file_len ? RB_IMAGE : RB_ZERO,
	    /* a PF_X-only segment has the execute-only key (Linux's elf_load()); writable file
	     * pages or bss are charged (VM_ACCOUNT), as Linux's mmap and brk charge them */
	    .flags = exec_only_flag((int)prot) | ((prot & VM_WRITE) ? REGION_ACCOUNT : 0),
	    .pgoff = start >> PAGE_SHIFT,
	};
	if (file_len) {
		tmpl.image = image;
		tmpl.file_va = file_va;
		tmpl.file_len = file_len;
	}
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

/* Fill the new frame at pa with what page of r holds before anyone wrote it. */
static void fill_page(const struct region *r, vaddr_t page, paddr_t pa)
{
	uint8_t *dst = phys_to_virt(pa);

	if (r->backing == RB_IMAGE) {
		vaddr_t lo = page > r->file_va ? page : r->file_va;
		vaddr_t fend = r->file_va + r->file_len;
		vaddr_t hi = page + PAGE_SIZE < fend ? page + PAGE_SIZE : fend;

		if (lo < hi) {
			/* Zero around the file bytes: the bss tail of the last file page. */
			memset(dst, 0, lo - page);
			memcpy(dst + (lo - page), r->image + (lo - r->file_va), hi - lo);
			memset(dst + (hi - page), 0, page + PAGE_SIZE - hi);
			return;
		}
	}
	memset(dst, 0, PAGE_SIZE);
}

/* Linux's anon_vma_compatible(): a just below b, alike but for the rights, continuous. */
static bool anon_neighbours(const struct region *a, const struct region *b)
{
	return continues(a, b) && alike(a, b);
}

/* Give r an anon identity if it has none: a compatible neighbour's (above first), or a new one. */
void as_anon_prepare(struct as *as, struct region *r)
{
	if (r->anon)
		return;

	const struct region *n = above(as, r), *p = below(as, r);

	if (n && n->anon && anon_neighbours(r, n))
		r->anon = n->anon;
	else if (p && p->anon && anon_neighbours(p, r))
		r->anon = p->anon;
	else
		r->anon = ++as->ids;
}

/* The page index in r's anon or object space of page (inside r). */
uint64_t region_pgidx(const struct region *r, vaddr_t page)
{
	return r->pgoff + ((page - r->start) >> PAGE_SHIFT);
}

/* A new frame, with the reference of the mapping about to hold it, filled with what page of
 * private region r holds before anyone wrote it; 0 when out of memory. */
static paddr_t private_page(const struct region *r, vaddr_t page)
{
	paddr_t pa = frame_alloc_mapped();

	if (pa)
		fill_page(r, page, pa);
	return pa;
}

/* The frame of shared region r's object at page, with a reference for the mapping about to hold
 * it, or 0 when out of memory. A shared page is found again by every mapping of the object. */
static paddr_t shared_page(const struct region *r, vaddr_t page)
{
	paddr_t pa = shmem_page(r->shm, region_pgidx(r, page));

	if (pa)
		frame_ref(pa);
	return pa;
}

/* Map a filled frame for page of r for access, or fix the rights of the one there. */
enum fault_result as_fault_in(struct as *as, struct region *r, vaddr_t page, unsigned access)
{
	assert(PAGE_ALIGNED(page) && page >= r->start && page < r->end);
	if (r->flags & REGION_HUGETLB)
		return FAULT_NOHUGE; /* no huge page reserved nor free: Linux's SIGBUS */
	if (access == VM_WRITE && !(r->flags & REGION_SHARED))
		as_anon_prepare(as, r);

	pte_t *pte = pt_walk(as->root, page, true);

	if (!pte)
		return FAULT_OOM;
	if (r->shm && region_pgidx(r, page) >= r->shm->pages)
		return FAULT_SIGBUS; /* mremap grew the mapping past its object */
	/* A page faulted in for writing is dirty, as Linux's write fault leaves it. */
	pte_t dirty = access == VM_WRITE ? PTE_D : 0;

	if (*pte & PTE_P) {
		/* Already there: a first write to private memory, another path mapped it, or the
		 * TLB held an older entry. */
		*pte = (*pte & (PTE_ADDR | PTE_A | PTE_D)) | region_pte(r) | dirty;
		hal_flush_page(page);
		return FAULT_OK;
	}

	paddr_t pa = r->shm ? shared_page(r, page) : private_page(r, page);

	if (!pa)
		return FAULT_OOM;
	*pte = pa | region_pte(r) | dirty;
	as->resident++;
	return FAULT_OK;
}

/* The MAP_GROWSDOWN region va lies just below, grown down to cover va, or NULL. As Linux's
 * expand_downwards(): not below USER_MIN, not within the stack guard gap above an accessible
 * region, at most STACK_SIZE long; the region gets an anon identity first. */
static struct region *grow_down(struct as *as, vaddr_t va)
{
	struct region *r = region_first_after(&as->regions, va);
	vaddr_t page = PAGE_DOWN(va);

	if (!r || !(r->flags & REGION_GROWSDOWN) || page < USER_MIN || r->end - page > STACK_SIZE)
		return NULL;

	const struct region *p = region_prev(&as->regions, r);
	uint64_t grow = (r->start - page) >> PAGE_SHIFT;

	if (p && !(p->flags & REGION_GROWSDOWN) && (p->prot & VM_RIGHTS) &&
	    page - p->end < STACK_GUARD)
		return NULL;
	as_anon_prepare(as, r);
	if (grow > r->pgoff)
		return NULL;
	region_remove(&as->regions, r);
	r->start = page;
	r->pgoff -= grow;
	region_insert(&as->regions, r);
	return r;
}

/* True when va, which no region holds, lies below the stack within its STACK_SIZE limit and
 * the STACK_GUARD below that: the stack could not grow there, so the touch is an overflow. */
static bool stack_overflow(const struct as *as, vaddr_t va)
{
	const struct region *r = region_first_after(&as->regions, va);

	return r && r->kind == RK_STACK && va >= STACK_BASE - STACK_GUARD;
}

/* Free frames fault-around leaves alone: pages mapped ahead come only from memory nobody is
 * short of, so an out-of-memory kill comes at the same point with or without it. */
#define FAULT_AROUND_RESERVE 2048

/* True when a write fault at page of r continues a run of faults through fresh private
 * anonymous memory, the pattern of a loop filling an array, a growing heap or a stack. */
static bool fault_run(const struct as *as, const struct region *r, vaddr_t page)
{
	if (!region_anonymous(r) || !(r->prot & VM_WRITE) || (r->flags & REGION_RAND_READ))
		return false;
	return page == as->ahead_hi || page + PAGE_SIZE == as->ahead_lo;
}

/* After a write fault mapped page of r: when it continues a sequential run, map zeroed pages
 * next to it in the run's direction, as far as fault_around_pages pages, the region and the
 * page's last-level table allow, skipping entries in use. Records where the run goes on. */
static void fault_around(struct as *as, struct region *r, vaddr_t page)
{
	bool up = page == as->ahead_hi;
	unsigned n = fault_around_pages > 1 && fault_run(as, r, page) ? fault_around_pages - 1 : 0;

	as->ahead_lo = page;
	as->ahead_hi = page + PAGE_SIZE;
	if (n == 0)
		return;

	unsigned idx = (unsigned)PT_INDEX(page, 0);
	unsigned room = up ? PT_ENTRIES - 1 - idx : idx;
	uint64_t left = up ? (r->end - page) / PAGE_SIZE - 1 : (page - r->start) / PAGE_SIZE;

	if (room < n)
		n = room;
	if (left < n)
		n = (unsigned)left;
	if (n == 0)
		return;

	pte_t *pte = pt_walk(as->root, page, false);

	for (unsigned i = 1; i <= n && frames_free() > FAULT_AROUND_RESERVE; i++) {
		vaddr_t va = up ? page + i * PAGE_SIZE : page - i * PAGE_SIZE;
		pte_t *e = up ? pte + i : pte - i;
		paddr_t pa;

		if (*e)
			continue; /* a page there: never replaced */
		pa = private_page(r, va);
		if (!pa)
			break;
		*e = pa | region_pte(r);
		as->resident++;
		if (up)
			as->ahead_hi = va + PAGE_SIZE;
		else
			as->ahead_lo = va;
	}
}

/* Resolve a fault at va for access (one of VM_READ, VM_WRITE, VM_EXEC): map the page if the
 * region allows it. A fault on a page already mapped with the needed rights is FAULT_OK. */
enum fault_result vm_fault(struct as *as, vaddr_t va, unsigned access)
{
	if (va >= USER_END)
		return FAULT_NO_REGION;

	struct region *r = region_find(&as->regions, va);

	if (!r)
		r = grow_down(as, va);
	if (!r)
		return stack_overflow(as, va) ? FAULT_GUARD : FAULT_NO_REGION;
	if (!region_allows(r, access))
		return FAULT_DENIED;

	vaddr_t page = PAGE_DOWN(va);
	enum fault_result res = as_fault_in(as, r, page, access);

	if (res == FAULT_OK && access == VM_WRITE)
		fault_around(as, r, page);
	return res;
}

/* A few words for the kill diagnostic: "no region", "protection", "stack overflow, guard gap",
 * "out of memory", "beyond the shared object", "no huge page". */
const char *fault_reason(enum fault_result r)
{
	switch (r) {
	case FAULT_OK:
		return "ok";
	case FAULT_NO_REGION:
		return "no region";
	case FAULT_DENIED:
		return "protection";
	case FAULT_GUARD:
		return "stack overflow, guard gap";
	case FAULT_OOM:
		return "out of memory";
	case FAULT_SIGBUS:
		return "beyond the shared object";
	case FAULT_NOHUGE:
		return "no huge page";
	}
	return "unknown";
}

/* Kernel pointer to user byte va for access, faulting its page in as the CPU would; NULL with
 * *err set (-EFAULT, or -ENOMEM when no frame was left) when the user could not access it. */
static uint8_t *user_byte(struct as *as, vaddr_t va, unsigned access, int *err)
{
	vaddr_t page = PAGE_DOWN(va);
	pte_t *pte = pt_walk(as->root, page, false);

	/* A PTE never grants more than its region, so a PTE that allows the access settles it. */
	if (!pte || !pte_allows(*pte, access)) {
		enum fault_result fr = vm_fault(as, va, access);

		if (fr != FAULT_OK) {
			*err = fr == FAULT_OOM ? -ENOMEM : -EFAULT;
			return NULL;
		}
		pte = pt_walk(as->root, page, false);
		assert(pte && pte_allows(*pte, access));
	}
	if (access == VM_WRITE)
		*pte |=
		    PTE_D; /* the kernel writes through the direct map: dirty it as the CPU would */
	return (uint8_t *)phys_to_virt(*pte & PTE_ADDR) + (va - page);
}

/* True when [va, va + n) lies below USER_END (without wrapping). */
static bool user_range_ok(vaddr_t va, size_t n)
{
	return va < USER_END && n <= USER_END - va;
}

/* Copy n bytes between kernel memory k and user address va: to the kernel for VM_READ, to the
 * user for VM_WRITE, page by page through user_byte(). 0 or -errno. */
static int copy_user(struct as *as, vaddr_t va, uint8_t *k, size_t n, unsigned access)
{
	int err = -EFAULT;

	if (n && !user_range_ok(va, n))
		return -EFAULT;
	while (n > 0) {
		size_t chunk = PAGE_SIZE - (va & PAGE_MASK);
		uint8_t *u = user_byte(as, va, access, &err);

		if (!u)
			return err;
		chunk = chunk < n ? chunk : n;
		if (access == VM_WRITE)
			memcpy(u, k, chunk);
		else
			memcpy(k, u, chunk);
		k += chunk;
		va += chunk;
		n -= chunk;
	}
	return 0;
}

int as_copyin(struct as *as, void *dst, vaddr_t src, size_t n)
{
	return copy_user(as, src, dst, n, VM_READ);
}

int as_copyout(struct as *as, vaddr_t dst, const void *src, size_t n)
{
	return copy_user(as, dst, (uint8_t *)src, n, VM_WRITE); /* only read when writing out */
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

static void count_leaf(pte_t *pte, vaddr_t va, void *arg)
{
	(void)pte;
	(void)va;
	++*(size_t *)arg;
}

/* Pages of [r->start, r->end) mapped now. */
size_t as_region_resident(const struct as *as, const struct region *r)
{
	size_t n = 0;

	pt_range(as->root, r->start, r->end, count_leaf, &n);
	return n;
}
