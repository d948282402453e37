/* The oracle's init: PID 1 of the pinned Linux that bin/linux-run boots. It sets the machine up as
 * the tests assume, runs each job of /jobs in a chroot of /root, and reports what the job did. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The channels are SOS's: isa-debugcon ports for stdout, stderr and a control line. An `outsb`
 * is over when QEMU has written the byte, so nothing is in flight at power-off (a virtio port's
 * write returns before the host has taken the data, and the end of a run was lost that way). */
#define PORT_OUT        0xe9
#define PORT_ERR        0xea
#define PORT_CTL        0xeb
#define DEBUG_EXIT_PORT 0xf4
#define MAX_ARGS        4096
#define NO_STATUS       (-1)

/* Where a job's stdout and stderr collect before they are sent, outside the job's root. */
#define JOB_OUT "/out"
#define JOB_ERR "/err"

/* Send a buffer on a debugcon port. */
static void port_write(unsigned short port, const char *p, size_t n)
{
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"(port) : "memory");
}

/* Report a problem of the init itself on the control port (bin/linux-run prints it, then 125). */
static void fail(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	port_write(PORT_CTL, "error ", 6);
	port_write(PORT_CTL, line, (size_t)n);
}

/* Write a whole buffer to fd; false on error. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0;
		p += w;
		n -= (size_t)w;
	}
	return 1;
}

/* Read a whole file into a NUL-terminated malloc'd buffer; NULL when it is absent. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *buf = NULL;
	if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1))) {
		ssize_t n = read(fd, buf, (size_t)st.st_size);
		if (n != st.st_size) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	close(fd);
	return buf;
}

/* Write a setting under /proc or /sys; the tests depend on it, so a failure is reported. */
static void set_knob(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || !write_all(fd, value, strlen(value)))
		fail("cannot set %s to %s: %s", path, value, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit r = {soft, hard};
	if (setrlimit(resource, &r) != 0)
		fail("setrlimit(%d): %s", resource, strerror(errno));
}

/* The machine every test assumes; docs/oracle.md records each setting and why. */
static int setup_machine(void)
{
	if (ioperm(PORT_OUT, 3, 1) != 0 || ioperm(DEBUG_EXIT_PORT, 4, 1) != 0)
		return 0;
	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) != 0 ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
		fail("cannot mount /dev, /proc or /sys: %s", strerror(errno));
	/* Without /dev/console the kernel gave init no fds 0-2: take them, so that no file of ours
	 * lands on a number a job's stdin, stdout or stderr is moved to. */
	int fd;
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd < 3)
		;
	if (fd >= 3)
		close(fd); /* the one past 2: a job must start with fds 0-2 only, as on SOS */
	set_knob("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	set_knob("/sys/kernel/mm/transparent_hugepage/defrag", "madvise");
	set_knob("/proc/sys/vm/nr_hugepages", "0");
	set_knob("/proc/sys/vm/overcommit_memory", "0");
	set_knob("/proc/sys/vm/max_map_count", "65530");
	set_knob("/proc/sys/kernel/core_pattern", "/dev/null");
	set_limit(RLIMIT_STACK, 8 << 20, RLIM_INFINITY);
	set_limit(RLIMIT_CORE, 0, 0);
	set_limit(RLIMIT_NOFILE, 1024, 4096);
	set_limit(RLIMIT_MEMLOCK, 8 << 20, 8 << 20);
	/* The guest root a job sees: /root, with /dev and /proc, and a /tmp anyone may write (the
	 * initramfs is a tmpfs already, and a program may have been put into /tmp). */
	mkdir("/root/dev", 0755);
	mkdir("/root/proc", 0555);
	mkdir("/root/tmp", 01777);
	if (mount("devtmpfs", "/root/dev", "devtmpfs", 0, NULL) != 0 ||
	    mount("proc", "/root/proc", "proc", 0, NULL) != 0 || chmod("/root/tmp", 01777) != 0)
		fail("cannot set up the guest root's /dev, /proc or /tmp: %s", strerror(errno));
	return 1;
}

