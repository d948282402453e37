/* Linux x86-64's rt_sigframe (arch/x86/kernel/signal_64.c): the frame a handler starts on, with
 * every register and the (X)SAVE state, and rt_sigreturn, which takes all of it back. */
#include "proc/sigframe.h"
#include "arch/x86_64/trap.h"
#include "mm/layout.h"
#include "proc/proc.h"
#include <string.h>

#define FP_XSTATE_MAGIC1     0x46505853U
#define FP_XSTATE_MAGIC2     0x46505845U
#define UC_FP_XSTATE         1
#define UC_SIGCONTEXT_SS     2
#define UC_STRICT_RESTORE_SS 4
#define REDZONE              128
#define SW_BYTES             464 /* sw_reserved: the last 48 bytes of the FXSAVE area */
#define FPU_MAX              4096
/* the rflags bits a frame may change (Linux's FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF */
#define FIX_EFLAGS  0x50dd5UL
#define CLEAR_ENTRY ((1UL << 10) | (1UL << 16) | (1UL << 8)) /* DF, RF, TF */

struct sigcontext64 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate;
	uint64_t reserved[8];
};

struct ucontext64 {
	uint64_t flags, link;
	struct kstack stack;
	struct sigcontext64 mc;
	uint64_t sigmask;
};

struct rt_sigframe {
	uint64_t pretcode; /* sa_restorer: the handler's return address */
	struct ucontext64 uc;
	uint8_t info[128];
};
_Static_assert(sizeof(struct sigcontext64) == 256, "Linux's struct sigcontext");
_Static_assert(sizeof(struct rt_sigframe) == 440, "Linux's struct rt_sigframe");

/* sw_reserved of the FXSAVE area: how much XSAVE state follows (Linux's struct _fpx_sw_bytes). */
struct fpx_sw_bytes {
	uint32_t magic1, extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size, padding[7];
};

/* One CPU and a kernel that is not preempted: one buffer for the state on its way. */
static uint8_t fpu_buf[FPU_MAX] __attribute__((aligned(64)));

/* Bytes the FPU state takes in a frame: the XSAVE area and MAGIC2 after it, or FXSAVE's 512. */
static size_t fpu_frame_size(void)
{
	return arch_fpu_size() + (arch_fpu_xsave() ? 4 : 0);
}

/* Save the FPU state at user address fp as Linux does: the area, sw_reserved, MAGIC2, and the
 * x87 and SSE bits always set in XSTATE_BV. 0 or -1. */
static int save_fpu(struct proc *p, uint64_t fp)
{
	size_t size = arch_fpu_size();
	memset(fpu_buf, 0, size + 4);
	arch_fpu_save(fpu_buf);
	struct fpx_sw_bytes sw = {
	    .magic1 = FP_XSTATE_MAGIC1,
	    .extended_size = (uint32_t)size + 4,
	    .xfeatures = arch_fpu_features(),
	    .xstate_size = (uint32_t)size,
	};
	memcpy(fpu_buf + SW_BYTES, &sw, sizeof(sw));
	if (arch_fpu_xsave()) {
		uint32_t magic2 = FP_XSTATE_MAGIC2;
		memcpy(fpu_buf + size, &magic2, 4);
		fpu_buf[512] |= 3;
	}
	return as_copyout(p->as, fp, fpu_buf, fpu_frame_size()) ? -1 : 0;
}

/* Load the FPU state a frame points at (Linux's fpu__restore_sig()): no state means the initial
 * one; without both magic numbers only the legacy area counts. 0, or -1 for a bad state. */
static int restore_fpu(struct proc *p, uint64_t fp)
{
	if (!fp) {
		arch_fpu_reset();
		return 0;
	}
	size_t size = arch_fpu_size();
	if (fpu_frame_size() > FPU_MAX || as_copyin(p->as, fpu_buf, fp, fpu_frame_size()))
		return -1;
	struct fpx_sw_bytes sw;
	memcpy(&sw, fpu_buf + SW_BYTES, sizeof(sw));
	uint32_t magic2;
	memcpy(&magic2, fpu_buf + size, 4);
	bool fx_only =
	    !arch_fpu_xsave() || sw.magic1 != FP_XSTATE_MAGIC1 || magic2 != FP_XSTATE_MAGIC2;
	if (arch_fpu_restore(fpu_buf, fx_only ? 3 : sw.xfeatures, fx_only)) {
		arch_fpu_reset();
		return -1;
	}
	return 0;
}

/* The registers of tf, the last fault's trap number, error and address, and the masks. */
static void save_context(const struct proc *p, const struct trapframe *tf, struct sigcontext64 *mc,
                         uint64_t mask, uint64_t fp)
{
	*mc = (struct sigcontext64){
	    .r8 = tf->r8,
	    .r9 = tf->r9,
	    .r10 = tf->r10,
	    .r11 = tf->r11,
	    .r12 = tf->r12,
	    .r13 = tf->r13,
	    .r14 = tf->r14,
	    .r15 = tf->r15,
	    .rdi = tf->rdi,
	    .rsi = tf->rsi,
	    .rbp = tf->rbp,
	    .rbx = tf->rbx,
	    .rdx = tf->rdx,
	    .rax = tf->rax,
	    .rcx = tf->rcx,
	    .rsp = tf->rsp,
	    .rip = tf->rip,
	    .eflags = tf->rflags,
	    .cs = (uint16_t)tf->cs,
	    .ss = (uint16_t)tf->ss,
	    .err = p->sig.err,
	    .trapno = p->sig.trapno,
	    .oldmask = mask,
	    .cr2 = p->sig.cr2,
	    .fpstate = fp,
	};
}

