/* Running a process from start to end: load, enter user mode, and come back to proc_run when it
 * exits or is killed; then free its address space. */
#include "arch/x86_64/platform.h"
#include "arch/x86_64/trap.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "lib/printf.h"
#include "mm/layout.h"
#include "proc/elf.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/procfs.h"
#include <errno.h>
#include <stdarg.h>

#define STATUS_NOT_RUNNABLE 126

struct proc *curproc;

void proc_exit(struct proc *p, int status)
{
	arch_leave_user(&p->ctx, status & 0xff);
}

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
	report_kill(p, sig, buf);
	arch_leave_user(&p->ctx, 128 + sig);
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
 * absolute path (one process at a time: one buffer), device and inode. */
static void find_exe(struct proc *p, const char *path, struct inode *exe)
{
	static char buf[PATH_MAX];
	p->exe_path = path;
	if (!exe)
		return;
	if (inode_path_name(exe, buf, sizeof(buf)))
		p->exe_path = buf;
	p->exe_dev = exe->dev;
	p->exe_ino = exe->ino;
}

int proc_run(const struct program *prog, bool trace)
{
	struct proc p = {
	    .name = prog->argc ? prog->argv[0] : "?",
	    .trace = trace,
	    .start_ticks = arch_monotonic_ns() / 10000000,
	};
	struct trapframe tf;
	struct inode *exe = program_file(prog->argv[0]);
	rlimit_init(p.rlim);
	signal_init(&p.sig);
	find_exe(&p, prog->argv[0], exe);
	int status = 128 + SIGKILL;
	if (init_files(&p))
		kprintf("sos: cannot run %s: out of memory\n", p.name);
	else
		status = load(&p, prog, exe, &tf);
	if (exe)
		inode_put(exe);
	if (status == 0) {
		arch_switch_root(p.as->root);
		arch_set_fs_base(0);
		arch_fpu_reset();
		curproc = &p;
		procfs_start(&p);
		status = (int)arch_run_user(&p.ctx, &tf);
		procfs_end();
		curproc = NULL;
		arch_switch_root(arch_kernel_root());
	}
	if (p.as)
		as_destroy(p.as);
	release_files(&p);
	signal_release(&p.sig);
	return status;
}
