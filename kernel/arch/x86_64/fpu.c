/* The user's FPU/SSE/AVX state as a signal frame holds it: XSAVE (standard format) of every user
 * feature Linux enables in XCR0, or FXSAVE without XSAVE; checked before it is loaded back. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include <stddef.h>

/* The user features Linux 6.12 enables when the CPU has them: x87, SSE, AVX, MPX's two, the
 * three of AVX-512 and PKRU (XFEATURE_MASK_USER_SUPPORTED without the dynamic AMX tiles). */
#define USER_FEATURES 0x2ffUL
#define PKRU_FEATURE  (1UL << 9)
#define MPX_FEATURES  (3UL << 3)
#define LEGACY_SIZE   512 /* the FXSAVE area; the XSAVE header follows it */

static uint64_t xcr0 = 3;            /* x87 and SSE: what FXSAVE holds */
static size_t state_size = 512;      /* bytes XSAVE writes for xcr0 */
static uint32_t mxcsr_mask = 0xffbf; /* the bits of MXCSR that may be set */
static uint8_t scratch[LEGACY_SIZE + 64] __attribute__((aligned(64)));

/* Turn on every user feature the CPU has (Linux's XCR0), learn the area's size and MXCSR_MASK. */
void fpu_init(void)
{
	uint32_t r[4];
	if (cpu_features.xsave) {
		cpuid(0xd, 0, r);
		xcr0 = (r[0] | ((uint64_t)r[3] << 32)) & USER_FEATURES;
		if (!cpu_features.pku)
			xcr0 &= ~PKRU_FEATURE;
		xsetbv(0, xcr0);
		cpuid(0xd, 0, r);
		state_size = r[1]; /* EBX: the size for the features XCR0 enables now */
	}
	__asm__ volatile("fxsave %0" : "=m"(scratch));
	uint32_t mask = *(uint32_t *)(scratch + 28);
	if (mask)
		mxcsr_mask = mask;
}

size_t arch_fpu_size(void)
{
	return state_size;
}

uint64_t arch_fpu_features(void)
{
	return xcr0;
}

/* Linux's get_sigframe_size(): its largest frame (an ia32 sigframe of 732 bytes, the FPU state
 * with MAGIC2 and a legacy fsave header of 112 bytes, and the worst alignment padding). */
uint64_t arch_sigframe_max(void)
{
	uint64_t size = 732 + 15 + state_size + (cpu_features.xsave ? 4 : 0) + 112 + 63;
	return (size + 15) & ~15UL;
}

bool arch_fpu_xsave(void)
{
	return cpu_features.xsave;
}

void arch_fpu_save(void *buf)
{
	uint8_t *b = buf;
	for (size_t i = LEGACY_SIZE; i < LEGACY_SIZE + 64 && cpu_features.xsave; i++)
		b[i] = 0; /* XSAVE writes only XSTATE_BV of the header */
	if (cpu_features.xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(buf), "a"(-1), "d"(-1) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(buf) : "memory");
}

void arch_fpu_load(const void *buf)
{
	if (cpu_features.xsave)
		__asm__ volatile("xrstor64 (%0)" : : "r"(buf), "a"(-1), "d"(-1) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(buf) : "memory");
}

/* True when XRSTOR would take the header of buf without a #GP: no feature outside XCR0, the
 * standard format (XCOMP_BV 0) and the reserved bytes after it zero. */
static bool header_ok(const uint8_t *buf)
{
	const uint64_t *h = (const uint64_t *)(buf + LEGACY_SIZE);
	return (h[0] & ~xcr0) == 0 && h[1] == 0 && h[2] == 0;
}

int arch_fpu_restore(const void *buf, uint64_t features, bool fx_only)
{
	const uint8_t *b = buf;
	if (*(const uint32_t *)(b + 24) & ~mxcsr_mask)
		return -1; /* FXRSTOR and XRSTOR would #GP */
	if (!cpu_features.xsave) {
		__asm__ volatile("fxrstor64 (%0)" : : "r"(buf) : "memory");
		return 0;
	}
	/* MPX state (which Linux no longer uses) is never loaded from a frame: its bound
	 * configuration could make XRSTOR fault in the kernel */
	uint64_t rfbm = fx_only ? 3 : features & xcr0 & ~MPX_FEATURES;
	if (fx_only)
		__asm__ volatile("fxrstor64 (%0)" : : "r"(buf) : "memory");
	else if (!header_ok(b))
		return -1;
	else
		__asm__ volatile("xrstor64 (%0)"
		                 :
		                 : "r"(buf), "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
		                 : "memory");
	uint64_t init = xcr0 & ~rfbm & ~MPX_FEATURES;
	if (init) {
		/* the features the frame does not give go to their initial state, as on Linux */
		for (size_t i = 0; i < sizeof(scratch); i++)
			scratch[i] = 0;
		*(uint32_t *)(scratch + 24) = 0x1f80;
		__asm__ volatile("xrstor64 (%0)"
		                 :
		                 : "r"(scratch), "a"((uint32_t)init), "d"((uint32_t)(init >> 32))
		                 : "memory");
		if (init & PKRU_FEATURE)
			wrpkru(PKRU_LINUX_INIT);
	}
	return 0;
}

uint32_t arch_fpu_exceptions(bool x87)
{
	__asm__ volatile("fxsave %0" : "=m"(scratch));
	if (x87) {
		uint16_t cwd = *(uint16_t *)scratch, swd = *(uint16_t *)(scratch + 2);
		return swd & ~cwd;
	}
	uint32_t mxcsr = *(uint32_t *)(scratch + 24);
	return ~(mxcsr >> 7) & mxcsr; /* the flags whose exceptions are not masked */
}
