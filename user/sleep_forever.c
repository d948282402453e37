/* sleep_forever: a parent waits for its child, which sleeps for ever: a boot that never ends, for
 * the runner check of what bin/sos-run reports when it is killed (kernel/proc/nmi.c). */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (fork() == 0)
		for (;;)
			sleep(1000);
	wait(NULL);
	return 0;
}
