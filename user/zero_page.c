/* zero_page: private anonymous memory read before it is written, which Linux maps to its one shared
 * zero page (do_anonymous_page()): no frame, no RSS, resident for mincore, and the first write
 * gets a zeroed page of its own. What this program prints of it, on each path that meets it:
 *   zero_page             reads and writes (minor faults, RssAnon, mincore, contents), fork of a
 *                         region written and of one never written, mprotect (PROT_NONE too),
 *                         mlock and MAP_POPULATE of read-only memory, MADV_POPULATE_READ and
 *                         _WRITE, MADV_DONTNEED, MADV_FREE, mremap, brk, bss, write(2) from it
 *                         and read(2) into it, and 70,000 mappings of it shared by fork
 *   zero_page big MIB K   MIB MiB read (more than RAM), then every Kth page written and all of it
 *                         checked: with --swap, the writes go through swap
 * Owned by kernel/mm (fault.c: the zero page). */
#define _GNU_SOURCE
#include "include/linux_mm.h"
#include "include/paging.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>

static char bss[256 * PAGE]; /* whole pages past the file's: Linux's brk-like bss mapping */

/* /proc/self/status is read into status, mincore answers into vec: mapped and written before any
 * measurement, away from the bss (SOS maps up to 15 more pages at a sequential write fault). */
#define STATUS_MAX 4096
#define VEC_MAX    80000
static char *status;
static unsigned char *vec;

/* p rounded up to a page boundary. */
static unsigned long *page_up(void *p)
{
	return (unsigned long *)(((uintptr_t)p + PAGE - 1) & ~(PAGE - 1));
}

/* A field of /proc/self/status in kB (RssAnon, VmLck...), or -1. Read with read(2) into a
 * buffer touched before, so that reading it maps nothing new. */
