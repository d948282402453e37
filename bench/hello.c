/* Start-up: the smallest useful program, timed from outside (bin/sos-run on SOS, a plain exec
 * on Linux), so the figure is what it costs to get a program running and back. */
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
