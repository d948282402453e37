/* Basic types and page arithmetic shared by every part of the pager.
 * Freestanding: compiles in the kernel and on the host unchanged. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;
typedef uint64_t pte_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (PAGE_SIZE - 1)

#define PAGE_DOWN(x)    ((x) & ~PAGE_MASK)
#define PAGE_UP(x)      (((x) + PAGE_MASK) & ~PAGE_MASK)
#define PAGE_ALIGNED(x) (((x)&PAGE_MASK) == 0)
