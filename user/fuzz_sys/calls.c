/* The system-call fuzzer's table of calls (every one kernel/sys/syscall.c implements) and how one
 * is made: plain calls from their argument kinds, the special ones (fork, exec, exit, kill, the
 * memory calls) by hand so that the fuzzer never kills its supervisor or its own image. */
#include "fuzz.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>

#define B  CALL_BLOCKS
#define SP CALL_SPECIAL
#define FD CALL_FD
#define OF 0x7fffffUL  /* O_* */
#define AT 0x1f00UL    /* AT_* */
#define MM 0x1fffffcUL /* MAP_* but the type */

/* Every call SOS implements, by number; the argument kinds are gen_arg's letters ('L': a memory
 * length for the 'a' before it). Nothing is skipped, but some are made by hand (SP, fz_special):
 *  - fork, vfork and clone: the child makes a few calls and exits; clone never gets CLONE_VM or
 *    CLONE_SETTLS (a child on the parent's memory or with a bad fs base corrupts only the
 *    fuzzer), and never a killing exit signal.
 *  - execve and execveat: of the fuzzer itself in its "exec" mode (a short stream), or of a path
 *    of the pool, with good or bad argv.
 *  - exit and exit_group: end the worker, which the supervisor starts again after that call.
 *  - kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo, prlimit64: never SIGKILL or
 *    SIGSTOP, nor limits, for the supervisor.
 *  - mmap, mremap, brk, arch_prctl: addresses that cannot be the program's own (gen_target),
 *    and ARCH_SET_FS only to the fs base it has or to a bad one.
 * reboot, the one call a fuzzer must skip, is not implemented by SOS. */
