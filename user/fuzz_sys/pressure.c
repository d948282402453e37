/* Memory pressure for the fuzzer's swap boots (FUZZ_PRESSURE): a process that writes its private
 * memory over and over, so reclaim and swap run under the workers' calls, checking every page. */
#include "fuzz_sys/fuzz.h"
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* What pass writes at page i: both, so a page swapped back from the wrong slot or pass shows. */
static uint64_t stamp(uint64_t pass, size_t i)
{
	return pass << 32 | i;
}

/* Pass after pass over mib MiB: each page's first and last words must hold what the pass before
 * wrote (0 before the first), then get this pass's stamp. A page that does not is reported on
 * stdout ("fuzz-sys: pressure: ...", which fuzz/sys.sh counts as a failure) and ends it. */
void fz_pressure(long mib)
{
	size_t pages = (size_t)mib << 8, last = PAGE / sizeof(uint64_t) - 1;
	uint64_t *m =
	    mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* no memory for it now (fault injection): the supervisor starts another */
	if (m == MAP_FAILED)
		_exit(0);
	for (uint64_t pass = 1;; pass++)
		for (size_t i = 0; i < pages; i++) {
			uint64_t *p = m + i * (PAGE / sizeof(uint64_t));
			uint64_t want = pass > 1 ? stamp(pass - 1, i) : 0;
			if (p[0] != want || p[last] != want) {
				dprintf(1,
				        "fuzz-sys: pressure: page %zu of %zu holds %#lx and %#lx, "
				        "not %#lx\n",
				        i, pages, (unsigned long)p[0], (unsigned long)p[last],
				        (unsigned long)want);
				_exit(PRESSURE_BAD);
			}
			p[0] = p[last] = stamp(pass, i);
		}
}
