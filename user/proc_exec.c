/* execve and execveat: failures that leave the caller intact with the oracle's errno (ENOENT,
 * EACCES, ENOEXEC, E2BIG, ENOTDIR, ELOOP), argv and envp passed, close-on-exec fds closed and the
 * others kept with their offsets, and #! scripts (this program is their interpreter: "interp").
 * "proc_exec show ..." and "proc_exec interp ..." are the programs the tests exec.
 */
#include "include/proc.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

extern char **environ;

static char self[256];      /* this program's path, from /proc/self/exe */
static int canary = 0x5eed; /* changed by nothing: a failed exec leaves it */

/* The exec'ed side: print argv, the environment and the state of fds named in argv. */
static int show(int argc, char **argv)
{
	printf("  exec'ed: argc %d\n", argc);
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "fd=", 3)) {
			int fd = atoi(argv[i] + 3);
			int fl = fcntl(fd, F_GETFD);

			if (fl < 0)
				printf("  fd %d: %s\n", fd, ename(errno));
			else
				printf("  fd %d: open, FD_CLOEXEC %d, offset %ld\n", fd,
				       fl & FD_CLOEXEC, (long)lseek(fd, 0, SEEK_CUR));
		} else {
			printf("  argv[%d] = \"%.40s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
		}
	}
	for (char **e = environ; *e; e++)
		printf("  env %s\n", *e);
	return 0;
}

/* Write file path with mode and contents. */
static void make_file(const char *path, int mode, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, text, strlen(text)) != (long)strlen(text))
		printf("make %s: %s\n", path, ename(errno));
	close(fd);
	chmod(path, mode);
}

/* execve(path, argv, envp) in a child, printing its errno if it fails, then its status. */
static void try_exec(const char *what, const char *path, char *const argv[], char *const envp[])
{
	printf("%s:\n", what);
	pid_t p = xfork();
	if (p == 0) {
		execve(path, argv, envp);
		printf("  execve: %s, canary %s\n", ename(errno),
		       canary == 0x5eed ? "intact" : "lost");
		_exit(100);
	}
	reap("  status", p);
}

/* Failures in this process itself: each returns, and memory and fds are as they were. */
static void failures_in_place(void)
{
	static char big[200 * 1024];
	char *argv[] = {"x", NULL, NULL};
	char *env[] = {NULL};
	unsigned long sum;
	unsigned char *m =
	    mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return;
	for (int i = 0; i < 1 << 20; i++)
		m[i] = (unsigned char)(i * 7 + 3);
	sum = checksum(m, 1 << 20);
	make_file("/tmp/exec-text", 0755, "just text, no #! and no ELF header\n");
	make_file("/tmp/exec-noexec", 0644, "#!/bin/sh\n");
	show_result("execve(missing)", neg_errno(execve("/tmp/nothing", argv, env)), -ENOENT);
	show_result("execve(\"\")", neg_errno(execve("", argv, env)), -ENOENT);
	show_result("execve(a directory)", neg_errno(execve("/tmp", argv, env)), -EACCES);
	show_result("execve(mode 644)", neg_errno(execve("/tmp/exec-noexec", argv, env)), -EACCES);
	show_result("execve(text file)", neg_errno(execve("/tmp/exec-text", argv, env)), -ENOEXEC);
	show_result("execve(file/x)", neg_errno(execve("/tmp/exec-text/x", argv, env)), -ENOTDIR);
	show_result("execve(bad path pointer)",
	            neg_errno(syscall(SYS_execve, (char *)8, argv, env)), -EFAULT);
	memset(big, 'a', sizeof(big) - 1);
	argv[1] = big;
	show_result("execve(a 200 KiB argument)", neg_errno(execve(self, argv, env)), -E2BIG);
	fact("memory intact after the failures", checksum(m, 1 << 20) == sum);
	fact("canary intact", canary == 0x5eed);
	munmap(m, 1 << 20);
}

/* Too much in all: 40 arguments of 100 KiB, past a quarter of the 8 MiB stack limit. */
static void too_big(void)
{
	static char arg[100 * 1024];
	char *argv[42];

	memset(arg, 'b', sizeof(arg) - 1);
	argv[0] = "x";
	for (int i = 1; i < 41; i++)
		argv[i] = arg;
	argv[41] = NULL;
	show_result("execve(40 arguments of 100 KiB)", neg_errno(execve(self, argv, NULL)), -E2BIG);
	try_exec("execve(2 arguments of 100 KiB)", self, (char *[]){self, "show", arg, arg, NULL},
	         (char *[]){NULL});
}

