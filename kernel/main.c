/* The kernel's top: boot the machine, then run the program bin/sos-run gave us in its root archive
 * (as many times as --repeat asks), checking after every run that each frame it used came back. */
#include "arch/x86_64/platform.h"
#include "arch/x86_64/trap.h"
#include "dev/console.h"
#include "dev/virtio_blk.h"
#include "fs/cpio.h"
#include "fs/initramfs.h"
#include "fs/lock.h"
#include "fs/vfs.h"
#include "lib/console.h"
#include "lib/panic.h"
#include "lib/printf.h"
#include "lib/strerror.h"
#include "mm/as.h"
#include "mm/failpoint.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "proc/proc.h"
#include "proc/procfs.h"
#include "proc/sched.h"
#include <errno.h>
#include <string.h>

#define STATUS_SOS_FAIL     125
#define STATUS_NOT_RUNNABLE 126

#define POLICY_NAME_MAX 32 /* bytes of an evict= name, NUL included */

struct options {
	long repeat;
	bool trace;
	bool stats;                  /* a summary of faults and paging on stderr at the end */
	bool probe;                  /* only show that the accelerator runs SOS's set-up and SSE */
	char evict[POLICY_NAME_MAX]; /* the replacement policy asked for, "" for the default */
	const char *fail;            /* fail='s spec (up to a space), or NULL */
};

static void stderr_sink(const char *s, size_t n)
{
	arch_write(CHAN_STDERR, s, n);
}

static void halt_failed(void)
{
	arch_exit(STATUS_SOS_FAIL);
}

/* The decimal number at s, which its digits end. */
static long number(const char *s)
{
	long n = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	return n;
}

/* True when the word at s (up to a space or the end) is name. */
static bool is_word(const char *s, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(s, name, n) && (s[n] == ' ' || !s[n]);
}

/* The word at s into dst (of size max), cut short if longer: bin/sos-run refuses long names. */
static void copy_word(char *dst, const char *s, size_t max)
{
	size_t n = 0;
	while (s[n] && s[n] != ' ' && n + 1 < max) {
		dst[n] = s[n];
		n++;
	}
	dst[n] = 0;
}

/* The kernel command line bin/sos-run passes: "repeat=N", "trace", "stats", "evict=POLICY",
 * "fault_around=N" (pages a sequential fault maps, 1 to FAULT_AROUND_MAX) and "fail=SPEC". */
