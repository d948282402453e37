/* page_linear MIB: anonymous memory far bigger than RAM (issue 12 asks for 8x RAM: 256 under
 * --mem 32M --swap 512M), every page written in order with a pattern of its index, then read
 * back in order and checked page by page and by a checksum, as Pintos' page-linear; a line on
 * stderr says it all went right. Owned by kernel/mm (swap). */
#include "include/paging.h"

int main(int argc, char **argv)
{
	unsigned long mib = arg_count(argc, argv, 1, 256), pages = mib * MIB / PAGE,
	              sum = SUM_START;
	unsigned long *m = anon_map(mib * MIB);

	proc_setup();
	fill_pages(m, 0, pages, 1);
	printf("wrote %lu MiB, %lu pages\n", mib, pages);
	fact("every page read back holds its pattern", bad_pages(m, 0, pages, 1, &sum) == 0);
	printf("checksum %016lx\n", sum);
	/* on stderr too: what a case run on SOS alone (no oracle to compare with) looks for */
	if (!failures)
		fprintf(stderr, "page_linear: %lu MiB written and read back right\n", mib);
	return failures != 0;
}
