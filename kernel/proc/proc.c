/* The process table (a slot per kernel stack), making and freeing processes, running the first
 * one, and every way a process ends: exit, a fatal signal, and its parent's notice. */
#include "arch/x86_64/platform.h"
#include "arch/x86_64/trap.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "lib/printf.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/layout.h"
#include "proc/elf.h"
#include "proc/exec.h"
#include "proc/execve.h"
#include "proc/proc.h"
#include "proc/procfs.h"
#include "proc/sched.h"
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#define STATUS_NOT_RUNNABLE 126
#define PID_MAX             32768 /* Linux's default pid_max: pids wrap below it */

static struct proc *table[PROC_MAX];
static unsigned slots_used; /* every slot at or above it is free: scans stop there */
static int last_pid;
static struct proc *first; /* the run's first process, whose status ends the run */

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
	if (p == first || p->trace)
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

/* The page cache of exe, the program file (NULL: not in the root), with a reference, or NULL
 * when it does not hold the bytes exec checked (exec then maps those bytes). */
static struct shmem *program_object(const struct program *prog, struct inode *exe)
{
	struct shmem *obj = NULL;
	if (exe && S_ISREG(exe->mode) && !exe->fops && exe->size == prog->size)
		obj = tmpfs_object(exe);
	if (obj)
		shmem_get(obj); /* the regions take their own; this one goes after exec */
	return obj;
}

/* What the oracle's strerror() says for the errors of a first program that is a "#!" script. */
static const char *exec_error(int err)
{
	switch (err) {
	case -ENOENT:
		return "No such file or directory";
	case -ENOTDIR:
		return "Not a directory";
	case -ELOOP:
		return "Symbolic link loop";
	case -E2BIG:
		return "Argument list too long";
	case -ENOMEM:
		return "Out of memory";
	case -ENOEXEC:
		return "Exec format error";
	default:
		return "Permission denied";
	}
}

/* Run prog, the "#!" script exe, in p as execve would: its interpreter, found from /, with the
 * script's path in argv. 0, or 126 after a "sos: cannot run" line. */
static int load_script(struct proc *p, const struct program *prog, struct inode *exe)
{
	struct exec_args a = {prog->argc, prog->envc, prog->argv, prog->envp, prog->argv[0]};
	struct inode *ip = exe;
	inode_get(ip);
	int err = exec_follow_scripts(vfs_root, &ip, prog->argv[0], &a);
	if (!err)
		err = proc_exec(p, ip, &a);
	inode_put(ip);
	exec_buf_release();
	if (!err)
		return 0;
	kprintf("sos: cannot run %s: %s\n", p->name, exec_error(err));
	return STATUS_NOT_RUNNABLE;
}

/* Load prog, whose file is exe, into p's new address space; 0 and rsp/entry, or the status to
 * end with. */
static int load(struct proc *p, const struct program *prog, struct inode *exe, struct trapframe *tf)
{
	struct elf_program ep;
	const char *why = elf_check(prog->image, prog->size, &ep);
	if (why) {
		kprintf("sos: cannot run %s: %s\n", p->name, why);
		return STATUS_NOT_RUNNABLE;
	}
	const struct exec_args args = {prog->argc, prog->envc, prog->argv, prog->envp,
	                               prog->argv[0]};
	p->as = as_create();
	struct shmem *obj = p->as ? program_object(prog, exe) : NULL;
	p->exe_obj = obj; /* for /proc: the regions mapping it are the program's */
	int err = p->as ? exec_load(p->as, prog->image, obj, &ep, &args, &p->layout) : -ENOMEM;
	if (obj)
		shmem_put(obj);
	if (err == EXEC_BSS_REFUSED) {
		/* past Linux's point of no return: the new program is killed, not refused */
		report_kill(p, SIGSEGV, "exec failed: a segment's bss is larger than RAM + swap");
		return 128 + SIGSEGV;
	}
	if (err) {
		kprintf("sos: cannot run %s: %s\n", p->name,
		        err == -ENOMEM ? "out of memory" : "bad program layout or arguments");
		return err == -ENOMEM ? 128 + SIGKILL : STATUS_NOT_RUNNABLE;
	}
	trapframe_init_user(tf, ep.entry, p->layout.start_stack);
	p->exe_image = prog->image;
	return 0;
}

/* A new process's files: fd 0, 1 and 2 on the console, the root as working directory, umask
 * 022. 0 or -ENOMEM. */
static int init_files(struct proc *p)
{
	struct file *console[3];
	p->fds = fdtable_create();
	if (!p->fds || console_files(console))
		return -ENOMEM;
	int err = 0;
	for (int fd = 0; fd < 3; fd++) {
		/* the table takes over each file's reference */
		int got = err ? err : fd_alloc(p->fds, console[fd], fd, fd + 1, false);
		if (got < 0) {
			err = got;
			file_put(console[fd]);
		}
	}
	if (err)
		return err;
	p->cwd = vfs_root;
	inode_get(p->cwd);
	p->umask = 022;
	return 0;
}

/* Close every file of the process and let go of its working directory. */
static void release_files(struct proc *p)
{
	if (p->fds)
		fdtable_put(p->fds);
	if (p->cwd)
		inode_put(p->cwd);
}

