/* sig_fault: faults delivered to SA_SIGINFO handlers. For each kind of fault it prints what
 * the handler saw: signo, si_code, si_addr (as a relation to a known address, never raw), and the
 * ucontext's rip, err, trapno and cr2; the handler skips the faulting instruction by moving the
 * saved rip, so the program goes on. Owned by the user/tests part. */
#define _GNU_SOURCE
#include "include/check.h"
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

/* What the last handler saw. */
static struct {
	int signo, code, errno_;
	uintptr_t addr, rip, err, trapno, cr2, csgsfs;
	int count;
} seen;
static uintptr_t resume;   /* where the handler sends the program on */
static int pop;            /* and whether it takes a return address off the stack */
static uintptr_t last_cr2; /* Linux keeps the last page fault's address for later signals */

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	seen.signo = sig;
	seen.code = si->si_code;
	seen.errno_ = si->si_errno;
	seen.addr = (uintptr_t)si->si_addr;
	seen.rip = uc->uc_mcontext.gregs[REG_RIP];
	seen.err = uc->uc_mcontext.gregs[REG_ERR];
	seen.trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
	seen.cr2 = uc->uc_mcontext.gregs[REG_CR2];
	seen.csgsfs = uc->uc_mcontext.gregs[REG_CSGSFS];
	seen.count++;
	uc->uc_mcontext.gregs[REG_RIP] = resume;
	if (pop)
		uc->uc_mcontext.gregs[REG_RSP] += 8;
	pop = 0;
}

/* Each probe: one faulting instruction at label NAME, and NAME_end after it. */
#define AT(name, insn) ".globl " #name "\n" #name ": " insn "\n.globl " #name "_end\n" #name "_end:"

extern char load_at[], load_at_end[], store_at[], store_at_end[], fetch_at[], fetch_at_end[];
extern char div_at[], div_at_end[], ud2_at[], ud2_at_end[], int3_at[], int3_at_end[];
extern char hlt_at[], hlt_at_end[];

static void report(const char *what, int sig, int code, uintptr_t addr, uintptr_t rip,
                   uintptr_t err, uintptr_t trapno, uintptr_t cr2)
{
	printf("%s: signo %d code %d errno %d addr %s rip %s err %#lx trapno %lu cr2 %s count %d\n",
	       what, seen.signo, seen.code, seen.errno_, seen.addr == addr ? "ok" : "WRONG",
	       seen.rip == rip ? "ok" : "WRONG", (unsigned long)seen.err,
	       (unsigned long)seen.trapno, seen.cr2 == cr2 ? "ok" : "WRONG", seen.count);
	if (trapno == 14)
		last_cr2 = cr2;
	if (seen.signo != sig || seen.code != code || seen.addr != addr || seen.rip != rip ||
	    seen.err != err || seen.trapno != trapno || seen.cr2 != cr2)
		failures++;
	memset(&seen, 0, sizeof(seen));
}

/* Read and write p at load_at/store_at; the handler resumes after the instruction. */
__attribute__((noinline)) static void load(volatile void *p)
{
	resume = (uintptr_t)load_at_end;
	__asm__ volatile(AT(load_at, "movl (%0), %%eax") : : "r"(p) : "eax", "memory");
}

__attribute__((noinline)) static void store(volatile void *p)
{
	resume = (uintptr_t)store_at_end;
	__asm__ volatile(AT(store_at, "movl $1, (%0)") : : "r"(p) : "memory");
}

static void memory_faults(void)
{
	char *none = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 4096);

	store((void *)16);
	printf("cs %#lx gs %#lx fs %#lx ss %#lx\n", seen.csgsfs & 0xffff,
	       (seen.csgsfs >> 16) & 0xffff, (seen.csgsfs >> 32) & 0xffff, seen.csgsfs >> 48);
	report("write NULL+16", SIGSEGV, SEGV_MAPERR, 16, (uintptr_t)store_at, 6, 14, 16);
	load(none + 4100);
	report("read PROT_NONE", SIGSEGV, SEGV_ACCERR, (uintptr_t)none + 4100, (uintptr_t)load_at,
	       4, 14, (uintptr_t)none + 4100);
	store(none + 8);
	report("write PROT_NONE", SIGSEGV, SEGV_ACCERR, (uintptr_t)none + 8, (uintptr_t)store_at, 6,
	       14, (uintptr_t)none + 8);
	load(ro); /* maps the page: the write below is a protection fault on a present page */
	store(ro + 12);
	report("write PROT_READ", SIGSEGV, SEGV_ACCERR, (uintptr_t)ro + 12, (uintptr_t)store_at, 7,
	       14, (uintptr_t)ro + 12);
	load(hole + 1);
	report("read unmapped", SIGSEGV, SEGV_MAPERR, (uintptr_t)hole + 1, (uintptr_t)load_at, 4,
	       14, (uintptr_t)hole + 1);
	load((void *)0xffffffff80000000UL);
	report("read kernel address", SIGSEGV, SEGV_MAPERR, 0xffffffff80000000UL,
	       (uintptr_t)load_at, 5, 14, 0xffffffff80000000UL);
	store((void *)0x7ffffffff800UL);
	report("write last user page", SIGSEGV, SEGV_MAPERR, 0x7ffffffff800UL, (uintptr_t)store_at,
	       7, 14, 0x7ffffffff800UL);
	munmap(none, 8192);
	munmap(ro, 4096);
}

