/* pt_test: the seed's pager demonstration (M3) — a stack above 0x20000000, 27 pages filled and
 * checked on the stack, then 27 pages from malloc. Owned by the user/tests part. */
#include <stdio.h>
#include <stdlib.h>

#define NPAGES 27

/* The seed's assert(), made to report on stdout and exit 1 so a failure is readable. */
#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("pt_test: FAILED: %s (line %d)\n", #cond, __LINE__);                \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

/* called from pt_test; volatile so the compiler really stores and reloads every page */
static void do_pt_test(volatile char *buf)
{
	int i;

	/* set */
	for (i = 0; i < NPAGES; i++)
		buf[i * 4096] = i;

	/* check */
	for (i = 0; i < NPAGES; i++)
		check(buf[i * 4096] == i);
}

static void pt_test(void)
{
	/* need a decent sized stack */
	char buf1[NPAGES * 4096], *buf2 = NULL;

	/* check the stack is above phys mem */
	check((void *)buf1 > (void *)0x20000000);
	printf("pt_test: stack above 0x20000000: yes\n");

	/* stack test */
	do_pt_test(buf1);
	printf("pt_test: %d stack pages set and checked\n", NPAGES);

	/* heap test */
	buf2 = malloc(NPAGES * 4096);
	check(buf2);
	do_pt_test(buf2);
	free(buf2);
	printf("pt_test: %d heap pages set and checked\n", NPAGES);
}

int main(void)
{
	/* line-buffered, so that when SOS kills the program the last line shows how far it got */
	setvbuf(stdout, NULL, _IOLBF, 0);
	pt_test();
	printf("pt_test: passed\n");
	return 0;
}