/* Where the frame goes (Linux's get_sigframe()): below the red zone, or at the top of the
 * alternate stack for SA_ONSTACK; the FPU state 64-byte aligned above the frame, the frame so
 * that the handler starts as after a call (rsp + 8 16-byte aligned). 0 when it would overflow
 * the alternate stack. */
static uint64_t place(const struct sigstate *s, const struct trapframe *tf,
                      const struct ksigaction *a, uint64_t *fp)
{
	uint64_t sp = tf->rsp - REDZONE;
	bool nested = signal_on_altstack(s, tf->rsp), entering = false;
	if ((a->flags & SA_ONSTACK) && signal_altstack_flags(s, sp) == 0) {
		sp = s->ss_sp + s->ss_size;
		entering = true;
	}
	*fp = (sp - fpu_frame_size()) & ~63UL;
	uint64_t frame = ((*fp - sizeof(struct rt_sigframe)) & ~15UL) - 8;
	if ((nested || entering) && !(frame > s->ss_sp && frame - s->ss_sp <= s->ss_size))
		return 0;
	return frame;
}

int sigframe_setup(struct proc *p, struct trapframe *tf, int sig, const struct ksiginfo *info,
                   const struct ksigaction *a, uint64_t mask)
{
	struct sigstate *s = &p->sig;
	uint64_t fp;
	if (!(a->flags & SA_RESTORER) || fpu_frame_size() > FPU_MAX)
		return -1; /* x86-64 Linux has no default restorer: SIGSEGV */
	uint64_t at = place(s, tf, a, &fp);
	if (!at || at >= USER_END || save_fpu(p, fp))
		return -1;
	struct rt_sigframe f;
	memset(&f, 0, sizeof(f));
	f.pretcode = a->restorer;
	f.uc.flags =
	    UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (arch_fpu_xsave() ? UC_FP_XSTATE : 0);
	f.uc.stack =
	    (struct kstack){.sp = s->ss_sp, .flags = (int32_t)s->ss_flags, .size = s->ss_size};
	save_context(p, tf, &f.uc.mc, mask, fp);
	f.uc.sigmask = mask;
	if (a->flags & SA_SIGINFO)
		signal_user_info(f.info, info);
	if (as_copyout(p->as, at, &f, sizeof(f)))
		return -1;
	if (s->ss_flags & SS_AUTODISARM) {
		s->ss_sp = s->ss_size = 0;
		s->ss_flags = SS_DISABLE;
	}
	tf->rdi = (uint64_t)sig;
	tf->rax = 0;
	tf->rsi = at + offsetof(struct rt_sigframe, info);
	tf->rdx = at + offsetof(struct rt_sigframe, uc);
	tf->rip = a->handler;
	tf->rsp = at;
	tf->cs = arch_user_cs();
	tf->ss = arch_user_ss();
	tf->rflags &= ~CLEAR_ENTRY;
	arch_fpu_reset(); /* the handler starts with a clean FPU, as on Linux */
	return 0;
}

/* The registers of mc into tf: rflags only in the bits a user may change, the user's own
 * segments whatever the frame says. */
static void restore_context(struct trapframe *tf, const struct sigcontext64 *mc)
{
	tf->r8 = mc->r8;
	tf->r9 = mc->r9;
	tf->r10 = mc->r10;
	tf->r11 = mc->r11;
	tf->r12 = mc->r12;
	tf->r13 = mc->r13;
	tf->r14 = mc->r14;
	tf->r15 = mc->r15;
	tf->rdi = mc->rdi;
	tf->rsi = mc->rsi;
	tf->rbp = mc->rbp;
	tf->rbx = mc->rbx;
	tf->rdx = mc->rdx;
	tf->rax = mc->rax;
	tf->rcx = mc->rcx;
	tf->rsp = mc->rsp;
	tf->rip = mc->rip;
	tf->rflags = (tf->rflags & ~FIX_EFLAGS) | (mc->eflags & FIX_EFLAGS);
	tf->cs = arch_user_cs();
	tf->ss = arch_user_ss();
	tf->error = (uint64_t)-1; /* no system call to restart any more */
}

/* A non-canonical rip would make iretq fault in the kernel. */
static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

void signal_return(struct proc *p, struct trapframe *tf)
{
	struct rt_sigframe f;
	uint64_t at = tf->rsp - 8;
	struct kstack ss;
	if (as_copyin(p->as, &f, at, offsetof(struct rt_sigframe, info)))
		goto bad;
	signal_set_blocked(p, f.uc.sigmask);
	ss = f.uc.stack;
	(void)signal_altstack(p, &ss, NULL, tf->rsp); /* errors ignored, as Linux does */
	restore_context(tf, &f.uc.mc);
	if (restore_fpu(p, f.uc.mc.fpstate) || !canonical(tf->rip))
		goto bad;
	return;
bad:;
	struct ksiginfo segv = {.signo = SIGSEGV, .code = SI_KERNEL};
	tf->error = (uint64_t)-1;
	signal_force(p, &segv, p->sig.trapno, p->sig.err, p->sig.cr2,
	             "bad signal frame in rt_sigreturn");
}
