/* sig_sse: the SSE (and AVX) state across a signal. xmm0-15, ymm upper halves, MXCSR, rcx and
 * r11 are set, then a fault (ud2) or a system call (kill) brings a handler that checks it starts
 * with a clean FPU, reads the saved state in the frame, changes xmm3 there and clobbers the live
 * registers; rt_sigreturn must bring back the frame's values. Owned by the user/tests part. */
#define _GNU_SOURCE
#include "include/check.h"
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static uint64_t xin[16][2], xout[16][2], xseen[16][2], yin[16][4], yout[16][4];
static uint32_t mxcsr_in = 0x9fc0, mxcsr_out, mxcsr_seen;
static uint64_t rcx_out, r11_out;
static int frame_match, skip;

#define ALL_XMM                                                                                    \
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",   \
	    "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
#define XMM_DO(op, base)                                                                           \
	op " 0(" base "), %%xmm0\n\t" op " 16(" base "), %%xmm1\n\t" op " 32(" base                \
	   "), %%xmm2\n\t" op " 48(" base "), %%xmm3\n\t" op " 64(" base "), %%xmm4\n\t" op        \
	   " 80(" base "), %%xmm5\n\t" op " 96(" base "), %%xmm6\n\t" op " 112(" base              \
	   "), %%xmm7\n\t" op " 128(" base "), %%xmm8\n\t" op " 144(" base "), %%xmm9\n\t" op      \
	   " 160(" base "), %%xmm10\n\t" op " 176(" base "), %%xmm11\n\t" op " 192(" base          \
	   "), %%xmm12\n\t" op " 208(" base "), %%xmm13\n\t" op " 224(" base "), %%xmm14\n\t" op   \
	   " 240(" base "), %%xmm15\n\t"
#define XMM_STORE(base)                                                                            \
	"movdqu %%xmm0, 0(" base ")\n\tmovdqu %%xmm1, 16(" base ")\n\tmovdqu %%xmm2, 32(" base     \
	")\n\tmovdqu %%xmm3, 48(" base ")\n\tmovdqu %%xmm4, 64(" base                              \
	")\n\tmovdqu %%xmm5, 80(" base ")\n\tmovdqu %%xmm6, 96(" base                              \
	")\n\tmovdqu %%xmm7, 112(" base ")\n\tmovdqu %%xmm8, 128(" base                            \
	")\n\tmovdqu %%xmm9, 144(" base ")\n\tmovdqu %%xmm10, 160(" base                           \
	")\n\tmovdqu %%xmm11, 176(" base ")\n\tmovdqu %%xmm12, 192(" base                          \
	")\n\tmovdqu %%xmm13, 208(" base ")\n\tmovdqu %%xmm14, 224(" base                          \
	")\n\tmovdqu %%xmm15, 240(" base ")\n\t"

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	(void)sig;
	(void)si;
	/* what the handler starts with: Linux gives it the initial FPU state */
	__asm__ volatile(XMM_STORE("%0") "stmxcsr %1" : : "r"(xseen), "m"(mxcsr_seen) : "memory");
	struct _fpstate *fp = uc->uc_mcontext.fpregs;
	frame_match = fp->mxcsr == mxcsr_in && memcmp(fp->_xmm, xin, sizeof(xin)) == 0;
	fp->_xmm[3].element[0] ^= 0xffffffff; /* sigreturn takes this changed value */
	uint64_t ones[2] = {~0UL, ~0UL};
	__asm__ volatile(XMM_DO("movdqu", "%0") : : "r"(ones) : ALL_XMM);
	uc->uc_mcontext.gregs[REG_RIP] += skip;
}

static void fill(void)
{
	for (int i = 0; i < 16; i++) {
		xin[i][0] = 0x0101010101010101UL * (i + 1);
		xin[i][1] = 0x1000000000000001UL + i;
		for (int k = 0; k < 4; k++)
			yin[i][k] = 0x1111111111111111UL * (uint64_t)(k + 1) + (uint64_t)i;
	}
	memset(xout, 0, sizeof(xout));
	memset(xseen, 0xaa, sizeof(xseen));
}

/* The changed xmm3 and every other register as they were. */
static int restored(void)
{
	uint64_t want[16][2];
	memcpy(want, xin, sizeof(want));
	want[3][0] ^= 0xffffffff;
	return memcmp(want, xout, sizeof(want)) == 0;
}

static void check(const char *how)
{
	static const uint64_t zero[16][2];
	printf("%s: handler saw clean xmm: %s, mxcsr %#x\n", how,
	       memcmp(xseen, zero, sizeof(zero)) ? "no" : "yes", mxcsr_seen);
	fact("  frame held xmm and mxcsr", frame_match);
	fact("  xmm back from the frame", restored());
	fact("  mxcsr back", mxcsr_out == mxcsr_in);
	if (mxcsr_seen != 0x1f80)
		failures++;
}

