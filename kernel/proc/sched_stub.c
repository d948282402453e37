/* A stand-in for the scheduler while SOS runs one process: nothing else can wake a sleeper, so a
 * sleep ends at its deadline, at once when a signal is pending, or never (the process dies). */
#include "arch/x86_64/platform.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include <errno.h>

int sched_sleep(const void *chan, uint64_t deadline)
{
	(void)chan;
	if (signal_pending(curproc))
		return -EINTR;
	if (!deadline)
		proc_kill(curproc, SIGKILL, "would sleep forever (no other process)");
	while (arch_monotonic_ns() < deadline)
		;
	return -ETIMEDOUT;
}

void sched_wakeup(const void *chan)
{
	(void)chan;
}

void sched_yield(void)
{
}

/* With no other process to send SIGCONT, a stop would last forever: it is ignored, as before. */
void proc_stop(struct proc *p, int sig)
{
	(void)p;
	(void)sig;
}

void proc_continue(struct proc *p)
{
	(void)p;
}
