/* Page reclaim: when free frames run low, the replacement policy picks anonymous pages, the reverse
 * map unmaps them from every address space and they go to swap slots; counters of what it did. */
#pragma once
#include "mm/types.h"

struct as;

/* What paging did since boot, as Linux's /proc/vmstat counts it (pages, not bytes). */
struct vm_events {
	uint64_t pgfault;    /* faults served, minor and major */
	uint64_t pgmajfault; /* faults that read a page back from swap */
	uint64_t pswpin;     /* pages read from swap (read-ahead included) */
	uint64_t pswpout;    /* pages written to swap */
	uint64_t evictions;  /* frames the policy took back (pgsteal) */
	uint64_t scanned;    /* frames the policy looked at (pgscan) */
};

extern struct vm_events vm_events;

/* Called for each page-out and page-in when set (the kernel's --trace): what is "page-out" or
 * "page-in", as and va the mapping (the first one found for a page shared after fork), slot the
 * swap slot. */
extern void (*mm_trace_page)(const char *what, const struct as *as, vaddr_t va, uint64_t slot);

/* Choose the replacement policy by name ("clock", the default, "fifo", "random", ...) before the
 * first eviction. 0, or -EINVAL for a name no policy has. */
int reclaim_set_policy(const char *name);

/* The name of the policy in use. */
const char *reclaim_policy_name(void);
