/* Boot time, run as the first program of a boot on SOS and on the oracle Linux: the TSC at main()
 * converted to ns (QEMU starts the guest TSC at 0 with the virtual machine, and neither kernel
 * writes it), and CLOCK_MONOTONIC at main(), counted from the kernel's own clock set-up (SOS:
 * time_init(); Linux: the TSC's start as sched_clock in setup_arch(), which timekeeping_init()
 * takes as the boot offset). */
#include <x86intrin.h>

#include "bench.h"

int main(void)
{
	uint64_t tsc = __rdtsc();
	uint64_t mono = now_ns(); /* SOS calibrates the TSC here: after the TSC was read */

	/* TSC ticks per ns, against CLOCK_MONOTONIC over 50 ms. */
	uint64_t t0 = now_ns(), c0 = __rdtsc(), t1;

	do
		t1 = now_ns();
	while (t1 - t0 < 50000000);

	double ghz = (double)(__rdtsc() - c0) / (double)(t1 - t0);

	result("boot_vm_to_main", (double)tsc / ghz, "ns");
	result("boot_kernel_to_main", (double)mono, "ns");
	return 0;
}
