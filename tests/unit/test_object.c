/* Unit tests of file mappings (as_mmap_object(); a shmem object stands for a tmpfs file): shared
 * and private mappings, copy on write and its frame references, holes, SIGBUS past the end,
 * truncation under mappings, fault-around, merging, the file hooks, mprotect, madvise, mremap,
 * and mincore and msync. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "host.h"
#include "mm/fault.h"
#include "mm/hal.h"
#include "mm/shmem.h"
#include "mm/uapi.h"

TestSuite(object, .init = host_setup, .fini = host_teardown);

#define PG      PAGE_SIZE
#define RW      (PROT_READ | PROT_WRITE)
#define PRIVATE MAP_PRIVATE
#define SHARED  MAP_SHARED

static int gets, puts_;

static void hook_get(void *file)
{
	cr_assert_eq(file, &gets);
	gets++;
}

static void hook_put(void *file)
{
	cr_assert_eq(file, &gets);
	puts_++;
}

/* A file of pages pages whose page i holds byte 'a' + i at offset 0 (pages in skip stay holes). */
static struct shmem *file_of(uint64_t pages, uint64_t skip)
{
	struct shmem *s = shmem_create(pages);

	for (uint64_t i = 0; i < pages; i++)
		if (!(skip >> i & 1))
			*(uint8_t *)phys_to_virt(shmem_page(s, i)) = (uint8_t)('a' + i);
	return s;
}

static paddr_t frame_at(struct as *as, vaddr_t va)
{
	return host_pte(as, va) & PTE_ADDR;
}

static long map(struct as *as, struct shmem *s, size_t len, int prot, int flags, uint64_t off)
{
	return as_mmap_object(as, 0, len, prot, flags, s, off, NULL);
}

Test(object, shared_mapping_shows_and_changes_the_file)
{
	struct as *as = host_as();
	struct shmem *s = file_of(4, 0);
	vaddr_t a = (vaddr_t)map(as, s, 4 * PG, RW, SHARED, 0);

	cr_assert_eq(host_load(as, a + 2 * PG), 'c');
	cr_assert_eq(host_poke(as, a + PG, 'X'), FAULT_OK);
	cr_assert_eq(*(uint8_t *)phys_to_virt(shmem_lookup(s, 1)), 'X', "written to the file");
	cr_assert_eq(frame_at(as, a + PG), shmem_lookup(s, 1));
	cr_assert(host_pte(as, a + PG) & PTE_W);
	cr_assert_eq(s->refs, 2, "the region's reference and ours");
	shmem_put(s);
	host_as_done(as);
}

Test(object, private_read_maps_the_file_page_read_only)
{
	struct as *as = host_as();
	struct shmem *s = file_of(4, 0);
	vaddr_t a = (vaddr_t)map(as, s, 4 * PG, RW, PRIVATE, PG);
	paddr_t f2 = shmem_lookup(s, 2);

	cr_assert_eq(host_load(as, a + PG), 'c', "offset one page: page 1 shows file page 2");
	cr_assert_eq(frame_at(as, a + PG), f2, "the page cache's frame, no copy");
	cr_assert_not(host_pte(as, a + PG) & PTE_W);
	cr_assert_eq(frame_of(f2)->refs, 2, "the file and the PTE");
	shmem_put(s);
	host_as_done(as);
}

