/* The system-call fuzzer's PRNG and argument generators: values biased toward the interesting
 * (bad, half-mapped and read-only pointers, odd lengths, stale and wrong-typed fds, flag soup). */
#include "fuzz.h"
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define KHALF  0xffff800000000000UL /* the kernel half */
#define NONCAN 0x0000800000000000UL /* the first non-canonical address */
#define UTOP   0x7ffffffff000UL     /* the last user page (unmapped: the stack ends below it) */
#define MB     (1UL << 20)

uint64_t fz_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return (x ^ (x >> 31)) | 1;
}

/* The next 64 random bits of f's stream. */
uint64_t rnd(struct fz *f)
{
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dUL;
}

/* A number in [0, n). */
uint64_t below(struct fz *f, uint64_t n)
{
	return n ? rnd(f) % n : 0;
}

/* True one time in n. */
bool one_in(struct fz *f, uint64_t n)
{
	return below(f, n) == 0;
}

/* Paths: the worker's own names (its cwd is /tmp/fz/wN), other workers' names, the special
 * files, odd spellings. The program itself is not here: a rename, chmod or truncate of it would
 * end the runs that follow, which tests only the fuzzer. */
static const char *const paths[] = {
    "a",
    "b",
    "c",
    "d",
    "d/x",
    "d/y/z",
    "l",
    "lnk/x",
    "loop",
    ".",
    "..",
    "",
    "/",
    "/tmp",
    "/tmp/fz",
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/urandom",
    "/dev",
    "/proc",
    "/proc/self",
    "/proc/self/maps",
    "/proc/self/status",
    "/proc/self/stat",
    "/proc/self/fd",
    "/proc/self/fd/3",
    "/proc/self/fd/5",
    "/proc/self/fd/0",
    "/proc/meminfo",
    "/proc/vmstat",
    "/nonexistent",
    "/nonexistent/a",
    "a/",
    "a/.",
    "d/..",
    "//tmp//fz/",
    "../w0/a",
    "../w1/d",
    "d/../a",
    "d/x/",
    "m",
    "f",
    "p",
};
static char longname[300];
static char longpath[4200];

/* Fill the long names once (a name past NAME_MAX, a path past PATH_MAX). */
static void long_names_init(void)
{
	memset(longname, 'n', sizeof(longname) - 1);
	for (size_t i = 0; i + 2 < sizeof(longpath); i += 2)
		memcpy(longpath + i, "d/", 2);
}

/* The two scratch pages, then a guard page: structures the generators build, and strings and
 * structures that run into the guard (half-mapped). */
