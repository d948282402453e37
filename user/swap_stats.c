/* swap_stats: what the kernel shows of paging. /proc/vmstat's shape ("name value" lines, Linux's
 * names in its order), getrusage's and /proc/self/stat's minor and major faults, self and
 * children, kept across exec. "swap_stats" alone touches memory that fits; "swap_stats page MIB"
 * has a child write and read back MIB MiB, more than RAM (the cases: --mem 96M --swap 256M): then
 * major faults, page-ins and page-outs must show, in the child's rusage, its parent's and
 * /proc/vmstat.
 * Values differ between kernels, so it prints relations. Owned by kernel/proc (procvm.c,
 * procfs.c) and kernel/sys (sys_fork.c). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "include/check.h"

#define MIB  (1UL << 20)
#define PAGE 4096UL

/* The counters of /proc/vmstat this test follows. */
struct vmstat {
	unsigned long pgfault, pgmajfault, pswpin, pswpout;
};

static const char *const followed[] = {"pgpgin",  "pgpgout", "pswpin",
                                       "pswpout", "pgfault", "pgmajfault"};
#define NFOLLOWED (sizeof(followed) / sizeof(followed[0]))

/* True when line (without its newline) is "name value": a lower-case name, one space, digits. */
static int well_formed(const char *line)
{
	const char *s = line;
	while (islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')
		s++;
	if (s == line || *s++ != ' ' || !isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == 0;
}

/* Read /proc/vmstat into v; with show, print its shape: the number of lines, that each is well
 * formed, and that the followed names are there in Linux's order. 0, or -1 if it cannot be read. */
static int read_vmstat(struct vmstat *v, int show)
{
	char line[256], name[128];
	unsigned long value, lines = 0, bad = 0;
	size_t next = 0;
	FILE *f = fopen("/proc/vmstat", "r");
	if (!f) {
		printf("/proc/vmstat: %s\n", ename(errno));
		failures++;
		return -1;
	}
	memset(v, 0, sizeof(*v));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		lines++;
		if (!well_formed(line) || sscanf(line, "%127s %lu", name, &value) != 2) {
			bad++;
			continue;
		}
		if (next < NFOLLOWED && !strcmp(name, followed[next]))
			next++;
		if (!strcmp(name, "pgfault"))
			v->pgfault = value;
		else if (!strcmp(name, "pgmajfault"))
			v->pgmajfault = value;
		else if (!strcmp(name, "pswpin"))
			v->pswpin = value;
		else if (!strcmp(name, "pswpout"))
			v->pswpout = value;
	}
	fclose(f);
	if (show) {
		printf("vmstat lines: %lu\n", lines);
		fact("vmstat: every line 'name value'", lines > 0 && !bad);
		fact("vmstat: pgpgin pgpgout pswpin pswpout pgfault pgmajfault, in that order",
		     next == NFOLLOWED);
	}
	return 0;
}

/* Fields 10 to 13 of /proc/self/stat: minflt cminflt majflt cmajflt. 0, or -1. */
static int stat_faults(unsigned long out[4])
{
	char buf[1024];
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	char *s = strrchr(buf, ')'); /* after the command name, which may hold anything */
	if (!s || sscanf(s + 1, " %*c %*d %*d %*d %*d %*d %*u %lu %lu %lu %lu", &out[0], &out[1],
	                 &out[2], &out[3]) != 4) {
		printf("/proc/self/stat: cannot parse\n");
		failures++;
		return -1;
	}
	return 0;
}

/* Write a pattern to every page of mib MiB, then check it: the number of pages that differ. */
static unsigned long touch(unsigned long mib)
{
	unsigned long len = mib * MIB, bad = 0;
	uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap %lu MiB: %s\n", mib, ename(errno));
		exit(1);
	}
	for (unsigned long i = 0; i < len / PAGE; i++) {
		p[i * PAGE / 8] = i * 0x9e3779b97f4a7c15ULL;
		p[(i + 1) * PAGE / 8 - 1] = ~i;
	}
	for (unsigned long i = 0; i < len / PAGE; i++)
		if (p[i * PAGE / 8] != i * 0x9e3779b97f4a7c15ULL || p[(i + 1) * PAGE / 8 - 1] != ~i)
			bad++;
	munmap(p, len);
	return bad;
}

/* A child touches mib MiB and reports its own rusage; the parent checks what wait4,
 * getrusage(RUSAGE_CHILDREN) and /proc/self/stat say of it. Returns the child's majflt. */