Test(object, private_write_copies_and_leaves_the_file_alone)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);
	vaddr_t a = (vaddr_t)map(as, s, 2 * PG, RW, PRIVATE, 0);
	paddr_t f0 = shmem_lookup(s, 0);

	cr_assert_eq(host_load(as, a), 'a');

	size_t used = frames_in_state(FRAME_USER); /* the page tables are there now */

	cr_assert_eq(host_poke(as, a + 1, 'Y'), FAULT_OK, "copy on write of a mapped page");
	cr_assert_neq(frame_at(as, a), f0);
	cr_assert_eq(host_load(as, a), 'a', "the copy has the file's bytes");
	cr_assert_eq(host_load(as, a + 1), 'Y');
	cr_assert_eq(((uint8_t *)phys_to_virt(f0))[1], 0, "the file did not change");
	cr_assert_eq(frame_of(f0)->refs, 1, "the PTE's reference went");
	cr_assert(host_pte(as, a) & PTE_W);
	cr_assert_eq(host_poke(as, a + PG + 1, 'Z'), FAULT_OK,
	             "copy on write of a page never mapped");
	cr_assert_eq(host_load(as, a + PG), 'b');
	cr_assert_eq(*(uint8_t *)phys_to_virt(shmem_lookup(s, 1)), 'b');
	cr_assert_eq(frames_in_state(FRAME_USER), used + 2, "two private copies");
	shmem_put(s);
	host_as_done(as);
}

Test(object, a_hole_fills_the_file_for_private_reads_too)
{
	struct as *as = host_as();
	struct shmem *s = file_of(3, 1U << 1);
	vaddr_t a = (vaddr_t)map(as, s, 3 * PG, PROT_READ, PRIVATE, 0);

	cr_assert_eq(shmem_lookup(s, 1), 0);
	cr_assert_eq(host_load(as, a + PG + 9), 0);
	cr_assert_neq(shmem_lookup(s, 1), 0, "Linux's shmem_fault() adds the page to the cache");
	cr_assert_eq(frame_at(as, a + PG), shmem_lookup(s, 1));
	shmem_put(s);
	host_as_done(as);
}

Test(object, past_the_end_is_sigbus_and_efault)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);
	vaddr_t a = (vaddr_t)map(as, s, 4 * PG, RW, PRIVATE, 0);
	uint8_t b = 1;

	cr_assert_eq(vm_fault(as, a + 2 * PG, VM_READ), FAULT_SIGBUS);
	cr_assert_eq(vm_fault(as, a + 3 * PG, VM_WRITE), FAULT_SIGBUS);
	cr_assert_eq(as_copyout(as, a + 2 * PG, &b, 1), -EFAULT);
	cr_assert_eq(host_load(as, a + PG), 'b');
	shmem_put(s);
	host_as_done(as);
}

Test(object, truncation_drops_file_pages_and_private_copies)
{
	struct as *as = host_as();
	struct shmem *s = file_of(4, 0);
	vaddr_t p = (vaddr_t)map(as, s, 4 * PG, RW, PRIVATE, 0);
	vaddr_t q = (vaddr_t)map(as, s, 4 * PG, RW, SHARED, 0);

	for (int i = 0; i < 4; i++) {
		cr_assert_eq(host_load(as, q + (vaddr_t)i * PG), 'a' + i);
		cr_assert_eq(host_poke(as, p + (vaddr_t)i * PG + 1, 'P'), FAULT_OK);
	}
	cr_assert_eq(shmem_resize(s, 1), 0);
	for (int i = 1; i < 4; i++) {
		cr_assert_eq(host_pte(as, p + (vaddr_t)i * PG), 0, "private copy %d dropped", i);
		cr_assert_eq(host_pte(as, q + (vaddr_t)i * PG), 0);
		cr_assert_eq(vm_fault(as, p + (vaddr_t)i * PG, VM_READ), FAULT_SIGBUS);
		cr_assert_eq(vm_fault(as, q + (vaddr_t)i * PG, VM_READ), FAULT_SIGBUS);
	}
	cr_assert_eq(host_load(as, p + 1), 'P', "below the new end the copy stays");
	cr_assert_eq(shmem_resize(s, 4), 0);
	cr_assert_eq(host_load(as, p + 3 * PG), 0, "grown again: the file's hole");
	shmem_put(s);
	host_as_done(as);
}