const struct call fz_calls[] = {
    {0, "read", "fol", 0, B},
    {1, "write", "fil", 0, B},
    {2, "open", "pFm", OF, FD | B},
    {3, "close", "f", 0, 0},
    {4, "stat", "po", 0, 0},
    {5, "fstat", "fo", 0, 0},
    {6, "lstat", "po", 0, 0},
    {7, "poll", "qcn", 0, B},
    {8, "lseek", "fOW", 0, 0},
    {9, "mmap", "", 0, SP},
    {10, "mprotect", "aLT", 0, 0},
    {11, "munmap", "aL", 0, 0},
    {12, "brk", "", 0, SP},
    {13, "rt_sigaction", "shoS", 0, 0},
    {14, "rt_sigprocmask", "nkoS", 0, 0},
    {15, "rt_sigreturn", "", 0, 0},
    {16, "ioctl", "fIo", 0, B},
    {17, "pread64", "folO", 0, B},
    {18, "pwrite64", "filO", 0, B},
    {19, "readv", "fvc", 0, B},
    {20, "writev", "fvc", 0, B},
    {21, "access", "pn", 0, 0},
    {22, "pipe", "", 0, SP},
    {23, "select", "cbbbt", 0, B},
    {24, "sched_yield", "", 0, 0},
    {25, "mremap", "", 0, SP},
    {26, "msync", "aLF", 7, 0},
    {27, "mincore", "aLo", 0, 0},
    {28, "madvise", "aLA", 0, 0},
    {32, "dup", "f", 0, FD},
    {33, "dup2", "ff", 0, FD},
    {34, "pause", "", 0, B},
    {35, "nanosleep", "to", 0, B},
    {36, "getitimer", "no", 0, 0},
    {37, "alarm", "n", 0, 0},
    {38, "setitimer", "nto", 0, 0},
    {39, "getpid", "", 0, 0},
    {40, "sendfile", "ffol", 0, B},
    {56, "clone", "", 0, SP},
    {57, "fork", "", 0, SP},
    {58, "vfork", "", 0, SP},
    {59, "execve", "", 0, SP},
    {60, "exit", "", 0, SP},
    {61, "wait4", "PoFo", 0x6000000fUL | 0x80000000UL, B},
    {62, "kill", "", 0, SP},
    {63, "uname", "o", 0, 0},
    {72, "fcntl", "fCK", 0, FD | B},
    {73, "flock", "fY", 0, B},
    {74, "fsync", "f", 0, 0},
    {75, "fdatasync", "f", 0, 0},
    {76, "truncate", "pO", 0, 0},
    {77, "ftruncate", "fO", 0, 0},
    {78, "getdents", "fol", 0, 0},
    {79, "getcwd", "ol", 0, 0},
    {80, "chdir", "p", 0, 0},
    {81, "fchdir", "f", 0, 0},
    {82, "rename", "pp", 0, 0},
    {83, "mkdir", "pm", 0, 0},
    {84, "rmdir", "p", 0, 0},
    {85, "creat", "pm", 0, FD},
    {86, "link", "pp", 0, 0},
    {87, "unlink", "p", 0, 0},
    {88, "symlink", "pp", 0, 0},
    {89, "readlink", "pol", 0, 0},
    {90, "chmod", "pm", 0, 0},
    {91, "fchmod", "fm", 0, 0},
    {92, "chown", "puu", 0, 0},
    {93, "fchown", "fuu", 0, 0},
    {94, "lchown", "puu", 0, 0},
    {95, "umask", "m", 0, 0},
    {96, "gettimeofday", "oo", 0, 0},
    {97, "getrlimit", "no", 0, 0},
    {98, "getrusage", "no", 0, 0},
    {99, "sysinfo", "o", 0, 0},
    {100, "times", "o", 0, 0},
    {102, "getuid", "", 0, 0},
    {104, "getgid", "", 0, 0},
    {107, "geteuid", "", 0, 0},
    {108, "getegid", "", 0, 0},
    {109, "setpgid", "PP", 0, 0},
    {110, "getppid", "", 0, 0},
    {111, "getpgrp", "", 0, 0},
    {112, "setsid", "", 0, 0},
    {115, "getgroups", "no", 0, 0},
    {118, "getresuid", "ooo", 0, 0},
    {120, "getresgid", "ooo", 0, 0},
    {121, "getpgid", "P", 0, 0},
    {124, "getsid", "P", 0, 0},
    {127, "rt_sigpending", "oS", 0, 0},
    {128, "rt_sigtimedwait", "kotS", 0, B},
    {129, "rt_sigqueueinfo", "", 0, SP},
    {130, "rt_sigsuspend", "kS", 0, B},
    {131, "sigaltstack", "go", 0, 0},
    {132, "utime", "pt", 0, 0},
    {133, "mknod", "pMx", 0, 0},
    {137, "statfs", "po", 0, 0},
    {138, "fstatfs", "fo", 0, 0},
    {149, "mlock", "aL", 0, 0},
    {150, "munlock", "aL", 0, 0},
    {151, "mlockall", "F", 7, 0},
    {152, "munlockall", "", 0, 0},
    {158, "arch_prctl", "", 0, SP},
    {160, "setrlimit", "nr", 0, 0},
    {161, "chroot", "p", 0, 0},
    {162, "sync", "", 0, 0},
    {186, "gettid", "", 0, 0},
    {188, "setxattr", "ppilF", 3, 0},
    {189, "lsetxattr", "ppilF", 3, 0},
    {190, "fsetxattr", "fpilF", 3, 0},
    {191, "getxattr", "ppol", 0, 0},
    {192, "lgetxattr", "ppol", 0, 0},
    {193, "fgetxattr", "fpol", 0, 0},
    {194, "listxattr", "pol", 0, 0},
    {195, "llistxattr", "pol", 0, 0},
    {196, "flistxattr", "fol", 0, 0},
    {197, "removexattr", "pp", 0, 0},
    {198, "lremovexattr", "pp", 0, 0},
    {199, "fremovexattr", "fp", 0, 0},
    {200, "tkill", "", 0, SP},
    {201, "time", "o", 0, 0},
    {217, "getdents64", "fol", 0, 0},
    {218, "set_tid_address", "o", 0, 0},
    {219, "restart_syscall", "", 0, 0},
    {221, "fadvise64", "fOlA", 0, 0},
    {228, "clock_gettime", "no", 0, 0},
    {230, "clock_nanosleep", "nFto", 1, B},
    {231, "exit_group", "", 0, SP},
    {234, "tgkill", "", 0, SP},
    {235, "utimes", "pt", 0, 0},
    {247, "waitid", "nPoFo", 0x6100000fUL, B},
    {257, "openat", "dpFm", OF, FD | B},
    {258, "mkdirat", "dpm", 0, 0},
    {259, "mknodat", "dpMx", 0, 0},
    {260, "fchownat", "dpuuF", AT, 0},
    {261, "futimesat", "dpt", 0, 0},
    {262, "newfstatat", "dpoF", AT, 0},
    {263, "unlinkat", "dpF", 0x200, 0},
    {264, "renameat", "dpdp", 0, 0},
    {265, "linkat", "dpdpF", AT, 0},
    {266, "symlinkat", "pdp", 0, 0},
    {267, "readlinkat", "dpol", 0, 0},
    {268, "fchmodat", "dpm", 0, 0},
    {269, "faccessat", "dpn", 0, 0},
    {270, "pselect6", "cbbbtb", 0, B},
    {271, "ppoll", "qctkS", 0, B},
    {277, "sync_file_range", "fOOF", 7, 0},
    {280, "utimensat", "dptF", AT, 0},
    {285, "fallocate", "fFOO", 0x7f, 0},
    {292, "dup3", "ffF", 0x80000, FD},
    {293, "pipe2", "", 0, SP},
    {295, "preadv", "fvcO", 0, B},
    {296, "pwritev", "fvcO", 0, B},
    {297, "rt_tgsigqueueinfo", "", 0, SP},
    {302, "prlimit64", "", 0, SP},
    {306, "syncfs", "f", 0, 0},
    {316, "renameat2", "dpdpF", 7, 0},
    {318, "getrandom", "olF", 7, 0},
    {319, "memfd_create", "pF", 0x1f, FD},
    {322, "execveat", "", 0, SP},
    {325, "mlock2", "aLF", 1, 0},
    {326, "copy_file_range", "fofolF", 0, B},
    {327, "preadv2", "fvcOOF", 0x1f, B},
    {328, "pwritev2", "fvcOOF", 0x1f, B},
    {332, "statx", "dpFFo", AT | 0x6000, 0},
    {436, "close_range", "nnF", 6, 0},
    {439, "faccessat2", "dpnF", AT, 0},
    {452, "fchmodat2", "dpmF", AT, 0},
};
const int fz_ncalls = sizeof(fz_calls) / sizeof(fz_calls[0]);

