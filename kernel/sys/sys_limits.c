/* Resource limits: getrlimit, setrlimit and prlimit64 on the process's table (proc/rlimit.h).
 * The checks come in Linux's order, so each bad call fails with the oracle's errno. */
#include "sys/sys.h"
#include <errno.h>

/* The live process pid names (0: the caller), or NULL. */
static struct proc *target(struct proc *p, int pid)
{
	struct proc *q = pid ? proc_find(pid) : p;
	return q && q->state != PS_ZOMBIE ? q : NULL;
}

/* Linux's do_prlimit: with new, check it and set it; with old, the value before. 0 or -errno. */
static int do_prlimit(struct proc *p, uint32_t resource, const struct rlimit *new,
                      struct rlimit *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		int err = rlimit_check((int)resource, new);
		if (err)
			return err;
	}
	if (old)
		*old = p->rlim[resource];
	if (new)
		p->rlim[resource] = *new;
	return 0;
}

/* getrlimit(resource, rlim) */
long sys_getrlimit(struct proc *p, const uint64_t a[6])
{
	struct rlimit old;
	int err = do_prlimit(p, (uint32_t)a[0], NULL, &old);
	if (err)
		return err;
	return as_copyout(p->as, a[1], &old, sizeof(old)) ? -EFAULT : 0;
}

/* setrlimit(resource, rlim): the new pair is read before the resource is looked at. */
long sys_setrlimit(struct proc *p, const uint64_t a[6])
{
	struct rlimit new;
	if (as_copyin(p->as, &new, a[1], sizeof(new)))
		return -EFAULT;
	return do_prlimit(p, (uint32_t)a[0], &new, NULL);
}

/* prlimit64(pid, resource, new, old): set and get at once. A new limit stays set even when
 * old cannot be written (-EFAULT then), as on Linux. */
long sys_prlimit64(struct proc *p, const uint64_t a[6])
{
	struct rlimit new, old;
	if (a[2] && as_copyin(p->as, &new, a[2], sizeof(new)))
		return -EFAULT;
	struct proc *q = target(p, (int)a[0]);
	if (!q)
		return -ESRCH;
	int err = do_prlimit(q, (uint32_t)a[1], a[2] ? &new : NULL, a[3] ? &old : NULL);
	if (!err && a[3] && as_copyout(p->as, a[3], &old, sizeof(old)))
		err = -EFAULT;
	return err;
}