Test(object, punching_keeps_private_copies)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);
	vaddr_t p = (vaddr_t)map(as, s, 2 * PG, RW, PRIVATE, 0);
	vaddr_t q = (vaddr_t)map(as, s, 2 * PG, RW, SHARED, 0);

	cr_assert_eq(host_poke(as, p + 1, 'P'), FAULT_OK);
	cr_assert_eq(host_load(as, p + PG), 'b');
	cr_assert_eq(as_madvise(as, q, 2 * PG, MADV_REMOVE), 0);
	cr_assert_eq(host_load(as, p + 1), 'P', "a private copy is not the file's");
	cr_assert_eq(host_pte(as, p + PG), 0, "the file's page went from the private mapping too");
	cr_assert_eq(host_load(as, p + PG), 0);
	cr_assert_eq(as_madvise(as, p, PG, MADV_REMOVE), -EACCES);
	cr_assert_eq(as_madvise(as, p, PG, MADV_FREE), -EINVAL);
	shmem_put(s);
	host_as_done(as);
}

Test(object, mapped_twice_one_frame)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);
	vaddr_t a = (vaddr_t)map(as, s, 2 * PG, RW, SHARED, 0);
	vaddr_t b = (vaddr_t)map(as, s, PG, PROT_READ, SHARED, PG);

	cr_assert_eq(host_poke(as, a + PG + 5, 'T'), FAULT_OK);
	cr_assert_eq(host_load(as, b + 5), 'T');
	cr_assert_eq(frame_at(as, a + PG), frame_at(as, b));
	cr_assert_eq(frame_of(frame_at(as, b))->refs, 3);
	shmem_put(s);
	host_as_done(as);
}

Test(object, read_fault_maps_cached_neighbours)
{
	struct as *as = host_as();
	struct shmem *s = file_of(40, 1U << 5);
	vaddr_t a =
	    (vaddr_t)as_mmap_object(as, 0x40000000, 40 * PG, RW, PRIVATE | MAP_FIXED, s, 0, NULL);

	cr_assert_eq(a, 0x40000000);
	cr_assert_eq(host_load(as, a + 3 * PG), 'd');
	for (int i = 0; i < 40; i++)
		cr_assert_eq(host_pte(as, a + (vaddr_t)i * PG) != 0, i < 16 && i != 5, "page %d",
		             i);
	cr_assert_not(host_pte(as, a + 7 * PG) & PTE_W);
	cr_assert_eq(as->resident, 15);
	cr_assert_eq(host_poke(as, a + 20 * PG, 1), FAULT_OK);
	cr_assert_eq(as->resident, 16, "no fault-around for writes");
	shmem_put(s);
	host_as_done(as);
}

Test(object, file_regions_merge_on_continuous_offsets)
{
	struct as *as = host_as();
	struct shmem *s = file_of(8, 0);
	vaddr_t a = 0x40000000;

	as_mmap_object(as, a, 2 * PG, PROT_READ, SHARED | MAP_FIXED, s, 0, &gets);
	as_mmap_object(as, a + 2 * PG, 2 * PG, PROT_READ, SHARED | MAP_FIXED, s, 2 * PG, &gets);
	cr_assert_eq(as->regions.count, 1, "same file, offsets go on");
	as_mmap_object(as, a + 4 * PG, 2 * PG, PROT_READ, SHARED | MAP_FIXED, s, 0, &gets);
	cr_assert_eq(as->regions.count, 2, "offset 0 again");
	as_mmap_object(as, a + 6 * PG, PG, PROT_READ, SHARED | MAP_FIXED, s, 2 * PG, NULL);
	cr_assert_eq(as->regions.count, 3, "another open file");
	cr_assert_eq(host_load(as, a + 3 * PG), 'd');
	shmem_put(s);
	host_as_done(as);
}