/* The signals that end or stop whoever gets them whatever it set. */
static bool fatal(uint64_t sig)
{
	return sig == SIGKILL || sig == SIGSTOP;
}

/* Whether a signal to pid could reach the supervisor. */
static bool reaches_supervisor(struct fz *f, long pid)
{
	return pid == 0 || pid == -1 || pid == f->sup_pid || pid == -(long)f->sup_pgid;
}

/* A child of fork, vfork or clone (ret 0) makes a few calls of its own stream and exits. */
static long forked(struct fz *f, long ret)
{
	if (ret == 0)
		fz_child(f, 30);
	fz_keep_pid(f, ret);
	return ret;
}

/* clone as fork with random flags: no CLONE_VM (0x100), no CLONE_SETTLS (0x80000), an exit
 * signal that kills nobody. */
static long fz_clone(struct fz *f, bool run)
{
	uint64_t flags = gen_flags(f, ~0xffUL) & ~0x80100UL;
	uint64_t sig = gen_sig(f) & 0xff;
	uint64_t ptid = gen_out(f), ctid = gen_out(f);
	if (fatal(sig))
		sig = SIGCHLD;
	return run ? forked(f, sc(SYS_clone, (long)(flags | sig), 0, (long)ptid, (long)ctid, 0, 0))
	           : 0;
}

