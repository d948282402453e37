/* The process table (a kernel slot each), making and freeing processes, and every way a process
 * ends or pauses: exit, a fatal signal, a stop, and its parent's notice. */
#include "arch/x86_64/platform.h"
#include "arch/x86_64/trap.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "lib/printf.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#define PID_MAX 32768 /* Linux's default pid_max: pids wrap below it */

static struct proc *table[PROC_MAX];
static unsigned slots_used; /* every slot at or above it is free: scans stop there */
static int last_pid;

static const char *const kind_names[RK_NKINDS] = {
    [RK_TEXT] = "text", [RK_RODATA] = "rodata", [RK_DATA] = "data",
    [RK_HEAP] = "heap", [RK_STACK] = "stack",   [RK_MMAP] = "mmap",
};

/* One line of the map of a dead process: range, rights, kind and pages present. */
static void print_region(const struct region *r, void *arg)
{
	const struct as *as = arg;
	kprintf("sos:   %012lx-%012lx %c%c%c %s, %zu of %lu pages present\n", r->start, r->end,
	        (r->prot & VM_READ) ? 'r' : '-', (r->prot & VM_WRITE) ? 'w' : '-',
	        (r->prot & VM_EXEC) ? 'x' : '-', kind_names[r->kind], as_region_resident(as, r),
	        (r->end - r->start) / PAGE_SIZE);
}

/* Say that p dies of sig and why: "sos: killed NAME: SIGNAME, why", and with --trace its map. */
static void report_kill(const struct proc *p, int sig, const char *why)
{
	kprintf("sos: killed %s: %s, %s\n", p->name, signal_name(sig), why);
	if (p->trace) {
		kprintf("sos: address space of %s (%zu pages present):\n", p->name,
		        p->as->resident);
		as_for_each_region(p->as, print_region, p->as);
	}
}

void proc_kill(struct proc *p, int sig, const char *why, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, why);
	vsnprintf(buf, sizeof(buf), why, ap);
	va_end(ap);
	if (p == initproc || p->trace)
		report_kill(p, sig, buf);
	proc_die(p, sig);
}

/* Tell p's parent that p stopped (0x7f | sig << 8) or continued (0xffff): SIGCHLD with
 * CLD_STOPPED or CLD_CONTINUED unless the parent asked for none (SA_NOCLDSTOP), and its wait
 * wakes. */
static void report_to_parent(struct proc *p, int report)
{
	struct proc *parent = p->parent;
	p->report = report;
	if (!parent)
		return;
	if (!(parent->sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP)) {
		struct ksiginfo info = {.signo = SIGCHLD,
		                        .code = report == 0xffff ? CLD_CONTINUED : CLD_STOPPED};
		info.kill.pid = p->pid;
		info.kill.value = report == 0xffff ? SIGCONT : (report >> 8) & 0xff; /* si_status */
		signal_send(parent, SIGCHLD, &info);
	}
	sched_wakeup(parent);
}

void proc_stop(struct proc *p, int sig)
{
	if (signal_fatal_pending(p))
		return;
	p->state = PS_STOPPED;
	report_to_parent(p, 0x7f | sig << 8);
	sched_yield();
}

void proc_continue(struct proc *p)
{
	if (p->state != PS_STOPPED)
		return;
	p->state = PS_RUNNABLE;
	report_to_parent(p, 0xffff);
}

void proc_alarm(struct proc *p, uint64_t now)
{
	struct ksiginfo info = {.signo = SIGALRM, .code = SI_KERNEL};
	p->alarm_at = p->alarm_interval ? now + p->alarm_interval : 0;
	signal_send(p, SIGALRM, &info);
}

/* Close every file of the process and let go of its working directory. */
void proc_release_files(struct proc *p)
{
	if (p->fds)
		fdtable_put(p->fds);
	if (p->cwd)
		inode_put(p->cwd);
}

int proc_set_exe(struct proc *p, struct inode *ip)
{
	int err = ip ? inode_deny_write(ip) : 0;
	if (err)
		return err;
	proc_drop_exe(p);
	if (ip)
		inode_get(ip);
	p->exe = ip;
	return 0;
}

void proc_drop_exe(struct proc *p)
{
	if (!p->exe)
		return;
	inode_allow_write(p->exe);
	inode_put(p->exe);
	p->exe = NULL;
}

struct proc *proc_slot(unsigned i)
{
	return table[i];
}

unsigned proc_slots(void)
{
	return slots_used;
}