static struct options parse_cmdline(const char *s)
{
	struct options o = {.repeat = 1};
	while (*s) {
		if (!strncmp(s, "repeat=", 7)) {
			o.repeat = number(s + 7);
		} else if (!strncmp(s, "fault_around=", 13)) {
			long n = number(s + 13);
			if (n < 1)
				n = 1;
			if (n > FAULT_AROUND_MAX)
				n = FAULT_AROUND_MAX;
			fault_around_pages = (unsigned)n;
		} else if (!strncmp(s, "evict=", 6)) {
			copy_word(o.evict, s + 6, sizeof(o.evict));
		} else if (!strncmp(s, "fail=", 5)) {
			o.fail = s + 5;
		} else if (is_word(s, "trace")) {
			o.trace = true;
		} else if (is_word(s, "stats")) {
			o.stats = true;
		} else if (is_word(s, "probe")) {
			o.probe = true;
		}
		while (*s && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
	}
	return o;
}

/* The NUL-terminated strings of module i, back to back, into v (at most max): their number, or
 * -1 when there are more than max. No module is no strings. */
static int read_strings(const struct boot_info *bi, int i, const char **v, int max)
{
	if (bi->nmodules <= i)
		return 0;
	const char *s = phys_to_virt(bi->modules[i].start);
	const char *end = phys_to_virt(bi->modules[i].end);
	int n = 0;
	while (s < end) {
		size_t len = strnlen(s, end - s);
		if (s + len == end)
			panic("boot module %d does not end with a NUL", i);
		if (n == max)
			return -1;
		v[n++] = s;
		s += len + 1;
	}
	return n;
}

/* The program argv[0] names in the root archive (module 0): found from /, a regular file with
 * an execute bit, as execve asks of it. Its bytes stay in module memory. 0, or 126 after a
 * "sos: cannot run" line. */
static int find_program(const struct boot_info *bi, struct program *prog)
{
	const void *archive = phys_to_virt(bi->modules[0].start);
	size_t size = bi->modules[0].end - bi->modules[0].start;
	struct cpio_iter it;
	struct cpio_entry e;
	int r;
	cpio_begin(&it, archive, size);
	while ((r = cpio_next(&it, &e)) == 1)
		;
	if (r < 0)
		panic("the root archive (boot module 0) is not a well-formed cpio newc archive");
	r = cpio_lookup(archive, size, prog->argv[0], &e);
	if (!r && ((e.mode & S_IFMT) != S_IFREG || !(e.mode & 0111)))
		r = -EACCES;
	if (r) {
		kprintf("sos: cannot run %s: %s\n", prog->argv[0], strerror_exec(r));
		return STATUS_NOT_RUNNABLE;
	}
	prog->image = e.data;
	prog->size = e.size;
	return 0;
}

/* bin/sos-run's modules: 0 the root archive, 1 argv, 2 envp (NUL-terminated strings, back to
 * back). 0, or the status to end with. */
static int read_program(const struct boot_info *bi, struct program *prog, const char **argv,
                        const char **envp)
{
	if (bi->nmodules < 2)
		panic("no root archive and argv: bin/sos-run passes them as multiboot modules");
	prog->argc = read_strings(bi, 1, argv, PROC_MAX_ARGS);
	prog->envc = read_strings(bi, 2, envp, PROC_MAX_ARGS);
	prog->argv = argv;
	prog->envp = envp;
	if (prog->argc <= 0 || prog->envc < 0) {
		kprintf("sos: cannot run: no arguments, or more than %d arguments or variables\n",
		        PROC_MAX_ARGS);
		return STATUS_NOT_RUNNABLE;
	}
	return find_program(bi, prog);
}

/* What the leak check compares with: frames in use, the file system's share of them, and
 * the references on inodes, before the first run. */
struct baseline {
	size_t frames, fs_frames, inode_refs;
};

/* After a run: no process, no swap slot in use, no open file (pipes included), no inode without a
 * name (an unlinked file freed at its last close), no reference on an inode left, and every frame
 * in use either there before the first run or held by the files the runs made (page tables, kernel
 * stacks and memory objects are frames). True (after a "sos:" line) when something leaked. */
static bool leaked(long run, const char *name, const struct baseline *b)
{
	size_t files = files_open(), unnamed = inodes_unnamed(), refs = inodes_referenced();
	size_t locks = locks_live();
	unsigned procs = proc_count();
	uint64_t slots = swap_slots_used() - fs_swap_slots(); /* files outlive runs */
	long frames = (long)(frames_used() - b->frames) - (long)(fs_frames() - b->fs_frames);
	if (files)
		kprintf("sos: run %ld of %s left %zu files open\n", run, name, files);
	if (unnamed)
		kprintf("sos: run %ld of %s left %zu unlinked inodes\n", run, name, unnamed);
	if (locks)
		kprintf("sos: run %ld of %s left %zu file locks\n", run, name, locks);
	if (refs != b->inode_refs)
		kprintf("sos: run %ld of %s left %ld inode references\n", run, name,
		        (long)(refs - b->inode_refs));
	if (frames)
		kprintf("sos: run %ld of %s leaked %ld frames\n", run, name, frames);
	if (procs)
		kprintf("sos: run %ld of %s left %u processes\n", run, name, procs);
	if (slots)
		kprintf("sos: run %ld of %s left %lu swap slots in use\n", run, name, slots);
	return files || unnamed || locks || refs != b->inode_refs || frames || procs || slots;
}

/* The root file system: the root archive (module 0), then SOS's own /dev, /proc and /tmp. */
static void mount_root(const struct boot_info *bi)
{
	vfs_init();
	if (initramfs_unpack(phys_to_virt(bi->modules[0].start),
	                     bi->modules[0].end - bi->modules[0].start))
		panic("the root archive (boot module 0) is not a well-formed cpio newc archive");
	vfs_boot_tree();
}

/* The swap device of kernel/mm on the virtio-blk disk: slot n is the disk's page n. */
static int disk_read(uint64_t slot, paddr_t frame)
{
	return blk_read(slot * BLK_PAGE_SECTORS, BLK_PAGE_SECTORS, frame);
}

static int disk_write(uint64_t slot, paddr_t frame)
{
	return blk_write(slot * BLK_PAGE_SECTORS, BLK_PAGE_SECTORS, frame);
}

/* n consecutive slots in requests of at most what the disk takes at once. */
static int disk_pages(uint64_t slot, const paddr_t *frames, unsigned n, bool out)
{
	for (unsigned done = 0, k; done < n; done += k) {
		uint64_t sector = (slot + done) * BLK_PAGE_SECTORS;
		k = n - done < blk_batch_max() ? n - done : blk_batch_max();
		int err = out ? blk_write_pages(sector, frames + done, k)
		              : blk_read_pages(sector, frames + done, k);
		if (err)
			return err;
	}
	return 0;
}

static int disk_read_pages(uint64_t slot, const paddr_t *frames, unsigned n)
{
	return disk_pages(slot, frames, n, false);
}

static int disk_write_pages(uint64_t slot, const paddr_t *frames, unsigned n)
{
	return disk_pages(slot, frames, n, true);
}

static const struct swap_device disk = {disk_read, disk_write, disk_read_pages, disk_write_pages};

/* The swap disk bin/sos-run --swap gives, if any: checked with a round trip of its last page,
 * then its pages are kernel/mm's swap slots, counted as Linux counts a disk mkswap formatted
 * (slot 0 the header). A disk that fails ends the run: the caller asked for swap. */
static void swap_start(bool trace)
{
	const char *why = NULL;
	int r = blk_init(&why);
	if (r == -1)
		return;
	if (r || blk_check(&why)) {
		kprintf("sos: swap: the virtio-blk disk cannot be used: %s\n", why);
		arch_exit(STATUS_SOS_FAIL);
	}
	uint64_t pages = blk_capacity() / BLK_PAGE_SECTORS;
	struct blk_times t;
	int err = swap_init(&disk, pages);
	if (err == -EINVAL) {
		kprintf("sos: swap: a disk of %lu page has no page for swap after the header\n",
		        pages);
		arch_exit(STATUS_SOS_FAIL);
	}
	if (err) {
		kprintf("sos: swap: no memory for the counts of %lu swap slots\n", pages);
		arch_exit(STATUS_SOS_FAIL);
	}
	reclaim_start();
	blk_check_times(&t);
	if (trace)
		kprintf("sos: swap: virtio-blk disk of %lu KiB, %lu swap pages (page write %lu us, "
		        "read %lu us; %u pages in one request: write %lu us, read %lu us)\n",
		        blk_capacity() / 2, swap_slots_total(), t.write_us, t.read_us, t.batch,
		        t.batch_write_us, t.batch_read_us);
}

/* The process running in as, for a --trace line: the one running now if as is its own, else the
 * first found (a page shared after fork is traced under one of its mappings); 0 if none. */
struct as_owner {
	const struct as *as;
	int pid;
};

static void find_owner(struct proc *p, void *arg)
{
	struct as_owner *o = arg;
	if (!o->pid && p->as == o->as && !p->as_borrowed)
		o->pid = p->pid;
}

static int pid_of(const struct as *as)
{
	struct as_owner o = {as, 0};
	if (curproc && curproc->as == as)
		return curproc->pid;
	proc_for_each(find_owner, &o);
	return o.pid;
}

/* --trace's line for each page kernel/mm writes to swap or reads back. */
static void trace_page(const char *what, const struct as *as, vaddr_t va, uint64_t slot)
{
	kprintf("sos: %s pid %d va 0x%lx slot %lu\n", what, pid_of(as), va, slot);
}

/* The policy evict= asked for, or the end of the boot after a "sos:" line (status 125). */
static void choose_policy(const char *name)
{
	if (!*name || !reclaim_set_policy(name))
		return;
	kprintf("sos: --evict %s: no such eviction policy\n", name);
	arch_exit(STATUS_SOS_FAIL);
}

/* --trace's line for each failure fail= injects. */
static void trace_fail(enum fail_site site, uint64_t call)
{
	kprintf("sos: fail: injected at %s, call %lu\n", fail_site_name(site), call);
}

/* fail=SPEC: what to inject while programs run (armed around each run), or the end of the boot
 * after a "sos:" line (status 125) when SPEC is not SITES:N[:SEED]. */
static void choose_failures(const struct options *opt)
{
	struct fail_spec spec;
	char word[96];
	if (!opt->fail)
		return;
	if (fail_parse(opt->fail, &spec)) {
		copy_word(word, opt->fail, sizeof(word));
		kprintf("sos: fail=%s: not SITES:N[:SEED][@0xLO-0xHI]\n", word);
		arch_exit(STATUS_SOS_FAIL);
	}
	fail_setup(&spec);
	fail_called_from = arch_called_from;
	if (opt->trace)
		fail_trace = trace_fail;
}

/* --stats with fail=: the failures injected, in all and per site. */
static void print_fail_stats(void)
{
	kprintf("sos: fail: %lu injected (", fail_injected(FAIL_ALL));
	for (unsigned i = 0; i < FAIL_NSITES; i++)
		kprintf("%s%s %lu", i ? " " : "", fail_site_name(1u << i), fail_injected(1u << i));
	kprintf(")\n");
}

/* --stats: the boot's faults (the sums over every process's address spaces, what getrusage
 * counts: minor and major apart, as Linux's minflt and majflt), pages read from and written to
 * swap, frames the policy took back and looked at, and the policy. */
static void print_stats(void)
{
	kprintf("sos: stats: minflt %lu majflt %lu pagein %lu pageout %lu evictions %lu scanned "
	        "%lu policy %s\n",
	        proc_faults.minflt, proc_faults.majflt, vm_events.pswpin, vm_events.pswpout,
	        vm_events.evictions, vm_events.scanned, reclaim_policy_name());
}

/* The end of the boot with status, after the --stats summary. */
__attribute__((noreturn)) static void finish(const struct options *opt, int status)
{
	if (opt->stats)
		print_stats();
	if (opt->stats && opt->fail)
		print_fail_stats();
	arch_exit(status);
}

void kmain(uint32_t magic, uint32_t mbi);

void kmain(uint32_t magic, uint32_t mbi)
{
	static struct boot_info bi;
	static const char *argv[PROC_MAX_ARGS], *envp[PROC_MAX_ARGS];
	struct program prog;

	console_set_sink(stderr_sink);
	panic_set_halt(halt_failed);
	panic_set_backtrace(arch_backtrace_here);
	arch_init(magic, mbi, &bi);
	pt_set_kernel_half(phys_to_virt(arch_kernel_root()));
	struct options opt = parse_cmdline(bi.cmdline);
	if (opt.probe) {
		arch_fpu_reset();
		arch_exit(0);
	}
	choose_policy(opt.evict);
	choose_failures(&opt);
	int refused = read_program(&bi, &prog, argv, envp);
	if (refused)
		arch_exit(refused);
	mount_root(&bi);
	procfs_init();
	swap_start(opt.trace);
	arch_timer_start(HZ);

	if (opt.trace) {
		arch_describe_protections();
		mm_trace_page = trace_page;
	}
	struct baseline base = {frames_used(), fs_frames(), inodes_referenced()};
	int status = 0;
	for (long run = 1; run <= opt.repeat; run++) {
		if (run > 1)
			console_next_run();
		/* Injection only while programs run: never during the boot nor the leak check. */
		fail_arm(true);
		status = proc_run(&prog, opt.trace);
		fail_arm(false);
		swap_cache_drop_unmapped(); /* what read-ahead left of files' pages */
		if (opt.trace)
			kprintf("sos: run %ld: status %d, frames in use %zu (baseline %zu, files "
			        "%zu)\n",
			        run, status, frames_used(), base.frames,
			        fs_frames() - base.fs_frames);
		if (leaked(run, prog.argv[0], &base))
			finish(&opt, STATUS_SOS_FAIL);
	}
	finish(&opt, status);
}