extern long fz_vfork_exec(const char *path, uint64_t argv, uint64_t envp);
/* vfork runs in a few instructions of assembly: the child, on the parent's stack, only execs
 * the fuzzer (or a path of the pool) and exits. */
__asm__(".text\n"
        ".globl fz_vfork_exec\n"
        "fz_vfork_exec:\n"
        "	mov %rdi, %r8\n"
        "	mov %rsi, %r9\n"
        "	mov %rdx, %r10\n"
        "	mov $58, %eax\n"
        "	syscall\n"
        "	test %rax, %rax\n"
        "	jnz 1f\n"
        "	mov %r8, %rdi\n"
        "	mov %r9, %rsi\n"
        "	mov %r10, %rdx\n"
        "	mov $59, %eax\n"
        "	syscall\n"
        "	mov $127, %edi\n"
        "	mov $60, %eax\n"
        "	syscall\n"
        "1:	ret\n"
        ".globl fz_restorer\n"
        "fz_restorer:\n"
        "	mov $15, %eax\n"
        "	syscall\n"
        "	hlt\n");

/* The path to exec: the fuzzer itself mostly. */
static uint64_t exec_path(struct fz *f)
{
	return below(f, 4) ? (uint64_t)f->self : gen_path(f);
}

/* kill and its kin; the target and signal are drawn, then made harmless to the supervisor. */
static long fz_signal(struct fz *f, int nr, bool run)
{
	long pid = (long)gen_pid(f), tid = (long)gen_pid(f);
	uint64_t sig = gen_sig(f), info = gen_arg(f, 'b', 0);
	bool hits = nr == SYS_kill || nr == SYS_rt_sigqueueinfo ? reaches_supervisor(f, pid)
	            : nr == SYS_tkill                           ? pid == f->sup_pid
	                                                        : tid == f->sup_pid;
	if (fatal(sig) && hits)
		sig = 0;
	if (!run)
		return 0;
	switch (nr) {
	case SYS_kill:
		return sc(nr, pid, (long)sig, 0, 0, 0, 0);
	case SYS_tkill:
		return sc(nr, pid, (long)sig, 0, 0, 0, 0);
	case SYS_rt_sigqueueinfo:
		return sc(nr, pid, (long)sig, (long)info, 0, 0, 0);
	case SYS_tgkill:
		return sc(nr, pid, tid, (long)sig, 0, 0, 0);
	default:
		return sc(nr, pid, tid, (long)sig, (long)info, 0, 0);
	}
}

/* mmap: a fixed mapping only on a target (gen_target) with a clamped length; a hint anywhere
 * otherwise. */
static long fz_mmap(struct fz *f, bool run)
{
	uint64_t flags = below(f, 4) | gen_flags(f, MM);
	bool fixed = flags & MAP_FIXED;
	uint64_t addr = fixed || one_in(f, 2) ? gen_target(f) : gen_out(f);
	uint64_t len = fixed || one_in(f, 2) ? gen_mlen(f, addr) : gen_arg(f, 'l', 0);
	uint64_t prot = gen_arg(f, 'T', 0), fd = gen_fd(f), off = gen_arg(f, 'O', 0);
	if (one_in(f, 3))
		flags |= MAP_ANONYMOUS;
	if (f->no_lock)
		flags &= ~(uint64_t)MAP_LOCKED;
	if (!run)
		return 0;
	long r = sc(SYS_mmap, (long)addr, (long)len, (long)prot, (long)flags, (long)fd, (long)off);
	fz_keep_map(f, r);
	return r;
}

