/* The system-call handlers: each takes the raw argument registers, checks and converts them, and
 * calls into mm/ or proc/. Returns what the system call returns (a value, or -errno). */
#pragma once
#include "proc/proc.h"

typedef long (*sys_fn)(struct proc *p, const uint64_t a[6]);

long sys_read(struct proc *p, const uint64_t a[6]);
long sys_write(struct proc *p, const uint64_t a[6]);
long sys_writev(struct proc *p, const uint64_t a[6]);
long sys_ioctl(struct proc *p, const uint64_t a[6]);

long sys_brk(struct proc *p, const uint64_t a[6]);
long sys_mmap(struct proc *p, const uint64_t a[6]);
long sys_munmap(struct proc *p, const uint64_t a[6]);
long sys_mprotect(struct proc *p, const uint64_t a[6]);
long sys_mremap(struct proc *p, const uint64_t a[6]);
long sys_madvise(struct proc *p, const uint64_t a[6]);
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
long sys_rt_sigprocmask(struct proc *p, const uint64_t a[6]);
long sys_rt_sigaction(struct proc *p, const uint64_t a[6]);
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