struct proc *proc_find(int pid)
{
	for (unsigned i = 0; i < slots_used; i++)
		if (table[i] && table[i]->pid == pid)
			return table[i];
	return NULL;
}

void proc_for_each(void (*fn)(struct proc *p, void *arg), void *arg)
{
	for (unsigned i = 0; i < slots_used; i++)
		if (table[i])
			fn(table[i], arg);
}

/* The next pid after the last one given that no process, group or session uses. */
static int next_pid(void)
{
	for (;;) {
		last_pid = last_pid + 1 < PID_MAX ? last_pid + 1 : 2;
		bool used = false;
		for (unsigned i = 0; i < slots_used && !used; i++)
			used =
			    table[i] && (table[i]->pid == last_pid || table[i]->pgid == last_pid ||
			                 table[i]->sid == last_pid);
		if (!used)
			return last_pid;
	}
}

void proc_free(struct proc *p)
{
	paddr_t frames[KSLOT_PAGES];
	unsigned slot = p->slot;
	memcpy(frames, p->frames, sizeof(frames));
	proc_drop_exe(p); /* a child fork or the first run could not finish */
	sched_forget(p);
	table[slot] = NULL;
	while (slots_used && !table[slots_used - 1])
		slots_used--;
	arch_kslot_unmap(slot);
	for (int i = 0; i < KSLOT_PAGES; i++)
		frame_free(frames[i]);
}

/* The frames of slot, mapped: the process's pages zeroed, then its stack. NULL when out of
 * memory. */
static struct proc *map_slot(unsigned slot)
{
	paddr_t frames[KSLOT_PAGES];
	for (int i = 0; i < KSLOT_PAGES; i++) {
		frames[i] = i < KSLOT_PROC_PAGES ? frame_alloc_zeroed(FRAME_KERNEL)
		                                 : frame_alloc(FRAME_KERNEL);
		if (!frames[i]) {
			while (i--)
				frame_free(frames[i]);
			return NULL;
		}
	}
	struct proc *p = arch_kslot_map(slot, frames);
	memcpy(p->frames, frames, sizeof(frames));
	p->slot = slot;
	return p;
}

struct proc *proc_alloc(int *err)
{
	unsigned slot = 0;
	if (!slots_used)
		last_pid = 0; /* a run starts with an empty table: its first process is pid 1 */
	while (slot < PROC_MAX && table[slot])
		slot++;
	*err = -EAGAIN;
	if (slot == PROC_MAX)
		return NULL;
	struct proc *p = map_slot(slot);
	*err = -ENOMEM;
	if (!p)
		return NULL;
	table[slot] = p;
	if (slot >= slots_used)
		slots_used = slot + 1;
	p->state = PS_NEW;
	p->kstack_top = (uint64_t)p + KSLOT_STRIDE;
	p->tf = (struct trapframe *)(p->kstack_top - sizeof(struct trapframe));
	p->kctx = (struct kcontext){.rsp = (uint64_t)p->tf, .rip = (uint64_t)arch_enter_new};
	p->pid = next_pid();
	p->start_ticks = arch_monotonic_ns() / 10000000;
	signal_init(&p->sig);
	return p;
}

unsigned proc_count(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < slots_used; i++)
		n += table[i] != NULL;
	return n;
}

void proc_start(struct proc *p)
{
	p->state = PS_RUNNABLE;
}

struct fault_totals proc_faults;

uint64_t proc_minflt(const struct proc *p)
{
	return p->exec_minflt + (p->as ? p->as->minflt : 0);
}

uint64_t proc_majflt(const struct proc *p)
{
	return p->exec_majflt + (p->as ? p->as->majflt : 0);
}

void proc_count_faults(const struct as *as)
{
	proc_faults.minflt += as->minflt;
	proc_faults.majflt += as->majflt;
}

void proc_vfork_release_as(struct proc *p)
{
	p->as_borrowed = false;
	if (p->parent && p->vfork_child) {
		p->parent->vfork_done = true;
		sched_wakeup(&p->parent->vfork_done);
	}
	p->vfork_child = false;
}

/* The vfork child of p running in p's address space, or NULL. */
static struct proc *vfork_borrower(const struct proc *p)
{
	for (unsigned i = 0; i < slots_used; i++) {
		struct proc *c = table[i];
		if (c && c->parent == p && c->as_borrowed && c->as == p->as)
			return c;
	}
	return NULL;
}

/* The address space of the current process p goes (a vfork child's goes back to its parent; a
 * vfork parent killed while its child runs in it leaves it to the child, as Linux's mm stays while
 * a task uses it). */
