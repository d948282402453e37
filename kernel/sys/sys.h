/* The system-call handlers: each takes the raw argument registers, checks and converts them, and
 * calls into mm/ or proc/. Returns what the system call returns (a value, or -errno). */
#pragma once
#include "proc/proc.h"

typedef long (*sys_fn)(struct proc *p, const uint64_t a[6]);

/* The trap frame of the system call being served (sigaltstack needs the user's rsp). */
struct trapframe *syscall_frame(void);

/* the signal calls (sys_signal.c; rt_sigreturn in syscall.c) */
long sys_rt_sigaction(struct proc *p, const uint64_t a[6]);
long sys_rt_sigprocmask(struct proc *p, const uint64_t a[6]);
long sys_rt_sigreturn(struct proc *p, const uint64_t a[6]);
long sys_rt_sigpending(struct proc *p, const uint64_t a[6]);
long sys_rt_sigtimedwait(struct proc *p, const uint64_t a[6]);
long sys_rt_sigqueueinfo(struct proc *p, const uint64_t a[6]);
long sys_rt_tgsigqueueinfo(struct proc *p, const uint64_t a[6]);
long sys_rt_sigsuspend(struct proc *p, const uint64_t a[6]);
long sys_sigaltstack(struct proc *p, const uint64_t a[6]);

long sys_ioctl(struct proc *p, const uint64_t a[6]);

/* processes (sys_fork.c, sys_exec.c, sys_proc.c) */
long sys_fork(struct proc *p, const uint64_t a[6]);
long sys_vfork(struct proc *p, const uint64_t a[6]);
long sys_clone(struct proc *p, const uint64_t a[6]);
long sys_execve(struct proc *p, const uint64_t a[6]);
long sys_execveat(struct proc *p, const uint64_t a[6]);
long sys_wait4(struct proc *p, const uint64_t a[6]);
long sys_waitid(struct proc *p, const uint64_t a[6]);
long sys_getrusage(struct proc *p, const uint64_t a[6]);
long sys_getppid(struct proc *p, const uint64_t a[6]);
long sys_getpgid(struct proc *p, const uint64_t a[6]);
long sys_getpgrp(struct proc *p, const uint64_t a[6]);
long sys_getsid(struct proc *p, const uint64_t a[6]);
long sys_setsid(struct proc *p, const uint64_t a[6]);
long sys_setpgid(struct proc *p, const uint64_t a[6]);

/* time and scheduling (sys_sched.c) */
long sys_nanosleep(struct proc *p, const uint64_t a[6]);
long sys_restart_syscall(struct proc *p, const uint64_t a[6]);
long sys_clock_nanosleep(struct proc *p, const uint64_t a[6]);
long sys_pause(struct proc *p, const uint64_t a[6]);
long sys_sched_yield(struct proc *p, const uint64_t a[6]);
long sys_alarm(struct proc *p, const uint64_t a[6]);
long sys_getitimer(struct proc *p, const uint64_t a[6]);
long sys_setitimer(struct proc *p, const uint64_t a[6]);
long sys_times(struct proc *p, const uint64_t a[6]);
long sys_select(struct proc *p, const uint64_t a[6]);

/* A timespec at user address u as nanoseconds (past UINT64_MAX / 2: that): 0, -EFAULT, or -EINVAL
 * when it is negative or its nanoseconds reach a second. The time calls, poll, sigtimedwait. */
int user_timespec(struct proc *p, vaddr_t u, uint64_t *ns);
long sys_pselect6(struct proc *p, const uint64_t a[6]);

