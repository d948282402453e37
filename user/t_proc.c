/* /proc as a program sees itself: /proc/self/maps in Linux's format (its own mappings at fixed
 * addresses, whole lines less the device and inode columns; [heap] and [stack]), the fields of
 * /proc/self/status and /proc/self/stat and how they move when the program maps and touches
 * memory, /proc/meminfo's fields and its Shmem after a tmpfs file grows, /proc/self/exe and
 * /proc/self/fd/. No value that differs between runs is printed, only facts about them. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "include/tcall.h"

#define D  "/tmp/t_proc"
#define AT 0x500000000000UL /* where the program maps its own regions */
#define PG 4096UL

static char text[65536];

/* The whole of a /proc file into text after a newline (so that every line starts with one),
 * NUL-terminated; its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 1, r;

	text[0] = '\n';
	text[1] = '\0';
	if (fd < 0)
		return -1;
	while ((r = read(fd, text + n, sizeof(text) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	text[n] = '\0';
	return n - 1;
}

/* The number after "name:" in text (a status or meminfo field), or -1 when it is missing. */
static long field(const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), "\n%s:", name);
	char *p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* The lines of maps for the program's own regions, device and inode columns left out; which
 * of [heap] and [stack] appear, with their permissions; and the program's own file's lines. */
static void maps(const char *exe)
{
	slurp("/proc/self/maps");
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long start, end, off, ino;
		char perms[8], dev[16];
		int at = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &start, &end, perms, &off, dev,
		           &ino, &at) < 6 ||
		    at == 0) {
			say("maps: a line not in Linux's format: %s\n", line);
			continue;
		}
		const char *name = line + at;
		if (start >= AT && start < AT + 64 * PG)
			say("maps: +%lx-+%lx %s %08lx %s\n", start - AT, end - AT, perms, off,
			    name);
		else if (!strcmp(name, "[heap]") || !strcmp(name, "[stack]"))
			say("maps: %s %s\n", name, perms);
		else if (!strcmp(name, exe) && strchr(perms, 'x'))
			say("maps: the program's text %s\n", perms);
	}
}

/* The fields of status that the issue names, as present or not, and whether their values add up. */
static void status(void)
{
	static const char *names[] = {"VmPeak",  "VmSize",   "VmRSS",  "RssAnon",
	                              "RssFile", "RssShmem", "VmData", "VmStk"};
	slurp("/proc/self/status");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		say("status %s: %s\n", names[i], field(names[i]) >= 0 ? "present" : "missing");
	char *name = strstr(text, "Name:");
	say("status %.*s\n", name ? (int)strcspn(name, "\n") : 0, name ? name : "");
	say("status Vm and Rss lines in kB: %d\n",
	    strstr(text, "\nVmRSS:\t") && strstr(text, " kB\nRssAnon:\t"));
	say("VmRSS = RssAnon + RssFile + RssShmem: %d\n",
	    field("VmRSS") == field("RssAnon") + field("RssFile") + field("RssShmem"));
	say("VmPeak >= VmSize: %d\n", field("VmPeak") >= field("VmSize"));
}

/* /proc/self/stat: 52 fields, the name in parentheses, state R; minflt, vsize and rss. */
static void stat_fields(long *minflt, long *vsize, long *rss)
{
	slurp("/proc/self/stat");
	char *close_paren = strrchr(text, ')');
	int n = 2;
	if (!close_paren) {
		say("stat: no name\n");
		return;
	}
	for (char *p = close_paren + 1; *p; p++)
		n += *p == ' ' && p[1] && p[1] != '\n';
	say("stat: %d fields, %.*s, state %c\n", n, (int)(close_paren - strchr(text, '(') + 1),
	    strchr(text, '('), close_paren[2]);
	long v[60] = {0};
	int i = 3;
	for (char *t = strtok(close_paren + 2, " "); t && i < 60; t = strtok(NULL, " "))
		v[i++] = strtol(t, NULL, 10);
	*minflt = v[10];
	*vsize = v[23];
	*rss = v[24];
}

int main(int argc, char **argv)
{
	char exe[256] = {0}, path[64], link[256];
	long minflt0 = 0, minflt1 = 0, vsize0 = 0, vsize1 = 0, rss0 = 0, rss1 = 0;
	(void)argc;

	T(readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	say("exe is argv[0]: %d\n", !strcmp(exe, argv[0]) || (argv[0][0] != '/' && exe[0] == '/' &&
	                                                      !strcmp(exe + 1, argv[0])));
	T(mkdir(D, 0755));
	int fd = (int)T(open(D "/file", O_CREAT | O_RDWR | O_TRUNC, 0644));
	T(ftruncate(fd, 4 * PG));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(link, 0, sizeof(link));
	T(readlink(path, link, sizeof(link) - 1));
	say("fd %d is %s\n", fd, link);
	DIR *d = opendir("/proc/self/fd");
	int entries = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		entries++;
	say("/proc/self/fd has %d entries (with . and .. and its own fd)\n", entries);
	if (d)
		closedir(d);

	status();
	stat_fields(&minflt0, &vsize0, &rss0);
	slurp("/proc/self/status");
	say("stat vsize = VmSize: %d\n", vsize0 / 1024 == field("VmSize"));
	char *anon = mmap((void *)AT, 16 * PG, PROT_READ | PROT_WRITE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *ro = mmap((void *)(AT + 20 * PG), 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, PG);
	char *cow = mmap((void *)(AT + 24 * PG), 4 * PG, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_FIXED, fd, 0);
	char *none = mmap((void *)(AT + 30 * PG), PG, PROT_NONE,
	                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	say("mapped: %d %d %d %d\n", anon == (void *)AT, ro != MAP_FAILED, cow != MAP_FAILED,
	    none != MAP_FAILED);
	for (unsigned long i = 0; anon == (void *)AT && i < 16; i++)
		anon[i * PG] = 1;
	if (cow != MAP_FAILED)
		cow[0] = 1;
	maps(exe);
	stat_fields(&minflt1, &vsize1, &rss1);
	say("vsize grew by %ld kB\n", (vsize1 - vsize0) / 1024);
	say("minflt grew by at least 17: %d\n", minflt1 - minflt0 >= 17);
	T(unlink(D "/file"));
	maps(exe);

	slurp("/proc/meminfo");
	static const char *names[] = {"MemTotal", "MemFree", "MemAvailable", "Cached", "Shmem"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		say("meminfo %s: %s\n", names[i], field(names[i]) >= 0 ? "present" : "missing");
	say("MemTotal > MemFree: %d\n", field("MemTotal") > field("MemFree"));
	long shmem0 = field("Shmem"), cached0 = field("Cached");
	int big = open(D "/big", O_CREAT | O_RDWR | O_TRUNC, 0644);
	static char mb[1 << 20];
	memset(mb, 'm', sizeof(mb));
	T(write(big, mb, sizeof(mb)));
	slurp("/proc/meminfo");
	say("Shmem grew by about 1024 kB: %d\n", field("Shmem") - shmem0 >= 900); /* vmstat lags */
	say("Cached grew by about 1024 kB: %d\n", field("Cached") - cached0 >= 900);
	T(close(big));
	T(unlink(D "/big"));
	T(close(fd));
	T(rmdir(D));
	return 0;
}
