/* Process-wide calls: exit, the thread pointer (arch_prctl), set_tid_address, ids, and signals
 * sent to oneself (kill, tkill, tgkill). */
#include "arch/x86_64/platform.h"
#include "mm/layout.h"
#include "sys/sys.h"
#include <errno.h>

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

long sys_exit(struct proc *p, const uint64_t a[6])
{
	proc_exit(p, (int)a[0]);
}

long sys_arch_prctl(struct proc *p, const uint64_t a[6])
{
	switch (a[0]) {
	case ARCH_SET_FS:
		if (a[1] >= USER_END)
			return -EPERM;
		arch_set_fs_base(a[1]);
		return 0;
	case ARCH_GET_FS: {
		uint64_t fs = arch_fs_base();
		return as_copyout(p->as, a[1], &fs, sizeof(fs));
	}
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL; /* GS is the kernel's (not supported yet) */
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(struct proc *p, const uint64_t a[6])
{
	p->clear_child_tid = a[0];
	return PROC_PID;
}

long sys_getpid(struct proc *p, const uint64_t a[6])
{
	(void)p;
	(void)a;
	return PROC_PID;
}

/* Send sig to ourselves, to the process or (thread) to the thread: 0 checks only. */
static long signal_self(struct proc *p, long sig, bool thread)
{
	struct ksiginfo info = {.code = thread ? SI_TKILL : SI_USER};
	info.kill.pid = PROC_PID;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig && thread)
		signal_send_thread(p, (int)sig, &info);
	else if (sig)
		signal_send(p, (int)sig, &info);
	return 0;
}

long sys_kill(struct proc *p, const uint64_t a[6])
{
	int64_t pid = (int64_t)a[0];
	if (pid != PROC_PID && pid != 0 && pid != -1)
		return -ESRCH;
	return signal_self(p, (long)a[1], false);
}

long sys_tkill(struct proc *p, const uint64_t a[6])
{
	if ((int64_t)a[0] <= 0)
		return -EINVAL;
	if (a[0] != PROC_PID)
		return -ESRCH;
	return signal_self(p, (long)a[1], true);
}

long sys_tgkill(struct proc *p, const uint64_t a[6])
{
	if ((int64_t)a[0] <= 0 || (int64_t)a[1] <= 0)
		return -EINVAL;
	if (a[0] != PROC_PID || a[1] != PROC_PID)
		return -ESRCH;
	return signal_self(p, (long)a[2], true);
}