/* mremap from a target to (MREMAP_FIXED) a target. */
static long fz_mremap(struct fz *f, bool run)
{
	uint64_t old = gen_target(f), oldlen = gen_mlen(f, old);
	uint64_t flags = gen_flags(f, 7), to = gen_target(f);
	uint64_t newlen = gen_mlen(f, flags & 2 ? to : old);
	if (!run)
		return 0;
	long r = sc(SYS_mremap, (long)old, (long)oldlen, (long)newlen, (long)flags, (long)to, 0);
	fz_keep_map(f, r);
	return r;
}

/* arch_prctl: ARCH_SET_FS only to the fs base in use or to one that cannot be set. */
static long fz_arch_prctl(struct fz *f, bool run)
{
	uint64_t code =
	    one_in(f, 8) ? rnd(f) & 0xffff : 0x1001 + below(f, 4) + (one_in(f, 4) ? 0x10 : 0);
	uint64_t arg = gen_out(f);
	if (code == 0x1002 && arg < 0x0000800000000000UL)
		arg = f->fs;
	return run ? sc(SYS_arch_prctl, (long)code, (long)arg, 0, 0, 0, 0) : 0;
}

/* pipe and pipe2: into a buffer whose fds are kept, or a bad pointer. */
static long fz_pipe(struct fz *f, int nr, bool run)
{
	static int fds[2];
	uint64_t to = one_in(f, 4) ? gen_out(f) : (uint64_t)fds;
	uint64_t flags = gen_flags(f, 0x84800);
	if (!run)
		return 0;
	fds[0] = fds[1] = -1;
	long r = sc(nr, (long)to, (long)flags, 0, 0, 0, 0);
	fz_keep_fd(f, fds[0]);
	fz_keep_fd(f, fds[1]);
	return r;
}

/* brk: 0, around the first break, far above it, or nonsense. */
static long fz_brk(struct fz *f, bool run)
{
	uint64_t to = one_in(f, 4) ? gen_out(f) : f->brk0 + (below(f, 64) - 8) * PAGE;
	if (one_in(f, 8))
		to = 0;
	return run ? sc(SYS_brk, (long)to, 0, 0, 0, 0, 0) : 0;
}

/* execve and execveat of the fuzzer (or a path of the pool). */
static long fz_exec(struct fz *f, int nr, bool run)
{
	uint64_t dirfd = gen_arg(f, 'd', 0), path = exec_path(f);
	uint64_t argv = gen_exec_argv(f), envp = gen_arg(f, 'E', 0);
	uint64_t flags = gen_flags(f, 0x1100);
	bool vfork = nr == SYS_vfork;
	if (!run)
		return 0;
	if (vfork)
		return fz_vfork_exec((const char *)path, argv, envp);
	if (nr == SYS_execve)
		return sc(nr, (long)path, (long)argv, (long)envp, 0, 0, 0);
	return sc(nr, (long)dirfd, (long)path, (long)argv, (long)envp, (long)flags, 0);
}

/* prlimit64 of anyone but the supervisor (whose CPU limit would kill it). */
static long fz_prlimit(struct fz *f, bool run)
{
	long pid = (long)gen_pid(f);
	uint64_t res = gen_arg(f, 'n', 0), nw = gen_arg(f, 'r', 0), old = gen_out(f);
	if (pid == f->sup_pid)
		pid = 0;
	return run ? sc(SYS_prlimit64, pid, (long)res, (long)nw, (long)old, 0, 0) : 0;
}

