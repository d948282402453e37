/* The kernel's top: boot the machine, then run the program bin/sos-run gave us (as many times as
 * --repeat asks), checking after every run that each frame it used came back to the frame table. */
#include "arch/x86_64/platform.h"
#include "arch/x86_64/trap.h"
#include "lib/console.h"
#include "lib/panic.h"
#include "lib/printf.h"
#include "mm/as.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/pagetable.h"
#include "proc/proc.h"
#include <string.h>

#define STATUS_SOS_FAIL 125

struct options {
	long repeat;
	bool trace;
	bool probe; /* only show that the accelerator runs SOS's set-up and SSE */
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

/* The kernel command line bin/sos-run passes: "repeat=N", "trace" and "fault_around=N" (pages a
 * sequential fault maps, 1 to FAULT_AROUND_MAX). */
static struct options parse_cmdline(const char *s)
{
	struct options o = {1, false, false};
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
		} else if (!strncmp(s, "trace", 5) && (s[5] == ' ' || !s[5])) {
			o.trace = true;
		} else if (!strncmp(s, "probe", 5) && (s[5] == ' ' || !s[5])) {
			o.probe = true;
		}
		while (*s && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
	}
	return o;
}

/* Module 0 is the program; module 1 holds its argv as NUL-terminated strings, back to back. */
static int read_program(const struct boot_info *bi, struct program *prog, const char **argv)
{
	if (bi->nmodules < 1)
		panic("no program: bin/sos-run passes it as the first multiboot module");
	const struct boot_module *m = &bi->modules[0];
	prog->image = phys_to_virt(m->start);
	prog->size = m->end - m->start;
	prog->argv = argv;
	prog->argc = 0;
	if (bi->nmodules < 2) {
		argv[prog->argc++] = "program";
		return 0;
	}
	const char *s = phys_to_virt(bi->modules[1].start);
	const char *end = phys_to_virt(bi->modules[1].end);
	while (s < end) {
		size_t n = strnlen(s, end - s);
		if (s + n == end)
			panic("argument module does not end with a NUL");
		if (prog->argc == PROC_MAX_ARGS)
			return -1;
		argv[prog->argc++] = s;
		s += n + 1;
	}
	return prog->argc ? 0 : -1;
}

void kmain(uint32_t magic, uint32_t mbi);

void kmain(uint32_t magic, uint32_t mbi)
{
	static struct boot_info bi;
	static const char *argv[PROC_MAX_ARGS];
	struct program prog;

	console_set_sink(stderr_sink);
	panic_set_halt(halt_failed);
	arch_init(magic, mbi, &bi);
	pt_set_kernel_half(phys_to_virt(arch_kernel_root()));
	struct options opt = parse_cmdline(bi.cmdline);
	if (opt.probe) {
		arch_fpu_reset();
		arch_exit(0);
	}
	if (read_program(&bi, &prog, argv) != 0) {
		kprintf("sos: cannot run: no arguments, or more than %d\n", PROC_MAX_ARGS);
		arch_exit(126);
	}

	if (opt.trace)
		arch_describe_protections();
	size_t baseline = frames_used();
	int status = 0;
	for (long run = 1; run <= opt.repeat; run++) {
		status = proc_run(&prog, opt.trace);
		size_t used = frames_used();
		if (opt.trace)
			kprintf("sos: run %ld: status %d, frames in use %zu (baseline %zu)\n", run,
			        status, used, baseline);
		if (used != baseline) {
			kprintf("sos: run %ld of %s leaked %ld frames\n", run, prog.argv[0],
			        (long)(used - baseline));
			arch_exit(STATUS_SOS_FAIL);
		}
	}
	arch_exit(status);
}
