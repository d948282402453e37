/* The pager on the host: kernel/mm linked with the unit tests' fake-RAM hal, driving vm_fault()
 * for callgrind instruction counts and measuring the frame-table and page-table overhead. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "mm/as.h"
#include "mm/frame.h"
#include "mm/pagetable.h"
#include "mm/region.h"

#define PAGE      4096UL
#define MIB       (1UL << 20)
#define FAULT_VA  0x10000000000UL /* where the zero-fill region under test starts */
#define OTHER_VA  0x20000000000UL /* where the extra one-page regions go */
#define SPARSE_VA 0x30000000000UL

static void result(const char *name, double value, const char *unit)
{
	printf("RESULT %s %.6g %s\n", name, value, unit);
}

static void die(const char *what)
{
	fprintf(stderr, "host_fault: %s\n", what);
	exit(1);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Define n one-page regions from OTHER_VA, alternately read-only and read-write (none merge). */
static void define_others(struct as *as, long n)
{
	for (long i = 0; i < n; i++) {
		vaddr_t va = OTHER_VA + (vaddr_t)i * PAGE;
		unsigned prot = i % 2 ? VM_READ | VM_WRITE : VM_READ;

		if (as_define_region(as, va, va + PAGE, prot, RK_MMAP, NULL, 0, 0))
			die("as_define_region (others)");
	}
}

/* True when va is mapped for user writes, so that a write there would not fault. */
static bool writable(const struct as *as, vaddr_t va)
{
	const pte_t *e = pt_walk(as->root, va, false);

	return e && (*e & (PTE_P | PTE_U | PTE_W)) == (PTE_P | PTE_U | PTE_W);
}

/* One write to each of npages pages of a fresh zero-fill region, in order, with nothers other
 * regions live and fault-around mapping around pages per fault; as on the CPU, only writes to
 * pages not yet mapped writable fault. Under callgrind --toggle-collect=vm_fault only the faults
 * are counted. */
static void faults(long npages, long nothers, long around)
{
	host_init((size_t)npages * PAGE + (size_t)npages * 16 + 16 * MIB);
	fault_around_pages = (unsigned)around;

	struct as *as = host_as();

	define_others(as, nothers);
	if (as_define_region(as, FAULT_VA, FAULT_VA + (vaddr_t)npages * PAGE, VM_READ | VM_WRITE,
	                     RK_MMAP, NULL, 0, 0))
		die("as_define_region");

	double t0 = now_ns();
	long taken = 0;

	for (long i = 0; i < npages; i++) {
		vaddr_t va = FAULT_VA + (vaddr_t)i * PAGE;

		if (writable(as, va))
			continue; /* mapped ahead by an earlier fault: the MMU would not fault */
		if (vm_fault(as, va, VM_WRITE) != FAULT_OK)
			die("vm_fault");
		taken++;
	}

	double t1 = now_ns();

	result("host_fault_time", (t1 - t0) / (double)npages, "ns/page");
	result("host_faults_taken", (double)taken / (double)npages, "faults/page");
	host_as_done(as);
	host_teardown();
}

/* Page-table frames (the root included) after faulting npages pages spaced step bytes apart. */
static double pt_bytes_per_page(vaddr_t base, long npages, vaddr_t step)
{
	struct as *as = host_as();
	size_t before = frames_in_state(FRAME_PAGETABLE);

	if (as_define_region(as, base, base + (vaddr_t)npages * step, VM_READ | VM_WRITE, RK_MMAP,
	                     NULL, 0, 0))
		die("as_define_region");
	for (long i = 0; i < npages; i++)
		if (vm_fault(as, base + (vaddr_t)i * step, VM_WRITE) != FAULT_OK)
			die("vm_fault");

	double bytes = (double)(frames_in_state(FRAME_PAGETABLE) - before) * PAGE;

	host_as_done(as);
	return bytes / (double)npages;
}

/* sizeof(struct frame), the table's bytes per usable frame (holes included), page-table bytes
 * per page: dense (64 MiB contiguous) and sparse (one page per 2 MiB, 1024 pages). */
static void memory(void)
{
	host_init(96 * MIB);

	size_t entries = 0;

	for (int s = 0; s < FRAME_NSTATES; s++)
		entries += frames_in_state((enum frame_state)s);
	result("frame_entry", (double)sizeof(struct frame), "bytes");
	result("frame_table_per_frame",
	       (double)(entries * sizeof(struct frame)) / (double)frames_total(), "bytes/frame");
	result("pt_dense", pt_bytes_per_page(FAULT_VA, (long)(64 * MIB / PAGE), PAGE),
	       "bytes/page");
	result("pt_sparse", pt_bytes_per_page(SPARSE_VA, 1024, 2 * MIB), "bytes/page");
	host_teardown();
}

/* Write one byte to each of npages pages from FAULT_VA in as, faulting where the MMU would: a
 * function of its own, for callgrind --toggle-collect=write_pages. */
static __attribute__((noinline)) void write_pages(struct as *as, long npages)
{
	for (long i = 0; i < npages; i++) {
		vaddr_t va = FAULT_VA + (vaddr_t)i * PAGE;

		if (!writable(as, va) && vm_fault(as, va, VM_WRITE) != FAULT_OK)
			die("vm_fault");
	}
}

/* Read one byte of each of npages pages from FAULT_VA in as, faulting where the MMU would (a page
 * not mapped at all): a function of its own, for callgrind --toggle-collect=read_pages. */
static __attribute__((noinline)) void read_pages(struct as *as, long npages)
{
	for (long i = 0; i < npages; i++) {
		vaddr_t va = FAULT_VA + (vaddr_t)i * PAGE;
		const pte_t *e = pt_walk(as->root, va, false);

		if (!(e && (*e & PTE_P)) && vm_fault(as, va, VM_READ) != FAULT_OK)
			die("vm_fault");
	}
}

/* Read every page of a fresh zero-fill region of npages pages, then write every page: the read
 * faults of untouched memory and the write faults after them (fault-around off, as Linux).
 * Under callgrind, --toggle-collect=read_pages or write_pages counts one pass. */
static void read_then_write(long npages)
{
	host_init(2 * (size_t)npages * PAGE + (size_t)npages * 16 + 16 * MIB);

	struct as *as = host_as();

	if (as_define_region(as, FAULT_VA, FAULT_VA + (vaddr_t)npages * PAGE, VM_READ | VM_WRITE,
	                     RK_MMAP, NULL, 0, 0))
		die("as_define_region");

	double t0 = now_ns();

	read_pages(as, npages);

	double t1 = now_ns();

	write_pages(as, npages);
	result("host_read_fault_time", (t1 - t0) / (double)npages, "ns/page");
	result("host_write_after_read_time", (now_ns() - t1) / (double)npages, "ns/page");
	result("host_read_frames", (double)frames_used(), "frames");
	host_as_done(as);
	host_teardown();
}

/* Write every page of mib MiB of one region (the faults not yet counted: fault-around on), then
 * fork it rounds times, each time after writing every page again (the last holder writes in
 * place), so that every fork write-protects all of them; then the child writes every page (each
 * write copies it). Under callgrind --toggle-collect=as_fork only the forks are counted. Reports
 * as_fork()'s, the child's copying writes' and the child's as_destroy()'s median times. */
static void fork_cost(long mib, long rounds)
{
	long npages = mib * (long)(MIB / PAGE);
	double fork_ns[64], copy_ns[64], destroy_ns[64];

	host_init(2 * (size_t)npages * PAGE + (size_t)npages * 16 + 16 * MIB); /* parent, child */
	fault_around_pages = FAULT_AROUND_DEFAULT;
	if (rounds < 1 || rounds > 64)
		die("ROUNDS must be 1 to 64");

	struct as *as = host_as();

	if (as_define_region(as, FAULT_VA, FAULT_VA + (vaddr_t)npages * PAGE, VM_READ | VM_WRITE,
	                     RK_MMAP, NULL, 0, 0))
		die("as_define_region");
	for (long r = 0; r < rounds; r++) {
		write_pages(as, npages);

		double t0 = now_ns();
		struct as *child = as_fork(as);
		double t1 = now_ns();

		if (!child)
			die("as_fork");
		write_pages(child, npages);

		double t2 = now_ns();

		as_destroy(child);
		fork_ns[r] = t1 - t0;
		copy_ns[r] = (t2 - t1) / (double)npages;
		destroy_ns[r] = now_ns() - t2;
	}
	qsort(fork_ns, (size_t)rounds, sizeof(double), by_value);
	qsort(copy_ns, (size_t)rounds, sizeof(double), by_value);
	qsort(destroy_ns, (size_t)rounds, sizeof(double), by_value);
	result("host_fork_time", fork_ns[rounds / 2], "ns");
	result("host_fork_child_copy_time", copy_ns[rounds / 2], "ns/page");
	result("host_fork_destroy_time", destroy_ns[rounds / 2], "ns");
	result("host_fork_pt_pages", (double)frames_in_state(FRAME_PAGETABLE), "pages");
	host_as_done(as);
	host_teardown();
}

/* usage: host_fault faults NPAGES [NOTHERS [AROUND]]
 *            NPAGES pages written, NOTHERS other regions live, AROUND pages per fault (default 16)
 *        host_fault memory
 *            the memory-overhead figures
 *        host_fault fork MIB [ROUNDS]
 *            as_fork() of MIB MiB written, ROUNDS times (default 1)
 *        host_fault reads NPAGES
 *            NPAGES pages read, then written (fault-around off) */
int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "faults")) {
		long around = argc > 4 ? strtol(argv[4], NULL, 0) : FAULT_AROUND_DEFAULT;

		if (around < 1 || around > FAULT_AROUND_MAX)
			die("AROUND must be 1 to FAULT_AROUND_MAX");
		faults(strtol(argv[2], NULL, 0), argc > 3 ? strtol(argv[3], NULL, 0) : 0, around);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "memory")) {
		memory();
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "fork")) {
		fork_cost(strtol(argv[2], NULL, 0), argc > 3 ? strtol(argv[3], NULL, 0) : 1);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "reads")) {
		read_then_write(strtol(argv[2], NULL, 0));
		return 0;
	}
	fprintf(stderr, "usage: host_fault faults NPAGES [NOTHERS [AROUND]] | host_fault memory | "
	                "host_fault fork MIB [ROUNDS] | host_fault reads NPAGES\n");
	return 2;
}
