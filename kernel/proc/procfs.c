/* SOS's /proc: the files of the running process (/proc/self is /proc/1) and of the machine, made
 * as Linux 6.12 prints them each time they are read. The tree lives in tmpfs; the text here. */
#include "arch/x86_64/platform.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "lib/panic.h"
#include "lib/printf.h"
#include "mm/as.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/overcommit.h"
#include "mm/shmem.h"
#include "mm/stats.h"
#include "mm/swap.h"
#include "proc/proc.h"
#include "proc/procfs.h"
#include "proc/proctext.h"
#include "proc/procvm.h"
#include <errno.h>
#include <string.h>

#define KB(pages) ((unsigned long)(pages) * (PAGE_SIZE / 1024))

/* ---- /proc/self/maps ---- */

/* Linux's column for a mapping's name: 25 + 6 digits per byte of a pointer, minus one. */
#define MAPS_NAME_COL 72

struct maps_walk {
	struct proc_text *t;
	const struct proc *p;
};

/* True when region r maps the program file: from its page cache, or from the boot module's bytes
 * when exec could not find the file there. */
static bool program_region(const struct proc *p, const struct region *r)
{
	return r->backing == RB_IMAGE || (r->shm && r->shm == p->exe_obj);
}

/* The name Linux shows for region r, or NULL for plain anonymous memory. */
static const char *region_name(const struct proc *p, const struct region *r, char *buf, size_t n)
{
	const struct as *as = p->as;

	if (r->file)
		return file_path_name(r->file, buf, n) ? buf : NULL;
	if (program_region(p, r))
		return p->exe_path;
	if (r->shm) /* MAP_SHARED|MAP_ANONYMOUS: the file of Linux's shmem_zero_setup() */
		return "/dev/zero (deleted)";
	/* Linux's test is vm_end >= start_brk; its brk starts at a random gap above the bss, SOS's
	 * right at its end, so a region ending there is the bss, not the heap */
	if (r->start <= as->brk && r->end > as->brk_start)
		return "[heap]";
	if (r->start <= p->layout.start_stack && p->layout.start_stack <= r->end)
		return "[stack]";
	return NULL;
}

/* The file offset of region r's first byte (0 for anonymous memory, as Linux prints it). */
static uint64_t region_offset(const struct proc *p, const struct region *r)
{
	if (r->backing == RB_IMAGE)
		return (uint64_t)(r->image - p->exe_image) + (r->start - r->file_va);
	if (r->file || program_region(p, r))
		return r->pgoff << PAGE_SHIFT;
	return 0;
}

/* One line of /proc/self/maps, as Linux's show_map_vma() makes it. */
static void maps_line(const struct region *r, void *arg)
{
	struct maps_walk *w = arg;
	struct proc_text *t = w->t;
	size_t start = t->pos;
	char buf[PATH_MAX];
	const char *name = region_name(w->p, r, buf, sizeof(buf));
	uint32_t dev = 0;
	uint64_t ino = 0;

	if (r->file)
		file_dev_ino(r->file, &dev, &ino);
	else if (program_region(w->p, r))
		dev = w->p->exe_dev, ino = w->p->exe_ino;
	else if (r->shm)
		dev = MKDEV(0, 1), ino = r->obj;
	text_printf(t, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", r->start, r->end,
	            (r->prot & VM_READ) ? 'r' : '-', (r->prot & VM_WRITE) ? 'w' : '-',
	            (r->prot & VM_EXEC) ? 'x' : '-', (r->flags & REGION_SHARED) ? 's' : 'p',
	            (unsigned long)region_offset(w->p, r), dev >> 8, dev & 0xff,
	            (unsigned long)ino);
	if (name) {
		text_pad(t, start, MAPS_NAME_COL);
		text_put(t, " ", 1);
		text_put(t, name, strlen(name));
	}
	text_put(t, "\n", 1);
}

static void gen_maps(const struct proc *p, struct proc_text *t)
{
	struct maps_walk w = {t, p};

	as_for_each_region(p->as, maps_line, &w);
}

/* ---- /proc/self/status and /proc/self/stat ---- */

