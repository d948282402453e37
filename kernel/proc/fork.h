/* Making processes: fork, vfork and clone (fork.c). */
#pragma once
#include "proc/proc.h"

#define CSIGNAL              0x000000ff
#define CLONE_VM             0x00000100
#define CLONE_VFORK          0x00004000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000

/* A child of p as clone(flags, stack, ptid, ctid, tls) makes it: its pid, or -EINVAL (flags SOS
 * does not take), -ENOSYS (threads), -EAGAIN (no slot), -ENOMEM or -EFAULT (ptid). */
long proc_fork(struct proc *p, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid,
               uint64_t tls);
