/* A process: one program run in its own address space, with its files, its signal state, its
 * kernel stack and context, its place in the process tree, and its times. */
#pragma once
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "mm/as.h"
#include "proc/exec.h"
#include "proc/rlimit.h"

#define SIGHUP  1
#define SIGINT  2
#define SIGQUIT 3
#define SIGILL  4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS  7
#define SIGFPE  8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define NSIG    64

#define PROC_MAX      KSTACK_SLOTS /* processes alive at once (zombies included) */
#define PROC_MAX_ARGS 256          /* argv entries of the first program */
#define PROC_NAME     64           /* bytes of a name kept for diagnostics */

struct fdtable;
struct inode;

enum proc_state {
	PS_NEW,      /* being made by fork or proc_run: not yet runnable */
	PS_RUNNABLE, /* running now (curproc) or waiting for the CPU */
	PS_SLEEPING, /* in sched_sleep() */
	PS_STOPPED,  /* by SIGSTOP and friends, until SIGCONT */
	PS_ZOMBIE,   /* dead, its status kept until its parent reaps it */
};

struct proc {
	int pid, pgid, sid;
	enum proc_state state;
	struct proc *parent; /* NULL: the kernel's (the first process, and orphans) */
	int exit_signal;     /* what the parent gets at the death (SIGCHLD; other: a clone child) */
	char name[PROC_NAME]; /* argv[0]: how diagnostics name the program */
	struct as *as;
	bool as_borrowed; /* a vfork child running in its parent's address space */
	bool vfork_done;  /* (in the parent) the vfork child has exec'd or died */
	bool execed;      /* it has called execve since fork (setpgid by its parent: EACCES) */
	/* the kernel side: its stack slot and frames, where it was switched away, the user
	 * registers of its last entry, its FPU state and thread pointer while it does not run */
	unsigned slot;
	paddr_t kstack[KSTACK_PAGES];
	uint64_t kstack_top;
	struct kcontext kctx;
	struct trapframe *tf;
	paddr_t fpu_pa;
	void *fpu;
	uint64_t fs_base;
	/* sleeping: on what, and until when (arch_monotonic_ns(); 0 none) */
	const void *chan;
	uint64_t deadline;
	/* the end: the wait status Linux encodes (exit code << 8, or the signal), and whether the
	 * parent was told of a stop or a continue it has not yet collected */
	int wstatus;
	int report; /* 0, or the wait status of a stop (0x7f | sig << 8) or continue (0xffff) */
	uint64_t minflt, maxrss_kb; /* kept at death for the parent's getrusage */
	uint64_t clear_child_tid;
	uint64_t sigmask;    /* blocked signals, bit sig-1 */
	uint64_t sigpending; /* sent while blocked */
	uint64_t sigignore;  /* disposition SIG_IGN */
	uint64_t sigself;    /* pending signals the process sent itself (a kill says so) */
	bool trace;          /* --trace: every fault and system call on stderr */
	struct fdtable *fds; /* copied by fork */
	struct inode *cwd;   /* one reference */
	unsigned umask;
	struct rlimit rlim[RLIM_NLIMITS]; /* getrlimit/setrlimit; fd_alloc obeys RLIMIT_NOFILE */
	/* for /proc: where exec put things and the file it ran (absolute path) */
	struct exec_layout layout;
	char exe_path[256];
	uint32_t exe_dev;
	uint64_t exe_ino;
	const uint8_t *exe_image;    /* the file's bytes (RB_IMAGE regions point into them) */
	const struct shmem *exe_obj; /* the file's page cache, when exec mapped it */
	uint64_t start_ticks;        /* clock ticks (1/100 s) from boot to the start */
	/* CPU time: ticks in user and system mode (sampled by the timer), nanoseconds on the CPU
	 * (measured), and the ticks, faults and peak RSS of its reaped children */
	uint64_t uticks, sticks, runtime_ns;
	uint64_t cuticks, csticks, cminflt, cmaxrss_kb;
	/* ITIMER_REAL (alarm, setitimer): when it fires next (0: off) and its interval, ns */
	uint64_t alarm_at, alarm_interval;
};

/* The process running now, or NULL in the scheduler. */
extern struct proc *curproc;

struct program {
	const uint8_t *image; /* the ELF file */
	size_t size;
	int argc, envc;
	const char *const *argv, *const *envp;
};

/* Run prog as the first process until it ends and every other process is gone, and return its
 * status: its own, 128 + signal when killed, or 126 when it is not an ELF executable SOS can
 * run. */
int proc_run(const struct program *prog, bool trace);

/* A new process: a pid, a kernel stack, an FPU area, its trapframe at the stack's top; the rest
 * is the caller's to fill. NULL with -EAGAIN (no slot) or -ENOMEM in *err. */
struct proc *proc_alloc(int *err);

/* Give back p's kernel stack, FPU area, slot and p itself (a zombie, or one never started). */
void proc_free(struct proc *p);

/* Make p, filled in, runnable. */
void proc_start(struct proc *p);

/* The process in table slot i (below PROC_MAX), or NULL. */
struct proc *proc_slot(unsigned i);

/* ITIMER_REAL of p is due at now: SIGALRM, and the next expiry when it has an interval. */
void proc_alarm(struct proc *p, uint64_t now);

/* The live or zombie process with pid, or NULL. */
struct proc *proc_find(int pid);

/* Call fn on every process (zombies too). */
void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg);

/* End the current process p with a wait status (exit code << 8, or the signal): its files and
 * address space go, its children become the kernel's, its parent hears. Never returns. */
__attribute__((noreturn)) void proc_die(struct proc *p, int wstatus);

/* A vfork child p has left its parent's address space (exec, death): the parent runs on. */
void proc_vfork_release_as(struct proc *p);

/* p has just left the CPU: free it if it is a zombie nobody will wait for. */
void proc_left_cpu(struct proc *p);

/* parent collects child, a zombie: its times and faults add to the parent's children's. */
void proc_reap(struct proc *parent, struct proc *child);

/* End the current process with an exit status (exit, exit_group). */
__attribute__((noreturn)) void proc_exit(struct proc *p, int status);

/* End the current process with signal sig, printing "sos: killed NAME: SIGNAME, why". */
__attribute__((noreturn, format(printf, 3, 4))) void proc_kill(struct proc *p, int sig,
                                                               const char *why, ...);

/* A signal sent to p: kill it, ignore it, stop or continue it, or keep it pending while
 * blocked. */
void proc_signal(struct proc *p, int sig);

/* Act on pending signals that are no longer blocked (the current process, on its way back to
 * user mode). */
void proc_deliver_pending(struct proc *p);

/* True when p has a signal pending that it does not block (a sleep ends with EINTR). */
bool proc_signal_pending(const struct proc *p);

/* "SIGSEGV" and friends. */
const char *signal_name(int sig);
