/* Resource limits: the values a program starts with, whether a new pair may replace them, and
 * RLIMIT_FSIZE's rule for writes. RLIMIT_NOFILE is enforced by the fd table; the others but
 * FSIZE are recorded and reported. */
#include "proc/rlimit.h"
#include "mm/frame.h"
#include "proc/proc.h"
#include <errno.h>

#define MIN_THREADS 20     /* Linux's clamp on max_threads */
#define MQ_BYTES    819200 /* Linux's MQ_BYTES_MAX, the RLIMIT_MSGQUEUE default */
#define STACK_LIM   (8UL << 20)
#define MEMLOCK_LIM (8UL << 20)
#define SIGXFSZ     25

/* Linux's max_threads: a thread (16 KiB of stack) per eight thread sizes of RAM. Its init gets
 * half of that as RLIMIT_NPROC and RLIMIT_SIGPENDING, and every process inherits them. */
static uint64_t max_threads_half(void)
{
	uint64_t threads = (uint64_t)frames_total() * PAGE_SIZE / (16384 * 8);
	return (threads < MIN_THREADS ? MIN_THREADS : threads) / 2;
}

void rlimit_init(struct rlimit *rl)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rl[i] = (struct rlimit){RLIM_INFINITY, RLIM_INFINITY};
	/* set by the oracle's init (oracle/init.c, docs/oracle.md) */
	rl[RLIMIT_STACK] = (struct rlimit){STACK_LIM, RLIM_INFINITY};
	rl[RLIMIT_CORE] = (struct rlimit){0, 0};
	rl[RLIMIT_NOFILE] = (struct rlimit){1024, 4096};
	rl[RLIMIT_MEMLOCK] = (struct rlimit){MEMLOCK_LIM, MEMLOCK_LIM};
	/* Linux's defaults for the rest */
	uint64_t nproc = max_threads_half();
	rl[RLIMIT_NPROC] = (struct rlimit){nproc, nproc};
	rl[RLIMIT_SIGPENDING] = (struct rlimit){nproc, nproc};
	rl[RLIMIT_MSGQUEUE] = (struct rlimit){MQ_BYTES, MQ_BYTES};
	rl[RLIMIT_NICE] = (struct rlimit){0, 0};
	rl[RLIMIT_RTPRIO] = (struct rlimit){0, 0};
}

int rlimit_check(int resource, const struct rlimit *new)
{
	if (new->cur > new->max)
		return -EINVAL;
	if (resource == RLIMIT_NOFILE && new->max > NR_OPEN)
		return -EPERM;
	return 0; /* root has CAP_SYS_RESOURCE: a hard limit may go up */
}

int rlimit_fsize_write(struct proc *p, uint64_t pos, uint64_t *count)
{
	uint64_t limit = p->rlim[RLIMIT_FSIZE].cur;
	if (limit == RLIM_INFINITY)
		return 0;
	if (pos >= limit) {
		signal_send(p, SIGXFSZ, NULL);
		return -EFBIG;
	}
	if (*count > limit - pos)
		*count = limit - pos;
	return 0;
}

int rlimit_fsize_grow(struct proc *p, uint64_t old, uint64_t new)
{
	if (new <= old || new <= p->rlim[RLIMIT_FSIZE].cur)
		return 0;
	signal_send(p, SIGXFSZ, NULL);
	return -EFBIG;
}
