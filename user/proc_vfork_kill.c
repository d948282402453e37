/* proc_vfork_kill: a vfork parent waiting for its child dies of SIGKILL, as Linux's killable wait
 * lets it, and the child runs on in the memory it borrowed, then exits (SOS's parent once could
 * not be killed until its child exec'd or died). Owned by kernel/proc (fork.c, proc.c). */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int borrowed = 1; /* the parent's memory, which the child writes */

int main(void)
{
	int go[2], done[2], status;
	char byte;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(go) || pipe(done))
		return 1;
	pid_t parent = fork();
	if (parent == 0) {
		if (vfork() == 0) {
			/* on the parent's memory: wait for the word, write, tell, exit */
			if (read(go[0], &byte, 1) == 1)
				borrowed = 42;
			if (write(done[1], borrowed == 42 ? "y" : "n", 1) != 1)
				_exit(2);
			_exit(7);
		}
		_exit(3); /* never: the parent is killed while it waits */
	}
	usleep(200000); /* the parent waits in vfork now */
	kill(parent, SIGKILL);
	if (waitpid(parent, &status, 0) != parent)
		return 1;
	printf("vfork parent: %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exited",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	if (write(go[1], "!", 1) != 1 || read(done[0], &byte, 1) != 1)
		return 1;
	printf("its child ran on in the memory it borrowed: %s\n", byte == 'y' ? "yes" : "no");
	return 0;
}
