/* Model-based random test: long random sequences of mmap, munmap, mprotect, madvise, mremap,
 * brk and user loads and stores, checked after every step against a page-granular model. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/uapi.h"

#define PG     PAGE_SIZE
#define NPAGES 64
#define WIN    0x10000000UL /* the window the model covers; nothing is mapped outside it */
#define WEND   (WIN + NPAGES * PG)

struct mpage {
	bool mapped, resident, shared;
	uint8_t prot; /* VM_* */
	uint8_t val;  /* the byte at probe(page) */
};

static struct mpage m[NPAGES];
static vaddr_t mbrk;
static struct as *as;

static size_t pidx(vaddr_t va)
{
	return (va - WIN) / PG;
}

static vaddr_t probe(size_t i)
{
	return WIN + i * PG + 0x5a3; /* one offset for all: pages move with mremap */
}

static void model_unmap(size_t from, size_t to)
{
	for (size_t i = from; i < to && i < NPAGES; i++)
		memset(&m[i], 0, sizeof(m[i]));
}

static size_t rnd(size_t n)
{
	return (size_t)rand() % n;
}

/* The region holding page i, which the model says is mapped: its pages are alike. */
static void check_region(int step, size_t i, const struct region *r)
{
	cr_assert(r->start >= WIN && r->end <= WEND, "step %d: region leaves the window", step);
	cr_assert_eq(r->prot, m[i].prot, "step %d page %zu prot", step, i);
	cr_assert_eq(!!(r->flags & REGION_SHARED), m[i].shared, "step %d page %zu shared", step, i);
	cr_assert(!(r->flags & REGION_SHARED) || (r->obj && !r->anon), "step %d: shared ids", step);
	cr_assert(r->kind == RK_MMAP || r->kind == RK_HEAP, "step %d page %zu kind", step, i);
}

/* A present page's PTE: user rights as the region's, writable only once private memory has an
 * anon identity (its first write faulted; pages mapped before may still fault once more). */
static void check_pte(int step, size_t i, const struct region *r, pte_t pte)
{
	bool any = m[i].prot != 0, w = (m[i].prot & VM_WRITE) && (m[i].shared || r->anon);

	cr_assert_eq(!!(pte & PTE_U), any, "step %d page %zu U", step, i);
	cr_assert(!(pte & PTE_W) || w, "step %d page %zu W", step, i);
	if (m[i].shared)
		cr_assert_eq(!!(pte & PTE_W), w, "step %d page %zu shared W", step, i);
	cr_assert_eq(!(pte & PTE_NX), !!(m[i].prot & VM_EXEC), "step %d page %zu X", step, i);
}

static void check_all(int step)
{
	size_t resident = 0;

	for (size_t i = 0; i < NPAGES; i++) {
		vaddr_t va = WIN + i * PG;
		const struct region *r = region_find(&as->regions, va);
		pte_t pte = host_pte(as, va);

		cr_assert_eq(r != NULL, m[i].mapped, "step %d page %zu mapped", step, i);
		if (m[i].mapped)
			check_region(step, i, r);
		cr_assert_eq(!!(pte & PTE_P), m[i].resident, "step %d page %zu resident", step, i);
		if (!m[i].resident)
			continue;
		resident++;
		cr_assert_eq(host_peek(as, probe(i)), m[i].val, "step %d page %zu value", step, i);
		check_pte(step, i, r, pte);
	}
	cr_assert_eq(frames_in_state(FRAME_USER), resident, "step %d frames", step);
	cr_assert_eq(as->resident, resident);
	cr_assert_eq(as->brk, mbrk);
}

static const int prots[] = {PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC};

static void op_mmap(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(8);
	int prot = prots[rnd(4)];
	bool shared = rnd(4) == 0, fixed = rnd(2), populate = rnd(4) == 0;
	int flags =
	    MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE) | (populate ? MAP_POPULATE : 0);

	if (i + n > NPAGES)
		n = NPAGES - i;
	vaddr_t va = WIN + i * PG;
	long got = as_mmap(as, va, n * PG, prot, flags | (fixed ? MAP_FIXED : 0), -1, 0);
	bool free_range = true;

	for (size_t k = i; k < i + n; k++)
		free_range &= !m[k].mapped;
	if (!fixed && !free_range) {
		/* The hint is taken: Linux searches top-down from the mmap base. */
		cr_assert_eq(got, (long)(MMAP_TOP - n * PG));
		cr_assert_eq(as_munmap(as, (vaddr_t)got, n * PG), 0);
		return;
	}
	cr_assert_eq(got, (long)va);
	for (size_t k = i; k < i + n; k++) {
		m[k] = (struct mpage){.mapped = true,
		                      .shared = shared,
		                      .prot = (uint8_t)prot,
		                      .resident = populate && prot != PROT_NONE};
	}
}