void fz_scratch_init(void)
{
	sc(SYS_mmap, SCRATCH, (SCRATCH_PG + 1) * PAGE, PROT_READ | PROT_WRITE,
	   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	sc(SYS_mprotect, SCRATCH + SCRATCH_PG * PAGE, PAGE, PROT_NONE, 0, 0, 0);
	long_names_init();
}

/* Room for n bytes in the scratch pages; one time in 12 ending exactly at the guard (the
 * generators write all n bytes, so never past it). */
void *fz_scratch(struct fz *f, size_t n)
{
	static size_t next;
	uint64_t end = SCRATCH + SCRATCH_PG * PAGE;
	if (one_in(f, 12))
		return (void *)(end -
		                n); /* a kernel that reads more than n bytes meets the guard */
	if (next + n > SCRATCH_PG * PAGE - 64)
		next = 0;
	void *p = (void *)(SCRATCH + next);
	next += (n + 15) & ~15UL;
	return p;
}

/* The arena: RW pages, a hole, RO, PROT_NONE, RW again, so that a buffer at a boundary is
 * half-mapped (RW into a hole, hole into RO, RO into nothing). */
void fz_arena_init(int w)
{
	uint64_t a = ARENA(w);
	sc(SYS_mmap, a, ARENA_PG * PAGE, PROT_READ | PROT_WRITE,
	   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	for (uint64_t p = 0; p < ARENA_PG; p += 3)
		*(volatile char *)(a + p * PAGE) = (char)p; /* some pages present, some not */
	sc(SYS_munmap, a + 40 * PAGE, 4 * PAGE, 0, 0, 0, 0);
	sc(SYS_mprotect, a + 44 * PAGE, 8 * PAGE, PROT_READ, 0, 0, 0);
	sc(SYS_mprotect, a + 52 * PAGE, 4 * PAGE, PROT_NONE, 0, 0, 0);
}

/* A pointer the kernel may write through: the arena (any of its kinds of page), a boundary, the
 * scratch pages, an mmap result, NULL, the kernel half, non-canonical, the top of user space. */
uint64_t gen_out(struct fz *f)
{
	uint64_t a = ARENA(f->w);
	switch (below(f, 16)) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
		return a + below(f, ARENA_PG * PAGE);
	case 6:
		return a + PICK(f, 40, 44, 52, 56) * PAGE - below(f, 64);
	case 7:
		return one_in(f, 2) ? 0 : below(f, PAGE);
	case 8:
		return KHALF + below(f, 1UL << 40) * 8 + PICK(f, 0, 0xffff8000000000UL);
	case 9:
		return PICK(f, NONCAN, 0x8000000000000000UL, 0x00ff000000000000UL) + below(f, PAGE);
	case 10:
		return UTOP + PAGE - below(f, 64);
	case 11:
	case 12:
		return f->maps[below(f, NMAP)] + below(f, 4 * PAGE);
	case 13:
		return rnd(f);
	default:
		return SCRATCH + below(f, SCRATCH_PG * PAGE);
	}
}

/* A pointer the kernel reads: as gen_out, or the program's own read-only data. */
uint64_t gen_in(struct fz *f)
{
	if (one_in(f, 8))
		return (uint64_t)paths[below(f, sizeof(paths) / sizeof(paths[0]))];
	return gen_out(f);
}

/* A path: mostly a name from the pool, else a long one, one running into the guard page, or a
 * bad pointer. */
uint64_t gen_path(struct fz *f)
{
	switch (below(f, 16)) {
	case 0:
		return (uint64_t)longname;
	case 1:
		return (uint64_t)longpath;
	case 2: {
		uint64_t end = SCRATCH + SCRATCH_PG * PAGE;
		memset((void *)(end - 16), 'a', 16); /* no NUL before the guard */
		return end - 1 - below(f, 16);
	}
	case 3:
		return gen_out(f);
	default:
		return (uint64_t)paths[below(f, sizeof(paths) / sizeof(paths[0]))];
	}
}

/* An fd: one of the slots (open, closed or reused by now), or an odd number. */
uint64_t gen_fd(struct fz *f)
{
	if (below(f, 10) < 7)
		return (uint64_t)(long)f->fds[below(f, NFD)];
	return PICK(f, -1UL, 0, 1, 2, 3, 7, 19, 63, 1023, 1024, 65535, 0x7fffffff, 0x80000000,
	            -100UL, 0xffffffff00000003UL);
}

/* A length: zero, one, around a page, pages, huge, negative. */
uint64_t gen_len(struct fz *f)
{
	switch (below(f, 10)) {
	case 0:
		return PICK(f, 0, 1, 2, 7, 8, 16, 64);
	case 1:
	case 2:
		return below(f, 512);
	case 3:
		return PICK(f, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 65536, 65537);
	case 4:
		return below(f, 64 * PAGE);
	case 5:
		return PICK(f, -1UL, -PAGE, 0x7fffffffUL, 0x80000000UL, 0xffffffffUL,
		            0x7fffffffffffffffUL, 1UL << 40, 0x8000000000000000UL);
	default:
		return below(f, 4 * PAGE);
	}
}

/* An address the memory calls may change: the arena, an mmap result, or one that cannot hold
 * the program (NULL's page, the kernel half, non-canonical, the top). Never the program's own
 * image, stack, heap or scratch: unmapping those tests only the fuzzer. */
uint64_t gen_target(struct fz *f)
{
	uint64_t a = ARENA(f->w);
	switch (below(f, 16)) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
	case 5:
		return a + below(f, ARENA_PG + 8) * PAGE;
	case 6:
		return a + below(f, ARENA_PG * PAGE);
	case 7:
	case 8:
	case 9:
		return f->maps[below(f, NMAP)] ? f->maps[below(f, NMAP)] + below(f, 4) * PAGE : a;
	case 10:
		return PICK(f, 0, PAGE, 0x10000);
	case 11:
		return KHALF + below(f, 1UL << 30) * PAGE;
	case 12:
		return NONCAN + below(f, 16) * PAGE;
	case 13:
		return UTOP;
	default:
		return a + PICK(f, 39, 40, 43, 44, 51, 52, 55, 56, 63) * PAGE;
	}
}

