/* Loops until it is killed: what a runner's time limit must end (bin/linux-run --timeout). */
int main(void)
{
	for (volatile unsigned long n = 0;; n++)
		;
}