static void op_munmap(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(10);

	if (i + n > NPAGES)
		n = NPAGES - i;
	cr_assert_eq(as_munmap(as, WIN + i * PG, n * PG), 0);
	model_unmap(i, i + n);
}

static void op_mprotect(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(10);
	int prot = prots[rnd(4)];
	long want = 0;

	if (i + n > NPAGES)
		n = NPAGES - i;
	long got = as_mprotect(as, WIN + i * PG, n * PG, prot);

	/* Linux changes pages up to the first hole and then reports it. */
	for (size_t k = i; k < i + n; k++) {
		if (!m[k].mapped) {
			want = -ENOMEM;
			break;
		}
		m[k].prot = (uint8_t)prot;
	}
	cr_assert_eq(got, want);
}

static void op_madvise(void)
{
	size_t i = rnd(NPAGES), n = 1 + rnd(10);
	int advice = rnd(2) ? MADV_DONTNEED : MADV_FREE;
	long want = 0;

	if (i + n > NPAGES)
		n = NPAGES - i;
	long got = as_madvise(as, WIN + i * PG, n * PG, advice);

	for (size_t k = i; k < i + n; k++) {
		if (!m[k].mapped) {
			want = -ENOMEM;
			continue;
		}
		if (m[k].shared) {
			if (advice == MADV_FREE) {
				want = -EINVAL; /* stops at the first shared region */
				break;
			}
			continue; /* shared memory keeps its pages */
		}
		m[k].resident = false;
		m[k].val = 0;
	}
	cr_assert_eq(got, want);
}

static void op_touch(void)
{
	size_t i = rnd(NPAGES);
	bool write = rnd(2);
	uint8_t v = (uint8_t)(1 + rnd(255));
	enum fault_result want = FAULT_OK;

	if (!m[i].mapped)
		want = FAULT_NO_REGION;
	else if (!m[i].prot || (write && !(m[i].prot & VM_WRITE)))
		want = FAULT_DENIED;
	if (write) {
		cr_assert_eq(host_poke(as, probe(i), v), want);
		if (want == FAULT_OK) {
			m[i].val = v;
			m[i].resident = true;
		}
		return;
	}
	int got = host_load(as, probe(i));

	if (want != FAULT_OK) {
		cr_assert_eq(got, -1 - (int)want);
		return;
	}
	cr_assert_eq(got, m[i].val);
	m[i].resident = true;
}

static void op_brk(void)
{
	vaddr_t nb = WIN + rnd(NPAGES * PG / 2);
	vaddr_t got = as_brk(as, nb);
	size_t oldp = pidx(PAGE_UP(mbrk)), newp = pidx(PAGE_UP(nb));

	if (newp == oldp) {
		mbrk = nb;
	} else if (nb < mbrk) {
		bool any = false;

		for (size_t k = newp; k < oldp; k++)
			any |= m[k].mapped;
		if (any) { /* Linux refuses to shrink the break over nothing */
			model_unmap(newp, oldp);
			mbrk = nb;
		}
	} else {
		bool ok = true;

		for (size_t k = oldp; k < newp + 1 && k < NPAGES; k++)
			ok &= !m[k].mapped; /* Linux keeps a free page above the break */
		if (ok) {
			for (size_t k = oldp; k < newp; k++)
				m[k] = (struct mpage){.mapped = true, .prot = VM_READ | VM_WRITE};
			mbrk = nb;
		}
	}
	cr_assert_eq(got, mbrk);
}

/* Move the model's pages [from, from + n) to [to, to + n) (to may lie outside: then drop). */
static void model_move(size_t from, size_t to, size_t oldn, size_t newn)
{
	struct mpage tmp[NPAGES], attrs = m[from];

	memcpy(tmp, &m[from], oldn * sizeof(tmp[0]));
	model_unmap(from, from + oldn);
	for (size_t k = 0; k < newn; k++) {
		if (k < oldn) {
			m[to + k] = tmp[k];
		} else {
			m[to + k] = attrs;
			m[to + k].resident = false;
			m[to + k].val = 0;
		}
	}
}

/* MREMAP_FIXED with equal lengths: every mapped page of the range moves, holes stay. */
static void model_move_each(size_t from, size_t to, size_t n)
{
	struct mpage tmp[NPAGES];

	memcpy(tmp, &m[from], n * sizeof(tmp[0]));
	for (size_t k = 0; k < n; k++) {
		if (tmp[k].mapped) {
			m[to + k] = tmp[k];
			memset(&m[from + k], 0, sizeof(m[0]));
		}
	}
}

