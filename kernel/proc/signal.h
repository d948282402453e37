/* Signals as Linux x86-64 has them: numbers, siginfo, sigaction, the per-process state (struct
 * sigstate) and the calls the rest of the kernel makes: send, force (faults), deliver, fork, exec.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define SIGHUP       1
#define SIGINT       2
#define SIGQUIT      3
#define SIGILL       4
#define SIGTRAP      5
#define SIGABRT      6
#define SIGBUS       7
#define SIGFPE       8
#define SIGKILL      9
#define SIGUSR1      10
#define SIGSEGV      11
#define SIGUSR2      12
#define SIGPIPE      13
#define SIGALRM      14
#define SIGTERM      15
#define SIGCHLD      17
#define SIGCONT      18
#define SIGSTOP      19
#define SIGTSTP      20
#define SIGTTIN      21
#define SIGTTOU      22
#define SIGXFSZ      25
#define SIGSYS       31
#define SIGRTMIN     32
#define NSIG         64
#define SIGBIT(s)    (1UL << ((s)-1))
#define SIGQUEUE_MAX 32 /* real-time signals queued at once (Linux: RLIMIT_SIGPENDING) */

/* si_code values (include/uapi/asm-generic/siginfo.h) */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_QUEUE    (-1)
#define SI_TKILL    (-6)
#define ILL_ILLOPN  2
#define FPE_INTDIV  1
#define FPE_FLTDIV  3
#define FPE_FLTOVF  4
#define FPE_FLTUND  5
#define FPE_FLTRES  6
#define FPE_FLTINV  7
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define SEGV_PKUERR 4
#define BUS_ADRALN  1
#define BUS_ADRERR  2
#define TRAP_BRKPT  1
#define TRAP_TRACE  2

/* sa_flags */
#define SA_NOCLDSTOP      0x00000001UL
#define SA_NOCLDWAIT      0x00000002UL
#define SA_SIGINFO        0x00000004UL
#define SA_UNSUPPORTED    0x00000400UL
#define SA_EXPOSE_TAGBITS 0x00000800UL
#define SA_RESTORER       0x04000000UL
#define SA_ONSTACK        0x08000000UL
#define SA_RESTART        0x10000000UL
#define SA_NODEFER        0x40000000UL
#define SA_RESETHAND      0x80000000UL
#define SIG_DFL           0
#define SIG_IGN           1

/* sigaltstack */
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ   2048

#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_STOPPED   5
#define CLD_CONTINUED 6

/* Linux's kernel_siginfo: the first 48 bytes of the user's 128-byte siginfo_t. */
struct ksiginfo {
	int32_t signo, errno_, code, pad;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			uint64_t value; /* sigqueue's value */
		} kill;
		struct {
			uint64_t addr;
			uint16_t addr_lsb;
			uint16_t pad[3];
			uint32_t pkey; /* SEGV_PKUERR */
		} fault;
		uint8_t bytes[32];
	};
};
_Static_assert(sizeof(struct ksiginfo) == 48, "Linux's kernel_siginfo");

/* struct sigaction as the kernel takes it on x86-64. */
struct ksigaction {
	uint64_t handler, flags, restorer, mask;
};

/* All of a process's signal state. */
struct sigstate {
	struct ksigaction action[NSIG];
	uint64_t blocked;
	uint64_t pending;                   /* sent to the thread (tkill, faults) */
	uint64_t shared;                    /* sent to the process (kill) */
	struct ksiginfo info[SIGRTMIN - 1]; /* of each pending standard signal (one instance) */
	struct rtqueued {
		struct ksiginfo info;
		bool thread; /* on the thread's set, else the process's */
	} rt[SIGQUEUE_MAX];  /* real-time signals, each instance in the order sent */
	int nrt;
	uint64_t saved_mask;   /* rt_sigsuspend's mask to put back after a handler ran */
	uint64_t real_blocked; /* rt_sigtimedwait's mask while it waits with its set open */
	bool restore_mask;
	uint64_t ss_sp, ss_size; /* sigaltstack */
	uint32_t ss_flags;
	uint64_t trapno, err, cr2; /* the last fault's, for sigcontext (Linux's thread.trap_nr) */
};

struct proc;
struct trapframe;

/* A fresh process's state: every action default, nothing blocked, no altstack. */
void signal_init(struct sigstate *s);
/* Let go of what s holds (nothing allocated today); at process teardown. */
void signal_release(struct sigstate *s);
/* fork: actions, mask and altstack copied; nothing pending. */
void signal_fork(struct sigstate *child, const struct sigstate *parent);
/* execve: caught signals go back to default; ignored ones, mask and pending kept; altstack gone. */
void signal_exec(struct sigstate *s);

/* Send sig to the process (kill); info NULL: SI_USER from the process itself. 0, or -EAGAIN
 * when a real-time signal with a siginfo of its own finds the queue full (sigqueue). */
int signal_send(struct proc *p, int sig, const struct ksiginfo *info);
/* Send sig to the thread (tkill, tgkill, raise). */
int signal_send_thread(struct proc *p, int sig, const struct ksiginfo *info);

/* A fault's signal (Linux's force_sig_fault): blocked or ignored means default. With the
 * default action the process dies now with "sos: killed NAME: SIGNAME, why"; otherwise the
 * handler runs when the trap returns. trapno/err/cr2 go to the sigcontext. */
void signal_force(struct proc *p, const struct ksiginfo *info, uint64_t trapno, uint64_t err,
                  uint64_t cr2, const char *why);

/* True when SIGKILL is pending: the process is as good as dead (no stop, no wait). */
bool signal_fatal_pending(const struct proc *p);

/* True when an unblocked signal is pending (a sleep ends with -EINTR). */
bool signal_pending(const struct proc *p);

/* On every return to user mode: restart or fail an interrupted system call, run default
 * actions, and build handler frames in tf. True when tf changed so that the return must
 * restore every register (iretq). */
bool signal_deliver(struct proc *p, struct trapframe *tf);

/* rt_sigreturn: tf back from the frame at tf->rsp - 8; a bad frame kills with SIGSEGV. */
void signal_return(struct proc *p, struct trapframe *tf);

/* Set the blocked mask (SIGKILL and SIGSTOP never blocked). */
void signal_set_blocked(struct proc *p, uint64_t mask);

/* Take the lowest pending signal of mask (synchronous ones first, the thread's before the
 * process's) into *info; 0 when none. */
int signal_dequeue(struct proc *p, uint64_t mask, struct ksiginfo *info);

/* sigaction: install act (NULL: none) and give the old one (NULL: not wanted); 0 or -EINVAL. */
int signal_action(struct proc *p, int sig, const struct ksigaction *act, struct ksigaction *old);

/* sigaltstack with user stack pointer sp: 0 or -EPERM, -EINVAL, -ENOMEM. */
struct kstack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};
int signal_altstack(struct proc *p, const struct kstack *ss, struct kstack *old, uint64_t sp);

/* The 128-byte siginfo_t a user sees, from info. */
void signal_user_info(uint8_t out[128], const struct ksiginfo *info);

/* The signals whose handler is h: SIG_IGN, or SIG_IGN + 1 for every caught one (/proc). */
uint64_t signal_with_handler(const struct sigstate *s, uint64_t h);

/* "SIGSEGV" and friends. */
const char *signal_name(int sig);
