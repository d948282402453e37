/* swap_oom MIB: touches MIB MiB (more than RAM and swap together) a 1 MiB mapping at a time,
 * each its own so the overcommit heuristic, which judges one request at a time, grants them all.
 * The kernel must end it when RAM and swap are both full: SIGKILL, status 137, on Linux and SOS,
 * which write the MiB reached nowhere (it differs). Owned by kernel/mm (swap). */
#include "include/paging.h"

int main(int argc, char **argv)
{
	unsigned long mib = arg_count(argc, argv, 1, 512);

	proc_setup();
	printf("touching %lu MiB\n", mib);
	for (unsigned long k = 0; k < mib; k++) {
		unsigned long *m = anon_map(MIB);

		fill_pages(m, 0, MIB / PAGE, k + 1);
		if (k + 1 == 16)
			printf("16 MiB touched\n");
	}
	printf("all %lu MiB touched: RAM and swap should not have held them\n", mib);
	return 1;
}