/* the file system calls (sys_fs_*.c) */
long sys_read(struct proc *p, const uint64_t a[6]);
long sys_write(struct proc *p, const uint64_t a[6]);
long sys_pread64(struct proc *p, const uint64_t a[6]);
long sys_pwrite64(struct proc *p, const uint64_t a[6]);
long sys_readv(struct proc *p, const uint64_t a[6]);
long sys_writev(struct proc *p, const uint64_t a[6]);
long sys_preadv(struct proc *p, const uint64_t a[6]);
long sys_pwritev(struct proc *p, const uint64_t a[6]);
long sys_preadv2(struct proc *p, const uint64_t a[6]);
long sys_pwritev2(struct proc *p, const uint64_t a[6]);
long sys_lseek(struct proc *p, const uint64_t a[6]);
long sys_open(struct proc *p, const uint64_t a[6]);
long sys_openat(struct proc *p, const uint64_t a[6]);
long sys_creat(struct proc *p, const uint64_t a[6]);
long sys_close(struct proc *p, const uint64_t a[6]);
long sys_dup(struct proc *p, const uint64_t a[6]);
long sys_dup2(struct proc *p, const uint64_t a[6]);
long sys_dup3(struct proc *p, const uint64_t a[6]);
long sys_fcntl(struct proc *p, const uint64_t a[6]);
long sys_flock(struct proc *p, const uint64_t a[6]);
long sys_close_range(struct proc *p, const uint64_t a[6]);
long sys_fstat(struct proc *p, const uint64_t a[6]);
long sys_stat(struct proc *p, const uint64_t a[6]);
long sys_lstat(struct proc *p, const uint64_t a[6]);
long sys_newfstatat(struct proc *p, const uint64_t a[6]);
long sys_statx(struct proc *p, const uint64_t a[6]);
long sys_access(struct proc *p, const uint64_t a[6]);
long sys_faccessat(struct proc *p, const uint64_t a[6]);
long sys_faccessat2(struct proc *p, const uint64_t a[6]);
long sys_getdents64(struct proc *p, const uint64_t a[6]);
long sys_mknod(struct proc *p, const uint64_t a[6]);
long sys_mknodat(struct proc *p, const uint64_t a[6]);
long sys_mkdir(struct proc *p, const uint64_t a[6]);
long sys_mkdirat(struct proc *p, const uint64_t a[6]);
long sys_rmdir(struct proc *p, const uint64_t a[6]);
long sys_unlink(struct proc *p, const uint64_t a[6]);
long sys_unlinkat(struct proc *p, const uint64_t a[6]);
long sys_rename(struct proc *p, const uint64_t a[6]);
long sys_renameat(struct proc *p, const uint64_t a[6]);
long sys_renameat2(struct proc *p, const uint64_t a[6]);
long sys_link(struct proc *p, const uint64_t a[6]);
long sys_linkat(struct proc *p, const uint64_t a[6]);
long sys_symlink(struct proc *p, const uint64_t a[6]);
long sys_symlinkat(struct proc *p, const uint64_t a[6]);
long sys_readlink(struct proc *p, const uint64_t a[6]);
long sys_readlinkat(struct proc *p, const uint64_t a[6]);
long sys_chdir(struct proc *p, const uint64_t a[6]);
long sys_fchdir(struct proc *p, const uint64_t a[6]);
long sys_getcwd(struct proc *p, const uint64_t a[6]);
long sys_poll(struct proc *p, const uint64_t a[6]);
long sys_ppoll(struct proc *p, const uint64_t a[6]);

long sys_brk(struct proc *p, const uint64_t a[6]);
long sys_mmap(struct proc *p, const uint64_t a[6]);
long sys_munmap(struct proc *p, const uint64_t a[6]);
long sys_mprotect(struct proc *p, const uint64_t a[6]);
long sys_mremap(struct proc *p, const uint64_t a[6]);
long sys_madvise(struct proc *p, const uint64_t a[6]);
long sys_msync(struct proc *p, const uint64_t a[6]);
long sys_mincore(struct proc *p, const uint64_t a[6]);
long sys_mlock(struct proc *p, const uint64_t a[6]);
long sys_munlock(struct proc *p, const uint64_t a[6]);
long sys_mlockall(struct proc *p, const uint64_t a[6]);
long sys_munlockall(struct proc *p, const uint64_t a[6]);
long sys_mlock2(struct proc *p, const uint64_t a[6]);