/* The command name Linux keeps (comm): the last part of the executable's path, 15 bytes. */
static void comm_of(const struct proc *p, char comm[16])
{
	const char *s = p->exe_path;
	size_t n = 0;

	for (const char *c = s; *c; c++)
		if (*c == '/')
			s = c + 1;
	while (n < 15 && s[n])
		comm[n] = s[n], n++;
	comm[n] = '\0';
}

static void gen_status(const struct proc *p, struct proc_text *t)
{
	struct as_stats st;
	char comm[16];

	as_stats(p->as, &st);
	comm_of(p, comm);
	text_printf(t, "Name:\t%s\nUmask:\t0%u%u%u\nState:\tR (running)\n", comm,
	            (p->umask >> 6) & 7, (p->umask >> 3) & 7, p->umask & 7);
	int ppid = p->parent ? p->parent->pid : 0;
	text_printf(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid, p->pid,
	            ppid);
	text_printf(t, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t \n");
	text_printf(t, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\nKthread:\t0\n", p->pid,
	            p->pid, p->pgid, p->sid);
	text_printf(t, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n", KB(st.peak_vm), KB(st.total_vm));
	text_printf(t, "VmLck:\t%8lu kB\nVmPin:\t%8lu kB\n", KB(st.locked_vm), 0UL);
	text_printf(t, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", KB(st.peak_rss),
	            KB(st.rss_anon + st.rss_file + st.rss_shmem));
	text_printf(t, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n",
	            KB(st.rss_anon), KB(st.rss_file), KB(st.rss_shmem));
	text_printf(t, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\n",
	            KB(st.data_vm), KB(st.stack_vm), KB(st.exec_vm), 0UL);
	text_printf(t, "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\nHugetlbPages:\t%8lu kB\n",
	            KB(st.pt_pages), KB(st.swap), 0UL);
	text_printf(t, "CoreDumping:\t0\nThreads:\t1\n");
	text_printf(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n",
	            p->sig.pending, p->sig.shared, p->sig.blocked,
	            signal_with_handler(&p->sig, SIG_IGN));
	text_printf(t, "SigCgt:\t%016lx\n", signal_with_handler(&p->sig, SIG_IGN + 1));
	text_printf(t, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n", 0UL, 0x1ffffffffffUL,
	            0x1ffffffffffUL);
	text_printf(t, "CapBnd:\t%016lx\nCapAmb:\t%016lx\nNoNewPrivs:\t0\nSeccomp:\t0\n",
	            0x1ffffffffffUL, 0UL);
	text_printf(t, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n");
	text_printf(t, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}

static void gen_stat(const struct proc *p, struct proc_text *t)
{
	struct as_stats st;
	char comm[16];

	as_stats(p->as, &st);
	comm_of(p, comm);
	/* pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt */
	text_printf(t, "%d (%s) R %d %d %d 0 -1 4194560 %lu %lu %lu %lu ", p->pid, comm,
	            p->parent ? p->parent->pid : 0, p->pgid, p->sid, (unsigned long)proc_minflt(p),
	            (unsigned long)p->cminflt, (unsigned long)proc_majflt(p),
	            (unsigned long)p->cmajflt);
	/* utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss */
	text_printf(t, "0 0 0 0 20 0 1 0 %lu %lu %lu ", p->start_ticks,
	            (unsigned long)(st.total_vm << PAGE_SHIFT),
	            (unsigned long)(st.rss_anon + st.rss_file + st.rss_shmem));
	/* rsslim startcode endcode startstack kstkesp kstkeip signal blocked sigignore sigcatch */
	text_printf(t, "18446744073709551615 %lu %lu %lu 0 0 %lu %lu %lu %lu ",
	            p->layout.start_code, p->layout.end_code, p->layout.start_stack, p->sig.shared,
	            p->sig.blocked, signal_with_handler(&p->sig, SIG_IGN),
	            signal_with_handler(&p->sig, SIG_IGN + 1));
	/* wchan nswap cnswap exit_signal processor rt_priority policy delayacct guest cguest */
	text_printf(t, "0 0 0 17 0 0 0 0 0 0 ");
	/* start_data end_data start_brk arg_start arg_end env_start env_end exit_code */
	text_printf(t, "%lu %lu %lu %lu %lu %lu %lu 0\n", p->layout.start_data, p->layout.end_data,
	            p->as->brk_start, p->layout.arg_start, p->layout.arg_end, p->layout.env_start,
	            p->layout.env_end);
}

/* ---- /proc/meminfo ---- */

/* One "Name:   value kB" line: the name padded to 16 columns, the value to 8. */
static void meminfo_line(struct proc_text *t, const char *name, unsigned long kb)
{
	size_t start = t->pos;

	text_put(t, name, strlen(name));
	text_put(t, ":", 1);
	text_pad(t, start, 16);
	text_printf(t, "%8lu kB\n", kb);
}

static void gen_meminfo(const struct proc *p, struct proc_text *t)
{
	(void)p;
	unsigned long shmem = shmem_pages_total(), tables = frames_in_state(FRAME_PAGETABLE);
	unsigned long user = frames_in_state(FRAME_USER), free = frames_free();
	unsigned long anon = user > shmem ? user - shmem : 0;

	meminfo_line(t, "MemTotal", KB(frames_total()));
	meminfo_line(t, "MemFree", KB(free));
	meminfo_line(t, "MemAvailable", KB(free));
	meminfo_line(t, "Buffers", 0);
	meminfo_line(t, "Cached", KB(shmem));
	meminfo_line(t, "SwapCached", KB(swap_cache_pages()));
	meminfo_line(t, "Active", KB(anon + shmem));
	meminfo_line(t, "Inactive", 0);
	meminfo_line(t, "Active(anon)", KB(anon + shmem));
	meminfo_line(t, "Inactive(anon)", 0);
	meminfo_line(t, "Active(file)", 0);
	meminfo_line(t, "Inactive(file)", 0);
	meminfo_line(t, "Unevictable", 0);
	meminfo_line(t, "Mlocked", 0);
	meminfo_line(t, "SwapTotal", KB(swap_pages()));
	meminfo_line(t, "SwapFree", KB(swap_pages() - swap_slots_used()));
	meminfo_line(t, "Dirty", 0);
	meminfo_line(t, "Writeback", 0);
	meminfo_line(t, "AnonPages", KB(anon));
	meminfo_line(t, "Mapped", 0);
	meminfo_line(t, "Shmem", KB(shmem));
	meminfo_line(t, "KReclaimable", 0);
	meminfo_line(t, "Slab", KB(frames_in_state(FRAME_KERNEL)));
	meminfo_line(t, "SReclaimable", 0);
	meminfo_line(t, "SUnreclaim", KB(frames_in_state(FRAME_KERNEL)));
	meminfo_line(t, "KernelStack", 0);
	meminfo_line(t, "PageTables", KB(tables));
	meminfo_line(t, "SecPageTables", 0);
	meminfo_line(t, "NFS_Unstable", 0);
	meminfo_line(t, "Bounce", 0);
	meminfo_line(t, "WritebackTmp", 0);
	/* Linux's vm_commit_limit(): half of RAM (overcommit_ratio 50), then all of swap */
	meminfo_line(t, "CommitLimit", KB(frames_total() / 2 + swap_pages()));
	meminfo_line(t, "Committed_AS", KB(anon + shmem));
	meminfo_line(t, "VmallocTotal", 34359738367UL);
	meminfo_line(t, "VmallocUsed", 0);
	meminfo_line(t, "VmallocChunk", 0);
	meminfo_line(t, "Percpu", 0);
	text_printf(t, "HardwareCorrupted: %5lu kB\n", 0UL); /* Linux's one narrower line */
	meminfo_line(t, "AnonHugePages", 0);
	meminfo_line(t, "ShmemHugePages", 0);
	meminfo_line(t, "ShmemPmdMapped", 0);
	meminfo_line(t, "FileHugePages", 0);
	meminfo_line(t, "FilePmdMapped", 0);
	meminfo_line(t, "Unaccepted", 0);
	text_printf(t, "HugePages_Total:       0\nHugePages_Free:        0\n");
	text_printf(t, "HugePages_Rsvd:        0\nHugePages_Surp:        0\n");
	meminfo_line(t, "Hugepagesize", 2048);
	meminfo_line(t, "Hugetlb", 0);
}

/* ---- the tree: /proc/{meminfo,vmstat}, /proc/self -> 1, /proc/1/{maps,status,stat,exe,fd/} */

typedef void (*proc_gen)(const struct proc *p, struct proc_text *t);

/* Read a /proc file: make its text a page-sized window at a time, from *off. */
static long proc_file_read(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	proc_gen gen = (proc_gen)f->inode->priv;
	char win[PAGE_SIZE];
	size_t done = 0;

	if (!curproc)
		return 0;
	while (done < n) {
		struct proc_text t = {win, *off, n - done < sizeof(win) ? n - done : sizeof(win),
		                      0};

		gen(curproc, &t);

		size_t k = text_filled(&t), copied = iobuf_out(dst, done, win, k);

		if (copied < k && !done && !copied)
			return -EFAULT;
		*off += copied;
		done += copied;
		if (copied < t.n)
			break; /* the end of the text, or a bad user page */
	}
	return (long)done;
}

static long proc_file_lseek(struct file *f, int64_t off, int whence)
{
	return file_lseek_default(f, off, whence, 0); /* Linux's /proc files show size 0 */
}

static const struct file_ops proc_file_ops = {
    .read = proc_file_read,
    .lseek = proc_file_lseek,
};

/* A process's own files: Linux's seq_files of /proc/PID cannot be spliced, the others can. */
static const struct file_ops proc_pid_file_ops = {
    .read = proc_file_read,
    .lseek = proc_file_lseek,
    .no_splice = true,
};

static struct inode *proc_pid_dir, *proc_fd_dir;

/* Make a file of /proc under dir whose text gen makes, opened with ops. */
static void add_file(struct inode *dir, const char *name, proc_gen gen, const struct file_ops *ops)
{
	struct inode *ip;

	if (dir_create(dir, name, strlen(name), S_IFREG | 0444, NULL, 0, &ip))
		panic("procfs: no memory for /proc/%s", name);
	ip->fops = ops;
	ip->priv = (void *)gen;
	inode_put(ip);
}

/* Make a directory of /proc under dir, with a reference kept by procfs. */
static struct inode *add_dir(struct inode *dir, const char *name, uint32_t mode)
{
	struct inode *ip;

	if (dir_create(dir, name, strlen(name), S_IFDIR | mode, NULL, 0, &ip))
		panic("procfs: no memory for /proc/%s", name);
	return ip;
}

/* Replace the symlink name of dir by one to target (NULL: only remove it). A magic link's
 * follow gives the file it stands for, which a walk reaches without its path; its priv is the
 * link's own (the fd). */
static void set_link(struct inode *dir, const char *name, const char *target,
                     struct inode *(*follow)(const struct inode *), uintptr_t priv)
{
	struct inode *ip;

	dir_unlink(dir, name, strlen(name));
	if (!target || dir_create(dir, name, strlen(name), S_IFLNK | 0777, target, 0, &ip))
		return;
	ip->follow = follow;
	ip->priv = (void *)priv;
	inode_put(ip);
}

/* /proc/1/fd/N: the file open at fd N of the process looking. */
static struct inode *fd_file(const struct inode *link)
{
	struct file *f = curproc ? fd_get(curproc->fds, (int)(uintptr_t)link->priv) : NULL;

	return f ? f->inode : NULL;
}

/* /proc/1/exe: the program file of the process looking (NULL when it runs from the boot module
 * only: its path is all there is). */
static struct inode *exe_file(const struct inode *link)
{
	(void)link;
	return curproc ? curproc->exe : NULL;
}

/* Empty /proc/1/fd. */
static void clear_fds(void)
{
	struct dirent *d;

	while ((d = proc_fd_dir->entries) != NULL)
		dir_unlink(proc_fd_dir, d->name, d->namelen);
}

/* Make /proc/1/fd (dir) hold one magic link per open fd of the process, showing its file's path.
 * The hook is off meanwhile: making the names looks them up. */
static void refresh_fds(struct inode *dir)
{
	const struct proc *p = curproc;
	char name[16];
	static char path[PATH_MAX];
	uint64_t limit = p ? p->rlim[RLIMIT_NOFILE].cur : 0;

	dir->fill = NULL;
	clear_fds();
	for (int fd = 0; (uint64_t)fd < limit && fd < FD_SETSIZE_MAX; fd++) {
		struct file *f = fd_get(p->fds, fd);

		if (f && file_path_name(f, path, sizeof(path))) {
			snprintf(name, sizeof(name), "%d", fd);
			set_link(proc_fd_dir, name, path, fd_file, (uintptr_t)fd);
		}
	}
	dir->fill = refresh_fds;
}

/* /proc/1/cwd: the working directory of the process looking. */
static struct inode *cwd_dir(const struct inode *link)
{
	(void)link;
	return curproc ? curproc->cwd : NULL;
}

/* /proc/1/root: SOS has one root, chroot or not. */
static struct inode *root_dir(const struct inode *link)
{
	(void)link;
	return vfs_root;
}

static char exe_shown[sizeof(curproc->exe_path)]; /* where /proc/1/exe points now */
static char cwd_shown[PATH_MAX];                  /* and /proc/1/cwd, "" when absent */

/* Point /proc/1/exe at path (NULL: remove it). */
static void set_exe(const char *path)
{
	set_link(proc_pid_dir, "exe", path, exe_file, 0);
	snprintf(exe_shown, sizeof(exe_shown), "%s", path ? path : "");
}

/* Point /proc/1/cwd at path (NULL: remove it). */
static void set_cwd(const char *path)
{
	set_link(proc_pid_dir, "cwd", path, cwd_dir, 0);
	snprintf(cwd_shown, sizeof(cwd_shown), "%s", path ? path : "");
}

/* Point /proc/1/exe (what /proc/self/exe names) at the file of the process looking, and cwd at
 * its working directory (a removed one shows as names.c shows a file it cannot name): busybox
 * runs its applets again through exe. The hook is off meanwhile, as making a link looks. */
static void refresh_pid_dir(struct inode *dir)
{
	static char cwd[PATH_MAX];

	if (!curproc)
		return;
	if (!inode_path_name(curproc->cwd, cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "/ (deleted)");
	dir->fill = NULL;
	if (strcmp(exe_shown, curproc->exe_path))
		set_exe(curproc->exe_path);
	if (strcmp(cwd_shown, cwd))
		set_cwd(cwd);
	dir->fill = refresh_pid_dir;
}

bool procfs_pid_entry(const struct inode *ip)
{
	return ip == proc_pid_dir || ip == proc_fd_dir || ip->fops == &proc_pid_file_ops;
}

void procfs_init(void)
{
	struct inode *proc;

	if (path_lookup(vfs_root, "/proc", LOOKUP_DIRECTORY, &proc))
		panic("procfs: no /proc");
	add_file(proc, "meminfo", gen_meminfo, &proc_file_ops);
	add_file(proc, "vmstat", procvm_gen, &proc_file_ops);
	set_link(proc, "self", "1", NULL, 0);
	set_link(proc, "thread-self", "1/task/1", NULL, 0);
	proc_pid_dir = add_dir(proc, "1", 0555);
	proc_pid_dir->fill = refresh_pid_dir;
	set_link(proc_pid_dir, "root", "/", root_dir, 0);
	add_file(proc_pid_dir, "maps", gen_maps, &proc_pid_file_ops);
	add_file(proc_pid_dir, "status", gen_status, &proc_pid_file_ops);
	add_file(proc_pid_dir, "stat", gen_stat, &proc_pid_file_ops);
	proc_fd_dir = add_dir(proc_pid_dir, "fd", 0500);
	proc_fd_dir->fill = refresh_fds;
	inode_put(proc);
}

void procfs_start(const struct proc *p)
{
	set_exe(p->exe_path);
}

void procfs_end(void)
{
	set_exe(NULL);
	set_cwd(NULL);
	clear_fds();
}
