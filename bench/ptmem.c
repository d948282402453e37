/* Page-table memory on Linux: VmPTE of /proc/self/status before and after touching a dense
 * (64 MiB contiguous) and a sparse (one page per 2 MiB) range; bytes of page table per page. */
#include <sys/mman.h>

#include "bench.h"

/* VmPTE in bytes, or -1 when there is no /proc (on SOS). */
static long vm_pte(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

/* Page-table bytes per page for npages pages step bytes apart in one fresh mapping. */
static double per_page(size_t npages, size_t step)
{
	long before = vm_pte();
	char *p = map_rw(npages * step, MAP_NORESERVE);
	for (size_t i = 0; i < npages; i++)
		p[i * step] = 1;

	double bytes = (double)(vm_pte() - before);

	munmap(p, npages * step);
	return bytes / (double)npages;
}

int main(void)
{
	if (vm_pte() < 0) {
		fprintf(stderr, "ptmem: no VmPTE in /proc/self/status: nothing to measure\n");
		return 0;
	}
	result("pt_dense", per_page(64 * MIB / PAGE, PAGE), "bytes/page");
	result("pt_sparse", per_page(1024, 2 * MIB), "bytes/page");
	return 0;
}
