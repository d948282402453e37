/* fail_site: pipes, files, memory and children, ROUNDS of each, counting the calls that fail and
 * how. Under sos-run --fail all:1@pipe_create (a call site) every pipe fails with ENOMEM and
 * nothing else fails; without injection (and on Linux) nothing fails. One summary line on stderr;
 * status 1 when a call failed with anything but ENOMEM. Owned by kernel/mm (fault injection).
 *   fail_site [ROUNDS]   default 10 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/check.h"

static int failed, other; /* calls that failed; with an errno but ENOMEM */

/* Count a call's result: r < 0 is a failure with errno. */
static void count(long r)
{
	if (r >= 0)
		return;
	failed++;
	other += errno != ENOMEM;
}

/* Failures of the calls made by fn ROUNDS times, as "N of ROUNDS". */
static int run(void (*fn)(void), int rounds)
{
	failed = 0;
	for (int i = 0; i < rounds; i++)
		fn();
	return failed;
}

static void make_pipe(void)
{
	int fds[2];
	long r = pipe(fds);

	count(r);
	if (r == 0)
		close(fds[0]), close(fds[1]);
}

static void make_file(void)
{
	int fd = open("/tmp/fail_site", O_RDWR | O_CREAT | O_TRUNC, 0644);

	count(fd);
	if (fd >= 0)
		count(write(fd, "page", 4)), close(fd);
	unlink("/tmp/fail_site");
}

static void map_memory(void)
{
	char *p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	count(p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED)
		memset(p, 1, 1 << 16), munmap(p, 1 << 16);
}

static void make_child(void)
{
	pid_t pid = fork();

	count(pid);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10;
	int pipes = run(make_pipe, rounds), files = run(make_file, rounds);
	int maps = run(map_memory, rounds), children = run(make_child, rounds);

	fprintf(
	    stderr,
	    "fail_site: of %d each, failed: pipe %d, file %d, mmap %d, fork %d; %d not ENOMEM\n",
	    rounds, pipes, files, maps, children, other);
	return other ? 1 : 0;
}
