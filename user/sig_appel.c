/* sig_appel: user-level paging in the style of Appel and Li's virtual-memory primitives. A region
 * is protected (PROT_NONE, then PROT_READ), and a SIGSEGV handler unprotects the faulting page and
 * returns, so the access runs again and succeeds (TRAP, PROT1, UNPROT); another handler maps
 * missing pages with mmap MAP_FIXED. Prints fault counts and checksums. Owned by the user/tests
 * part. */
#define _GNU_SOURCE
#include "include/check.h"
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGES 64
#define PAGE  4096

static char *base;
static int faults, outside, codes[3];

/* Give the faulting page of the region read and write rights. */
static void unprotect(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	char *a = si->si_addr;
	if (a < base || a >= base + PAGES * PAGE) {
		outside++;
		signal(SIGSEGV, SIG_DFL); /* a real bug: the next fault kills */
		return;
	}
	faults++;
	if (si->si_code >= 0 && si->si_code < 3)
		codes[si->si_code]++;
	mprotect((void *)((uintptr_t)a & ~(uintptr_t)(PAGE - 1)), PAGE, PROT_READ | PROT_WRITE);
}

/* Map a fresh page, filled with its number, where the fault was. */
static void map_missing(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	uintptr_t page = (uintptr_t)si->si_addr & ~(uintptr_t)(PAGE - 1);
	if ((char *)page < base || (char *)page >= base + PAGES * PAGE) {
		outside++;
		signal(SIGSEGV, SIG_DFL);
		return;
	}
	faults++;
	if (si->si_code >= 0 && si->si_code < 3)
		codes[si->si_code]++;
	char *p = mmap((void *)page, PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != MAP_FAILED)
		memset(p, (int)((page - (uintptr_t)base) / PAGE), PAGE);
}

static void on_fault(void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = {.sa_sigaction = fn, .sa_flags = SA_SIGINFO};
	sigaction(SIGSEGV, &sa, NULL);
}

static void report(const char *what, unsigned long sum, int want)
{
	if (faults != want || outside)
		failures++;
	printf("%s: %d faults (MAPERR %d, ACCERR %d), %d outside, checksum %lu\n", what, faults,
	       codes[SEGV_MAPERR], codes[SEGV_ACCERR], outside, sum);
	faults = outside = 0;
	memset(codes, 0, sizeof(codes));
}

int main(void)
{
	base = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < PAGES; i++)
		memset(base + i * PAGE, i + 1, PAGE);

	/* PROT_NONE: each page faults once on its first touch, read or write */
	on_fault(unprotect);
	mprotect(base, PAGES * PAGE, PROT_NONE);
	unsigned long sum = 0;
	for (int i = 0; i < PAGES; i++) {
		volatile char *p = base + i * PAGE + (i * 37) % PAGE;
		sum += *p;
		*p = (char)(*p + 1);
	}
	report("PROT_NONE then read and write", sum, PAGES);

	/* PROT_READ: reads run, the first write to each page faults (a write barrier) */
	mprotect(base, PAGES * PAGE, PROT_READ);
	sum = 0;
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < PAGES; i += 2) {
			volatile char *p = base + i * PAGE + 100;
			sum += *p;
			*p = (char)(*p + 1);
		}
	report("PROT_READ then write every other page twice", sum, PAGES / 2);

	/* holes filled by the handler with MAP_FIXED */
	munmap(base, PAGES * PAGE);
	base = mmap(NULL, PAGES * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(base, PAGES * PAGE); /* reserved address range, nothing mapped: MAPERR */
	on_fault(map_missing);
	sum = 0;
	for (int i = PAGES - 1; i >= 0; i -= 3)
		sum += (unsigned char)base[i * PAGE + 7];
	for (int i = PAGES - 1; i >= 0; i -= 3)
		sum += (unsigned char)base[i * PAGE + 9];
	report("unmapped then MAP_FIXED", sum, (PAGES + 2) / 3);
	munmap(base, PAGES * PAGE);
	printf("sig_appel: %d failures\n", failures);
	return failures != 0;
}