/* The program file path names from /, with a reference, or NULL when the root has none. */
static struct inode *program_file(const char *path)
{
	struct inode *ip;
	return path_lookup(vfs_root, path, LOOKUP_FOLLOW, &ip) ? NULL : ip;
}

/* Record the program file exe (NULL: not in the root), which path names, as /proc shows it: its
 * absolute path, device and inode. */
static void find_exe(struct proc *p, const char *path, struct inode *exe)
{
	if (!exe || !inode_path_name(exe, p->exe_path, sizeof(p->exe_path)))
		snprintf(p->exe_path, sizeof(p->exe_path), "%s", path);
	if (!exe)
		return;
	p->exe_dev = exe->dev;
	p->exe_ino = exe->ino;
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

void proc_vfork_release_as(struct proc *p)
{
	p->as_borrowed = false;
	if (p->parent) {
		p->parent->vfork_done = true;
		sched_wakeup(&p->parent->vfork_done);
	}
}

/* The address space of the current process p goes (a vfork child's goes back to its parent). */
static void release_as(struct proc *p)
{
	if (p->as_borrowed) {
		p->as = NULL;
		proc_vfork_release_as(p);
		return;
	}
	arch_switch_root(arch_kernel_root());
	as_destroy(p->as);
	p->as = NULL;
}

/* What p's children become when p dies: the first process's, as the issue asks of SOS's init
 * (Linux gives them to its init, pid 1, which the first process is here); the first process's
 * own orphans are the kernel's, reaped at their death. Zombies the kernel gets go now. */
static void orphan_children(struct proc *p)
{
	struct proc *heir = p == first ? NULL : first;
	for (unsigned i = 0; i < slots_used; i++) {
		struct proc *c = table[i];
		if (!c || c->parent != p)
			continue;
		c->parent = heir;
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
	p->minflt = p->as ? p->as->minflt : 0;
	p->maxrss_kb = p->as ? peak_rss(p->as) * (PAGE_SIZE / 1024) : 0;
	release_files(p);
	release_as(p);
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
	if (p->state == PS_ZOMBIE && !p->parent && p != first)
		proc_free(p);
}

void proc_reap(struct proc *parent, struct proc *child)
{
	parent->cuticks += child->uticks + child->cuticks;
	parent->csticks += child->sticks + child->csticks;
	parent->cminflt += child->minflt + child->cminflt;
	if (child->maxrss_kb > parent->cmaxrss_kb)
		parent->cmaxrss_kb = child->maxrss_kb;
	if (child->cmaxrss_kb > parent->cmaxrss_kb)
		parent->cmaxrss_kb = child->cmaxrss_kb;
	proc_free(child);
}

/* The first process is dead, and so is every other (the oracle's init kills the job's group). */
static bool first_done(void)
{
	return first->state == PS_ZOMBIE;
}

static bool all_done(void)
{
	for (unsigned i = 0; i < slots_used; i++)
		if (table[i] && table[i]->state != PS_ZOMBIE)
			return false;
	return true;
}

/* The shell's status of a wait status: the exit code, or 128 + the signal. */
static int shell_status(int wstatus)
{
	return (wstatus & 0x7f) ? 128 + (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
}

/* After the first process: kill what is left, let it die, and free every process. */
static void end_run(void)
{
	struct ksiginfo kill = {.signo = SIGKILL, .code = SI_KERNEL};
	for (unsigned i = 0; i < slots_used; i++)
		if (table[i])
			signal_send(table[i], SIGKILL, &kill);
	sched_run(all_done);
	for (unsigned i = 0; i < slots_used; i++)
		if (table[i])
			proc_free(table[i]);
}

/* Make the first process from prog: 0, or the status to end the run with. */
static int make_first(const struct program *prog, bool trace)
{
	int err;
	last_pid = 0;
	first = proc_alloc(&err);
	if (!first) {
		kprintf("sos: cannot run %s: out of memory\n", prog->argc ? prog->argv[0] : "?");
		return 128 + SIGKILL;
	}
	struct proc *p = first;
	snprintf(p->name, sizeof(p->name), "%s", prog->argc ? prog->argv[0] : "?");
	p->trace = trace;
	p->pgid =
	    p->pid; /* a group leader in the kernel's session 0, as the oracle's job is in init's */
	rlimit_init(p->rlim);
	struct inode *exe = program_file(prog->argv[0]);
	find_exe(p, prog->argv[0], exe);
	int status = 128 + SIGKILL;
	if (init_files(p))
		kprintf("sos: cannot run %s: out of memory\n", p->name);
	else if (exe && prog->size >= 2 && prog->image[0] == '#' && prog->image[1] == '!')
		status = load_script(p, prog, exe);
	else
		status = load(p, prog, exe, p->tf);
	if (exe)
		inode_put(exe);
	if (status)
		return status;
	arch_fpu_reset(); /* no process owns the FPU registers between runs */
	arch_fpu_save(p->fpu);
	proc_start(p);
	return 0;
}

int proc_run(const struct program *prog, bool trace)
{
	int status = make_first(prog, trace);
	if (status && first) {
		if (first->as)
			as_destroy(first->as);
		release_files(first);
		proc_free(first);
	}
	if (status)
		return status;
	procfs_start(first);
	sched_run(first_done);
	status = shell_status(first->wstatus);
	end_run();
	procfs_end();
	first = NULL;
	return status;
}