/* A write in the stack's guard gap (256 pages above a mapping below the stack): the stack does
 * not grow there, and Linux says SEGV_MAPERR. */
static void guard_gap(void)
{
	uintptr_t top = (uintptr_t)__builtin_frame_address(0) & ~(uintptr_t)4095;
	while (syscall(SYS_madvise, top, 4096, MADV_NORMAL) == 0)
		top += 4096; /* the stack's end */
	char *m = (char *)(top - (4UL << 20));
	if (mmap(m, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) !=
	    m) {
		printf("guard gap: mmap failed\n");
		failures++;
		return;
	}
	store(m + 257 * 4096); /* the stack grows down to here */
	printf("stack grown: %s\n", seen.count ? "no" : "yes");
	store(m + 256 * 4096 + 8);
	report("write in the guard gap", SIGSEGV, SEGV_MAPERR, (uintptr_t)m + 256 * 4096 + 8,
	       (uintptr_t)store_at, 6, 14, (uintptr_t)m + 256 * 4096 + 8);
	munmap(m, 4096);
}

/* Past the end of a shared file mapping: SIGBUS, BUS_ADRERR. */
static void bus_fault(void)
{
	int fd = memfd_create("sig_fault", 0);
	if (fd < 0 || ftruncate(fd, 4096)) {
		printf("memfd: %s\n", ename(errno));
		failures++;
		return;
	}
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	load(m + 4096 + 8);
	report("read past a file's end", SIGBUS, BUS_ADRERR, (uintptr_t)m + 4104,
	       (uintptr_t)load_at, 4, 14, (uintptr_t)m + 4104);
	munmap(m, 8192);
	close(fd);
}

/* Jumping to a PROT_READ page: an instruction fetch, err has bit 4. */
static void exec_fault(void)
{
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void (*fn)(void) = (void (*)(void))(ro + 64);
	pop = 1;
	__asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\tcall *%1\n1:"
	                 : "=m"(resume)
	                 : "r"(fn)
	                 : "rax", "memory");
	report("execute PROT_READ", SIGSEGV, SEGV_ACCERR, (uintptr_t)fn, (uintptr_t)fn, 0x15, 14,
	       (uintptr_t)fn);
	munmap(ro, 4096);
}

/* Reading execute-only memory: a protection key forbids it (SEGV_PKUERR, si_pkey 1) where the
 * CPU has keys, else it is readable. */
static void exec_only_read(void)
{
	char *x = mmap(NULL, 4096, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	seen.count = 0;
	load(x + 32);
	printf("read PROT_EXEC: signo %d code %d addr %s count %d\n", seen.signo, seen.code,
	       seen.addr == (uintptr_t)x + 32 ? "ok" : "WRONG", seen.count);
	if (seen.count)
		last_cr2 = seen.cr2;
	memset(&seen, 0, sizeof(seen));
	munmap(x, 4096);
}

__attribute__((noinline)) static void exceptions(void)
{
	int zero = 0;
	resume = (uintptr_t)div_at_end;
	__asm__ volatile("cltd\n" AT(div_at, "idivl %0") : : "r"(zero), "a"(7) : "edx", "memory");
	report("divide by zero", SIGFPE, FPE_INTDIV, (uintptr_t)div_at, (uintptr_t)div_at, 0, 0,
	       last_cr2);
	resume = (uintptr_t)ud2_at_end;
	__asm__ volatile(AT(ud2_at, "ud2") : : : "memory");
	report("ud2", SIGILL, ILL_ILLOPN, (uintptr_t)ud2_at, (uintptr_t)ud2_at, 0, 6, last_cr2);
	resume = (uintptr_t)int3_at_end;
	__asm__ volatile(AT(int3_at, "int3") : : : "memory");
	report("int3", SIGTRAP, SI_KERNEL, 0, (uintptr_t)int3_at_end, 0, 3, last_cr2);
	resume = (uintptr_t)hlt_at_end;
	__asm__ volatile(AT(hlt_at, "hlt") : : : "memory");
	report("hlt", SIGSEGV, SI_KERNEL, 0, (uintptr_t)hlt_at, 0, 13, last_cr2);
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO};
	int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
	memory_faults();
	guard_gap();
	bus_fault();
	exec_fault();
	exec_only_read();
	exceptions();
	printf("sig_fault: %d failures\n", failures);
	return failures != 0;
}