Test(object, hooks_hold_the_file_while_a_region_does)
{
	struct as *as = host_as();
	struct shmem *s = file_of(8, 0);

	gets = puts_ = 0;
	mm_set_file_hooks(hook_get, hook_put);

	vaddr_t a = (vaddr_t)as_mmap_object(as, 0, 8 * PG, RW, PRIVATE, s, 0, &gets);

	cr_assert_eq(gets - puts_, 1);
	cr_assert_eq(as_mprotect(as, a + 2 * PG, PG, PROT_READ), 0);
	cr_assert_eq(gets - puts_, 3, "split in three");
	cr_assert_eq(as_mprotect(as, a + 2 * PG, PG, RW), 0);
	cr_assert_eq(gets - puts_, 1, "merged again");
	cr_assert_gt(as_mremap(as, a, 2 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 64 * PG),
	             0);
	cr_assert_eq(gets - puts_, 2);
	cr_assert_eq(host_load(as, a + 64 * PG + PG), 'b', "moved with its offset");
	cr_assert_eq(host_load(as, a + 64 * PG + 3 * PG), 'd');
	cr_assert_eq(as_munmap(as, a + 64 * PG, 4 * PG), 0);
	cr_assert_eq(gets - puts_, 1);
	shmem_put(s);
	host_as_done(as);
	cr_assert_eq(gets, puts_, "teardown put the last");
	mm_set_file_hooks(NULL, NULL);
}

Test(object, mprotect_keeps_file_pages_read_only)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);
	vaddr_t a = (vaddr_t)map(as, s, 2 * PG, PROT_READ, PRIVATE, 0);

	cr_assert_eq(host_load(as, a), 'a');
	cr_assert_eq(host_poke(as, a + PG, 'W'), FAULT_DENIED);
	cr_assert_eq(as_mprotect(as, a, 2 * PG, RW), 0);
	cr_assert_eq(host_poke(as, a + PG, 'W'), FAULT_OK); /* gives the region its anon */
	cr_assert_eq(as_mprotect(as, a, 2 * PG, RW | PROT_EXEC), 0);
	cr_assert_not(host_pte(as, a) & PTE_W, "the file's frame stays read-only");
	cr_assert(host_pte(as, a + PG) & PTE_W, "the copy is writable");
	cr_assert_eq(host_poke(as, a + 2, 'V'), FAULT_OK);
	cr_assert_eq(((uint8_t *)phys_to_virt(shmem_lookup(s, 0)))[2], 0);
	shmem_put(s);
	host_as_done(as);
}

Test(object, dontneed_drops_copies_and_rereads_the_file)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);
	vaddr_t a = (vaddr_t)map(as, s, 2 * PG, RW, PRIVATE, 0);

	cr_assert_eq(host_poke(as, a, 'C'), FAULT_OK);
	cr_assert_eq(as_madvise(as, a, 2 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(host_load(as, a), 'a');
	shmem_put(s);
	host_as_done(as);
}

Test(object, mmap_checks)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);

	cr_assert_eq(as_mmap_object(as, 0, PG, RW, SHARED, s, 100, NULL), -EINVAL);
	cr_assert_eq(as_mmap_object(as, 0, 0, RW, SHARED, s, 0, NULL), -EINVAL);
	cr_assert_eq(as_mmap_object(as, 0, PG, RW, SHARED | MAP_HUGETLB, s, 0, NULL), -EINVAL);
	cr_assert_eq(as_mmap_object(as, 0, PG, RW, 0, s, 0, NULL), -EINVAL);
	cr_assert_eq(as_mmap_object(as, 0, PG, RW, 0xf, s, 0, NULL), -EINVAL);
	cr_assert_eq(as_mmap_object(as, 0, PG, RW, PRIVATE | MAP_GROWSDOWN, s, 0, NULL), -EINVAL);
	cr_assert_eq(as_mmap_object(as, 0, PG, RW, MAP_SHARED_VALIDATE | MAP_SYNC, s, 0, NULL),
	             -EOPNOTSUPP);
	cr_assert_eq(as_mmap_object(as, 0, PG, RW, SHARED, s, 1UL << 63, NULL), -EOVERFLOW);
	cr_assert_eq(as_mmap_object(as, 0, 1UL << 62, RW, SHARED, s, 0, NULL), -ENOMEM);
	cr_assert_gt(as_mmap_object(as, 0, PG, RW, SHARED | MAP_SYNC, s, 0, NULL), 0,
	             "MAP_SHARED drops what it does not know");
	cr_assert_gt(as_mmap_object(as, 0, PG, RW, MAP_SHARED_VALIDATE, s, 0, NULL), 0);
	shmem_put(s);
	host_as_done(as);
}