/* With --swap, bin/linux-run attaches a virtio disk made by mkswap and puts the driver, a module
 * in Debian's kernel, at /virtio_blk.ko: load it, wait for the disk, and swap on it. */
static void setup_swap(void)
{
	int fd = open("/virtio_blk.ko", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (syscall(SYS_finit_module, fd, "", 0) != 0)
		fail("cannot load virtio_blk: %s", strerror(errno));
	close(fd);
	for (int tries = 0; tries < 500 && access("/dev/vda", F_OK) != 0; tries++)
		usleep(10000); /* the disk appears once the driver has probed it */
	if (swapon("/dev/vda", 0) != 0)
		fail("cannot swap on /dev/vda: %s", strerror(errno));
}

/* Split a NUL-separated list into vec (at most max-1 entries, then NULL); returns the count. */
static int split(char *buf, size_t len, char **vec, int max)
{
	int n = 0;
	for (size_t i = 0; i < len && n < max - 1; i += strlen(buf + i) + 1)
		vec[n++] = buf + i;
	vec[n] = NULL;
	return n;
}

/* A number from a job's file, or fallback when the file is absent. */
static long job_number(const char *dir, const char *file, long fallback)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	char *s = slurp(path, NULL);
	long v = s ? atol(s) : fallback;
	free(s);
	return v;
}

/* A job: the files bin/linux-run left in /jobs/NAME (argv, and optionally env, stdin, repeat
 * and timeout). */
struct job {
	char dir[256], stdin_path[300];
	char *argv_buf, *env_buf;
	char *argv[MAX_ARGS], *envp[MAX_ARGS];
	long repeat, timeout;
};

static int load_job(struct job *j, const char *name)
{
	char path[512];
	size_t len = 0;
	memset(j, 0, sizeof(*j));
	snprintf(j->dir, sizeof(j->dir), "/jobs/%s", name);
	snprintf(path, sizeof(path), "%s/argv", j->dir);
	if (!(j->argv_buf = slurp(path, &len)) || split(j->argv_buf, len, j->argv, MAX_ARGS) == 0) {
		fail("job %s has no argv", name);
		free(j->argv_buf);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/env", j->dir);
	len = 0;
	j->env_buf = slurp(path, &len);
	split(j->env_buf ? j->env_buf : "", len, j->envp, MAX_ARGS);
	snprintf(j->stdin_path, sizeof(j->stdin_path), "%s/stdin", j->dir);
	if (access(j->stdin_path, R_OK) != 0)
		strcpy(j->stdin_path, "/dev/null");
	j->repeat = job_number(j->dir, "repeat", 1);
	j->timeout = job_number(j->dir, "timeout", 0);
	return 1;
}

static void free_job(struct job *j)
{
	free(j->argv_buf);
	free(j->env_buf);
}

/* In the child: the job's process, in its own process group, in the guest root. */
static void exec_job(const struct job *j, int in, int out, int err)
{
	setpgid(0, 0);
	/* ioperm survives fork and execve: the job must fault on port I/O as any program does. */
	if (ioperm(PORT_OUT, 3, 0) != 0 || ioperm(DEBUG_EXIT_PORT, 4, 0) != 0)
		_exit(125);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(125);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGALRM, SIG_DFL);
	if (chroot("/root") != 0 || chdir("/") != 0)
		_exit(125);
	execve(j->argv[0], j->argv, j->envp);
	dprintf(2, "linux-run: cannot run %s: %s\n", j->argv[0], strerror(errno));
	_exit(126);
}

static void on_alarm(int sig)
{
	(void)sig; /* only interrupts waitpid */
}

/* Run a job once, with stdin from its stdin file and stdout and stderr appended to the files
 * out and err (regular files, as a shell's redirections give). Returns the shell-style status:
 * the exit code, 128+signal, 124 when the timeout killed it. */