static void by_fault(void)
{
	fill();
	skip = 2;
	__asm__ volatile(
	    "ldmxcsr %5\n\t" XMM_DO(
	        "movdqu",
	        "%2") "mov $0x1234, %%rcx\n\t"
	              "mov $0x5678, %%r11\n\t"
	              "ud2\n\t" XMM_STORE("%3") "mov %%rcx, %0\n\tmov %%r11, %1\n\tstmxcsr %4\n\t"
	                                        "ldmxcsr %6"
	    : "=m"(rcx_out), "=m"(r11_out)
	    : "r"(xin), "r"(xout), "m"(mxcsr_out), "m"(mxcsr_in), "m"((uint32_t){0x1f80})
	    : "rcx", "r11", "memory", ALL_XMM);
	check("ud2");
	fact("  rcx and r11 kept", rcx_out == 0x1234 && r11_out == 0x5678);
}

static void by_syscall(void)
{
	fill();
	skip = 0;
	long pid = getpid();
	__asm__ volatile(
	    "ldmxcsr %3\n\t" XMM_DO("movdqu", "%0") "mov $62, %%eax\n\t"
	                                            "syscall\n\t" XMM_STORE("%1") "stmxcsr %2\n\t"
	                                                                          "ldmxcsr %4"
	    :
	    : "r"(xin), "r"(xout), "m"(mxcsr_out), "m"(mxcsr_in), "m"((uint32_t){0x1f80}), "D"(pid),
	      "S"((long)SIGUSR1)
	    : "rax", "rcx", "r11", "memory", ALL_XMM);
	check("kill");
}

/* ymm0-15 whole, across a fault, where the CPU and the kernel have AVX. */
static void ymm(void)
{
	unsigned a, b, c, d;
	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 28)) || !(c & (1u << 27))) {
		printf("ymm: no AVX\n");
		return;
	}
	fill();
	skip = 2;
	__asm__ volatile(
	    "vmovdqu 0(%0), %%ymm0\n\tvmovdqu 32(%0), %%ymm1\n\tvmovdqu 64(%0), %%ymm2\n\t"
	    "vmovdqu 96(%0), %%ymm3\n\tvmovdqu 128(%0), %%ymm4\n\tvmovdqu 160(%0), %%ymm5\n\t"
	    "vmovdqu 192(%0), %%ymm6\n\tvmovdqu 224(%0), %%ymm7\n\tvmovdqu 256(%0), %%ymm8\n\t"
	    "vmovdqu 288(%0), %%ymm9\n\tvmovdqu 320(%0), %%ymm10\n\tvmovdqu 352(%0), %%ymm11\n\t"
	    "vmovdqu 384(%0), %%ymm12\n\tvmovdqu 416(%0), %%ymm13\n\tvmovdqu 448(%0), %%ymm14\n\t"
	    "vmovdqu 480(%0), %%ymm15\n\tud2\n\t"
	    "vmovdqu %%ymm0, 0(%1)\n\tvmovdqu %%ymm1, 32(%1)\n\tvmovdqu %%ymm2, 64(%1)\n\t"
	    "vmovdqu %%ymm3, 96(%1)\n\tvmovdqu %%ymm4, 128(%1)\n\tvmovdqu %%ymm5, 160(%1)\n\t"
	    "vmovdqu %%ymm6, 192(%1)\n\tvmovdqu %%ymm7, 224(%1)\n\tvmovdqu %%ymm8, 256(%1)\n\t"
	    "vmovdqu %%ymm9, 288(%1)\n\tvmovdqu %%ymm10, 320(%1)\n\tvmovdqu %%ymm11, 352(%1)\n\t"
	    "vmovdqu %%ymm12, 384(%1)\n\tvmovdqu %%ymm13, 416(%1)\n\tvmovdqu %%ymm14, 448(%1)\n\t"
	    "vmovdqu %%ymm15, 480(%1)\n\tvzeroupper"
	    :
	    : "r"(yin), "r"(yout)
	    : "memory", ALL_XMM);
	int upper = 1, lower = 1;
	for (int i = 0; i < 16; i++) {
		uint64_t want0 = yin[i][0] ^ (i == 3 ? 0xffffffff : 0);
		lower &= yout[i][0] == want0 && yout[i][1] == yin[i][1];
		upper &= yout[i][2] == yin[i][2] && yout[i][3] == yin[i][3];
	}
	fact("ymm: low halves back (xmm3 as changed)", lower);
	fact("ymm: high halves back", upper);
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO};
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	by_fault();
	by_syscall();
	ymm();
	printf("sig_sse: %d failures\n", failures);
	return failures != 0;
}
