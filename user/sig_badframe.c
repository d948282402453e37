/* sig_badframe: handlers that change or spoil their frame. A SIGUSR1 handler edits what
 * rt_sigreturn will load (registers, the FPU state pointer, the XSAVE header, rip, the trap
 * flag); a spoiled frame must end in SIGSEGV, caught here and left with siglongjmp, never in a
 * kernel fault. (MXCSR's reserved bits are not tried: TCG's XRSTOR takes them, where a CPU
 * faults and Linux sends SIGSEGV, as SOS does.) Owned by the user/tests part. */
#define _GNU_SOURCE
#include "include/check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

enum spoil { REGS, NO_FPU, FPU_ADDR, XHEADER, KERNEL_RIP, NONCANON_RIP, TRAP_FLAG };
static enum spoil how;
static sigjmp_buf back;
static int segv_code, trap_code, traps;
static uintptr_t segv_addr;

static void usr1(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;
	(void)sig;
	(void)si;
	switch (how) {
	case REGS:
		g[REG_RBX] = 0x1111;
		g[REG_R12] = 0x2222;
		g[REG_R15] = 0x3333;
		break;
	case NO_FPU:
		uc->uc_mcontext.fpregs = NULL; /* Linux then gives the initial FPU state */
		break;
	case FPU_ADDR:
		uc->uc_mcontext.fpregs = (void *)16;
		break;
	case XHEADER:
		((uint64_t *)((char *)uc->uc_mcontext.fpregs + 512))[0] |= 1UL << 62;
		break;
	case KERNEL_RIP:
		g[REG_RIP] = (greg_t)0xffffffff80000000UL;
		break;
	case NONCANON_RIP:
		g[REG_RIP] = (greg_t)0x8000000000001000UL;
		break;
	case TRAP_FLAG:
		g[REG_EFL] |= 0x100;
		break;
	}
}

static void segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	segv_code = si->si_code;
	segv_addr = (uintptr_t)si->si_addr;
	siglongjmp(back, 1);
}

static void trap(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	(void)sig;
	trap_code = si->si_code;
	traps++;
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L; /* one step is enough */
}

/* Raise SIGUSR1 (kill from assembly) with rbx, r12, r15 set; print them after. */
__attribute__((noinline)) static void raise_and_show(const char *what, enum spoil h)
{
	register long rbx __asm__("rbx") = 7;
	register long r12 __asm__("r12") = 8;
	register long r15 __asm__("r15") = 9;
	__asm__ volatile("mov $39, %%eax\n\tsyscall\n\t" /* getpid */
	                 "mov %%eax, %%edi\n\tmov $10, %%esi\n\tmov $62, %%eax\n\tsyscall"
	                 : "+r"(rbx), "+r"(r12), "+r"(r15)
	                 :
	                 : "rax", "rdi", "rsi", "rcx", "r11", "memory");
	long got[3] = {rbx, r12, r15};
	printf("%s: returned, rbx %#lx r12 %#lx r15 %#lx", what, got[0], got[1], got[2]);
	if (h == TRAP_FLAG)
		printf(", SIGTRAP code %d, %d traps", trap_code, traps);
	printf("\n");
}

/* Raise SIGUSR1 with the frame spoiled as h says; what came back. */
static void run(const char *what, enum spoil h)
{
	how = h;
	segv_code = trap_code = traps = 0;
	if (sigsetjmp(back, 1)) {
		printf("%s: SIGSEGV, code %d, addr %s\n", what, segv_code,
		       segv_addr == 0                      ? "0"
		       : segv_addr == 0xffffffff80000000UL ? "the rip"
		                                           : "other");
		return;
	}
	raise_and_show(what, h);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	struct sigaction sa = {.sa_sigaction = usr1, .sa_flags = SA_SIGINFO};
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = segv;
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_sigaction = trap;
	sigaction(SIGTRAP, &sa, NULL);
	run("registers changed", REGS);
	run("no FPU state", NO_FPU);
	run("FPU state at 16", FPU_ADDR);
	run("XSAVE header reserved bit", XHEADER);
	run("rip in the kernel", KERNEL_RIP);
	run("rip not canonical", NONCANON_RIP);
	run("trap flag", TRAP_FLAG);
	printf("sig_badframe: done\n");
	return 0;
}