/* The end (page index) of the region holding page i, which is mapped. */
static size_t region_end_page(size_t i)
{
	const struct region *r = region_find(&as->regions, WIN + i * PG);

	return pidx(r->end);
}

/* MREMAP_FIXED of [i, i + oldn) to t, where the region holding page i ends at page e. */
static void op_mremap_fixed(size_t i, size_t oldn, size_t newn, size_t t, size_t e, long got)
{
	if (i < t + newn && t < i + oldn) {
		cr_assert_eq(got, -EINVAL);
		return;
	}
	if (!m[i].mapped) {
		cr_assert_eq(got, -EFAULT);
		return;
	}
	if (oldn == newn) {
		cr_assert_eq(got, (long)(WIN + t * PG));
		model_move_each(i, t, oldn);
		return;
	}
	if ((oldn < newn ? oldn : newn) > e - i) {
		cr_assert_eq(got, -EFAULT); /* the range kept must lie in one region */
		return;
	}
	cr_assert_eq(got, (long)(WIN + t * PG));
	model_unmap(t, t + newn);
	if (oldn > newn) {
		model_unmap(i + newn, i + oldn);
		oldn = newn;
	}
	model_move(i, t, oldn, newn);
}

static void op_mremap(void)
{
	size_t i = rnd(NPAGES), oldn = 1 + rnd(4), newn = 1 + rnd(6);
	int kind = (int)rnd(3);
	int flags = kind == 0 ? 0 : kind == 1 ? MREMAP_MAYMOVE : MREMAP_MAYMOVE | MREMAP_FIXED;
	size_t t = rnd(NPAGES);

	if (i + oldn > NPAGES || i + newn > NPAGES || t + newn > NPAGES)
		return;
	size_t e = m[i].mapped ? region_end_page(i) : i;
	vaddr_t old = WIN + i * PG;
	long got = as_mremap(as, old, oldn * PG, newn * PG, flags, WIN + t * PG);

	if (flags & MREMAP_FIXED) {
		op_mremap_fixed(i, oldn, newn, t, e, got);
		return;
	}
	if (!m[i].mapped) {
		cr_assert_eq(got, -EFAULT);
		return;
	}
	if (newn <= oldn) {
		cr_assert_eq(got, (long)old);
		model_unmap(i + newn, i + oldn);
		return;
	}
	if (oldn > e - i) {
		cr_assert_eq(got, -EFAULT);
		return;
	}
	bool room = i + oldn == e;

	for (size_t k = e; room && k < i + newn; k++)
		room = !m[k].mapped;
	if (room) {
		cr_assert_eq(got, (long)old);
		for (size_t k = e; k < i + newn; k++) {
			m[k] = m[i];
			m[k].resident = false;
			m[k].val = 0;
		}
		return;
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		cr_assert_eq(got, -ENOMEM);
		return;
	}
	/* Moved out of the window, top-down: check the pages went along, then drop them. */
	cr_assert_eq(got, (long)(MMAP_TOP - newn * PG));
	for (size_t k = 0; k < oldn; k++) {
		vaddr_t nva = (vaddr_t)got + k * PG + (probe(i + k) & PAGE_MASK);

		cr_assert_eq(host_peek(as, nva), m[i + k].resident ? m[i + k].val : -1);
	}
	cr_assert_eq(as_munmap(as, (vaddr_t)got, newn * PG), 0);
	model_unmap(i, i + oldn);
}

static void run_model(unsigned seed, int steps)
{
	srand(seed);
	memset(m, 0, sizeof(m));
	as = host_as();
	as_init_brk(as, WIN);
	mbrk = WIN;
	for (int step = 0; step < steps; step++) {
		switch (rnd(9)) {
		case 0:
			op_mmap();
			break;
		case 1:
			op_munmap();
			break;
		case 2:
			op_mprotect();
			break;
		case 3:
			op_madvise();
			break;
		case 4:
			op_mremap();
			break;
		case 5:
			op_brk();
			break;
		default:
			op_touch();
			break;
		}
		check_all(step);
	}
	host_as_done(as);
}

TestSuite(model, .init = host_setup, .fini = host_teardown);

Test(model, seed_1)
{
	run_model(1, 20000);
}

Test(model, seed_2)
{
	run_model(2, 20000);
}

Test(model, seed_3)
{
	run_model(3, 20000);
}

Test(model, seed_4)
{
	run_model(4, 20000);
}
