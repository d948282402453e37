/* The machine's outputs as bin/sos-run sees them: three QEMU debug consoles (program stdout,
 * program stderr, SOS's control line) and QEMU's debug-exit port to power off. */
#include "arch/x86_64/platform.h"
#include "arch/x86_64/x86.h"
#include "lib/printf.h"

#define PORT_STDOUT  0xe9
#define PORT_STDERR  0xea
#define PORT_CONTROL 0xeb
#define PORT_EXIT    0xf4

static const uint16_t ports[] = {
    [CHAN_STDOUT] = PORT_STDOUT,
    [CHAN_STDERR] = PORT_STDERR,
    [CHAN_CONTROL] = PORT_CONTROL,
};

void arch_write(enum channel c, const void *buf, size_t n)
{
	outsb(ports[c], buf, n);
}

void arch_exit(int status)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "exit %d\n", status);
	arch_write(CHAN_CONTROL, line, n);
	outb(PORT_EXIT, 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_set_fs_base(uint64_t base)
{
	wrmsr(MSR_FS_BASE, base);
}

uint64_t arch_fs_base(void)
{
	return rdmsr(MSR_FS_BASE);
}
