/* /proc/vmstat's counters for the test programs that watch what paging did (swap_madvise.c,
 * mm_lazyfree.c). Header-only. */
#pragma once
#include <stdio.h>
#include <string.h>

/* The value of key in /proc/vmstat, or -1. */
static inline long vmstat(const char *key)
{
	char name[64];
	long v = -1, x;
	FILE *f = fopen("/proc/vmstat", "r");

	while (f && fscanf(f, "%63s %ld", name, &x) == 2)
		if (!strcmp(name, key))
			v = x;
	if (f)
		fclose(f);
	return v;
}
