/* mm_random: the randomized differential tester of the memory calls: per seed, thousands of calls
 * and accesses in zones it owns, printed without addresses. Run by tests/system/mm-random.sh. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"
#include "include/linux_mm.h"

#define PG          4096UL
#define ARENA_BASE  0x600001000UL /* far from everything; 511 pages never cover a 2 MiB block */
#define ARENA_PAGES 511
#define HEAP_PAGES  128 /* the zone above the initial break */
#define BRK_MAX     96  /* brk moves within the first BRK_MAX pages of the heap zone */
#define GUARD_GAP   256 /* Linux's stack_guard_gap, in pages */
#define KERNEL_HALF 0xffff800000000000UL
#define TASK_TOP    0x7ffffffff000UL

#define MLOCK_ONFAULT_ 1

/* What the program knows of one page of a zone. */
struct page {
	uint8_t mapped;
	uint8_t prot;      /* PROT_READ | PROT_WRITE | PROT_EXEC */
	uint8_t shared;    /* MAP_SHARED */
	uint8_t grows;     /* MAP_GROWSDOWN */
	uint8_t unknown;   /* contents not determined: 1 after MADV_FREE, 2 droppable (for good) */
	uint8_t noaccess;  /* never touch: past the end of its shmem object (SIGBUS) */
	uint8_t uncertain; /* prot is the intersection of two outcomes Linux could have had */
	uint32_t idx, osize; /* shared: page index in its object, and the object's size */
	/* What may be so, kept on the safe side: the page may be locked (MADV_DONTNEED may have
	 * been refused from it on). */
	uint8_t locked;
};

struct zone {
	char tag;       /* 'a' arena, 'h' heap */
	uintptr_t base; /* page aligned */
	int n;          /* pages */
	struct page *pg;
};

static struct page arena_pages[ARENA_PAGES], heap_pages[HEAP_PAGES];
static struct zone arena = {'a', ARENA_BASE, ARENA_PAGES, arena_pages};
static struct zone heap = {'h', 0, HEAP_PAGES, heap_pages};
static uintptr_t brk0, brk_cur;
static uint64_t rng, seed_sum;
static long opno;
static char outbuf[1 << 16];

/* ---- small helpers ----------------------------------------------------------------------- */

/* The next number of the seed's stream (splitmix64). */
static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static long rnd(long n)
{
	return n > 0 ? (long)(next() % (uint64_t)n) : 0;
}

/* True with probability pct percent. */
static int chance(int pct)
{
	return rnd(100) < pct;
}