long sys_exit(struct proc *p, const uint64_t a[6]);
long sys_arch_prctl(struct proc *p, const uint64_t a[6]);
long sys_set_tid_address(struct proc *p, const uint64_t a[6]);
long sys_getpid(struct proc *p, const uint64_t a[6]);
long sys_kill(struct proc *p, const uint64_t a[6]);
long sys_tkill(struct proc *p, const uint64_t a[6]);
long sys_tgkill(struct proc *p, const uint64_t a[6]);
long sys_uname(struct proc *p, const uint64_t a[6]);

long sys_clock_gettime(struct proc *p, const uint64_t a[6]);
long sys_gettimeofday(struct proc *p, const uint64_t a[6]);
long sys_time(struct proc *p, const uint64_t a[6]);

long sys_getid(struct proc *p, const uint64_t a[6]);
long sys_getgroups(struct proc *p, const uint64_t a[6]);
long sys_getresid(struct proc *p, const uint64_t a[6]);

long sys_getrlimit(struct proc *p, const uint64_t a[6]);
long sys_setrlimit(struct proc *p, const uint64_t a[6]);
long sys_prlimit64(struct proc *p, const uint64_t a[6]);
long sys_sysinfo(struct proc *p, const uint64_t a[6]);
long sys_getrandom(struct proc *p, const uint64_t a[6]);

long sys_umask(struct proc *p, const uint64_t a[6]);
long sys_chmod(struct proc *p, const uint64_t a[6]);
long sys_fchmod(struct proc *p, const uint64_t a[6]);
long sys_fchmodat(struct proc *p, const uint64_t a[6]);
long sys_fchmodat2(struct proc *p, const uint64_t a[6]);
long sys_chown(struct proc *p, const uint64_t a[6]);
long sys_lchown(struct proc *p, const uint64_t a[6]);
long sys_fchown(struct proc *p, const uint64_t a[6]);
long sys_fchownat(struct proc *p, const uint64_t a[6]);

long sys_utimensat(struct proc *p, const uint64_t a[6]);
long sys_utime(struct proc *p, const uint64_t a[6]);
long sys_futimesat(struct proc *p, const uint64_t a[6]);
long sys_utimes(struct proc *p, const uint64_t a[6]);

long sys_truncate(struct proc *p, const uint64_t a[6]);
long sys_ftruncate(struct proc *p, const uint64_t a[6]);
long sys_fallocate(struct proc *p, const uint64_t a[6]);
long sys_fsync(struct proc *p, const uint64_t a[6]);
long sys_syncfs(struct proc *p, const uint64_t a[6]);
long sys_sync(struct proc *p, const uint64_t a[6]);
long sys_sync_file_range(struct proc *p, const uint64_t a[6]);
long sys_fadvise64(struct proc *p, const uint64_t a[6]);

long sys_statfs(struct proc *p, const uint64_t a[6]);
long sys_fstatfs(struct proc *p, const uint64_t a[6]);

long sys_sendfile(struct proc *p, const uint64_t a[6]);
long sys_copy_file_range(struct proc *p, const uint64_t a[6]);

long sys_memfd_create(struct proc *p, const uint64_t a[6]);
long sys_pipe(struct proc *p, const uint64_t a[6]);
long sys_pipe2(struct proc *p, const uint64_t a[6]);

long sys_getdents(struct proc *p, const uint64_t a[6]);
long sys_chroot(struct proc *p, const uint64_t a[6]);

long sys_setxattr(struct proc *p, const uint64_t a[6]);
long sys_lsetxattr(struct proc *p, const uint64_t a[6]);
long sys_fsetxattr(struct proc *p, const uint64_t a[6]);
long sys_getxattr(struct proc *p, const uint64_t a[6]);
long sys_lgetxattr(struct proc *p, const uint64_t a[6]);
long sys_fgetxattr(struct proc *p, const uint64_t a[6]);
long sys_listxattr(struct proc *p, const uint64_t a[6]);
long sys_llistxattr(struct proc *p, const uint64_t a[6]);
long sys_flistxattr(struct proc *p, const uint64_t a[6]);
long sys_removexattr(struct proc *p, const uint64_t a[6]);
long sys_lremovexattr(struct proc *p, const uint64_t a[6]);
long sys_fremovexattr(struct proc *p, const uint64_t a[6]);
