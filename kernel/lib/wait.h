/* Sleeping until something happens: the interface the scheduler (kernel/proc/sched.c) gives the
 * layers below it (a pipe, the console), so that they wait without knowing processes. */
#pragma once
#include <stdint.h>

/* What a system call interrupted by a signal returns, to be restarted or to fail with EINTR as
 * the handler's SA_RESTART says (Linux's include/linux/errno.h): kernel-internal. */
#define ERESTARTSYS           512
#define ERESTARTNOINTR        513
#define ERESTARTNOHAND        514
#define ERESTART_RESTARTBLOCK 516

/* Sleep until sched_wakeup(chan), a signal that is not blocked, or deadline (arch_monotonic_ns()
 * time; 0: none). 0 when woken (the caller checks its condition again), -EINTR when a signal is
 * pending and not blocked, -ETIMEDOUT when the deadline passed. */
int sched_sleep(const void *chan, uint64_t deadline);

/* Sleep until sched_wakeup(chan), whatever signals come (the caller loops on its condition). */
void sched_wait(const void *chan);

/* Make every process sleeping on chan runnable. */
void sched_wakeup(const void *chan);

/* The channel of processes that wait for the console's input: woken at every timer tick, as
 * the console is polled. */
extern const char console_chan[];

/* The channel of poll and select: woken when a pipe moves, and at every tick (for the console). */
extern const char poll_chan[];