/* A system call's result as the kernel gave it: a value, or -errno. */
static long sys(long nr, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(nr, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}

/* Print "OPNO " and then the rest of a line. */
static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
	va_list ap;

	printf("%ld ", opno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A result that is 0 or -errno, as text. */
static const char *res(long r)
{
	static char buf[24];

	if (r < 0)
		return ename(-r);
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

/* Where address a lies, as text: "a+P" or "h+P" (+0xOFF when unaligned), or "out". */
static const char *where(uintptr_t a)
{
	static char buf[8][32];
	static int k;
	const struct zone *zs[2] = {&arena, &heap};
	char *b = buf[k++ & 7];

	for (int i = 0; i < 2; i++) {
		const struct zone *z = zs[i];

		if (a >= z->base && a < z->base + (uintptr_t)z->n * PG) {
			uintptr_t o = a - z->base;

			if (o % PG)
				snprintf(b, 32, "%c+%lu+%#lx", z->tag, o / PG, o % PG);
			else
				snprintf(b, 32, "%c+%lu", z->tag, o / PG);
			return b;
		}
	}
	return "out";
}

/* An mmap-like result as text: the zone place, "elsewhere", or the errno. */
static const char *mres(long r)
{
	if (r < 0 && r > -4096)
		return ename(-r);
	return strcmp(where((uintptr_t)r), "out") ? where((uintptr_t)r) : "elsewhere";
}

/* Fold n bytes at p into a 32-bit hash (and into the seed's sum), eight bytes at a time where
 * it can: byte loops are slow under QEMU's TCG. */
static uint32_t hash(const volatile uint8_t *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i = 0;

	for (; i < n && ((uintptr_t)(p + i) & 7); i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	for (; i + 8 <= n; i += 8)
		h = (h ^ *(const volatile uint64_t *)(p + i)) * 1099511628211ULL;
	for (; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	seed_sum = seed_sum * 31 + h;
	return (uint32_t)(h ^ (h >> 32));
}

static const char *protname(long prot)
{
	static char buf[4][16];
	static int k;
	char *b = buf[k++ & 3];

	snprintf(b, 16, "%c%c%c%s", prot & PROT_READ ? 'r' : '-', prot & PROT_WRITE ? 'w' : '-',
	         prot & PROT_EXEC ? 'x' : '-', prot & ~7L ? "+" : "");
	if (prot & ~7L)
		snprintf(b + 4, 12, "%#lx", prot & ~7L);
	return b;
}

/* ---- the model --------------------------------------------------------------------------- */

static uintptr_t zaddr(const struct zone *z, long p)
{
	return z->base + (uintptr_t)p * PG;
}

static int readable(const struct page *g)
{
	return g->mapped && !g->noaccess && (g->prot & (PROT_READ | PROT_WRITE));
}

static int writable(const struct page *g)
{
	return g->mapped && !g->noaccess && (g->prot & PROT_WRITE);
}

/* Pages [p, p + n) of z (clipped to it) may be locked (lock 1) or are not (0). */
static void model_lock(struct zone *z, long p, long n, int lock)
{
	for (long i = p; i < p + n && i < z->n; i++)
		if (z->pg[i].mapped)
			z->pg[i].locked = (uint8_t)lock;
}

/* Pages [p, p + n) of z become a fresh mapping (zero-filled; droppable pages stay unknown). */
static void model_map(struct zone *z, long p, long n, int prot, int shared, int grows, int drop)
{
	for (long i = p; i < p + n; i++)
		z->pg[i] = (struct page){1,
		                         (uint8_t)(prot & 7),
		                         (uint8_t)shared,
		                         (uint8_t)grows,
		                         (uint8_t)(drop ? 2 : 0),
		                         0,
		                         0,
		                         (uint32_t)(i - p),
		                         (uint32_t)n,
		                         0};
}

static void model_hole(struct zone *z, long p, long n)
{
	memset(&z->pg[p], 0, (size_t)n * sizeof(z->pg[0]));
}

/* The page k pages above page g of a mapping grown from it: zero for private memory, the next
 * pages of the object for shared memory, and past the object's end SIGBUS. */
static struct page grown(const struct page *g, long k)
{
	struct page t = *g;

	t.unknown = g->unknown == 2 ? 2 : 0;
	t.idx = g->idx + (uint32_t)k;
	t.noaccess = g->shared && t.idx >= g->osize;
	return t;
}

/* Pages after their source moved away but stayed mapped (MREMAP_DONTUNMAP): private ones read
 * zero, shared ones map the same object pages still; none is locked any more. */
static struct page left_behind(const struct page *g)
{
	struct page t = g->shared ? *g : grown(g, 0);

	t.locked = 0;
	return t;
}

/* A random zone: the arena mostly. */
static struct zone *zpick(void)
{
	return chance(85) ? &arena : &heap;
}

/* A random page of z, mapped most of the time when z has mapped pages. */
static long rpage(const struct zone *z)
{
	long p = rnd(z->n);

	for (int tries = 0; tries < 8 && chance(85) && !z->pg[p].mapped; tries++)
		p = rnd(z->n);
	return p;
}

/* A random number of pages: mostly a few. */
static long rpages(void)
{
	int r = (int)rnd(100);

	if (r < 50)
		return 1 + rnd(4);
	if (r < 85)
		return 1 + rnd(16);
	return 1 + rnd(64);
}

/* A byte length that rounds up to n pages (sometimes unaligned). */
static long rlen(long n)
{
	return chance(25) ? n * (long)PG - rnd(PG) : n * (long)PG;
}

static int rprot(void)
{
	static const int p[] = {PROT_READ | PROT_WRITE,
	                        PROT_READ | PROT_WRITE,
	                        PROT_READ | PROT_WRITE,
	                        PROT_READ,
	                        PROT_READ,
	                        PROT_NONE,
	                        PROT_NONE,
	                        PROT_WRITE,
	                        PROT_READ | PROT_EXEC,
	                        PROT_EXEC,
	                        7,
	                        PROT_WRITE | PROT_EXEC};

	return p[rnd(sizeof(p) / sizeof(p[0]))];
}

/* ---- memory accesses ---------------------------------------------------------------------- */

/* A run of up to max pages from a random start whose every page satisfies ok, or 0. */
static long pick_run(const struct zone *z, int (*ok)(const struct page *), long max, long *start)
{
	for (int tries = 0; tries < 8; tries++) {
		long p = rnd(z->n), n = 0;

		while (n < max && p + n < z->n && ok(&z->pg[p + n]))
			n++;
		if (n) {
			*start = p;
			return n;
		}
	}
	return 0;
}

static int known(const struct page *g)
{
	return readable(g) && !g->unknown;
}

/* Store random bytes somewhere in writable pages. */
static void op_write(void)
{
	struct zone *z = zpick();
	long p, n = pick_run(z, writable, 1 + rnd(4), &p);

	if (!n)
		return;
	long off = rnd(n * (long)PG), len = 1 + (chance(70) ? rnd(64) : rnd(2 * PG));

	if (off + len > n * (long)PG)
		len = n * (long)PG - off;
	volatile uint8_t *m = (uint8_t *)zaddr(z, p) + off;
	uint64_t word = 0;

	for (long i = 0; i < len; i++) {
		if (!(i & 7))
			word = next();
		m[i] = (uint8_t)(word >> (8 * (i & 7)));
	}
	for (long i = p; i < p + n; i++)
		if (z->pg[i].unknown == 1 && off <= (i - p) * (long)PG &&
		    off + len >= (i - p + 1) * (long)PG)
			z->pg[i].unknown = 0;
	line("w %s %ld", where(zaddr(z, p) + (uintptr_t)off), len);
}

/* Fill whole writable pages with one byte each (contents become known again). */
static void op_fill(void)
{
	struct zone *z = zpick();
	long p, n = pick_run(z, writable, 1 + rnd(4), &p);

	if (!n)
		return;
	for (long i = p; i < p + n; i++) {
		memset((void *)zaddr(z, i), (int)(next() & 0xff), PG);
		if (z->pg[i].unknown == 1)
			z->pg[i].unknown = 0;
	}
	line("fill %s %ld", where(zaddr(z, p)), n);
}

/* Load bytes from readable pages of known contents and print their hash. */
static void op_read(void)
{
	struct zone *z = zpick();
	long p, n = pick_run(z, known, 1 + rnd(4), &p);

	if (!n)
		return;
	long off = rnd(n * (long)PG), len = 1 + (chance(50) ? rnd(256) : rnd(n * (long)PG));

	if (off + len > n * (long)PG)
		len = n * (long)PG - off;
	uint32_t h = hash((const uint8_t *)zaddr(z, p) + off, (size_t)len);

	line("r %s %ld -> %08x", where(zaddr(z, p) + (uintptr_t)off), len, h);
}

/* Touch the hole just below a MAP_GROWSDOWN mapping where Linux grows it (never where it would
 * not: that is a SIGSEGV). */
static void op_grow(void)
{
	struct zone *z = zpick();
	long s = -1;

	for (int tries = 0; tries < 16 && s < 0; tries++) {
		long c = rnd(z->n);
		const struct page *g = &z->pg[c];

		if (c > 0 && g->mapped && g->grows && !g->uncertain && !z->pg[c - 1].mapped &&
		    (g->prot & (PROT_READ | PROT_WRITE)))
			s = c;
	}
	if (s < 0 && chance(25)) {
		/* none yet: make one */
		long p = 1 + rnd(z->n - 5), n = 1 + rnd(4);
		int prot = chance(70) ? PROT_READ | PROT_WRITE : PROT_READ;
		long r = sys(SYS_mmap, (long)zaddr(z, p), n * (long)PG, prot,
		             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);

		line("mmapgd %s %ld %s -> %s", where(zaddr(z, p)), n, protname(prot), mres(r));
		if (r >= 0)
			model_map(z, p, n, prot, 0, 1, 0);
		return;
	}
	if (s < 0)
		return;
	long t = s - 1 - rnd(8);

	if (t < 0)
		t = 0;
	for (long i = t; i < s; i++)
		if (z->pg[i].mapped)
			return;
	long prev = t - 1;

	while (prev >= 0 && !z->pg[prev].mapped)
		prev--;
	if (prev < 0 && z == &heap)
		return; /* what lies below the heap zone differs between runs of Linux */
	if (prev >= 0) {
		const struct page *q = &z->pg[prev];

		if (q->uncertain)
			return;
		if (!q->grows && q->prot && t - (prev + 1) < GUARD_GAP)
			return;
	}
	volatile uint8_t *m = (uint8_t *)zaddr(z, t) + rnd(PG);
	struct page g = grown(&z->pg[s], 0);
	uint8_t v = 0;

	if (g.prot & PROT_WRITE)
		*m = (uint8_t)next();
	else
		v = *m;
	for (long i = t; i < s; i++)
		z->pg[i] = g;
	line("grow %s -> %02x", where(zaddr(z, t)), v);
}

/* write(2) from a buffer in a zone: all readable, or beginning on a page no access reaches. */
static void op_sysbuf(void)
{
	struct zone *z = zpick();
	long p, n;
	uintptr_t buf;
	long len;

	if (chance(70)) {
		n = pick_run(z, readable, 1 + rnd(3), &p);
		if (!n)
			return;
		long off = rnd(n * (long)PG);

		len = 1 + rnd(n * (long)PG - off);
		buf = zaddr(z, p) + (uintptr_t)off;
	} else if (chance(20)) {
		buf = chance(50) ? KERNEL_HALF : 16;
		len = 1 + rnd(64);
	} else {
		p = rnd(z->n);
		const struct page *g = &z->pg[p];

		if (g->mapped && g->prot != PROT_NONE && !g->noaccess)
			return; /* only pages the kernel must refuse: EFAULT */
		if (!g->mapped) {
			/* a hole below a grows-down mapping would grow it */
			long up = p;

			while (up < z->n && !z->pg[up].mapped)
				up++;
			if (up == z->n || z->pg[up].grows)
				return;
		}
		buf = zaddr(z, p) + (uintptr_t)rnd(PG);
		len = 1 + rnd(64);
	}
	long r = sys(SYS_write, 2, (long)buf, len, 0, 0, 0);

	line("write %s %ld -> %s",
	     buf == KERNEL_HALF ? "kernel"
	     : buf == 16        ? "null"
	                        : where(buf),
	     len, res(r));
}

/* Use a mapping the kernel placed (outside the zones), then unmap it. */
static void transient(uintptr_t t, long n, int prot, int shared, int drop)
{
	volatile uint8_t *m = (uint8_t *)t;
	long touch = n < 64 ? n : 2;

	if (prot & PROT_WRITE)
		for (int i = 0; i < 8; i++)
			m[rnd(touch * (long)PG)] = (uint8_t)next();
	if ((prot & (PROT_READ | PROT_WRITE)) && !drop)
		line("  sum %08x", hash(m, (size_t)touch * PG));
	if (chance(30)) {
		long m2 = shared ? 1 + rnd(n) : 1 + rnd(2 * n);
		long r =
		    sys(SYS_mremap, (long)t, n * (long)PG, m2 * (long)PG, MREMAP_MAYMOVE, 0, 0);

		line("  mremap %ld -> %s", m2, r < 0 ? ename(-r) : "ok");
		if (r >= 0) {
			t = (uintptr_t)r;
			if ((prot & (PROT_READ | PROT_WRITE)) && n < 64 && !drop)
				line("  sum %08x",
				     hash((uint8_t *)t, (size_t)(n < m2 ? n : m2) * PG));
			n = m2;
		}
	}
	if (chance(20)) {
		int p2 = rprot();

		line("  mprotect %s -> %s", protname(p2),
		     res(sys(SYS_mprotect, (long)t, n * (long)PG, p2, 0, 0, 0)));
	}
	line("  munmap -> %s", res(sys(SYS_munmap, (long)t, n * (long)PG, 0, 0, 0, 0)));
}

/* ---- mmap -------------------------------------------------------------------------------- */

/* Random flags for mmap besides MAP_FIXED*: a type and some extras. */
static long rflags(int allow_grows)
{
	long f = MAP_ANONYMOUS;
	int t = (int)rnd(100);

	if (t < 68)
		f |= MAP_PRIVATE;
	else if (t < 90)
		f |= MAP_SHARED;
	else if (t < 94)
		f |= MAP_DROPPABLE;
	else
		f |= (long[]){0, MAP_SHARED_VALIDATE, 0x0f, 0x04, 0x0c}[rnd(5)];
	if (chance(10))
		f |= MAP_NORESERVE;
	if (chance(8))
		f |= MAP_POPULATE;
	if (chance(5))
		f |= MAP_STACK;
	if (allow_grows && chance(8))
		f |= MAP_GROWSDOWN;
	if (chance(3))
		f |= MAP_NONBLOCK;
	if (chance(2))
		f |= MAP_DENYWRITE | MAP_EXECUTABLE;
	if (chance(2))
		f |= MAP_HUGETLB;
	if (chance(2))
		f |= MAP_SYNC;
	if (chance(2))
		f |= 0x200000 | 0x400; /* bits Linux ignores */
	if (chance(1))
		f &= ~MAP_ANONYMOUS; /* a file mapping with fd -1 */
	return f;
}

/* The prot argument of mmap: rights, rarely with bits mmap ignores. */
static long rprot_mmap(void)
{
	long p = rprot();

	if (chance(3))
		p |= (long[]){0x8, 0x10, PROT_GROWSDOWN, PROT_GROWSUP}[rnd(4)];
	return p;
}

static int type_of(long f)
{
	return (int)(f & 0x0f);
}

/* mmap with MAP_FIXED or MAP_FIXED_NOREPLACE inside a zone. */
static void op_mmap_fixed(int noreplace)
{
	struct zone *z = zpick();
	long p = rnd(z->n), n = rpages();

	if (p + n > z->n)
		n = z->n - p;
	long len = chance(2) ? 0 : rlen(n), prot = rprot_mmap(), flags = rflags(1);

	if (chance(4))
		flags |= MAP_LOCKED; /* only here: a zone is small, never a huge map */
	long off = chance(3) ? (long)rnd(PG) : chance(3) ? -(long)PG : 0;
	uintptr_t a = zaddr(z, p) + (chance(2) ? (uintptr_t)(1 + rnd(PG - 1)) : 0);

	if (z == &heap)
		flags &= ~MAP_HUGETLB; /* Linux unmaps a 2 MiB aligned range before failing */
	flags |= noreplace ? MAP_FIXED_NOREPLACE : MAP_FIXED;
	if (noreplace && chance(20))
		flags |= MAP_FIXED;
	long r = sys(SYS_mmap, (long)a, len, prot, flags, -1, off);

	line("mmap%s %s %ld %s %#lx %ld -> %s", noreplace ? "nr" : "", where(a), len,
	     protname(prot), flags, off, mres(r));
	if (r < 0 && r > -4096)
		return;
	if ((uintptr_t)r != a) {
		line("BAD address");
		exit(3);
	}
	model_map(z, p, n, (int)prot, type_of(flags) == MAP_SHARED, !!(flags & MAP_GROWSDOWN),
	          type_of(flags) == MAP_DROPPABLE);
	if (flags & MAP_LOCKED)
		model_lock(z, p, n, 1);
}

/* mmap with a hint inside a zone: honoured when free, else the kernel's choice elsewhere. */
static void op_mmap_hint(void)
{
	struct zone *z = zpick();
	long p = rnd(z->n), n = rpages();

	if (p + n > z->n)
		n = z->n - p;
	long prot = rprot(), flags = rflags(0) | MAP_ANONYMOUS;

	if (type_of(flags) != MAP_SHARED && type_of(flags) != MAP_DROPPABLE)
		flags = (flags & ~0x0fL) | MAP_PRIVATE;
	uintptr_t a = zaddr(z, p) + (chance(20) ? (uintptr_t)rnd(PG) : 0);
	long r = sys(SYS_mmap, (long)a, rlen(n), prot, flags & ~MAP_HUGETLB, -1, 0);

	line("mmaph %s %ld %s %#lx -> %s", where(a), n, protname(prot), flags & ~MAP_HUGETLB,
	     mres(r));
	if (r < 0)
		return;
	if ((uintptr_t)r == zaddr(z, p)) {
		model_map(z, p, n, (int)prot, type_of(flags) == MAP_SHARED, 0,
		          type_of(flags) == MAP_DROPPABLE);
		return;
	}
	transient((uintptr_t)r, n, (int)prot, type_of(flags) == MAP_SHARED,
	          type_of(flags) == MAP_DROPPABLE);
}

/* mmap with no address: the kernel's choice, used and unmapped. */
static void op_mmap_any(void)
{
	long n = chance(90) ? rpages() : chance(50) ? 1 + rnd(4096) : 1L << (18 + rnd(10));
	long prot = rprot(), flags = rflags(0) & ~(MAP_HUGETLB | MAP_GROWSDOWN);

	/* Above 64 pages a size is at most 16 MiB or at least 1 GiB: far on either side of what the
	 * overcommit heuristic grants with 512 MiB of RAM, so it may be charged. */
	if (n > 64)
		flags = (flags & ~MAP_POPULATE) | (chance(50) ? MAP_NORESERVE : 0);
	if (chance(5) && n > 200000) {
		/* Linux starts MAP_32BIT 0-32 MiB above 1 GiB at random, where its randomized break
		 * may also lie: only a size that cannot fit gives the same answer every time */
		flags |= MAP_32BIT;
		n = 300000;
	}
	long r = sys(SYS_mmap, 0, n * (long)PG, prot, flags, -1, 0);

	if (r < 0) {
		line("mmap0 %ld %s %#lx -> %s", n, protname(prot), flags, ename(-r));
		return;
	}
	int in32 = (uintptr_t)r >= 0x40000000UL && (uintptr_t)r + (uintptr_t)n * PG <= 0x80000000UL;

	line("mmap0 %ld %s %#lx -> ok%s%s%s", n, protname(prot), flags, r % PG ? " unaligned" : "",
	     strcmp(where((uintptr_t)r), "out") ? " IN-ZONE" : "",
	     (flags & MAP_32BIT) ? (in32 ? " in32" : " NOT-in32") : "");
	transient((uintptr_t)r, n, (int)prot, type_of(flags) == MAP_SHARED,
	          type_of(flags) == MAP_DROPPABLE);
}

/* One call on the hugetlb mapping [r, r + hlen) with offsets and lengths of whole and partial
 * huge pages; it never touches the memory (that would be SIGBUS) nor moves it. */
static void hugetlb_call(long r, long hlen)
{
	static const int advice[] = {
	    MADV_DONTNEED, MADV_FREE, MADV_REMOVE,   MADV_RANDOM,
	    MADV_DONTFORK, MADV_COLD, MADV_WILLNEED, 23 /* POPULATE_WRITE */};
	long off =
	    chance(50) ? rnd(hlen / (2L << 20)) * (2L << 20) : rnd(hlen / (long)PG) * (long)PG;
	/* never past its end: what lies above is the kernel's choice, not the same on both */
	long len = chance(50) && hlen - off > (2L << 20) ? (2L << 20) : 1 + rnd(hlen - off);
	long k = rnd(5), x, arg = 0;

	if (k == 0)
		x = sys(SYS_munmap, r + off, len, 0, 0, 0, 0);
	else if (k == 1)
		x = sys(SYS_mprotect, r + off, len, arg = rprot(), 0, 0, 0);
	else if (k == 2)
		x = sys(SYS_madvise, r + off, len, arg = advice[rnd(8)], 0, 0, 0);
	else if (k == 3)
		x = sys(SYS_mlock, r + off, len, 0, 0, 0, 0);
	else
		x = sys(SYS_mremap, r + off, len, 1 + rnd(hlen), 0, 0, 0);
	line("  huge call %ld +%#lx %#lx %ld -> %s", k, off, len, arg,
	     x == r + off ? "same" : res(x));
}

/* mmap of MAP_HUGETLB memory with no address (sometimes without MAP_NORESERVE, or a page size
 * the machine lacks): no huge page is free, so it is never touched; a few calls on it, then it
 * goes. Only its alignment is printed: the place is the kernel's. */
static void op_hugetlb(void)
{
	long sizes[] = {0, 21L << 26, 30L << 26, 22L << 26}, sz = sizes[rnd(4)];
	long flags = (chance(50) ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_HUGETLB |
	             (chance(90) ? MAP_NORESERVE : 0) | sz;
	long huge = sz == (30L << 26) ? 1L << 30 : 2L << 20, prot = rprot();
	long n = sz == (30L << 26) ? 1 + rnd(2) : 1 + rnd(3 * 512);
	long r = sys(SYS_mmap, 0, n * (long)PG, prot, flags, -1, 0);

	if (r < 0 && r > -4096) {
		line("mmaphuge %ld %s %#lx -> %s", n, protname(prot), flags, ename(-r));
		return;
	}
	long hlen = (n * (long)PG + huge - 1) & ~(huge - 1);

	line("mmaphuge %ld %s %#lx -> ok%s%s", n, protname(prot), flags,
	     r % huge ? " unaligned" : "", strcmp(where((uintptr_t)r), "out") ? " IN-ZONE" : "");
	for (int i = rnd(4); i > 0; i--)
		hugetlb_call(r, hlen);
	line("  huge munmap -> %s", res(sys(SYS_munmap, r, hlen, 0, 0, 0, 0)));
}

/* ---- munmap, mprotect, madvise ------------------------------------------------------------- */

/* A range inside a zone: page p, n pages, and the address and length to pass (sometimes
 * unaligned or empty). Returns true when the arguments are well formed (aligned address). */
static int rrange(struct zone **zp, long *p, long *n, uintptr_t *a, long *len)
{
	struct zone *z = *zp = zpick();

	*p = chance(50) ? rpage(z) : rnd(z->n);
	*n = rpages();
	if (*p + *n > z->n)
		*n = z->n - *p;
	*len = chance(3) ? 0 : rlen(*n);
	*a = zaddr(z, *p);
	if (chance(2)) {
		*a += (uintptr_t)(1 + rnd(PG - 1));
		return 0;
	}
	return 1;
}

static void op_munmap(void)
{
	struct zone *z;
	long p, n, len;
	uintptr_t a;
	int ok = rrange(&z, &p, &n, &a, &len);
	long r = sys(SYS_munmap, (long)a, len, 0, 0, 0, 0);

	line("munmap %s %ld -> %s", where(a), len, res(r));
	if (r == 0 && ok && len)
		model_hole(z, p, n);
}

/* The model's effect of a successful (or -ENOMEM) mprotect of pages from p up to p + n. */
static void model_protect(struct zone *z, long p, long n, int prot, int growsdown)
{
	long f = p;

	if (growsdown) {
		while (f < p + n && !z->pg[f].mapped)
			f++;
		if (f == p + n || !z->pg[f].grows)
			return;
		if (f == p) {
			/* Linux starts at the start of the mapping holding p: somewhere in the run
			 * of equal pages below; those pages may or may not change. */
			long s = p;
			const struct page *g = &z->pg[p];

			while (s > 0 && z->pg[s - 1].mapped && z->pg[s - 1].prot == g->prot &&
			       z->pg[s - 1].grows && z->pg[s - 1].shared == g->shared)
				s--;
			for (long i = s; i < p; i++) {
				z->pg[i].prot &= (uint8_t)prot;
				z->pg[i].uncertain = 1;
			}
		}
	} else if (!z->pg[p].mapped) {
		return;
	}
	for (long i = f; i < p + n && z->pg[i].mapped; i++) {
		z->pg[i].prot = (uint8_t)(prot & 7);
		z->pg[i].uncertain = 0;
	}
}

static void op_mprotect(void)
{
	struct zone *z;
	long p, n, len;
	uintptr_t a;
	int ok = rrange(&z, &p, &n, &a, &len);
	long prot = rprot();

	if (chance(8))
		prot |= (long[]){0x8,
		                 0x10,
		                 PROT_GROWSDOWN,
		                 PROT_GROWSDOWN,
		                 PROT_GROWSUP,
		                 PROT_GROWSDOWN | PROT_GROWSUP}[rnd(6)];
	long r = sys(SYS_mprotect, (long)a, len, prot, 0, 0, 0);

	line("mprotect %s %ld %s -> %s", where(a), len, protname(prot), res(r));
	if ((r == 0 || r == -ENOMEM) && ok && len)
		model_protect(z, p, n, (int)prot, !!(prot & PROT_GROWSDOWN));
}

static const int advices[] = {MADV_NORMAL,
                              MADV_RANDOM,
                              MADV_SEQUENTIAL,
                              MADV_WILLNEED,
                              MADV_DONTNEED,
                              MADV_DONTNEED,
                              MADV_DONTNEED,
                              MADV_FREE,
                              MADV_FREE,
                              MADV_REMOVE,
                              MADV_DONTFORK,
                              MADV_DOFORK,
                              MADV_MERGEABLE,
                              MADV_UNMERGEABLE,
                              MADV_HUGEPAGE,
                              MADV_NOHUGEPAGE,
                              MADV_DONTDUMP,
                              MADV_DODUMP,
                              MADV_WIPEONFORK,
                              MADV_KEEPONFORK,
                              MADV_COLD,
                              MADV_PAGEOUT,
                              MADV_POPULATE_READ,
                              MADV_POPULATE_WRITE,
                              MADV_DONTNEED_LOCKED,
                              MADV_COLLAPSE,
                              MADV_GUARD_INSTALL, /* Linux 6.13's: unknown to the oracle */
                              MADV_GUARD_REMOVE,
                              5,
                              26,
                              99,
                              -1};

/* The model's effect of madvise(advice) on pages [p, p + n) that returned r. */
static void model_advise(struct zone *z, long p, long n, int advice, long r)
{
	if (r != 0 && r != -ENOMEM && r != -EINVAL)
		return;
	for (long i = p; i < p + n; i++) {
		struct page *g = &z->pg[i];

		if (!g->mapped)
			continue;
		switch (advice) {
		case MADV_DONTNEED:
		case MADV_DONTNEED_LOCKED:
			if (advice == MADV_DONTNEED && g->locked)
				return; /* maybe -EINVAL: the rest keep theirs */
			if (!g->shared && g->unknown != 2)
				g->unknown = 0; /* reads zero from now on */
			break;
		case MADV_FREE:
			if (g->shared)
				return; /* -EINVAL here, after the pages before */
			if (!g->unknown)
				g->unknown = 1;
			break;
		case MADV_REMOVE:
			if (!g->shared)
				return;
			break;
		}
	}
}

/* DONTNEED and REMOVE make private (resp. shared) pages read zero: the model keeps no bytes,
 * so nothing more to do there. */
static void op_madvise(void)
{
	struct zone *z;
	long p, n, len;
	uintptr_t a;
	int ok = rrange(&z, &p, &n, &a, &len);
	int advice = advices[rnd(sizeof(advices) / sizeof(advices[0]))];

	long r = sys(SYS_madvise, (long)a, len, advice, 0, 0, 0);

	line("madvise %s %ld %d -> %s", where(a), len, advice, res(r));
	if (ok && len)
		model_advise(z, p, n, advice, r);
}

/* mlock, mlock2 (MLOCK_ONFAULT, or a bad flag) or munlock of a random range. An unaligned
 * address locks from its page, up to one page further. */
static void op_lock(void)
{
	struct zone *z;
	long p, n, len, r;
	uintptr_t a;
	int aligned = rrange(&z, &p, &n, &a, &len), k = (int)rnd(10);

	if (k < 4) {
		r = sys(SYS_mlock, (long)a, len, 0, 0, 0, 0);
		line("mlock %s %ld -> %s", where(a), len, res(r));
	} else if (k < 6) {
		int flags = chance(90) ? MLOCK_ONFAULT_ : 2;

		r = sys(SYS_mlock2, (long)a, len, flags, 0, 0, 0);
		line("mlock2 %s %ld %d -> %s", where(a), len, flags, res(r));
	} else {
		r = sys(SYS_munlock, (long)a, len, 0, 0, 0, 0);
		line("munlock %s %ld -> %s", where(a), len, res(r));
		if (r == 0 && aligned)
			model_lock(z, p, n, 0);
		return;
	}
	model_lock(z, p, n + !aligned, 1);
}

/* ---- mremap ------------------------------------------------------------------------------ */

/* Read what a moved mapping shows (its first pages as the model knows them) and unmap it. */
static void moved_away(uintptr_t t, const struct page *src, long n, long m)
{
	long k = n < m ? n : m;

	for (long i = 0; i < k && i < 8; i++)
		if (known(&src[i]))
			line("  sum %ld %08x", i, hash((uint8_t *)t + i * PG, PG));
	line("  munmap -> %s", res(sys(SYS_munmap, (long)t, m * (long)PG, 0, 0, 0, 0)));
}

/* mremap without MREMAP_FIXED: shrink, grow in place, or move (MREMAP_MAYMOVE) away. */
static void op_mremap(void)
{
	struct zone *z = zpick();
	long p = rpage(z), n = rpages(), m = rpages();

	if (p + n > z->n)
		n = z->n - p;
	if (p + m > z->n)
		m = z->n - p;
	long oldlen = rlen(n), newlen = rlen(m), flags = chance(40) ? MREMAP_MAYMOVE : 0;
	uintptr_t a = zaddr(z, p);

	if (chance(z->pg[p].shared ? 15 : 3))
		oldlen = 0; /* a second mapping of a shared object (private: EINVAL) */
	if (chance(2))
		newlen = 0;
	if (chance(2))
		a += 1 + (uintptr_t)rnd(PG - 1);
	if (chance(3))
		flags = (long[]){8, MREMAP_FIXED, MREMAP_DONTUNMAP, 16}[rnd(4)];
	long r = sys(SYS_mremap, (long)a, oldlen, newlen, flags, 0, 0);

	line("mremap %s %ld %ld %ld -> %s", where(a), oldlen, newlen, flags,
	     r == (long)a ? "same" : mres(r));
	if (r < 0 && r > -4096)
		return;
	if (r == (long)a) {
		if (m < n)
			model_hole(z, p + m, n - m);
		for (long i = p + n; i < p + m; i++)
			z->pg[i] = grown(&z->pg[p + n - 1], i - (p + n - 1));
		return;
	}
	struct page src[64];

	if (!oldlen) {
		/* the object's pages from page p's on, the source untouched */
		for (long i = 0; i < m; i++)
			src[i] = grown(&z->pg[p], i);
		moved_away((uintptr_t)r, src, m, m);
		return;
	}
	memcpy(src, &z->pg[p], (size_t)n * sizeof(src[0]));
	model_hole(z, p, n);
	moved_away((uintptr_t)r, src, n, m);
}

/* The model's side of an mremap to page q of z that failed: Linux 6.12 unmaps a fixed target,
 * then the tail a shrinking move cuts off, before it finds the kept range runs past its mapping
 * (-EFAULT); the errors before that (a hole at p, a bad or overlapping target, lengths
 * MREMAP_DONTUNMAP refuses) change nothing. */
static void failed_move(struct zone *z, long p, long n, long q, long m, int fixed, long r)
{
	if (r != -EFAULT || !z->pg[p].mapped)
		return;
	if (fixed)
		model_hole(z, q, m);
	if (n > m)
		model_hole(z, p + m, n - m);
}

/* mremap with MREMAP_FIXED (and sometimes MREMAP_DONTUNMAP) to another place of the zone, or
 * MREMAP_DONTUNMAP alone with a hint there. */
static void op_mremap_to(void)
{
	struct zone *z = zpick();
	long p = rpage(z), q = rnd(z->n), n = rpages(), m = chance(50) ? n : rpages();
	int dontunmap = chance(25), fixed = !dontunmap || chance(60);

	if (dontunmap)
		m = n;
	if (p + n > z->n)
		n = z->n - p;
	if (q + m > z->n)
		m = z->n - q;
	if (dontunmap && m != n)
		n = m = n < m ? n : m;
	long oldlen = rlen(n), newlen = m * (long)PG;
	long flags =
	    MREMAP_MAYMOVE | (fixed ? MREMAP_FIXED : 0) | (dontunmap ? MREMAP_DONTUNMAP : 0);
	uintptr_t b = zaddr(z, q);

	if (chance(3))
		b += 1 + (uintptr_t)rnd(PG - 1);
	long r = sys(SYS_mremap, (long)zaddr(z, p), oldlen, newlen, flags, (long)b, 0);

	line("mremapto %s %ld %s %ld %ld -> %s", where(zaddr(z, p)), oldlen, where(b), newlen,
	     flags, mres(r));
	if (r < 0 && r > -4096) {
		failed_move(z, p, n, q, m, fixed, r);
		return;
	}
	struct page src[64];

	memcpy(src, &z->pg[p], (size_t)n * sizeof(src[0]));
	if ((uintptr_t)r != b) {
		/* MREMAP_DONTUNMAP placed it elsewhere: the source stays, emptied */
		for (long i = p; i < p + n; i++)
			z->pg[i] = left_behind(&src[i - p]);
		moved_away((uintptr_t)r, src, n, m);
		return;
	}
	if (dontunmap) {
		/* one mapping moved (6.12), the source left behind */
		for (long i = 0; i < n; i++) {
			z->pg[q + i] = src[i];
			z->pg[p + i] = left_behind(&src[i]);
		}
		return;
	}
	model_hole(z, p, n);
	for (long i = 0; i < m; i++)
		z->pg[q + i] = i < n ? src[i] : grown(&src[n - 1], i - (n - 1));
}

/* ---- brk --------------------------------------------------------------------------------- */

static uintptr_t page_up(uintptr_t a)
{
	return (a + PG - 1) & ~(PG - 1);
}

static void op_brk(void)
{
	uintptr_t want;
	int r100 = (int)rnd(100);

	if (r100 < 5)
		want = 0;
	else if (r100 < 10)
		want = brk0 - (uintptr_t)rnd(4) * PG - 1;
	else
		want =
		    brk0 + (uintptr_t)rnd(BRK_MAX + 1) * PG + (chance(30) ? (uintptr_t)rnd(PG) : 0);
	uintptr_t got = (uintptr_t)syscall(SYS_brk, want);

	if (want)
		line("brk %s%#lx -> %s%#lx", want < brk0 ? "-" : "+",
		     want < brk0 ? brk0 - want : want - brk0, got < brk0 ? "-" : "+",
		     got < brk0 ? brk0 - got : got - brk0);
	else
		line("brk 0 -> %s%#lx", got < brk0 ? "-" : "+",
		     got < brk0 ? brk0 - got : got - brk0);
	if (got == want && want >= brk0) {
		long oldp = (long)((page_up(brk_cur) - brk0) / PG);
		long newp = (long)((page_up(want) - brk0) / PG);

		if (newp < oldp)
			model_hole(&heap, newp, oldp - newp);
		else if (newp > oldp)
			model_map(&heap, oldp, newp - oldp, PROT_READ | PROT_WRITE, 0, 0, 0);
		brk_cur = want;
	} else if (got != brk_cur) {
		line("BAD break");
		exit(3);
	}
}

/* ---- argument errors that hold whatever the state --------------------------------------- */

static void op_errors(void)
{
	const long rw = PROT_READ | PROT_WRITE, pa = MAP_PRIVATE | MAP_ANONYMOUS;
	const long a = (long)ARENA_BASE;
	long r;

	switch (rnd(24)) {
	case 0:
		r = sys(SYS_mmap, 0, 0, rw, pa, -1, 0);
		break;
	case 1:
		r = sys(SYS_mmap, 0, PG, rw, MAP_ANONYMOUS, -1, 0);
		break;
	case 2:
		r = sys(SYS_mmap, 0, PG, rw, MAP_PRIVATE, -1, 0);
		break;
	case 3:
		r = sys(SYS_mmap, 0, -(long)PG, rw, pa, -1, 0);
		break;
	case 4:
		r = sys(SYS_mmap, 0, 1L << 47, rw, pa | MAP_NORESERVE, -1, 0);
		break;
	case 5:
		r = sys(SYS_mmap, (long)TASK_TOP, PG, rw, pa | MAP_FIXED, -1, 0);
		break;
	case 6:
		r = sys(SYS_mmap, (long)KERNEL_HALF, PG, rw, pa | MAP_FIXED, -1, 0);
		break;
	case 7:
		r = sys(SYS_mmap, (long)TASK_TOP - (long)PG, 2 * PG, rw, pa | MAP_FIXED, -1, 0);
		break;
	case 8:
		r = sys(SYS_mmap, 0, PG, rw, pa, -1, 1);
		break;
	case 9:
		r = sys(SYS_mmap, 0, 1L << 32, rw, pa | MAP_32BIT | MAP_NORESERVE, -1, 0);
		break;
	case 10:
		r = sys(SYS_mmap, 0, PG, rw, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
		break;
	case 11:
		r = sys(SYS_munmap, (long)KERNEL_HALF, PG, 0, 0, 0, 0);
		break;
	case 12:
		r = sys(SYS_munmap, (long)TASK_TOP - (long)PG, 2 * PG, 0, 0, 0, 0);
		break;
	case 13:
		r = sys(SYS_mprotect, (long)KERNEL_HALF, PG, PROT_READ, 0, 0, 0);
		break;
	case 14:
		r = sys(SYS_mprotect, a, -(long)PG, 0x10, 0, 0, 0);
		break;
	case 15:
		r = sys(SYS_mprotect, a, PG, 0x10, 0, 0, 0);
		break;
	case 16:
		r = sys(SYS_madvise, (long)KERNEL_HALF, PG, MADV_DONTNEED, 0, 0, 0);
		break;
	case 17:
		r = sys(SYS_madvise, a, -(long)PG, MADV_DONTNEED, 0, 0, 0);
		break;
	case 18:
		r = sys(SYS_madvise, a, 0, MADV_NORMAL, 0, 0, 0);
		break;
	case 19:
		r = sys(SYS_mremap, (long)KERNEL_HALF, PG, PG, 0, 0, 0);
		break;
	case 20:
		r = sys(SYS_mremap, a, PG, 1L << 47, MREMAP_MAYMOVE, 0, 0);
		break;
	case 21:
		r = sys(SYS_mremap, a, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, (long)KERNEL_HALF, 0);
		break;
	case 22:
		r = sys(SYS_brk, (long)KERNEL_HALF, 0, 0, 0, 0, 0);
		r = r == (long)brk_cur ? 0 : -1;
		break;
	default:
		r = sys(SYS_mremap, a, 2 * PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, a + 64 * PG,
		        0);
		break;
	}
	line("probe -> %s", r < 0 && r > -4096 ? ename(-r) : r == 0 ? "0" : "ok");
}

/* ---- seeds ------------------------------------------------------------------------------- */

struct op {
	int weight;
	void (*fn)(void);
};

static void op_mmap_fixed1(void)
{
	op_mmap_fixed(0);
}

static void op_mmap_noreplace(void)
{
	op_mmap_fixed(1);
}

static const struct op ops[] = {
    {14, op_mmap_fixed1}, {3, op_mmap_noreplace}, {4, op_mmap_hint},
    {3, op_mmap_any},     {8, op_munmap},         {10, op_mprotect},
    {10, op_madvise},     {8, op_mremap},         {7, op_mremap_to},
    {6, op_brk},          {14, op_write},         {10, op_read},
    {3, op_fill},         {3, op_grow},           {2, op_sysbuf},
    {3, op_errors},       {4, op_lock},           {1, op_hugetlb},
};

static int show_maps; /* debugging on Linux: the zones' VMAs before every operation */

/* Print the lines of /proc/self/maps inside the zones, as zone pages (Linux only). */
static void maps(void)
{
	static char buf[1 << 16];
	int fd = (int)sys(SYS_open, (long)"/proc/self/maps", 0, 0, 0, 0, 0);
	long n = 0, r;

	if (fd < 0)
		return;
	while ((r = sys(SYS_read, fd, (long)buf + n, (long)sizeof(buf) - 1 - n, 0, 0, 0)) > 0)
		n += r;
	sys(SYS_close, fd, 0, 0, 0, 0, 0);
	buf[n] = 0;
	printf("   maps:");
	for (char *l = buf; *l; l = strchr(l, '\n') + 1) {
		uintptr_t a = strtoul(l, NULL, 16), b = strtoul(strchr(l, '-') + 1, NULL, 16);
		char *perm = strchr(l, ' ') + 1;

		if (strcmp(where(a), "out"))
			printf(" %s-%lu%.4s", where(a), (b - a) / PG, perm);
		if (!strchr(l, '\n'))
			break;
	}
	printf("\n");
}

static void one_op(void)
{
	if (show_maps)
		maps();
	int total = 0;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		total += ops[i].weight;
	int w = (int)rnd(total);

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		w -= ops[i].weight;
		if (w < 0) {
			ops[i].fn();
			return;
		}
	}
}

/* Unmap both zones and put the break back where it started. */
static int cleanup(void)
{
	long r1 = sys(SYS_munmap, (long)arena.base, ARENA_PAGES * (long)PG, 0, 0, 0, 0);
	long r2 = sys(SYS_munmap, (long)heap.base, HEAP_PAGES * (long)PG, 0, 0, 0, 0);
	uintptr_t b = (uintptr_t)syscall(SYS_brk, 0);

	if (b != brk0) {
		/* Linux refuses to shrink a break over nothing: map one page, then shrink */
		syscall(SYS_brk, page_up(b) + PG);
		b = (uintptr_t)syscall(SYS_brk, brk0);
	}
	model_hole(&arena, 0, ARENA_PAGES);
	model_hole(&heap, 0, HEAP_PAGES);
	brk_cur = brk0;
	return r1 == 0 && r2 == 0 && b == brk0;
}

static int run_seed(uint64_t seed, long nops)
{
	rng = seed * 0x2545f4914f6cdd1dULL + 1;
	seed_sum = 0;
	printf("seed %llu\n", (unsigned long long)seed);
	long r = sys(SYS_mmap, (long)arena.base, ARENA_PAGES * (long)PG, PROT_NONE,
	             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (r != (long)arena.base) {
		printf("arena not free: %s\n", mres(r));
		return 0;
	}
	if (chance(50))
		model_map(&arena, 0, ARENA_PAGES, PROT_NONE, 0, 0, 0);
	else
		sys(SYS_munmap, (long)arena.base, ARENA_PAGES * (long)PG, 0, 0, 0, 0);
	for (opno = 0; opno < nops; opno++)
		one_op();
	int ok = cleanup();

	printf("end %llu sum %016llx%s\n", (unsigned long long)seed, (unsigned long long)seed_sum,
	       ok ? "" : " CLEANUP FAILED");
	return ok;
}

int main(int argc, char **argv)
{
	/* mm_random FIRST_SEED COUNT [OPS_PER_SEED [l|m]]: l line-buffers, m adds Linux's maps */
	if (argc < 3) {
		fprintf(stderr, "usage: mm_random FIRST_SEED COUNT [OPS_PER_SEED [l|m]]\n");
		return 2;
	}
	uint64_t first = strtoull(argv[1], NULL, 0);
	long count = strtol(argv[2], NULL, 0), nops = argc > 3 ? strtol(argv[3], NULL, 0) : 2000;

	/* a fourth argument asks for line buffering: all output up to a crash */
	setvbuf(stdout, outbuf, argc > 4 ? _IOLBF : _IOFBF, sizeof(outbuf));
	show_maps = argc > 4 && strchr(argv[4], 'm');
	brk0 = brk_cur = (uintptr_t)syscall(SYS_brk, 0);
	heap.base = brk0;
	if (brk0 % PG) {
		printf("initial break not page aligned\n");
		return 1;
	}
	for (long i = 0; i < count; i++)
		if (!run_seed(first + (uint64_t)i, nops))
			return 1;
	return 0;
}
