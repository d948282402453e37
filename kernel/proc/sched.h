/* The scheduler: round robin over the runnable processes, preempted by the timer in user mode,
 * sleeping and waking on channels, and the idle CPU halted. */
#pragma once
#include "lib/wait.h"
#include "proc/proc.h"

#define HZ          250 /* timer ticks a second, as Debian's kernel */
#define SLICE_TICKS 2   /* ticks a process runs in user mode before the next one's turn */

/* Run processes until done() says to stop; when none can run, halt until an interrupt. */
void sched_run(bool (*done)(void));

/* Give the CPU to the next runnable process; the current one stays runnable. */
void sched_yield(void);

/* On the way back to user mode: yield when the current process woke another (wakeup
 * preemption). */
void sched_preempt_point(void);

/* Leave the CPU for good: the current process is a zombie now. */
__attribute__((noreturn)) void sched_exit(void);

/* Make p runnable if it sleeps (a signal for it); stopped and zombie processes stay. */
void sched_wake_proc(struct proc *p);

/* Forget p, which is being freed (its FPU registers are nobody's now). */
void sched_forget(struct proc *p);

/* Nanoseconds p has been on the CPU (CLOCK_PROCESS_CPUTIME_ID), the running slice included. */
uint64_t sched_cputime(const struct proc *p);
