/* The CPU's own tables and modes: GDT with a TSS, the IDT, the syscall MSRs, and the control
 * register bits SOS relies on (SSE for user code, NX, write protection, SMEP/SMAP). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pte.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/printf.h"
#include "mm/hal.h"
#include "arch/x86_64/platform.h"
#include <stdint.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
} __attribute__((packed));

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct trapframe) == TRAPFRAME_SIZE, "trap.S knows the frame size");

#define STACK_SIZE 32768
static uint8_t trap_stack[STACK_SIZE] __attribute__((aligned(16)));
static uint8_t fault_stack[4096] __attribute__((aligned(16))); /* double fault, NMI */
uint64_t trap_stack_top = (uint64_t)(trap_stack + STACK_SIZE);

static struct tss tss;
/* Linux's user selectors (0x23 32-bit code, 0x2b data, 0x33 64-bit code), which programs see in
 * their registers and signal frames; sysret takes them from STAR[63:48] = 0x23. */
static uint64_t gdt[9] = {
    0,
    0x00af9b000000ffff, /* kernel code, 64-bit (accessed bit preset: no write to the GDT) */
    0x00cf93000000ffff, /* kernel data */
    0,
    0x00cffb000000ffff, /* user code, 32-bit */
    0x00cff3000000ffff, /* user data */
    0x00affb000000ffff, /* user code, 64-bit */
    0,                  /* TSS, two slots, filled at run time */
    0,
};
static struct idt_gate idt[256];
struct cpu_features cpu_features;

extern char trap_vectors[];
extern char syscall_entry[];

