/* A process: one program run from its ELF image to its exit or its death, with its address
 * space, its signal state and the kernel context to return to when it ends. */
#pragma once
#include "arch/x86_64/trap.h"
#include "mm/as.h"
#include "proc/exec.h"
#include "proc/rlimit.h"
#include "proc/signal.h"

#define PROC_PID      1   /* the only process; its one thread has the same id */
#define PROC_MAX_ARGS 256 /* argv entries */

struct fdtable;
struct inode;

struct proc {
	const char *name; /* argv[0]: how diagnostics name the program */
	struct as *as;
	struct kcontext ctx; /* where proc_run resumes when the process ends */
	uint64_t clear_child_tid;
	struct sigstate sig; /* actions, mask, pending signals, altstack (signal.h) */
	bool trace;          /* --trace: every fault and system call on stderr */
	struct fdtable *fds; /* shared with the threads and copied by fork */
	struct inode *cwd;   /* one reference */
	unsigned umask;
	struct rlimit rlim[RLIM_NLIMITS]; /* getrlimit/setrlimit; fd_alloc obeys RLIMIT_NOFILE */
	/* for /proc: where exec put things and the file it ran (absolute path) */
	struct exec_layout layout;
	const char *exe_path;
	uint32_t exe_dev;
	uint64_t exe_ino;
	const uint8_t *exe_image;    /* the file's bytes (RB_IMAGE regions point into them) */
	const struct shmem *exe_obj; /* the file's page cache, when exec mapped it */
	uint64_t start_ticks;        /* clock ticks (1/100 s) from boot to the start */
};

/* The process running now, or NULL between processes. */
extern struct proc *curproc;

struct program {
	const uint8_t *image; /* the ELF file */
	size_t size;
	int argc, envc;
	const char *const *argv, *const *envp;
};

/* Run prog to its end and return its exit status: its own, 128 + signal when killed, or 126
 * when it is not an ELF executable SOS can run. */
int proc_run(const struct program *prog, bool trace);

/* End the process with an exit status (from exit, exit_group). */
__attribute__((noreturn)) void proc_exit(struct proc *p, int status);

/* End the process with signal sig, printing "sos: killed NAME: SIGNAME, why". */
__attribute__((noreturn, format(printf, 3, 4))) void proc_kill(struct proc *p, int sig,
                                                               const char *why, ...);
