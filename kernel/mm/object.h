/* Memory objects as regions map them (object.c). Private to kernel/mm, above regions (vma.h); the
 * object itself is shmem.h. */
#pragma once
#include "mm/vma.h"

struct shmem;

/* Unmap object indexes [lo, hi) of s from every region mapping it, in every address space;
 * private copies of those pages stay unless even_cows. */
void obj_unmap(struct shmem *s, uint64_t lo, uint64_t hi, bool even_cows);
