/* Sleeping and waking (the lead's scheduler API; kernel/proc/sched_stub.c stands in for it until
 * the scheduler lands), and stopping and continuing a process for the stop signals. */
#pragma once
#include <stdint.h>

struct proc;

/* Sleep until sched_wakeup(chan), an unblocked signal, or deadline (arch_monotonic_ns() value;
 * 0: none). 0 when woken (the caller re-checks its condition), -EINTR when a signal is pending
 * and not blocked, -ETIMEDOUT when the deadline passed. */
int sched_sleep(const void *chan, uint64_t deadline);
/* Make every process sleeping on chan runnable. */
void sched_wakeup(const void *chan);
/* Give up the CPU to another runnable process (sched_yield, the timer). */
void sched_yield(void);

/* Stop p for signal sig (SIGSTOP's default action) until proc_continue(p). */
void proc_stop(struct proc *p, int sig);
/* Let a stopped p run again (SIGCONT, sent whatever its action). */
void proc_continue(struct proc *p);
