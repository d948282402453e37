/* The signal frame of Linux x86-64 (rt_sigframe: restorer, ucontext with the sigcontext and the
 * FPU state, siginfo), built on a handler's entry and read back by rt_sigreturn. */
#pragma once
#include "proc/signal.h"

/* Build the frame of sig for action a on the user's (or the alternate) stack and point tf at the
 * handler; mask is the one rt_sigreturn puts back. 0, or -1 when it cannot be written. */
int sigframe_setup(struct proc *p, struct trapframe *tf, int sig, const struct ksiginfo *info,
                   const struct ksigaction *a, uint64_t mask);

/* The user stack pointer sp is on the armed alternate stack; the ss_flags sigaltstack reports. */
bool signal_on_altstack(const struct sigstate *s, uint64_t sp);
int signal_altstack_flags(const struct sigstate *s, uint64_t sp);
