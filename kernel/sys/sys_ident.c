/* Who the process is: user and group ids. SOS runs its program as root, as the oracle's init
 * runs each job, with no supplementary groups; nothing can change that yet. */
#include "sys/sys.h"
#include <errno.h>

#define ROOT_ID 0

/* getuid, geteuid, getgid, getegid: always root. */
long sys_getid(struct proc *p, const uint64_t a[6])
{
	(void)p, (void)a;
	return ROOT_ID;
}

/* getgroups(size, list): the number of supplementary groups, none, so nothing is written and
 * the list is never looked at; a negative size is -EINVAL. */
long sys_getgroups(struct proc *p, const uint64_t a[6])
{
	(void)p;
	return (int)a[0] < 0 ? -EINVAL : 0;
}

/* getresuid(ruid, euid, suid), getresgid: three ids, each root, written in turn. */
long sys_getresid(struct proc *p, const uint64_t a[6])
{
	uint32_t id = ROOT_ID;
	for (int i = 0; i < 3; i++)
		if (as_copyout(p->as, a[i], &id, sizeof(id)))
			return -EFAULT;
	return 0;
}