static int run_once(const struct job *j, int out, int err)
{
	int in = open(j->stdin_path, O_RDONLY | O_CLOEXEC), ws = 0, timed_out = 0;
	pid_t pid = in < 0 ? -1 : fork();
	if (pid < 0) {
		fail("cannot start %s: %s", j->argv[0], strerror(errno));
		return NO_STATUS;
	}
	if (pid == 0)
		exec_job(j, in, out, err);
	setpgid(pid, pid);
	close(in);
	alarm((unsigned)j->timeout);
	while (waitpid(pid, &ws, 0) != pid) {
		if (errno == EINTR && !timed_out) {
			kill(-pid, SIGKILL);
			timed_out = 1;
		}
	}
	alarm(0);
	kill(-pid, SIGKILL); /* whatever the job left behind */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (timed_out)
		return 124;
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/* Run a job its repeat times, outputs one after the other in the files JOB_OUT and JOB_ERR;
 * the status is the last run's, as bin/sos-run's. */
static int run_job(const struct job *j)
{
	int out = open(JOB_OUT, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int err = open(JOB_ERR, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int status = NO_STATUS;
	if (out < 0 || err < 0)
		fail("cannot create the output files: %s", strerror(errno));
	for (long k = 0; k < j->repeat && out >= 0 && err >= 0; k++)
		status = run_once(j, out, err);
	close(out);
	close(err);
	return status;
}

/* Send file path on a port, a chunk at a time. */
static void send_file(unsigned short port, const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		port_write(port, buf, (size_t)n);
	if (fd >= 0)
		close(fd);
}

/* ---- batch results: one cpio (newc) archive of NAME/out, NAME/err and NAME/status ---------- */

/* An archive member's header and name, padded as newc wants; its data follows. */
static void cpio_header(const char *name, size_t len, unsigned mode)
{
	static unsigned ino = 1;
	static const char zeros[4];
	char hdr[128];
	size_t namesize = strlen(name) + 1;
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
	         ino++, mode, 0u, 0u, 1u, 0u, (unsigned)len, 0u, 0u, 0u, 0u, (unsigned)namesize,
	         0u);
	port_write(PORT_OUT, hdr, 110);
	port_write(PORT_OUT, name, namesize);
	port_write(PORT_OUT, zeros, (4 - (110 + namesize) % 4) % 4);
}

/* Add file path to the archive as job/member. */
static void cpio_file(const char *job, const char *member, const char *path)
{
	static const char zeros[4];
	char name[512];
	struct stat st;
	size_t len = stat(path, &st) == 0 ? (size_t)st.st_size : 0;
	snprintf(name, sizeof(name), "%s/%s", job, member);
	cpio_header(name, len, 0100644);
	send_file(PORT_OUT, path);
	port_write(PORT_OUT, zeros, (4 - len % 4) % 4);
}

/* Run every job of /jobs/list in order; the results go out as one archive. */
static void run_batch(void)
{
	struct job *j = malloc(sizeof(*j));
	char *list = slurp("/jobs/list", NULL);
	for (char *name = list ? strtok(list, "\n") : NULL; j && name; name = strtok(NULL, "\n")) {
		if (!load_job(j, name))
			continue;
		int status = run_job(j);
		FILE *f = fopen("/status", "we");
		if (f) {
			fprintf(f, "%d\n", status);
			fclose(f);
		}
		cpio_file(name, "out", JOB_OUT);
		cpio_file(name, "err", JOB_ERR);
		cpio_file(name, "status", "/status");
		free_job(j);
	}
	cpio_header("TRAILER!!!", 0, 0);
	free(list);
	free(j);
}

/* Leave QEMU through isa-debug-exit (immediate), or power off if that port is missing. */
static void power_off(void)
{
	sync();
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0)
		outl(0, DEBUG_EXIT_PORT);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	if (!setup_machine())
		power_off(); /* no status line: bin/linux-run reports the failure */
	setup_swap();
	if (access("/jobs/list", F_OK) == 0) {
		run_batch();
		port_write(PORT_CTL, "done\n", 5);
	} else {
		struct job j;
		if (load_job(&j, "single")) {
			int status = run_job(&j);
			send_file(PORT_OUT, JOB_OUT);
			send_file(PORT_ERR, JOB_ERR);
			if (status != NO_STATUS) {
				char line[32];
				int n = snprintf(line, sizeof(line), "exit %d\n", status);
				port_write(PORT_CTL, line, (size_t)n);
			}
			free_job(&j);
		}
	}
	power_off();
}