Test(object, populate_of_private_writable_copies_every_page)
{
	struct as *as = host_as();
	struct shmem *s = file_of(3, 0);
	vaddr_t a = (vaddr_t)map(as, s, 3 * PG, RW, PRIVATE | MAP_POPULATE, 0);

	cr_assert_eq(as->resident, 3);
	for (int i = 0; i < 3; i++) {
		cr_assert_neq(frame_at(as, a + (vaddr_t)i * PG), shmem_lookup(s, (uint64_t)i));
		cr_assert(host_pte(as, a + (vaddr_t)i * PG) & PTE_W);
	}
	cr_assert_eq(host_load(as, a + 2 * PG), 'c');
	shmem_put(s);
	host_as_done(as);
}

Test(object, exec_segment_from_the_page_cache)
{
	struct as *as = host_as();
	struct shmem *s = file_of(4, 0);

	cr_assert_eq(as_define_object_region(as, 0x400000, 0x402000, VM_READ | VM_WRITE, RK_DATA, s,
	                                     2 * PG, NULL),
	             0);
	cr_assert_eq(as_define_object_region(as, 0x401000, 0x403000, VM_READ, RK_TEXT, s, 0, NULL),
	             -EEXIST);
	cr_assert_eq(as_define_object_region(as, 0x403000, 0x404000, VM_READ, RK_TEXT, s, 5, NULL),
	             -EINVAL);
	cr_assert_eq(
	    as_define_object_region(as, 0x403000, 0x404000, VM_READ, RK_TEXT, NULL, 0, NULL),
	    -EINVAL);

	const struct region *r = region_find(&as->regions, 0x400000);

	cr_assert_eq(r->kind, RK_DATA);
	cr_assert(r->flags & REGION_ACCOUNT);
	cr_assert_eq(host_load(as, 0x401000), 'd');
	cr_assert_eq(host_poke(as, 0x400000, 'w'), FAULT_OK);
	cr_assert_eq(*(uint8_t *)phys_to_virt(shmem_lookup(s, 2)), 'c', "the file stays");
	cr_assert_eq(host_load(as, 0x400000), 'w');
	shmem_put(s);
	host_as_done(as);
}

static bool never_writable(void *file)
{
	(void)file;
	return false;
}

Test(object, shared_mapping_of_a_read_only_file_never_writes)
{
	struct as *as = host_as();
	struct shmem *s = file_of(2, 0);

	mm_set_file_writable_hook(never_writable);

	vaddr_t a = (vaddr_t)as_mmap_object(as, 0, 2 * PG, PROT_READ, SHARED, s, 0, &gets);
	vaddr_t p = (vaddr_t)as_mmap_object(as, 0, PG, PROT_READ, PRIVATE, s, 0, &gets);

	cr_assert_eq(as_mprotect(as, a, 2 * PG, RW), -EACCES);
	cr_assert_eq(as_mprotect(as, a, 2 * PG, PROT_READ | PROT_EXEC), 0);
	cr_assert_eq(as_madvise(as, a, PG, MADV_REMOVE), -EACCES);
	cr_assert_eq(as_mprotect(as, p, PG, RW), 0, "a private mapping may write its copies");
	cr_assert_eq(host_poke(as, p, 'q'), FAULT_OK);
	cr_assert_eq(host_load(as, a), 'a');
	mm_set_file_writable_hook(NULL);
	shmem_put(s);
	host_as_done(as);
}
