/* What an address space holds, in pages, as /proc/self/status and /proc/self/stat report it:
 * sizes by kind of mapping, resident pages by kind of page, and the high-water marks. */
#pragma once
#include "mm/as.h"

struct as_stats {
	uint64_t total_vm, peak_vm;             /* VmSize, VmPeak */
	uint64_t locked_vm;                     /* VmLck */
	uint64_t data_vm, stack_vm, exec_vm;    /* VmData, VmStk, VmExe */
	uint64_t rss_anon, rss_file, rss_shmem; /* RssAnon, RssFile, RssShmem */
	uint64_t peak_rss;                      /* VmHWM */
	uint64_t pt_pages;                      /* VmPTE */
	uint64_t swap;                          /* VmSwap: entries naming a swap slot */
};

/* Fill st from as (a walk of its regions and page tables: for /proc reads, not for hot paths). */
void as_stats(struct as *as, struct as_stats *st);

/* Frames held by every shmem object now (MAP_SHARED memory and tmpfs files): Linux's NR_SHMEM. */
uint64_t shmem_pages_total(void);
