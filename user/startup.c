/* startup: what a process finds at main() — argv, empty environment, auxv, TLS, stack alignment,
 * registers kept across syscalls, SSE/x87, clocks. Owned by the user/tests part. */
#include <elf.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

extern void _start(void); /* musl's crt1 entry point */

/* Returns the caller's stack pointer before its call instruction: 16-byte aligned by the ABI. */
uintptr_t caller_rsp(void);
__asm__(".text\n"
        ".globl caller_rsp\n"
        "caller_rsp:\n"
        "	lea 8(%rsp), %rax\n"
        "	ret\n");

/* syscall_regs(nr) loads regs_in into every register a Linux syscall preserves (all general
 * registers but rax, rcx, r11; xmm0-15), makes syscall nr and stores those registers in regs_out.
 */
struct regs {
	uint64_t gpr[12];
	uint64_t xmm[16][2];
};
struct regs regs_in, regs_out;
static const char *const gpr_names[12] = {"rbx", "rbp", "rdx", "rsi", "rdi", "r8",
                                          "r9",  "r10", "r12", "r13", "r14", "r15"};
void syscall_regs(long nr);
__asm__(".text\n"
        ".globl syscall_regs\n"
        "syscall_regs:\n"
        "	push %rbx\n"
        "	push %rbp\n"
        "	push %r12\n"
        "	push %r13\n"
        "	push %r14\n"
        "	push %r15\n"
        "	mov %rdi, %rax\n"
        "	.set .Lreg_i, 0\n"
        "	.irp r, rbx, rbp, rdx, rsi, rdi, r8, r9, r10, r12, r13, r14, r15\n"
        "	mov regs_in+8*.Lreg_i(%rip), %\\r\n"
        "	.set .Lreg_i, .Lreg_i+1\n"
        "	.endr\n"
        "	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "	movdqu regs_in+96+16*\\n(%rip), %xmm\\n\n"
        "	.endr\n"
        "	syscall\n"
        "	.set .Lreg_i, 0\n"
        "	.irp r, rbx, rbp, rdx, rsi, rdi, r8, r9, r10, r12, r13, r14, r15\n"
        "	mov %\\r, regs_out+8*.Lreg_i(%rip)\n"
        "	.set .Lreg_i, .Lreg_i+1\n"
        "	.endr\n"
        "	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
        "	movdqu %xmm\\n, regs_out+96+16*\\n(%rip)\n"
        "	.endr\n"
        "	pop %r15\n"
        "	pop %r14\n"
        "	pop %r13\n"
        "	pop %r12\n"
        "	pop %rbp\n"
        "	pop %rbx\n"
        "	ret\n");

static int failures;

static void fact(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "yes" : "no");
	if (!ok)
		failures++;
}

static __thread int tls_init = 42;
static __thread long tls_zero;
static __thread char tls_str[16] = "tls";

