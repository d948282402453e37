/* Start-up: the smallest useful program, timed from outside (the wall time of bin/sos-run and of
 * bin/linux-run), so the figure is what it costs to get a program running and back. */
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
