/* A process: one program run in its own address space, with its files, its signal state, its
 * kernel stack and context, its place in the process tree, and its times. */
#pragma once
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "mm/as.h"
#include "proc/exec.h"
#include "proc/rlimit.h"
#include "proc/signal.h"

#define PROC_MAX      KSLOTS /* processes alive at once (zombies included) */
#define PROC_MAX_ARGS 256    /* argv entries of the first program */
#define PROC_NAME     64     /* bytes of a name kept for diagnostics */
#define FPU_AREA      4096   /* bytes for the user FPU state: XSAVE of every user feature */

struct fdtable;
struct inode;

enum proc_state {
	PS_NEW,      /* being made by fork or proc_run: not yet runnable */
	PS_RUNNABLE, /* running now (curproc) or waiting for the CPU */
	PS_SLEEPING, /* in sched_sleep() or sched_wait() */
	PS_STOPPED,  /* by SIGSTOP and friends, until SIGCONT */
	PS_ZOMBIE,   /* dead, its status kept until its parent reaps it */
};

/* It lives in the first pages of its kernel slot (layout.h), below its stack's guard. */
struct proc {
	uint8_t fpu[FPU_AREA] __attribute__((aligned(64))); /* user FPU state while it is off */
	int pid, pgid, sid;
	enum proc_state state;
	struct proc *parent; /* NULL: the kernel's (the first process, and orphans) */
	int exit_signal;     /* what the parent gets at the death (SIGCHLD; other: a clone child) */
	char name[PROC_NAME]; /* argv[0]: how diagnostics name the program */
	struct as *as;
	bool as_borrowed; /* a vfork child running in its parent's address space */
	bool vfork_done;  /* (in the parent) the vfork child has exec'd or died */
	bool vfork_child; /* CLONE_VFORK: the parent waits for this one's exec or death */
	bool execed;      /* it has called execve since fork (setpgid by its parent: EACCES) */
	/* the kernel side: its slot and frames, where it was switched away, the user registers
	 * of its last entry, its thread pointer while it does not run */
	unsigned slot;
	paddr_t frames[KSLOT_PAGES];
	uint64_t kstack_top;
	struct kcontext kctx;
	struct trapframe *tf;
	uint64_t fs_base;
	/* sleeping: on what, and until when (arch_monotonic_ns(); 0 none) */
	const void *chan;
	uint64_t deadline;
	/* the end: the wait status Linux encodes (exit code << 8, or the signal), and a stop or
	 * continue the parent has not yet collected */
	int wstatus;
	int report; /* 0, or the wait status of a stop (0x7f | sig << 8) or continue (0xffff) */
	uint64_t minflt, majflt, maxrss_kb; /* kept at death for the parent's getrusage */
	/* faults of the address spaces it left at exec: Linux's counts are the task's, kept
	 * across exec */
	uint64_t exec_minflt, exec_majflt;
	uint64_t clear_child_tid;
	struct sigstate sig; /* actions, mask, pending signals, altstack (signal.h) */
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
	struct inode *exe;           /* that file, kept from writers (proc_set_exe), or NULL */
	uint64_t start_ticks;        /* clock ticks (1/100 s) from boot to the start */
	/* CPU time: ticks in user and system mode (sampled by the timer), nanoseconds on the CPU
	 * (measured), and the ticks, faults and peak RSS of its reaped children */
	uint64_t uticks, sticks, runtime_ns;
	uint64_t cuticks, csticks, cminflt, cmajflt, cmaxrss_kb;
	/* the sleep restart_syscall resumes (Linux's restart_block): its deadline and rem pointer
	 */
	uint64_t restart_deadline, restart_rem;
	/* ITIMER_REAL (alarm, setitimer): when it fires next (0: off) and its interval, ns */
	uint64_t alarm_at, alarm_interval;
};

_Static_assert(sizeof(struct proc) <= KSLOT_PROC_PAGES * 4096, "a process fits its slot's pages");

/* Faults of every address space gone since boot (at exit and exec), as getrusage counts them:
 * after the last run, the faults of every process. */
struct fault_totals {
	uint64_t minflt, majflt;
};

extern struct fault_totals proc_faults;

/* The process running now, or NULL in the scheduler. */
extern struct proc *curproc;

/* The run's first process (run.c): pid 1, heir of orphans; its status ends the run. */
extern struct proc *initproc;

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

/* A new process, zeroed: a pid, a slot with its kernel stack, its trapframe at the stack's top;
 * the rest is the caller's to fill. NULL with -EAGAIN (no slot) or -ENOMEM in *err. */
struct proc *proc_alloc(int *err);

/* Give back p's slot and frames (a zombie, or one never started). */
void proc_free(struct proc *p);

/* Make p, filled in, runnable. */
void proc_start(struct proc *p);

/* The process in table slot i (below PROC_MAX), or NULL. */
struct proc *proc_slot(unsigned i);

/* The slots a scan of the table needs to look at: every one from it up is free. */
unsigned proc_slots(void);

/* Processes in the table (zombies included): the leak check wants none between runs. */
unsigned proc_count(void);

/* ITIMER_REAL of p is due at now: SIGALRM, and the next expiry when it has an interval. */
void proc_alarm(struct proc *p, uint64_t now);

/* The live or zombie process with pid, or NULL. */
struct proc *proc_find(int pid);

/* Call fn on every process (zombies too). */
void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg);

/* End the current process p with a wait status (exit code << 8, or the signal): its files and
 * address space go, its children become the kernel's, its parent hears. Never returns. */
__attribute__((noreturn)) void proc_die(struct proc *p, int wstatus);

/* The minor (major) faults of live p, as getrusage(RUSAGE_SELF) counts them: its address space's
 * and those of the ones it left at exec. */
uint64_t proc_minflt(const struct proc *p);
uint64_t proc_majflt(const struct proc *p);

/* as, which a process ran in, goes: its faults join proc_faults (a vfork child's borrowed one
 * is its parent's to count). */
void proc_count_faults(const struct as *as);

/* A vfork child p (CLONE_VFORK, on its parent's memory or a copy) has exec'd or died: the parent
 * runs on. */
void proc_vfork_release_as(struct proc *p);

/* p has just left the CPU: free it if it is a zombie nobody will wait for. */
void proc_left_cpu(struct proc *p);

/* parent collects child, a zombie: its times and faults add to the parent's children's. */
void proc_reap(struct proc *parent, struct proc *child);

/* Close every file of p and let go of its working directory. */
void proc_release_files(struct proc *p);

/* p runs from ip now (NULL: from no file): a reference, and write access denied until
 * proc_drop_exe(), as Linux's mm->exe_file denies it. 0, or -ETXTBSY while ip is open for
 * writing (p's old file is kept then). */
int proc_set_exe(struct proc *p, struct inode *ip);
/* p runs from no file any more: it died, or exec replaces its file. */
void proc_drop_exe(struct proc *p);

/* End the current process with an exit status (exit, exit_group). */
__attribute__((noreturn)) void proc_exit(struct proc *p, int status);

/* End the current process with signal sig. The first process's death (any with --trace) is said
 * in a line, "sos: killed NAME: SIGNAME, why"; a child's is its parent's to see. */
__attribute__((noreturn, format(printf, 3, 4))) void proc_kill(struct proc *p, int sig,
                                                               const char *why, ...);

/* Stop the current process p for signal sig (a stop signal's default action) until
 * proc_continue(p) or SIGKILL; its parent hears. */
void proc_stop(struct proc *p, int sig);

/* Let a stopped p run again (SIGCONT, whatever its action); its parent hears. */
void proc_continue(struct proc *p);