/* A length for a memory call at addr: pages up to 64 MiB (the gap below the stack is 128 MiB),
 * a few near NULL, or one that wraps past the end of the address space. Never a large length
 * that does not wrap: it would reach the program's stack or image. */
uint64_t gen_mlen(struct fz *f, uint64_t addr)
{
	uint64_t max = addr < 16 * MB ? 16 * PAGE : 64 * MB;
	switch (below(f, 10)) {
	case 0:
		return PICK(f, 0, 1, PAGE - 1, PAGE + 1);
	case 1:
		return one_in(f, 2) ? PICK(f, -1UL, -PAGE) : -addr + PAGE * below(f, 2);
	case 2:
		return below(f, max);
	case 3:
		return (below(f, max / PAGE) + 1) * PAGE;
	default:
		return (below(f, 16) + 1) * PAGE;
	}
}

/* Flags from mask: none, a random subset, one bit, or anything at all. */
uint64_t gen_flags(struct fz *f, uint64_t mask)
{
	switch (below(f, 10)) {
	case 0:
	case 1:
		return 0;
	case 2:
		return mask & (1UL << below(f, 64));
	case 3:
		return rnd(f) & 0xffffffffUL;
	case 4:
		return rnd(f);
	default:
		return rnd(f) & rnd(f) & mask;
	}
}

/* A process id: the worker, its group, its children, the groups of them, everyone, nonsense. */
uint64_t gen_pid(struct fz *f)
{
	switch (below(f, 10)) {
	case 0:
		return 0;
	case 1:
		return -1UL;
	case 2:
		return (uint64_t)sc(SYS_getpid, 0, 0, 0, 0, 0, 0);
	case 3:
		return (uint64_t)-sc(SYS_getpgid, 0, 0, 0, 0, 0, 0);
	case 4:
	case 5:
		return (uint64_t)(long)f->pids[below(f, NPID)];
	case 6:
		return (uint64_t) - (long)f->pids[below(f, NPID)];
	case 7:
		return (uint64_t)(long)f->sup_pid;
	case 8:
		return below(f, 64);
	default:
		return PICK(f, 99999, 0x7fffffff, 0x80000000, -2147483647UL - 1, 4194304, -99999UL);
	}
}

/* A signal number, valid mostly. */
uint64_t gen_sig(struct fz *f)
{
	if (one_in(f, 12))
		return PICK(f, 65, 66, 128, -1UL, 0x100000001UL);
	return below(f, 65);
}

/* One argument of kind k: f fd, d dirfd, p path, o/i pointer written/read, l length, F flags
 * (mask), m mode, M mknod mode, O offset, a memory target, P pid, s signal, n small number,
 * x anything, c count, S sigset size, t time structure, q pollfds, b bitmap, k signal set,
 * v iovecs, r rlimit, g stack_t, h sigaction, u id, e argv, E envp, I ioctl, C fcntl command,
 * A advice, T protection, W whence, K fcntl's third (a struct flock or anything), Y flock's
 * operation, 0 zero. ('L', a memory length, is fz_call's: it needs the
 * address.) */