static long status_kb(const char *name)
{
	char key[64];
	int fd = open("/proc/self/status", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, status, STATUS_MAX - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	status[n] = 0;
	snprintf(key, sizeof(key), "\n%s:", name);

	char *p = strstr(status, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static long rss_anon(void)
{
	return status_kb("RssAnon");
}

/* Minor faults so far (getrusage). */
static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Pages of the n from m that mincore says are resident, or -errno. */
static long resident(const void *m, unsigned long n)
{
	long c = 0;

	if (n > VEC_MAX)
		return -EINVAL;
	if (mincore((void *)m, n * PAGE, vec))
		return -errno;
	for (unsigned long i = 0; i < n; i++)
		c += vec[i] & 1;
	return c;
}

/* Read one word of each of n pages of m (a read fault each where nothing is mapped); their OR. */
static unsigned long read_pages(const unsigned long *m, unsigned long n)
{
	volatile unsigned long any = 0;

	for (unsigned long pg = 0; pg < n; pg++)
		any |= m[pg * PAGE_WORDS + (pg % PAGE_WORDS)];
	return any;
}

/* Pages of the n from m holding a word that is not zero (every word read). */
static unsigned long nonzero_pages(const unsigned long *m, unsigned long n)
{
	unsigned long c = 0;

	for (unsigned long pg = 0; pg < n; pg++) {
		unsigned long any = 0;

		for (unsigned long i = 0; i < PAGE_WORDS; i++)
			any |= m[pg * PAGE_WORDS + i];
		c += any != 0;
	}
	return c;
}

/* Write one word into each of n pages of m: value v + page. */
static void write_pages(unsigned long *m, unsigned long n, unsigned long v)
{
	for (unsigned long pg = 0; pg < n; pg++)
		m[pg * PAGE_WORDS] = v + pg;
}

/* A private anonymous mapping of n pages with prot, or the test ends. */
static unsigned long *map(unsigned long n, int prot, int flags)
{
	void *m = mmap(NULL, n * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (m == MAP_FAILED) {
		printf("mmap %lu pages: %s\n", n, ename(errno));
		exit(1);
	}
	return m;
}

/* Reads, then writes, of 64 pages: the faults each takes, RSS and residency. */
static void reads_then_writes(void)
{
	unsigned long *m = map(64, PROT_READ | PROT_WRITE, 0);
	long rss = rss_anon(), f0 = minflt();
	unsigned long any = read_pages(m, 64);
	long f1 = minflt(), grew = rss_anon() - rss, in = resident(m, 64);

	printf("read 64 pages: %ld minor faults, RssAnon +%ld kB, %ld resident, any %lu\n", f1 - f0,
	       grew, in, any);
	f0 = minflt();
	write_pages(m, 64, 1000);
	f1 = minflt();
	grew = rss_anon() - rss;
	in = resident(m, 64);
	printf("then written: %ld minor faults, RssAnon +%ld kB, %ld resident\n", f1 - f0, grew,
	       in);
	fact("written pages hold what was written, the rest zeros",
	     m[5 * PAGE_WORDS] == 1005 && m[5 * PAGE_WORDS + 1] == 0 && m[63 * PAGE_WORDS] == 1063);
	munmap(m, 64 * PAGE);
	printf("unmapped: RssAnon +%ld kB\n", rss_anon() - rss);
}

/* Pages not zero in the 64 of m and the 32 of r. */
static unsigned long nonzero_both(const unsigned long *m, const unsigned long *r)
{
	return nonzero_pages(m, 64) + nonzero_pages(r, 32);
}

/* The child of forked(): what it finds, and its writes to zero pages. */
static void fork_child(unsigned long *m, unsigned long *r)
{
	long rss = rss_anon(), in_m = resident(m, 64), in_r = resident(r, 32);
	unsigned long nz = nonzero_both(m, r);
	long grew = rss_anon() - rss;

	failures = 0;
	printf("child: %ld of the half-written region resident, %ld of the read one\n", in_m, in_r);
	printf("child: %lu pages not zero, reading them took RssAnon +%ld kB\n", nz, grew);
	m[40 * PAGE_WORDS] = 7;
	r[3 * PAGE_WORDS] = 8;
	grew = rss_anon() - rss;
	nz = nonzero_both(m, r);
	printf("child: two zero pages written: RssAnon +%ld kB, %lu pages not zero\n", grew, nz);
	_exit(failures != 0);
}

/* fork of a region half written, half only read (an anon identity: the zero pages are copied as
 * they are), and of a region only read (none: the child maps nothing). */
static void forked(void)
{
	unsigned long *m = map(64, PROT_READ | PROT_WRITE, 0);
	unsigned long *r = map(32, PROT_READ | PROT_WRITE, 0);

	write_pages(m, 32, 2000);
	read_pages(m + 32 * PAGE_WORDS, 32);
	read_pages(r, 32);

	pid_t p = xfork();

	if (p == 0)
		fork_child(m, r);
	reap_ok("child", p);

	unsigned long nz = nonzero_both(m, r);

	printf("parent: %lu pages not zero, %ld + %ld resident\n", nz, resident(m, 64),
	       resident(r, 32));
	munmap(m, 64 * PAGE);
	munmap(r, 32 * PAGE);
}

/* mprotect to prot of the 16 pages of m: its result and the pages resident after. */
static void protect(unsigned long *m, int prot, const char *name)
{
	int err = mprotect(m, 16 * PAGE, prot) ? errno : 0;

	printf("mprotect %s: %s, %ld resident\n", name, err ? ename(err) : "0", resident(m, 16));
}

/* mprotect keeps the zero page read-only, PROT_NONE keeps it mapped; a write still replaces it. */
static void protections(void)
{
	unsigned long *m = map(16, PROT_READ | PROT_WRITE, 0);
	long rss = rss_anon();

	read_pages(m, 16);
	protect(m, PROT_READ, "PROT_READ");
	protect(m, PROT_NONE, "PROT_NONE");
	protect(m, PROT_READ | PROT_WRITE, "PROT_READ|PROT_WRITE");
	m[3 * PAGE_WORDS] = 33;

	long grew = rss_anon() - rss;

	printf("one written: RssAnon +%ld kB, %lu pages not zero\n", grew, nonzero_pages(m, 16));
	munmap(m, 16 * PAGE);
}

/* The result of a call (0 or -1 with errno) as a name. */
static const char *res(int r)
{
	return r ? ename(errno) : "0";
}

/* mlock and MAP_POPULATE read read-only private memory in (populate_vma_page_range() writes only
 * to writable private memory); MADV_POPULATE_READ reads, _WRITE writes. */
static void populating(void)
{
	unsigned long *m = map(32, PROT_READ, 0);
	long rss = rss_anon();
	const char *r = res(mlock(m, 32 * PAGE));
	long in = resident(m, 32), grew = rss_anon() - rss, lck = status_kb("VmLck");

	printf("mlock read-only: %s, %ld resident, RssAnon +%ld kB, VmLck %ld kB\n", r, in, grew,
	       lck);
	r = res(munlock(m, 32 * PAGE));
	printf("munlock: %s, %ld resident, %lu pages not zero\n", r, resident(m, 32),
	       nonzero_pages(m, 32));
	munmap(m, 32 * PAGE);

	m = map(32, PROT_READ, MAP_POPULATE);
	in = resident(m, 32);
	printf("MAP_POPULATE read-only: %ld resident, RssAnon +%ld kB\n", in, rss_anon() - rss);
	munmap(m, 32 * PAGE);

	m = map(32, PROT_READ | PROT_WRITE, 0);
	r = res(madvise(m, 32 * PAGE, MADV_POPULATE_READ));
	in = resident(m, 32);
	printf("MADV_POPULATE_READ: %s, %ld resident, RssAnon +%ld kB\n", r, in, rss_anon() - rss);
	r = res(madvise(m, 32 * PAGE, MADV_POPULATE_WRITE));
	in = resident(m, 32);
	printf("MADV_POPULATE_WRITE: %s, %ld resident, RssAnon +%ld kB\n", r, in, rss_anon() - rss);
	printf("populated: %lu pages not zero\n", nonzero_pages(m, 32));
	munmap(m, 32 * PAGE);
}

/* MADV_DONTNEED unmaps the zero page; MADV_FREE leaves nothing to see in the contents or RSS. */
static void advice(void)
{
	unsigned long *m = map(16, PROT_READ | PROT_WRITE, 0);
	long rss = rss_anon();

	read_pages(m, 16);

	const char *r = res(madvise(m, 16 * PAGE, MADV_DONTNEED));

	printf("MADV_DONTNEED: %s, %ld resident\n", r, resident(m, 16));
	read_pages(m, 16);
	r = res(madvise(m, 16 * PAGE, MADV_FREE));

	long grew = rss_anon() - rss;

	printf("MADV_FREE: %s, RssAnon +%ld kB, %lu pages not zero\n", r, grew,
	       nonzero_pages(m, 16));
	munmap(m, 16 * PAGE);
}

/* mremap moves the zero page with the region; the grown part and the moved pages then written. */
static void moved(void)
{
	unsigned long *m = map(16, PROT_READ | PROT_WRITE, 0);
	unsigned long *to = map(32, PROT_NONE, 0);
	long rss = rss_anon();

	read_pages(m, 16);

	unsigned long *got = mremap(m, 16 * PAGE, 32 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (got == MAP_FAILED) {
		printf("mremap: %s\n", ename(errno));
		failures++;
		return;
	}
	printf("mremap: %ld of 16 moved pages resident, %ld of the 16 new\n", resident(got, 16),
	       resident(got + 16 * PAGE_WORDS, 16));
	got[20 * PAGE_WORDS] = 5;
	got[2 * PAGE_WORDS] = 6;

	long grew = rss_anon() - rss;

	printf("moved and written: RssAnon +%ld kB, %lu pages not zero\n", grew,
	       nonzero_pages(got, 32));
	munmap(got, 32 * PAGE);
}

/* The heap (brk, not musl's sbrk, which only answers sbrk(0)) and the bss, read before written. */
static void heap_and_bss(void)
{
	long rss = rss_anon();
	uintptr_t brk0 = (uintptr_t)syscall(SYS_brk, 0);
	unsigned long *h = page_up((void *)brk0);

	if ((uintptr_t)syscall(SYS_brk, brk0 + 64 * PAGE) != brk0 + 64 * PAGE) {
		printf("brk: refused\n");
		failures++;
		return;
	}
	read_pages(h, 63);

	long grew = rss_anon() - rss, in = resident(h, 63);

	printf("heap read: RssAnon +%ld kB, %ld resident\n", grew, in);
	syscall(SYS_brk, brk0);

	unsigned long *b = page_up(bss);

	read_pages(b, 255);
	grew = rss_anon() - rss;
	in = resident(b, 255);
	printf("bss read: RssAnon +%ld kB, %ld of 255 pages resident, %lu not zero\n", grew, in,
	       nonzero_pages(b, 255));
	write_pages(b, 255, 9);
	printf("bss written: RssAnon +%ld kB\n", rss_anon() - rss);
}

/* write(2) from pages never written reads them (the zero page); read(2) into them writes. */
static void file_copies(void)
{
	unsigned long *m = map(16, PROT_READ | PROT_WRITE, 0),
	              *n = map(16, PROT_READ | PROT_WRITE, 0);
	int fd = memfd_create("zero", 0);
	long rss = rss_anon(), w = (long)write(fd, m, 16 * PAGE);
	long in = resident(m, 16), grew = rss_anon() - rss;

	printf("write from untouched memory: %ld, %ld resident, RssAnon +%ld kB\n", w, in, grew);
	read_pages(n, 16);
	w = (long)pread(fd, n, 16 * PAGE, 0);
	grew = rss_anon() - rss;
	printf("read into zero pages: %ld, RssAnon +%ld kB, %lu pages not zero\n", w, grew,
	       nonzero_pages(n, 16));
	close(fd);
	munmap(m, 16 * PAGE);
	munmap(n, 16 * PAGE);
}

/* More mappings of the zero page than a 16-bit count holds, in one process and across fork. */
static void many(void)
{
	unsigned long n = 70000, *m = map(n, PROT_READ | PROT_WRITE, 0);
	long rss = rss_anon();

	m[0] = 1; /* an anon identity: fork copies the region's page table */
	read_pages(m + PAGE_WORDS, n - 1);

	long grew = rss_anon() - rss, in = resident(m, n);

	printf("70000 pages read: RssAnon +%ld kB, %ld resident\n", grew, in);

	pid_t p = xfork();

	if (p == 0) {
		failures = 0;
		m[n / 2 * PAGE_WORDS] = 2;
		in = resident(m, n);
		printf("child: %ld resident, %lu pages not zero\n", in, nonzero_pages(m, n));
		_exit(failures != 0);
	}
	reap_ok("child", p);
	printf("parent: %lu pages not zero\n", nonzero_pages(m, n));
	munmap(m, n * PAGE);
}

/* A private anonymous mapping of n pages between two PROT_NONE pages, so that it merges with no
 * neighbour: a fresh region, without an anon identity until its first write. */
static unsigned long *lone_map(unsigned long n)
{
	unsigned long *g = map(n + 2, PROT_NONE, 0);
	void *m = mmap(g + PAGE_WORDS, n * PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (m == MAP_FAILED) {
		printf("mmap %lu pages: %s\n", n, ename(errno));
		exit(1);
	}
	return m;
}

/* mib MiB read (more than RAM), then every kth page written with a pattern, then every page
 * checked: the written ones hold it, the others are zero. */
static void big(unsigned long mib, unsigned long k)
{
	unsigned long n = mib * MIB / PAGE, *m = lone_map(n), bad = 0, sum = SUM_START;
	long rss = rss_anon();
	unsigned long any = read_pages(m, n);
	long grew = rss_anon() - rss, in = n <= VEC_MAX ? resident(m, n) : -1;

	printf("read %lu MiB: any %lu, RssAnon grew by less than 1 MiB: %s, %ld pages resident\n",
	       mib, any, grew < 1024 ? "yes" : "no", in);
	for (unsigned long pg = 0; pg < n; pg += k)
		fill_pages(m, pg, 1, 11);
	for (unsigned long pg = 0; pg < n; pg++) {
		if (pg % k == 0) {
			bad += !page_check(m, pg, 11, &sum);
			continue;
		}
		for (unsigned long i = 0; i < PAGE_WORDS; i++) {
			bad += m[pg * PAGE_WORDS + i] != 0;
			sum = (sum ^ m[pg * PAGE_WORDS + i]) * 1099511628211ul;
		}
	}
	printf("every %luth page written: %lu bad, checksum %016lx\n", k, bad, sum);
	failures += bad != 0;
}

int main(int argc, char **argv)
{
	proc_setup();
	status = (char *)map(1, PROT_READ | PROT_WRITE, MAP_POPULATE);
	vec = (unsigned char *)map(VEC_MAX / PAGE + 1, PROT_READ | PROT_WRITE, MAP_POPULATE);
	rss_anon();
	if (argc > 1 && !strcmp(argv[1], "big")) {
		big(arg_count(argc, argv, 2, 160), arg_count(argc, argv, 3, 4));
		return failures != 0;
	}
	reads_then_writes();
	forked();
	protections();
	populating();
	advice();
	moved();
	heap_and_bss();
	file_copies();
	many();
	return failures != 0;
}