/* The calls made by hand (SP in the table). */
static long fz_special(struct fz *f, const struct call *c, bool run)
{
	switch (c->nr) {
	case SYS_mmap:
		return fz_mmap(f, run);
	case SYS_mremap:
		return fz_mremap(f, run);
	case SYS_brk:
		return fz_brk(f, run);
	case SYS_pipe:
	case SYS_pipe2:
		return fz_pipe(f, c->nr, run);
	case SYS_fork:
		return run ? forked(f, sc(SYS_fork, 0, 0, 0, 0, 0, 0)) : 0;
	case SYS_clone:
		return fz_clone(f, run);
	case SYS_vfork:
	case SYS_execve:
	case SYS_execveat:
		return fz_exec(f, c->nr, run);
	case SYS_exit:
	case SYS_exit_group: {
		uint64_t status = gen_arg(f, 'x', 0);
		return run ? sc(c->nr, (long)status, 0, 0, 0, 0, 0) : 0;
	}
	case SYS_arch_prctl:
		return fz_arch_prctl(f, run);
	case SYS_prlimit64:
		return fz_prlimit(f, run);
	default:
		return fz_signal(f, c->nr, run);
	}
}

/* True for the calls that lock memory. In a boot of little RAM one of them could lock nearly
 * all of it, and the pressure process and everything else would thrash through the rest for
 * minutes: a hang of the workload's making, not SOS's (MAP_LOCKED goes from mmap's flags too). */
bool fz_locks(int nr)
{
	return nr == SYS_mlock || nr == SYS_mlock2 || nr == SYS_mlockall;
}

/* Draw the arguments of call c and, when run, make it. */
long fz_call(struct fz *f, const struct call *c, bool run)
{
	if (c->how & SP)
		return fz_special(f, c, run);
	uint64_t a[6] = {0};
	for (int i = 0; c->args[i]; i++)
		a[i] = c->args[i] == 'L' ? gen_mlen(f, a[i - 1]) : gen_arg(f, c->args[i], c->mask);
	if (!run)
		return 0;
	long r = sc(c->nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
	if (c->how & FD)
		fz_keep_fd(f, r);
	return r;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Catch every signal a fuzzed call may send that would end or stop the worker by default, but
 * not the faults (a handler returning to a fault would loop): SIGALRM takes blocking calls out.
 * Raw calls, with the fuzzer's own restorer, so musl's state is never involved. */
void fz_signals_init(void)
{
	for (int sig = 1; sig < 65; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV || sig == SIGBUS ||
		    sig == SIGILL || sig == SIGFPE || sig == SIGTRAP || sig == SIGABRT ||
		    sig == SIGSYS || sig == SIGCHLD)
			continue;
		uint64_t act[4] = {(uint64_t)on_signal, 0x04000000UL, (uint64_t)fz_restorer, 0};
		sc(SYS_rt_sigaction, sig, (long)act, 0, 8, 0, 0);
	}
	uint64_t none = 0;
	sc(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, 8, 0, 0);
	fz_timer_arm();
}

/* SIGALRM every 10 ms, so that no call blocks a worker for long (each ends with EINTR). */
void fz_timer_arm(void)
{
	struct itimerval it = {{0, 10000}, {0, 10000}};
	sc(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0, 0, 0);
}

/* Make n calls of f's stream from f->idx on, those the -k list keeps; every 64 calls put back
 * the handlers, the mask and the timer the calls may have changed. */
void fz_loop(struct fz *f, long n)
{
	for (long k = 0; k < n; k++) {
		f->idx++;
		fz_beat(f);
		const struct call *c = &fz_calls[below(f, (uint64_t)fz_ncalls)];
		bool run = fz_keep(f->w, f->idx) && !(f->no_lock && fz_locks(c->nr));
		fz_beat_nr(f, c->nr);
		if (run && (c->how & B))
			fz_timer_arm();
		fz_call(f, c, run);
		if (run)
			fz_count(f);
		if (k % 64 == 63)
			fz_signals_init();
	}
}

/* A child of fork or clone: its own stream (derived from the parent's), the same call indices,
 * at most n calls. */
void fz_child(struct fz *f, long n)
{
	f->kind = FZ_FORKED;
	f->rng = fz_mix(f->rng ^ 0xc4111dUL);
	for (int i = 0; i < NPID; i++)
		f->pids[i] = 0;
	fz_signals_init();
	fz_loop(f, n);
	sc(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
