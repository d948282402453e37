/* fail_exec: ROUNDS children each execve this program again with a 64 KiB argument (the
 * arguments fit: Linux allows a quarter of the 8 MiB stack). Run under fault injection (sos-run
 * --fail), an exec whose argument buffer gets no frame must say ENOMEM, never E2BIG. Prints on
 * stderr what the calls returned; status 1 when an execve failed with anything but ENOMEM.
 * Without injection every exec works (the same on Linux). Owned by kernel/mm (fault injection).
 *   fail_exec [ROUNDS]   default 20 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/check.h"

#define ARG_BYTES (64 * 1024)

/* The child: exec this program with the big argument; on failure exit with the errno. */
static void child(const char *self, char *big)
{
	char *argv[] = {(char *)self, "done", big, NULL}, *envp[] = {NULL};

	execve(self, argv, envp);
	_exit(errno & 0x7f);
}

int main(int argc, char **argv)
{
	static char big[ARG_BYTES];
	int rounds = argc > 1 ? atoi(argv[1]) : 20, execs = 0, enomem = 0, other = 0, forks = 0;

	if (argc > 1 && !strcmp(argv[1], "done"))
		return argc == 3 && strlen(argv[2]) == ARG_BYTES - 1 ? 0 : 100;
	memset(big, 'x', ARG_BYTES - 1);
	for (int i = 0; i < rounds; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			child(argv[0], big);
		if (pid < 0) {
			forks++;
			continue;
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			continue; /* killed: out of memory in the child */
		if (WEXITSTATUS(status) == 0)
			execs++;
		else if (WEXITSTATUS(status) == ENOMEM)
			enomem++;
		else {
			other++;
			fprintf(stderr, "fail_exec: execve failed with %s\n",
			        ename(WEXITSTATUS(status)));
		}
	}
	fprintf(stderr,
	        "fail_exec: %d of %d execs ran, %d ENOMEM, %d other errors, %d forks failed\n",
	        execs, rounds, enomem, other, forks);
	printf("execs: %s\n", execs == rounds ? "all ran" : "some failed");
	return other ? 1 : 0;
}
