/* What the fork tests share (test_fork.c, test_fork_calls.c): mappings filled with known bytes,
 * the frame and reference count under a page, a file, and file hooks that count. */
#pragma once
#include <criterion/criterion.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/hal.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

#define PG     PAGE_SIZE
#define RW     (PROT_READ | PROT_WRITE)
#define ANON   (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED (MAP_SHARED | MAP_ANONYMOUS)

static inline long map(struct as *as, size_t len, int prot, int flags)
{
	return as_mmap(as, 0, len, prot, flags, -1, 0);
}

/* n pages of private anonymous memory, page i holding 'a' + i at offset 0 (written). */
static inline vaddr_t filled(struct as *as, size_t n)
{
	vaddr_t a = (vaddr_t)map(as, n * PG, RW, ANON);

	for (size_t i = 0; i < n; i++)
		cr_assert_eq(host_poke(as, a + i * PG, (uint8_t)('a' + i)), FAULT_OK);
	return a;
}

static inline paddr_t frame_at(struct as *as, vaddr_t va)
{
	return host_pte(as, va) & PTE_ADDR;
}

static inline unsigned refs_at(struct as *as, vaddr_t va)
{
	return frame_of(frame_at(as, va))->refs;
}

static inline const struct region *at(struct as *as, vaddr_t va)
{
	return region_find(&as->regions, va);
}

/* A file of pages pages whose page i holds 'A' + i at offset 0. */
static inline struct shmem *file_of(uint64_t pages)
{
	struct shmem *s = shmem_create(pages);

	for (uint64_t i = 0; i < pages; i++)
		*(uint8_t *)phys_to_virt(shmem_page(s, i)) = (uint8_t)('A' + i);
	return s;
}

static int gets, puts_;

static inline void hook_get(void *file)
{
	cr_assert_eq(file, &gets);
	gets++;
}

static inline void hook_put(void *file)
{
	cr_assert_eq(file, &gets);
	puts_++;
}
