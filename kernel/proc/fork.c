/* fork, vfork and clone as glibc, musl and posix_spawn call them: a copy of the caller with its
 * address space copied on write (or lent, for vfork), its files, its signal state and its place. */
#include <assert.h>

#include "arch/x86_64/platform.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "proc/fork.h"
#include "proc/sched.h"
#include <errno.h>
#include <string.h>

/* What the child inherits besides memory and files: names, limits, signal dispositions and mask,
 * the process group and session, and where exec put things. */
static void copy_identity(struct proc *c, const struct proc *p)
{
	memcpy(c->name, p->name, sizeof(c->name));
	memcpy(c->exe_path, p->exe_path, sizeof(c->exe_path));
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	c->exe_dev = p->exe_dev;
	c->exe_ino = p->exe_ino;
	c->exe_image = p->exe_image;
	c->exe_obj = p->exe_obj;
	int busy = proc_set_exe(c, p->exe);
	assert(!busy); /* p keeps writers out already */
	c->layout = p->layout;
	c->trace = p->trace;
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->umask = p->umask;
	signal_fork(&c->sig, &p->sig);
}

/* The child's memory: the parent's lent (CLONE_VM, only with CLONE_VFORK) or copied on write. */
static int copy_memory(struct proc *c, struct proc *p, uint64_t flags)
{
	if (flags & CLONE_VM) {
		c->as = p->as;
		c->as_borrowed = true;
		return 0;
	}
	c->as = as_fork(p->as);
	return c->as ? 0 : -ENOMEM;
}

/* The child's files: a copy of the fd table sharing the open files, and the same directory. */
static int copy_files(struct proc *c, struct proc *p)
{
	c->fds = fdtable_copy(p->fds);
	if (!c->fds)
		return -ENOMEM;
	c->cwd = p->cwd;
	inode_get(c->cwd);
	return 0;
}

/* The child's registers: the parent's at the call, returning 0, on stack when one is given. */
static void copy_registers(struct proc *c, const struct proc *p, uint64_t flags, uint64_t stack,
                           uint64_t tls)
{
	*c->tf = *p->tf;
	c->tf->rax = 0;
	if (stack)
		c->tf->rsp = stack;
	c->fs_base = (flags & CLONE_SETTLS) ? tls : arch_fs_base();
	arch_fpu_save(c->fpu); /* the parent runs: the registers hold its state */
}

/* Undo a child that could not be made (nothing of it has run). */
static void undo(struct proc *c)
{
	if (c->as && !c->as_borrowed)
		as_destroy(c->as);
	c->as = NULL;
	if (c->fds)
		fdtable_put(c->fds);
	if (c->cwd)
		inode_put(c->cwd);
	c->fds = NULL;
	c->cwd = NULL;
	proc_free(c);
}

/* The flag sets SOS takes: an exit signal, CLONE_VM only with CLONE_VFORK, and the tid words. */
static bool flags_supported(uint64_t flags)
{
	const uint64_t known = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS |
	                       CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	if (flags & ~known)
		return false;
	return !(flags & CLONE_VM) || (flags & CLONE_VFORK);
}

/* The vfork parent p waits until its child has exec'd or died, or SIGKILL comes (Linux waits
 * killably: the parent dies, and the child keeps the memory it runs in, proc_die()). */
static void wait_vfork(struct proc *p)
{
	while (!p->vfork_done && !signal_fatal_pending(p))
		sched_wait(&p->vfork_done);
}

long proc_fork(struct proc *p, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid,
               uint64_t tls)
{
	if (!flags_supported(flags))
		return (flags & CLONE_VM) ? -ENOSYS : -EINVAL;
	if ((flags & CSIGNAL) > NSIG)
		return -EINVAL;
	int err;
	struct proc *c = proc_alloc(&err);
	if (!c)
		return err;
	copy_identity(c, p);
	err = copy_memory(c, p, flags);
	if (!err)
		err = copy_files(c, p);
	if (err) {
		undo(c);
		return err;
	}
	copy_registers(c, p, flags, stack, tls);
	c->parent = p;
	c->exit_signal = (int)(flags & CSIGNAL);
	c->vfork_child = (flags & CLONE_VFORK) != 0;
	uint32_t pid = (uint32_t)c->pid;
	if ((flags & CLONE_PARENT_SETTID) && as_copyout(p->as, ptid, &pid, sizeof(pid))) {
		undo(c);
		return -EFAULT;
	}
	if (flags & CLONE_CHILD_SETTID)
		(void)as_copyout(c->as, ctid, &pid, sizeof(pid));
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = ctid;
	p->vfork_done = false;
	proc_start(c);
	if (flags & CLONE_VFORK)
		wait_vfork(p); /* the child may be gone after it: pid is kept */
	return pid;
}