/* argv and envp reach the new program; fds without close-on-exec stay, with their offsets. */
static void passing(void)
{
	try_exec("execve(self, argv, envp)", self,
	         (char *[]){self, "show", "one", "", "two words", NULL},
	         (char *[]){"A=1", "EMPTY=", "LONG=xxxxxxxx", NULL});
	printf("fds across exec:\n");
	pid_t p = xfork();
	if (p == 0) {
		make_file("/tmp/exec-fds", 0644, "0123456789");
		int keep = open("/tmp/exec-fds", O_RDONLY);
		int shut = open("/tmp/exec-fds", O_RDONLY | O_CLOEXEC);
		int flip = dup(keep);
		int dupc = fcntl(keep, F_DUPFD_CLOEXEC, 20);

		lseek(keep, 4, SEEK_SET);
		fcntl(flip, F_SETFD, FD_CLOEXEC);
		char a[4][16];
		snprintf(a[0], 16, "fd=%d", keep);
		snprintf(a[1], 16, "fd=%d", shut);
		snprintf(a[2], 16, "fd=%d", flip);
		snprintf(a[3], 16, "fd=%d", dupc);
		execve(self, (char *[]){self, "show", a[0], a[1], a[2], a[3], NULL},
		       (char *[]){NULL});
		printf("  execve: %s\n", ename(errno));
		_exit(100);
	}
	reap("  status", p);
	int fd = open(self, O_RDONLY | O_CLOEXEC);
	printf("execveat(fd of self, \"\", AT_EMPTY_PATH):\n");
	p = xfork();
	if (p == 0) {
		syscall(SYS_execveat, fd, "", (char *[]){"via-fd", "show", "x", NULL},
		        (char *[]){NULL}, AT_EMPTY_PATH);
		printf("  execveat: %s\n", ename(errno));
		_exit(100);
	}
	reap("  status", p);
	show_result("execveat(fd, \"\", 0)",
	            neg_errno(syscall(SYS_execveat, fd, "", (char *[]){NULL}, (char *[]){NULL}, 0)),
	            -ENOENT);
	close(fd);
}

/* #! scripts: an argument on the line, none, nested scripts, a missing interpreter, a loop. */
static void scripts(void)
{
	char line[400];

	snprintf(line, sizeof(line), "#!%s interp\necho never\n", self);
	make_file("/tmp/s1", 0755, line);
	snprintf(line, sizeof(line), "#! %s  \t\n", self);
	make_file("/tmp/s-noarg", 0755, line);
	make_file("/tmp/s2", 0755, "#!/tmp/s1\n");
	make_file("/tmp/s-missing", 0755, "#!/tmp/no-such-interpreter arg\n");
	make_file("/tmp/s-noexec", 0644, "#!/tmp/s1\n");
	make_file("/tmp/s-loop", 0755, "#!/tmp/s-loop\n");
	make_file("/tmp/s-empty", 0755, "#!\n");
	try_exec("script with an argument", "/tmp/s1", (char *[]){"s1", "a", "b c", NULL},
	         (char *[]){"X=y", NULL});
	try_exec("script whose interpreter is a script", "/tmp/s2", (char *[]){"s2", "arg", NULL},
	         (char *[]){NULL});
	try_exec("missing interpreter", "/tmp/s-missing", (char *[]){"s", NULL}, (char *[]){NULL});
	try_exec("script not executable", "/tmp/s-noexec", (char *[]){"s", NULL}, (char *[]){NULL});
	try_exec("script that interprets itself", "/tmp/s-loop", (char *[]){"s", NULL},
	         (char *[]){NULL});
	try_exec("empty #! line", "/tmp/s-empty", (char *[]){"s", NULL}, (char *[]){NULL});
	/* the first word of a #! line runs: "#! path  \t" has no argument */
	printf("script without an argument (%s):\n", "argv[1] is the script");
	pid_t p = xfork();
	if (p == 0) {
		execve("/tmp/s-noarg", (char *[]){"s-noarg", "show", NULL}, (char *[]){NULL});
		_exit(100);
	}
	reap("  status", p);
}

int main(int argc, char **argv)
{
	proc_setup();
	if (argc > 1 && !strcmp(argv[1], "show"))
		return show(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "interp"))
		return show(argc, argv);
	if (argc > 1 && !strncmp(argv[1], "/tmp/", 5))
		return printf("  ran as the interpreter of %s\n", argv[1]) < 0;
	long n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		printf("readlink /proc/self/exe: %s\n", ename(errno));
		return 1;
	}
	self[n] = 0;
	failures_in_place();
	too_big();
	passing();
	scripts();
	printf("failures: %d\n", failures);
	return failures != 0;
}