static void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss;
	tss.rsp[0] = trap_stack_top;
	tss.ist[0] = (uint64_t)(fault_stack + sizeof(fault_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: user port I/O faults */
	gdt[7] = (sizeof(tss) - 1) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
	         (((base >> 24) & 0xff) << 56);
	gdt[8] = base >> 32;
	struct table_ptr p = {sizeof(gdt) - 1, (uint64_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
	                 "pushq %1\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "mov %2, %%ds\n\t"
	                 "mov %2, %%es\n\t"
	                 "mov %2, %%ss\n\t"
	                 "ltr %w3"
	                 :
	                 : "m"(p), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
	                 : "rax", "memory");
}

/* Point vector v at its stub; dpl 3 lets user code raise it with an int instruction. */
static void set_gate(int v, uint64_t handler, int dpl, int ist)
{
	idt[v] = (struct idt_gate){
	    .off_lo = handler & 0xffff,
	    .sel = SEL_KCODE,
	    .ist = ist,
	    .type = 0x8e | (dpl << 5), /* present interrupt gate: interrupts stay off */
	    .off_mid = (handler >> 16) & 0xffff,
	    .off_hi = handler >> 32,
	};
}

static void idt_init(void)
{
	for (int v = 0; v < 48; v++)
		set_gate(v, (uint64_t)trap_vectors + 16 * v, 0, 0);
	set_gate(3, (uint64_t)trap_vectors + 16 * 3, 3, 0); /* int3 is a breakpoint, as on Linux */
	set_gate(2, (uint64_t)trap_vectors + 16 * 2, 0, 1);
	set_gate(8, (uint64_t)trap_vectors + 16 * 8, 0, 1);
	struct table_ptr p = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(p));
}

/* Remap the legacy PICs away from the exception vectors (IRQ n is vector 32 + n) and mask every
 * line: the devices are polled; only the timer's line opens, in arch_timer_start(). */
static void pic_disable(void)
{
	static const uint8_t init[2][4] = {{0x11, 0x20, 4, 1}, {0x11, 0x28, 2, 1}};
	for (int i = 0; i < 2; i++) {
		uint16_t base = i ? 0xa0 : 0x20;
		outb(base, init[i][0]);
		for (int k = 1; k < 4; k++)
			outb(base + 1, init[i][k]);
		outb(base + 1, 0xff);
	}
}

#define APIC_SPIV      0xf0  /* spurious vector and the software enable (bit 8) */
#define APIC_LVT_LINT0 0x350 /* where the PIC's line comes in */
#define APIC_LVT_LINT1 0x360 /* where NMIs come in (QEMU's monitor command nmi, too) */
#define APIC_EXTINT    0x700 /* deliver it as the PIC's own interrupt (virtual wire) */
#define APIC_NMI       0x400 /* deliver it as an NMI */

/* The firmware leaves the local APIC software-disabled with LINT0 masked, which keeps the PIC's
 * line from the CPU: turn it on in virtual-wire mode (LINT1 as NMI), then let the timer's line
 * through. */
void pic_unmask_timer(void)
{
	volatile uint32_t *apic = (volatile uint32_t *)APIC_VA;
	apic[APIC_SPIV / 4] = 0x1ff;
	apic[APIC_LVT_LINT0 / 4] = APIC_EXTINT;
	apic[APIC_LVT_LINT1 / 4] = APIC_NMI;
	outb(0x21, 0xfe);
}

void pic_eoi(void)
{
	outb(0x20, 0x20);
}

void arch_set_kernel_stack(uint64_t top)
{
	tss.rsp[0] = top;
	trap_stack_top = top;
}

void arch_idle(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

static void features_probe(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	uint32_t max = r[0];
	cpuid(1, 0, r);
	cpu_features.xsave = (r[2] >> 26) & 1;
	cpu_features.avx = (r[2] >> 28) & 1;
	if (max >= 7) {
		cpuid(7, 0, r);
		cpu_features.smep = (r[1] >> 7) & 1;
		cpu_features.smap = (r[1] >> 20) & 1;
		cpu_features.fsgsbase = r[1] & 1;
		cpu_features.pku = (r[2] >> 3) & 1;
	}
}

static void modes_init(void)
{
	write_cr0((read_cr0() | CR0_MP | CR0_NE | CR0_WP) & ~(CR0_EM | CR0_TS));
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PGE;
	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= CR4_SMAP;
	if (cpu_features.fsgsbase)
		cr4 |= CR4_FSGSBASE;
	if (cpu_features.xsave)
		cr4 |= CR4_OSXSAVE;
	if (cpu_features.pku)
		cr4 |=
		    CR4_PKE; /* as Linux: execute-only memory gets a key that forbids reading it */
	write_cr4(cr4);
	fpu_init(); /* XCR0 */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_NXE);
	/* sysret loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, both with RPL 3. */
	wrmsr(MSR_STAR, ((uint64_t)SEL_UCODE32 << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Entering the kernel clears IF, DF (the ABI wants it clear), TF, NT and AC (SMAP). */
	wrmsr(MSR_FMASK, 0x47700);
}

void cpu_init(void)
{
	features_probe();
	gdt_init();
	idt_init();
	pic_disable();
	modes_init();
}

void trapframe_init_user(struct trapframe *tf, uint64_t rip, uint64_t rsp)
{
	*tf = (struct trapframe){
	    .rip = rip,
	    .rsp = rsp,
	    .cs = SEL_UCODE,
	    .ss = SEL_UDATA,
	    .rflags = RFLAGS_IF | 2, /* bit 1 is always set */
	};
}

uint64_t arch_user_cs(void)
{
	return SEL_UCODE;
}

uint64_t arch_user_ss(void)
{
	return SEL_UDATA;
}

void arch_fpu_reset(void)
{
	static const uint32_t mxcsr = 0x1f80; /* all exceptions masked, round to nearest */
	__asm__ volatile("fninit\n\t"
	                 "ldmxcsr %0\n\t"
	                 "pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\tpxor %%xmm2, %%xmm2\n\t"
	                 "pxor %%xmm3, %%xmm3\n\tpxor %%xmm4, %%xmm4\n\tpxor %%xmm5, %%xmm5\n\t"
	                 "pxor %%xmm6, %%xmm6\n\tpxor %%xmm7, %%xmm7\n\tpxor %%xmm8, %%xmm8\n\t"
	                 "pxor %%xmm9, %%xmm9\n\tpxor %%xmm10, %%xmm10\n\tpxor %%xmm11, %%xmm11\n\t"
	                 "pxor %%xmm12, %%xmm12\n\tpxor %%xmm13, %%xmm13\n\t"
	                 "pxor %%xmm14, %%xmm14\n\tpxor %%xmm15, %%xmm15"
	                 :
	                 : "m"(mxcsr));
	if (cpu_features.avx)
		__asm__ volatile("vzeroall");
	if (cpu_features.pku)
		wrpkru(PKRU_LINUX_INIT);
}

/* True when execute-only memory is unreadable (hal.h): protection keys are on. */
bool hal_exec_only(void)
{
	return (read_cr4() & CR4_PKE) != 0;
}

uint64_t arch_hwcap(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return r[3];
}

uint64_t arch_random(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if ((r[2] >> 30) & 1) {
		uint64_t v;
		unsigned char ok;
		for (int tries = 0; tries < 10; tries++) {
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok)
				return v;
		}
	}
	static uint64_t state;
	state += rdtsc() + 0x9e3779b97f4a7c15; /* splitmix64 */
	uint64_t z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

/* "on", or why not: absent from the CPU, or (a bug) present but left off. */
static const char *state(bool present, uint64_t cr4_bit)
{
	if (read_cr4() & cr4_bit)
		return "on";
	return present ? "OFF although the CPU has it" : "off (not in this CPU)";
}

void arch_describe_protections(void)
{
	kprintf("sos: protections: kernel W^X checked, NX %s, SMEP %s, SMAP %s\n",
	        (rdmsr(MSR_EFER) & EFER_NXE) ? "on" : "OFF", state(cpu_features.smep, CR4_SMEP),
	        state(cpu_features.smap, CR4_SMAP));
	kprintf("sos: protection keys %s: execute-only memory is %s\n",
	        state(cpu_features.pku, CR4_PKE), hal_exec_only() ? "unreadable" : "readable");
}