static long child_faults(unsigned long mib, int paging)
{
	struct rusage ru, ch;
	unsigned long st[4];
	int ws;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("fork: %s\n", ename(errno));
		exit(1);
	}
	if (pid == 0) {
		unsigned long bad = touch(mib);
		getrusage(RUSAGE_SELF, &ru);
		printf("child: data intact: %s\n", bad ? "no" : "yes");
		printf("child: minflt >= pages touched: %s\n",
		       ru.ru_minflt + ru.ru_majflt >= (long)(mib * MIB / PAGE) ? "yes" : "no");
		if (paging)
			printf("child: majflt > 0: %s\n", ru.ru_majflt > 0 ? "yes" : "no");
		else
			printf("child: majflt: %ld\n", ru.ru_majflt);
		exit(bad ? 1 : 0);
	}
	if (wait4(pid, &ws, 0, &ru) != pid) {
		printf("wait4: %s\n", ename(errno));
		exit(1);
	}
	fact("child exited 0", WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	if (WIFSIGNALED(ws))
		printf("child killed by signal %d\n", WTERMSIG(ws));
	getrusage(RUSAGE_CHILDREN, &ch);
	fact("wait4 minflt+majflt >= pages touched",
	     ru.ru_minflt + ru.ru_majflt >= (long)(mib * MIB / PAGE));
	if (paging)
		fact("wait4 majflt > 0", ru.ru_majflt > 0);
	else
		printf("wait4 majflt: %ld\n", ru.ru_majflt);
	fact("RUSAGE_CHILDREN minflt, majflt = wait4's",
	     ch.ru_minflt == ru.ru_minflt && ch.ru_majflt == ru.ru_majflt);
	if (!stat_faults(st))
		fact("/proc/self/stat cminflt, cmajflt = RUSAGE_CHILDREN's",
		     st[1] == (unsigned long)ch.ru_minflt && st[3] == (unsigned long)ch.ru_majflt);
	return ru.ru_majflt;
}

/* Without paging: faults are all minor, counted in rusage and /proc/self/stat alike. */
static void plain(void)
{
	struct rusage ru;
	unsigned long st[4];
	struct vmstat v;
	read_vmstat(&v, 1);
	if (touch(4))
		fact("data intact", 0);
	getrusage(RUSAGE_SELF, &ru);
	fact("minflt >= 1024 after touching 4 MiB", ru.ru_minflt >= 1024);
	printf("majflt: %ld\n", ru.ru_majflt);
	if (!stat_faults(st)) {
		fact("/proc/self/stat minflt >= getrusage's", st[0] >= (unsigned long)ru.ru_minflt);
		printf("/proc/self/stat majflt %lu, cminflt %lu, cmajflt %lu\n", st[2], st[1],
		       st[3]);
	}
	child_faults(4, 0);
	/* the faults before an exec stay the process's */
	fflush(stdout);
	execl("/proc/self/exe", "swap_stats", "after-exec", (char *)NULL);
	printf("exec: %s\n", ename(errno));
	failures++;
}

/* After plain()'s exec: its 4 MiB of faults still count. */
static void after_exec(void)
{
	struct rusage ru;
	unsigned long st[4];
	getrusage(RUSAGE_SELF, &ru);
	fact("after exec: minflt >= 1024", ru.ru_minflt >= 1024);
	if (!stat_faults(st))
		fact("after exec: /proc/self/stat minflt >= 1024", st[0] >= 1024);
}

/* With paging: a child's memory bigger than RAM goes to swap and comes back. */
static void page(unsigned long mib)
{
	struct vmstat before, after;
	if (read_vmstat(&before, 1))
		return;
	long majflt = child_faults(mib, 1);
	if (read_vmstat(&after, 0))
		return;
	fact("vmstat pswpout grew", after.pswpout > before.pswpout);
	fact("vmstat pswpin grew", after.pswpin > before.pswpin);
	fact("vmstat pgfault grew by pages touched",
	     after.pgfault - before.pgfault >= mib * MIB / PAGE);
	fact("vmstat pgmajfault grew by the child's majflt (or more)",
	     majflt > 0 && after.pgmajfault - before.pgmajfault >= (unsigned long)majflt);
	fact("vmstat pswpin grew by the child's majflt (or more)",
	     majflt > 0 && after.pswpin - before.pswpin >= (unsigned long)majflt);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "after-exec"))
		after_exec();
	else if (argc >= 2 && !strcmp(argv[1], "page"))
		page(argc >= 3 ? strtoul(argv[2], NULL, 10) : 64);
	else
		plain();
	return failures ? 1 : 0;
}
