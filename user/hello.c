/* hello: the smallest program — one line on stdout, exit 0. Owned by the user/tests part.
 * Also the benchmark of a bare process start and exit. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
