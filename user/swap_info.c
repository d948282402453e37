/* swap_info: how much swap the kernel says it has, as /proc/meminfo's SwapTotal and SwapFree
 * lines and sysinfo's totalswap and freeswap, and that the overcommit heuristic counts it (one
 * private mapping of RAM + swap less 1 MiB is granted, of 1 MiB more refused) and CommitLimit.
 * Run with and without --swap. Owned by kernel/dev (virtio_blk.c), kernel/mm (overcommit.c) and
 * kernel/proc (procfs.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>

#include "include/check.h"

#define MIB (1UL << 20)

/* Print /proc/meminfo's lines that start with "Swap", as they are, and whether CommitLimit is
 * half of MemTotal (to a page) plus SwapTotal, as Linux's vm_commit_limit() makes it. */
static void meminfo_swap(void)
{
	char line[256];
	unsigned long total = 0, swap = 0, limit = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f) {
		printf("/proc/meminfo: %s\n", ename(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Swap", 4))
			fputs(line, stdout);
		sscanf(line, "MemTotal: %lu", &total);
		sscanf(line, "SwapTotal: %lu", &swap);
		sscanf(line, "CommitLimit: %lu", &limit);
	}
	fclose(f);
	long rest = (long)limit - (long)swap - (long)(total / 2);
	printf("CommitLimit = MemTotal / 2 + SwapTotal: %s\n",
	       rest >= -4 && rest <= 4 ? "yes" : "no");
}

/* What one private anonymous mapping of len bytes gets: "ok" or the errno's name. */
static const char *try_map(unsigned long len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ename(errno);
	munmap(p, len);
	return "ok";
}

int main(void)
{
	struct sysinfo si;
	meminfo_swap();
	if (sysinfo(&si)) {
		printf("sysinfo: %s\n", ename(errno));
		return 1;
	}
	printf("sysinfo: mem_unit %u, totalswap %lu, freeswap %lu\n", si.mem_unit, si.totalswap,
	       si.freeswap);
	unsigned long all = (si.totalram + si.totalswap) * si.mem_unit;
	printf("mmap RAM + swap - 1 MiB: %s\n", try_map(all - MIB));
	printf("mmap RAM + swap + 1 MiB: %s\n", try_map(all + MIB));
	return 0;
}
