/* The system-call table and dispatcher: Linux x86-64 numbers, arguments in rdi, rsi, rdx, r10,
 * r8, r9, the result in rax; every other register comes back as it was (trap.S restores them). */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "lib/printf.h"
#include "mm/reclaim.h"
#include "proc/sched.h"
#include "sys/sys.h"
#include "sys/syscall_names.h"
#include <errno.h>

static const sys_fn table[] = {
    [0] = sys_read,
    [1] = sys_write,
    [2] = sys_open,
    [3] = sys_close,
    [4] = sys_stat,
    [5] = sys_fstat,
    [6] = sys_lstat,
    [7] = sys_poll,
    [8] = sys_lseek,
    [9] = sys_mmap,
    [10] = sys_mprotect,
    [11] = sys_munmap,
    [12] = sys_brk,
    [13] = sys_rt_sigaction,
    [14] = sys_rt_sigprocmask,
    [15] = sys_rt_sigreturn, /* syscall_dispatch calls signal_return() itself */
    [16] = sys_ioctl,
    [17] = sys_pread64,
    [18] = sys_pwrite64,
    [19] = sys_readv,
    [20] = sys_writev,
    [21] = sys_access,
    [22] = sys_pipe,
    [23] = sys_select,
    [24] = sys_sched_yield,
    [25] = sys_mremap,
    [26] = sys_msync,
    [27] = sys_mincore,
    [28] = sys_madvise,
    [32] = sys_dup,
    [33] = sys_dup2,
    [34] = sys_pause,
    [35] = sys_nanosleep,
    [36] = sys_getitimer,
    [37] = sys_alarm,
    [38] = sys_setitimer,
    [39] = sys_getpid,
    [40] = sys_sendfile,
    [56] = sys_clone,
    [57] = sys_fork,
    [58] = sys_vfork,
    [59] = sys_execve,
    [60] = sys_exit,
    [61] = sys_wait4,
    [62] = sys_kill,
    [63] = sys_uname,
    [72] = sys_fcntl,
    [73] = sys_flock,
    [74] = sys_fsync,
    [75] = sys_fsync, /* fdatasync: no data to write back either */
    [76] = sys_truncate,
    [77] = sys_ftruncate,
    [78] = sys_getdents,
    [79] = sys_getcwd,
    [80] = sys_chdir,
    [81] = sys_fchdir,
    [82] = sys_rename,
    [83] = sys_mkdir,
    [84] = sys_rmdir,
    [85] = sys_creat,
    [86] = sys_link,
    [87] = sys_unlink,
    [88] = sys_symlink,
    [89] = sys_readlink,
    [90] = sys_chmod,
    [91] = sys_fchmod,
    [92] = sys_chown,
    [93] = sys_fchown,
    [94] = sys_lchown,
    [95] = sys_umask,
    [96] = sys_gettimeofday,
    [97] = sys_getrlimit,
    [98] = sys_getrusage,
    [99] = sys_sysinfo,
    [100] = sys_times,
    [102] = sys_getid, /* getuid */
    [104] = sys_getid, /* getgid */
    [107] = sys_getid, /* geteuid */
    [108] = sys_getid, /* getegid */
    [109] = sys_setpgid,
    [110] = sys_getppid,
    [111] = sys_getpgrp,
    [112] = sys_setsid,
    [115] = sys_getgroups,
    [118] = sys_getresid, /* getresuid */
    [120] = sys_getresid, /* getresgid */
    [121] = sys_getpgid,
    [124] = sys_getsid,
    [127] = sys_rt_sigpending,
    [128] = sys_rt_sigtimedwait,
    [129] = sys_rt_sigqueueinfo,
    [130] = sys_rt_sigsuspend,
    [131] = sys_sigaltstack,
    [132] = sys_utime,
    [133] = sys_mknod,
    [137] = sys_statfs,
    [138] = sys_fstatfs,
    [149] = sys_mlock,
    [150] = sys_munlock,
    [151] = sys_mlockall,
    [152] = sys_munlockall,
    [158] = sys_arch_prctl,
    [160] = sys_setrlimit,
    [161] = sys_chroot,
    [162] = sys_sync,
    [186] = sys_getpid, /* gettid: one thread a process, with the process's id */
    [188] = sys_setxattr,
    [189] = sys_lsetxattr,
    [190] = sys_fsetxattr,
    [191] = sys_getxattr,
    [192] = sys_lgetxattr,
    [193] = sys_fgetxattr,
    [194] = sys_listxattr,
    [195] = sys_llistxattr,
    [196] = sys_flistxattr,
    [197] = sys_removexattr,
    [198] = sys_lremovexattr,
    [199] = sys_fremovexattr,
    [200] = sys_tkill,
    [201] = sys_time,
    [217] = sys_getdents64,
    [218] = sys_set_tid_address,
    [219] = sys_restart_syscall,
    [221] = sys_fadvise64,
    [228] = sys_clock_gettime,
    [230] = sys_clock_nanosleep,
    [231] = sys_exit, /* exit_group: one thread a process, so the same */
    [234] = sys_tgkill,
    [235] = sys_utimes,
    [247] = sys_waitid,
    [257] = sys_openat,
    [258] = sys_mkdirat,
    [259] = sys_mknodat,
    [260] = sys_fchownat,
    [261] = sys_futimesat,
    [262] = sys_newfstatat,
    [263] = sys_unlinkat,
    [264] = sys_renameat,
    [265] = sys_linkat,
    [266] = sys_symlinkat,
    [267] = sys_readlinkat,
    [268] = sys_fchmodat,
    [269] = sys_faccessat,
    [270] = sys_pselect6,
    [271] = sys_ppoll,
    [277] = sys_sync_file_range,
    [280] = sys_utimensat,
    [285] = sys_fallocate,
    [292] = sys_dup3,
    [293] = sys_pipe2,
    [295] = sys_preadv,
    [296] = sys_pwritev,
    [297] = sys_rt_tgsigqueueinfo,
    [302] = sys_prlimit64,
    [306] = sys_syncfs,
    [316] = sys_renameat2,
    [318] = sys_getrandom,
    [319] = sys_memfd_create,
    [322] = sys_execveat,
    [325] = sys_mlock2,
    [326] = sys_copy_file_range,
    [327] = sys_preadv2,
    [328] = sys_pwritev2,
    [332] = sys_statx,
    [436] = sys_close_range,
    [439] = sys_faccessat2,
    [452] = sys_fchmodat2,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *syscall_name(uint64_t nr)
{
	return nr < NELEM(syscall_names) && syscall_names[nr] ? syscall_names[nr] : "unknown";
}

static struct trapframe *frame; /* of the call being served */

struct trapframe *syscall_frame(void)
{
	return frame;
}

long sys_rt_sigreturn(struct proc *p, const uint64_t a[6])
{
	(void)a;
	signal_return(p, frame);
	return (long)frame->rax;
}

/* True when the way back to user mode has signal work: a signal to take, a mask to put back, or
 * an interrupted call to restart or fail. Most calls have none, and skip signal_deliver(). */
static bool signal_work(const struct proc *p, long ret)
{
	return signal_pending(p) || p->sig.restore_mask ||
	       (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK);
}

bool syscall_dispatch(struct trapframe *tf)
{
	struct proc *p = curproc;
	uint64_t nr = tf->rax;
	const uint64_t a[6] = {tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9};
	sys_fn fn = nr < NELEM(table) ? table[nr] : NULL;
	tf->error = nr; /* Linux's orig_rax: what a restarted call runs again */
	frame = tf;
	reclaim_check(); /* a safe point: the call may take frames the fault path does not see */
	long ret = fn ? fn(p, a) : -ENOSYS; /* exit and fatal signals do not come back */
	if (p->trace)
		kprintf("sos: syscall %s(0x%lx, 0x%lx, 0x%lx) = %ld%s\n", syscall_name(nr), a[0],
		        a[1], a[2], ret, fn ? "" : " (not implemented)");
	tf->rax = (uint64_t)ret;
	sched_preempt_point();
	/* rt_sigreturn and a handler's frame set every register: leave through iretq */
	bool every_register = fn == sys_rt_sigreturn;
	if (signal_work(p, ret) && signal_deliver(p, tf))
		every_register = true;
	return every_register;
}
