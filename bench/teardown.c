/* Teardown: how long the exit of a process that touched N MiB keeps the system busy. It prints
 * the clock just before exit; on Linux a parent measures the gap until it sees the child gone. */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 5

/* Touch mib MiB of fresh anonymous memory and leave it mapped for exit to free. */
static void touch_mib(long mib)
{
	size_t npages = (size_t)mib * MIB / PAGE;

	if (!npages)
		return;

	char *p = map_rw(npages * PAGE, 0);
	touch_pages(p, npages);
}

/* Linux: a child touches mib MiB and exits; ns from its last clock read to the parent's wake-up
 * after waitpid(), median of ROUNDS. */
static double fork_gap(long mib)
{
	double v[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		int fd[2];
		uint64_t t_exit = 0;

		if (pipe(fd)) {
			perror("pipe");
			exit(1);
		}
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			touch_mib(mib);
			t_exit = now_ns();
			if (write(fd[1], &t_exit, sizeof(t_exit)) != sizeof(t_exit))
				_exit(1);
			_exit(0);
		}
		close(fd[1]);
		if (read(fd[0], &t_exit, sizeof(t_exit)) != sizeof(t_exit)) {
			perror("read");
			exit(1);
		}
		waitpid(pid, NULL, 0);
		v[r] = (double)(now_ns() - t_exit);
		close(fd[0]);
	}
	return median(v, ROUNDS);
}

/* usage: teardown MiB        print "STAMP start T", touch, print "STAMP exit T", exit (SOS,
 *                            run with --repeat: the gap from one exit to the next start)
 *        teardown fork MiB   RESULT teardown_gap_MiB: the gap measured with fork (Linux) */
int main(int argc, char **argv)
{
	clock_warm();
	if (argc > 2 && !strcmp(argv[1], "fork")) {
		long mib = arg_long(argc, argv, 2, 256);
		char name[64];

		snprintf(name, sizeof(name), "teardown_gap_%ld", mib);
		result(name, fork_gap(mib), "ns");
		return 0;
	}

	long mib = arg_long(argc, argv, 1, 256);

	printf("STAMP start %llu\n", (unsigned long long)now_ns());
	touch_mib(mib);
	printf("STAMP exit %llu\n", (unsigned long long)now_ns());
	fflush(stdout);
	return 0;
}
