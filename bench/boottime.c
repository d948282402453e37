/* Boot time on SOS: the TSC at main() converted to ns (the TSC starts at 0 when the virtual
 * machine starts), and CLOCK_MONOTONIC at main() (SOS counts it from the kernel's entry). */
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
