/* A run: the first process made from bin/sos-run's program (an ELF file or a "#!" script in the
 * root), run until it ends, then whatever it left killed and freed. */
#include "arch/x86_64/platform.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "lib/printf.h"
#include "lib/strerror.h"
#include "proc/elf.h"
#include "proc/exec.h"
#include "proc/execve.h"
#include "proc/proc.h"
#include "proc/procfs.h"
#include "proc/sched.h"
#include <assert.h>
#include <errno.h>
#include <string.h>

#define STATUS_NOT_RUNNABLE 126

struct proc *initproc;

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

/* Run prog, the "#!" script exe, in p as execve would: its interpreter, found from /, with the
 * script's path in argv. 0, or 126 (137 out of memory) after a "sos: cannot run" line. */
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
	if (err == -ENOMEM) { /* as load() says it: the program is not at fault */
		kprintf("sos: cannot run %s: out of memory\n", p->name);
		return 128 + SIGKILL;
	}
	kprintf("sos: cannot run %s: %s\n", p->name, strerror_exec(err));
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
		kprintf(
		    "sos: killed %s: SIGSEGV, exec failed: a segment's bss is larger than RAM + "
		    "swap\n",
		    p->name);
		return 128 + SIGSEGV;
	}
	if (err) {
		kprintf("sos: cannot run %s: %s\n", p->name,
		        err == -ENOMEM ? "out of memory" : "bad program layout or arguments");
		return err == -ENOMEM ? 128 + SIGKILL : STATUS_NOT_RUNNABLE;
	}
	trapframe_init_user(tf, ep.entry, p->layout.start_stack);
	p->exe_image = prog->image;
	int busy = proc_set_exe(p, exe && S_ISREG(exe->mode) ? exe : NULL);
	assert(!busy); /* no file is open at the start of a run */
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

/* The first process is dead; then every other is (the oracle's init kills the job's group). */
static bool first_done(void)
{
	return initproc->state == PS_ZOMBIE;
}

static bool all_done(void)
{
	for (unsigned i = 0; i < proc_slots(); i++)
		if (proc_slot(i) && proc_slot(i)->state != PS_ZOMBIE)
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
	for (unsigned i = 0; i < proc_slots(); i++)
		if (proc_slot(i))
			signal_send(proc_slot(i), SIGKILL, &kill);
	sched_run(all_done);
	for (unsigned i = proc_slots(); i-- > 0;)
		if (proc_slot(i))
			proc_free(proc_slot(i));
}

/* Make the first process from prog: 0, or the status to end the run with. */
static int make_first(const struct program *prog, bool trace)
{
	int err;
	initproc = proc_alloc(&err);
	if (!initproc) {
		kprintf("sos: cannot run %s: out of memory\n", prog->argc ? prog->argv[0] : "?");
		return 128 + SIGKILL;
	}
	struct proc *p = initproc;
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
	if (status && initproc) {
		if (initproc->as)
			as_destroy(initproc->as);
		proc_release_files(initproc);
		proc_free(initproc);
	}
	if (status)
		return status;
	procfs_start(initproc);
	sched_run(first_done);
	status = shell_status(initproc->wstatus);
	end_run();
	procfs_end();
	initproc = NULL;
	return status;
}