static void release_as(struct proc *p)
{
	if (p->as_borrowed) {
		p->as = NULL;
		proc_vfork_release_as(p);
		return;
	}
	struct proc *borrower = vfork_borrower(p);
	if (borrower) {
		borrower->as_borrowed = false;
		arch_switch_root(arch_kernel_root());
		p->as = NULL;
		return;
	}
	proc_vfork_release_as(p); /* CLONE_VFORK without CLONE_VM: a parent waits all the same */
	arch_switch_root(arch_kernel_root());
	proc_count_faults(p->as);
	as_destroy(p->as);
	p->as = NULL;
}

/* What p's children become when p dies: the first process's, as the issue asks of SOS's init
 * (Linux gives them to its init, pid 1, which the first process is here); the first process's
 * own orphans are the kernel's, reaped at their death. Zombies the kernel gets go now. */
static void orphan_children(struct proc *p)
{
	struct proc *heir = p == initproc ? NULL : initproc;
	for (unsigned i = 0; i < slots_used; i++) {
		struct proc *c = table[i];
		if (!c || c->parent != p)
			continue;
		c->parent = heir;
		/* As Linux's reparent: a clone's own exit signal never reaches init. */
		c->exit_signal = SIGCHLD;
		c->vfork_child = false; /* its exec or death wakes no one now */
		if (c->state == PS_ZOMBIE && !heir)
			proc_free(c);
		else if (c->state == PS_ZOMBIE)
			sched_wakeup(heir);
	}
}

/* True when p's parent takes no notice of its death (SIGCHLD ignored): it is reaped at once. */
static bool reaped_at_death(const struct proc *p)
{
	const struct ksigaction *a = p->parent ? &p->parent->sig.action[SIGCHLD - 1] : NULL;
	return !a || a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* The most pages as has had resident (Linux's hiwater_rss, getrusage's ru_maxrss). */
static size_t peak_rss(const struct as *as)
{
	return as->peak_rss > as->resident ? as->peak_rss : as->resident;
}

/* SIGCHLD (or the clone's exit signal) to p's parent, with how p died, and its wait wakes. */
static void tell_parent(struct proc *p)
{
	int ws = p->wstatus;
	struct ksiginfo info = {.signo = p->exit_signal,
	                        .code = (ws & 0x7f) ? CLD_KILLED : CLD_EXITED};
	info.kill.pid = p->pid;
	info.kill.value = (ws & 0x7f) ? (uint64_t)(ws & 0x7f) : (uint64_t)((ws >> 8) & 0xff);
	if (p->exit_signal)
		signal_send(p->parent, p->exit_signal, &info);
	sched_wakeup(p->parent);
}

void proc_die(struct proc *p, int wstatus)
{
	uint64_t zero = 0;
	if (p->clear_child_tid)
		(void)as_copyout(p->as, p->clear_child_tid, &zero, sizeof(uint32_t));
	p->minflt = proc_minflt(p);
	p->majflt = proc_majflt(p);
	p->maxrss_kb = p->as ? peak_rss(p->as) * (PAGE_SIZE / 1024) : 0;
	proc_release_files(p);
	release_as(p);
	proc_drop_exe(p); /* before the zombie is reaped, as Linux's exit_mm() */
	orphan_children(p);
	p->alarm_at = 0;
	p->wstatus = wstatus;
	if (p->parent && reaped_at_death(p)) {
		sched_wakeup(p->parent); /* a wait for it ends with ECHILD */
		p->parent = NULL;
	}
	if (p->parent)
		tell_parent(p);
	sched_exit();
}

void proc_exit(struct proc *p, int status)
{
	proc_die(p, (status & 0xff) << 8);
}

/* A zombie that nobody will wait for (the kernel's child) goes once it has left the CPU. */
void proc_left_cpu(struct proc *p)
{
	if (p->state == PS_ZOMBIE && !p->parent && p != initproc)
		proc_free(p);
}

void proc_reap(struct proc *parent, struct proc *child)
{
	parent->cuticks += child->uticks + child->cuticks;
	parent->csticks += child->sticks + child->csticks;
	parent->cminflt += child->minflt + child->cminflt;
	parent->cmajflt += child->majflt + child->cmajflt;
	if (child->maxrss_kb > parent->cmaxrss_kb)
		parent->cmaxrss_kb = child->maxrss_kb;
	if (child->cmaxrss_kb > parent->cmaxrss_kb)
		parent->cmaxrss_kb = child->cmaxrss_kb;
	proc_free(child);
}