uint64_t gen_arg(struct fz *f, char k, uint64_t mask)
{
	switch (k) {
	case 'f':
		return gen_fd(f);
	case 'd':
		return one_in(f, 2) ? -100UL : gen_fd(f);
	case 'p':
		return gen_path(f);
	case 'o':
		return gen_out(f);
	case 'i':
		return gen_in(f);
	case 'l':
		return gen_len(f);
	case 'F':
		return gen_flags(f, mask);
	case 'm':
		return one_in(f, 10) ? rnd(f) : below(f, 010000);
	case 'M':
		return PICK(f, 0, 0100000, 040000, 020000, 060000, 010000, 0140000, 0120000,
		            0170000) |
		       below(f, 010000);
	case 'O':
		return one_in(f, 3) ? gen_len(f) : below(f, 16) * (one_in(f, 2) ? PAGE : 1);
	case 'a':
		return gen_target(f);
	case 'P':
		return gen_pid(f);
	case 's':
		return gen_sig(f);
	case 'n':
		return one_in(f, 8) ? PICK(f, -1UL, 0x7fffffff, 0x80000000, -2UL, 1000)
		                    : below(f, 20);
	case 'x':
		return one_in(f, 2) ? below(f, 64) : rnd(f);
	case 'c':
		return one_in(f, 8) ? PICK(f, 1024, 1025, -1UL, 0x7fffffff, 0x100000001UL)
		                    : below(f, 9);
	case 'S':
		return one_in(f, 4) ? PICK(f, 0, 4, 16, 128, -1UL) : 8;
	case 't':
		return gen_time(f);
	case 'q':
		return gen_pollfds(f);
	case 'b':
		return gen_bytes(f, 128);
	case 'k':
		return gen_sigset(f);
	case 'v':
		return gen_iov(f);
	case 'r':
		return gen_rlimit(f);
	case 'g':
		return gen_stack(f);
	case 'h':
		return gen_sigaction(f);
	case 'u':
		return PICK(f, 0, 0, 1, 1000, 65534, -1UL, 0xffffffff, 0x100000000UL);
	case 'e':
		return gen_exec_argv(f);
	case 'E':
		return PICK(f, 0, (uint64_t) "\0\0\0\0\0\0\0\0", NONCAN, 8);
	case 'I':
		return PICK(f, 0x5451, 0x5450, 0x541b, 0x5421, 0x5401, 0x5413, 0x540f, 0x80086601,
		            0x40086602, 0xc0185879, 0x541c, 0x5422) ^
		       (one_in(f, 8) ? rnd(f) : 0);
	case 'C':
		return one_in(f, 8) ? rnd(f) & 0xffffffff
		                    : PICK(f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1024, 1025,
		                           1026, 1030, 1031, 1032, 1033, 1034, 15, 16, 36, 37, 38);
	case 'A':
		return one_in(f, 8) ? rnd(f) & 0xffff
		                    : PICK(f, 0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
		                           18, 19, 20, 21, 22, 23, 25, 100, 101, 102, 103);
	case 'T':
		return one_in(f, 8) ? rnd(f) & 0xffffffff
		                    : below(f, 8) | (one_in(f, 8) ? 0x1000000 : 0);
	case 'W':
		return one_in(f, 8) ? rnd(f) : below(f, 5);
	case 'K': /* fcntl's third: a struct flock for the lock commands, anything else */
		return one_in(f, 2) ? gen_flock(f) : gen_arg(f, 'x', mask);
	case 'Y': /* flock's operation */
		return one_in(f, 8) ? rnd(f) & 0xffffffff : PICK(f, 1, 2, 8, 5, 6, 12, 32, 0, 3);
	default:
		return 0;
	}
}
