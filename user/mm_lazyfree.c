/* mm_lazyfree: MADV_FREE as Linux 6.12 does it. The pages stay mapped (mincore; the RSS is not
 * compared, as Linux's counters lag) with their contents until memory runs short; then reclaim
 * drops them, without swap too, and each reads back whole or as zeros; a page written after the
 * advice is kept. MAP_DROPPABLE memory is dropped the same way, written or not. SOS once dropped
 * MADV_FREE's pages at the call, and kept droppable ones (to swap, or to an out-of-memory kill).
 * Owned by kernel/mm (reclaim.c). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "include/check.h"
#include "include/linux_mm.h"
#include "include/vmstat.h"

#define PG 4096ul

/* n pages of anonymous memory of type (MAP_PRIVATE, MAP_DROPPABLE), page i filled with the byte
 * seed + i. */
static unsigned char *filled_as(int type, size_t n, int seed)
{
	unsigned char *p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, type | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < n; i++)
		memset(p + i * PG, (unsigned char)(seed + i), PG);
	return p;
}

static unsigned char *filled(size_t n, int seed)
{
	return filled_as(MAP_PRIVATE, n, seed);
}

/* Pages of p[0, n) that hold their fill whole (*zero: those that read as zeros whole). */
static size_t intact(const unsigned char *p, size_t n, int seed, size_t *zero)
{
	size_t k = 0;
	*zero = 0;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *q = p + i * PG;
		unsigned char want = (unsigned char)(seed + i);
		size_t same = 0, zeros = 0;
		for (size_t b = 0; b < PG; b++)
			same += q[b] == want, zeros += q[b] == 0;
		k += same == PG;
		*zero += zeros == PG && same != PG; /* a fill of 0 counts as kept */
	}
	return k;
}

/* Plenty of memory: nothing goes, the pages stay resident and counted. */
static void plentiful(void)
{
	size_t n = 64, zero;
	unsigned char vec[64];
	unsigned char *p = filled(n, 1);
	long freed = vmstat("pglazyfree");

	show_result("MADV_FREE", neg_errno(madvise(p, n * PG, MADV_FREE)), 0);
	fact("contents kept", intact(p, n, 1, &zero) == n);
	fact("mincore: all resident", mincore(p, n * PG, vec) == 0 && memchr(vec, 0, n) == NULL);
	/* Linux counts a page when its CPU's batch of them drains: a few may come later */
	fact("pglazyfree grew", vmstat("pglazyfree") > freed);
	p[3 * PG + 100] = 0xee; /* one byte: the rest of the page is the old contents */
	fact("a page written after it keeps the rest",
	     p[3 * PG + 100] == 0xee && p[3 * PG + 101] == 4 && p[3 * PG] == 4);
	show_result("MADV_FREE again", neg_errno(madvise(p, n * PG, MADV_FREE)), 0);
	munmap(p, n * PG);
}

/* Short of memory: a second region as big as the first takes the first's frames, which
 * MADV_FREE let go or MAP_DROPPABLE never held for good. */
static void short_of_memory(int type)
{
	struct sysinfo si;
	size_t zero;
	sysinfo(&si);
	size_t n = si.totalram * si.mem_unit / PG * 3 / 5;
	long dropped = vmstat("pglazyfreed");
	unsigned char *a = filled_as(type, n, 7);
	fact("first region filled", a != NULL);
	if (type == MAP_PRIVATE)
		show_result("MADV_FREE of it", neg_errno(madvise(a, n * PG, MADV_FREE)), 0);
	fact("its contents still there", a && intact(a, n, 7, &zero) == n);
	unsigned char *b = filled(n, 9);
	fact("second region filled (the first's frames let go)", b != NULL);
	fact("the second holds its contents", b && intact(b, n, 9, &zero) == n);
	size_t kept = intact(a, n, 7, &zero);
	fact("each page of the first whole or zeros", kept + zero == n);
	fact("some dropped", zero > 0);
	printf("pglazyfreed grew: %s\n", vmstat("pglazyfreed") > dropped ? "yes" : "no");
	munmap(a, n * PG);
	munmap(b, n * PG);
}

int main(void)
{
	plentiful();
	printf("-- MADV_FREE\n");
	short_of_memory(MAP_PRIVATE);
	printf("-- MAP_DROPPABLE\n");
	short_of_memory(MAP_DROPPABLE);
	fflush(stdout);
	return failures != 0;
}
