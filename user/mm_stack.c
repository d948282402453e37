/* mm_stack: the stack is one grows-down mapping, as Linux's: 128 KiB below the argument pages
 * after exec, grown by a touch below it up to 8 MiB from the top, never within the guard gap
 * above a mapping below it, and nothing mapped below it. Prints only offsets from the stack top
 * or from pages the program touched, since Linux places the top and sp at random.
 */
#include <time.h>

#include "include/arena.h"

#define STACK_LIMIT (8UL << 20)
#define GAP         (256 * PG) /* stack_guard_gap */

static uintptr_t top; /* the end of the stack mapping */

/* The lowest page of the mapping holding page va. */
static uintptr_t start_of(uintptr_t va)
{
	while (spans(va - PG, 1))
		va -= PG;
	return va;
}

/* Pages from the stack top down to va. */
static long below_top(uintptr_t va)
{
	return (long)((top - va) / PG);
}

/* The kernel writes to va, faulting as the program would: 0 or -1 with EFAULT. */
static long kernel_writes(uintptr_t va)
{
	return syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)va);
}

/* Touch every page of a 4 KiB frame per call, depth calls deep; the lowest byte touched. */
__attribute__((noinline)) static uintptr_t dive(int depth)
{
	volatile char page[4096];
	uintptr_t low;

	page[0] = (char)depth;
	low = depth ? dive(depth - 1) : (uintptr_t)&page[0];
	return low + (uintptr_t)page[0] - (uintptr_t)(char)depth;
}

static void at_exec(char *arg0)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0) & ~(PG - 1);

	top = end_of(sp);
	uintptr_t args = (uintptr_t)arg0 & ~(PG - 1); /* argv[0]: the lowest string */
	uintptr_t start = start_of(sp);

	printf("at exec: the stack reaches %ld pages below the argument pages\n",
	       below_top(start) - below_top(args));
	fact("at exec: the stack is one mapping ending at its top",
	     !spans(top, 1) && spans(top - PG, 1));
	res("mremap just below it", syscall(SYS_mremap, start - PG, PG, 2 * PG, 0, 0), EFAULT);
	res("MADV_NORMAL 64 pages below it", syscall(SYS_madvise, start - 64 * PG, PG, MADV_NORMAL),
	    ENOMEM);
	res("MADV_DONTNEED below it", syscall(SYS_madvise, start - PG, PG, MADV_DONTNEED), ENOMEM);
	res("mprotect below it", mprotect((void *)(start - 8 * PG), PG, PROT_READ), ENOMEM);
	res("mlock below it", mlock((void *)(start - 2 * PG), PG), ENOMEM);
	res("munmap below it", munmap((void *)(start - 4 * PG), PG), 0);
	res("MAP_FIXED_NOREPLACE on its lowest page",
	    mmap((void *)start, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
	            MAP_FAILED
	        ? -1
	        : 0,
	    EEXIST);
	void *m = mmap((void *)(start - 2 * PG), PG, RW,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	res("MAP_FIXED_NOREPLACE in the gap below it", m == (void *)(start - 2 * PG) ? 0 : -1, 0);
	res("the stack grows no closer to it than 256 pages", kernel_writes(start - PG), EFAULT);
	res("munmap it", munmap(m, PG), 0);
	fact("at exec: the stack did not move", start_of(sp) == start);
}

static void growth(void)
{
	uintptr_t start = start_of(top - PG);
	uintptr_t low = dive(64) & ~(PG - 1);

	printf("64 frames deep: the lowest page touched %s the stack's lowest\n",
	       start_of(top - PG) == low ? "is" : "is not");
	fact("the pages between are mapped", spans(start - PG, 1) && spans(low, 1));
	/* A touch far below sp grows the stack to it, nothing more. */
	uintptr_t far = top - (2UL << 20);

	*(volatile char *)(far + 100) = 1;
	printf("a touch 2 MiB below the top: the stack begins %ld pages below the top\n",
	       below_top(start_of(top - PG)));
	res("a kernel write 1 byte beyond 8 MiB", kernel_writes(top - STACK_LIMIT - 16), EFAULT);
	printf("  the stack begins %ld pages below the top\n", below_top(start_of(top - PG)));
	res("a kernel write at 8 MiB", kernel_writes(top - STACK_LIMIT), 0);
	printf("  the stack begins %ld pages below the top\n", below_top(start_of(top - PG)));
	res("mprotect in the grown part", mprotect((void *)(top - (6UL << 20)), PG, PROT_READ), 0);
	res("back to read-write", mprotect((void *)(top - (6UL << 20)), PG, RW), 0);
	/* munmap of an untouched part splits it; the part below stays a mapping of its own */
	res("munmap 4 pages 7 MiB below the top", munmap((void *)(top - (7UL << 20)), 4 * PG), 0);
	printf("  the stack mapping begins %ld pages below the top; the part below %ld pages\n",
	       below_top(start_of(top - PG)), below_top(start_of(top - (7UL << 20) - PG)));
	res("a kernel write in the hole", kernel_writes(top - (7UL << 20)), 0);
	printf("  the mapping above grew into it: begins %ld pages below the top\n",
	       below_top(start_of(top - PG)));
	res("munmap the stack's untouched lower 6 MiB",
	    munmap((void *)(top - STACK_LIMIT), 6UL << 20), 0);
	printf("  the stack begins %ld pages below the top\n", below_top(start_of(top - PG)));
}

/* A mapping 4 MiB below the top: the stack stops GAP above it. */
static void guard_gap(void)
{
	uintptr_t m = top - (4UL << 20);

	res("MAP_FIXED_NOREPLACE 4 MiB below the top",
	    mmap((void *)m, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
	         0) == (void *)m
	        ? 0
	        : -1,
	    0);
	res("a kernel write 255 pages above it", kernel_writes(m + PG + GAP - PG), EFAULT);
	printf("  the stack begins %ld pages below the top\n", below_top(start_of(top - PG)));
	res("a kernel write 256 pages above it", kernel_writes(m + PG + GAP), 0);
	printf("  the stack begins %ld pages below the top\n", below_top(start_of(top - PG)));
	res("PROT_NONE on the mapping", mprotect((void *)m, PG, PROT_NONE), 0);
	res("a kernel write just above it", kernel_writes(m + PG), 0);
	printf("  the stack begins %ld pages below the top\n", below_top(start_of(top - PG)));
	res("munmap the mapping", munmap((void *)m, PG), 0);
	/* A hint in the gap below the stack is moved out of it. */
	void *h = mmap((void *)(m - PG), PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("an mmap hint just below the stack %s\n",
	       (uintptr_t)h == m - PG ? "is taken" : "is moved elsewhere");
	munmap(h, PG);
	void *f = mmap((void *)(m - PG), PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	printf("MAP_FIXED just below the stack %s\n",
	       (uintptr_t)f == m - PG ? "is taken" : "fails");
	munmap(f, PG);
}

int main(int argc, char **argv)
{
	(void)argc;
	at_exec(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	growth();
	guard_gap();
	printf("failures: %d\n", failures);
	return failures != 0;
}