static void args_test(int argc, char **argv, char **envp)
{
	int envc = 0;
	volatile char here;

	printf("argc: %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: \"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	fact("argv[argc] is NULL", argv[argc] == NULL);
	while (envp[envc])
		envc++;
	printf("envc: %d\n", envc);
	fact("envp follows argv", envp == argv + argc + 1);
	/* the initial rsp points at argc, and the ABI makes it 16-byte aligned */
	fact("initial stack pointer 16-byte aligned", ((uintptr_t)argv - 8) % 16 == 0);
	fact("argv strings above main's frame", (uintptr_t)argv[0] > (uintptr_t)&here);
	fact("stack above 0x20000000", (uintptr_t)&here > 0x20000000);
	fact("stack pointer 16-byte aligned at a call", caller_rsp() % 16 == 0);
}

static void auxv_test(void)
{
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long phnum = getauxval(AT_PHNUM);
	int loads = 0, tls = 0, nonzero = 0;

	printf("AT_PAGESZ: %lu\n", getauxval(AT_PAGESZ));
	failures += getauxval(AT_PAGESZ) != 4096;
	fact("AT_PHNUM > 0", phnum > 0);
	printf("AT_PHENT: %lu\n", getauxval(AT_PHENT));
	failures += getauxval(AT_PHENT) != sizeof(Elf64_Phdr);
	fact("AT_ENTRY is _start", getauxval(AT_ENTRY) == (uintptr_t)_start);
	for (unsigned long i = 0; ph && i < phnum; i++) {
		loads += ph[i].p_type == PT_LOAD;
		tls += ph[i].p_type == PT_TLS;
	}
	fact("AT_PHDR lists PT_LOAD and PT_TLS", loads > 0 && tls == 1);
	fact("AT_RANDOM non-null", rnd != NULL);
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	fact("AT_RANDOM 16 bytes not all zero", nonzero != 0);
}

static void tls_test(void)
{
	uintptr_t fs0;

	fact("__thread initialised", tls_init == 42 && strcmp(tls_str, "tls") == 0);
	fact("__thread zero-initialised", tls_zero == 0);
	tls_init += 1;
	tls_zero = 7;
	strcat(tls_str, "-ok");
	printf("__thread after update: %d %ld %s\n", tls_init, tls_zero, tls_str);
	__asm__ volatile("mov %%fs:0, %0" : "=r"(fs0));
	fact("%fs:0 is pthread_self()", fs0 == (uintptr_t)pthread_self());
}

/* Makes syscall nr with known values in the registers it must preserve; names those changed. */
static void regs_test(const char *what, long nr)
{
	char changed[200] = "";

	for (int i = 0; i < 12; i++)
		regs_in.gpr[i] = 0x0101010101010101ull * (uint64_t)(i + 1) + (uint64_t)nr;
	for (int i = 0; i < 16; i++) {
		regs_in.xmm[i][0] = 0x0123456789abcd00ull + (uint64_t)i;
		regs_in.xmm[i][1] = 0xfedcba9876543200ull + (uint64_t)i;
	}
	memset(&regs_out, 0, sizeof(regs_out));
	syscall_regs(nr);
	for (int i = 0; i < 12; i++)
		if (regs_out.gpr[i] != regs_in.gpr[i])
			snprintf(changed + strlen(changed), sizeof(changed) - strlen(changed),
			         " %s", gpr_names[i]);
	for (int i = 0; i < 16; i++)
		if (memcmp(regs_out.xmm[i], regs_in.xmm[i], sizeof(regs_in.xmm[i])) != 0)
			snprintf(changed + strlen(changed), sizeof(changed) - strlen(changed),
			         " xmm%d", i);
	printf("registers preserved across %s: %s%s\n", what, changed[0] ? "no, changed:" : "yes",
	       changed);
	failures += changed[0] != 0;
}

static void fp_test(void)
{
	volatile double third = 1.0 / 3.0;
	double basel = 0;
	float f = 0;

	for (int k = 1; k <= 100000; k++) {
		basel += 1.0 / ((double)k * k);
		f += 0.5f;
	}
	printf("sum 1/k^2 for k <= 100000: %.12f\n", basel);
	printf("third * 3: %f, float sum: %f\n", third * 3, (double)f);
	printf("long double 2/3: %.15Lf\n", (long double)2 / 3);
}

static void clock_test(void)
{
	struct timespec prev, now, rt;
	int mono_ok = 1, nsec_ok = 1;

	clock_gettime(CLOCK_MONOTONIC, &prev);
	for (int i = 0; i < 10000; i++) {
		if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
			mono_ok = 0;
		if (now.tv_sec < prev.tv_sec ||
		    (now.tv_sec == prev.tv_sec && now.tv_nsec < prev.tv_nsec))
			mono_ok = 0;
		nsec_ok &= now.tv_nsec >= 0 && now.tv_nsec < 1000000000;
		prev = now;
	}
	fact("CLOCK_MONOTONIC non-decreasing", mono_ok);
	fact("CLOCK_MONOTONIC tv_nsec in range", nsec_ok);
	fact("CLOCK_REALTIME after 2020",
	     clock_gettime(CLOCK_REALTIME, &rt) == 0 && rt.tv_sec > 1577836800);
}

int main(int argc, char **argv, char **envp)
{
	/* line-buffered, so that when SOS kills the program the last line shows how far it got */
	setvbuf(stdout, NULL, _IOLBF, 0);
	args_test(argc, argv, envp);
	auxv_test();
	tls_test();
	regs_test("getpid", 39);
	regs_test("an unknown syscall", 1000);
	fp_test();
	clock_test();
	printf("startup: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
