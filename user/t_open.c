/* open, openat, creat and close, with their errors: every result is printed, so the run compares
 * with the oracle's. Works in /tmp/t_open and removes it, so that --repeat runs print the same. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "include/tcall.h"

#define D "/tmp/t_open"

/* A path of n characters naming D/file: slashes pad it, as many as it takes (n >= 17). */
static char *long_path(size_t n)
{
	char *p = malloc(n + 1);

	strcpy(p, D);
	memset(p + strlen(D), '/', n - strlen(D) - 4);
	strcpy(p + n - 4, "file");
	return p;
}

/* Names: a component of 255 characters is allowed (ENOENT), 256 is not, nor a path of 4096. */
static void names(void)
{
	char name[300] = D "/";
	size_t at = strlen(name);

	memset(name + at, 'n', 255);
	name[at + 255] = '\0';
	T(open(name, O_RDONLY));
	T(close(open(name, O_CREAT | O_WRONLY, 0644)));
	T(unlink(name));
	name[at + 255] = 'n';
	name[at + 256] = '\0';
	T(open(name, O_RDONLY));
	T(open(name, O_CREAT | O_WRONLY, 0644));
	T(close(open(D "/file", O_CREAT | O_WRONLY, 0644)));
	char *p = long_path(4095);
	T(close(open(p, O_RDONLY)));
	free(p);
	p = long_path(4096);
	T(open(p, O_RDONLY));
	free(p);
	T(unlink(D "/file"));
	T(open("", O_RDONLY));
	T(syscall(SYS_open, (char *)1, O_RDONLY));
	T(syscall(SYS_open, (char *)0xffff800000000000UL, O_RDONLY));
}

/* Symlinks: a chain of 40 resolves, 41 is ELOOP, as is a loop and O_NOFOLLOW on a link. */
static void links(void)
{
	char a[64], b[64];

	T(close(open(D "/target", O_CREAT | O_WRONLY, 0644)));
	T(symlink("target", D "/l0"));
	for (int i = 1; i <= 41; i++) {
		snprintf(a, sizeof(a), "l%d", i - 1);
		snprintf(b, sizeof(b), D "/l%d", i);
		if (symlink(a, b) != 0)
			say("symlink %s: %s\n", b, errname(errno));
	}
	T(close(open(D "/l39", O_RDONLY)));
	T(open(D "/l40", O_RDONLY));
	T(open(D "/l41", O_RDONLY));
	T(symlink("loop2", D "/loop1"));
	T(symlink("loop1", D "/loop2"));
	T(open(D "/loop1", O_RDONLY));
	T(open(D "/loop1", O_CREAT | O_WRONLY, 0644));
	T(open(D "/l0", O_RDONLY | O_NOFOLLOW));
	T(open(D "/loop1/x", O_RDONLY));
	T(symlink("nowhere", D "/dangling"));
	T(open(D "/dangling", O_RDONLY));
	T(close(open(D "/dangling", O_CREAT | O_WRONLY, 0600)));
	stat_of(D "/nowhere");
	T(open(D "/dangling", O_CREAT | O_EXCL | O_WRONLY, 0600));
}

/* The errors of open, by kind of path and flags. */
static void errors(void)
{
	T(open(D "/nothing", O_RDONLY));
	T(open(D "/no/such", O_CREAT | O_WRONLY, 0644));
	T(close(open(D "/file", O_CREAT | O_EXCL | O_WRONLY, 0640)));
	T(open(D "/file", O_CREAT | O_EXCL | O_WRONLY, 0640));
	T(open(D "/file/x", O_RDONLY));
	T(open(D "/file/", O_RDONLY));
	T(open(D "/file/", O_CREAT | O_WRONLY, 0644));
	T(open(D "/new/", O_CREAT | O_WRONLY, 0644));
	T(open(D "/file", O_RDONLY | O_DIRECTORY));
	T(open(D, O_WRONLY));
	T(open(D, O_RDWR));
	T(open(D, O_RDONLY | O_TRUNC));
	T(open(D, O_CREAT | O_RDONLY, 0644));
	T(close(open(D, O_RDONLY)));
	T(close(open(D "/.", O_RDONLY | O_DIRECTORY)));
	T(close(open(D "/../t_open/file", O_RDONLY)));
	T(close(open("/../../tmp/./t_open//file", O_RDONLY)));
	T(open(D "/file", O_RDONLY | O_CREAT | O_DIRECTORY, 0644));
	T(open(D "/file", 077777777));
}

/* openat relative to a directory fd, AT_FDCWD, an fd that is no directory, and a bad fd. */
static void at(void)
{
	int dir = (int)T(open(D, O_RDONLY | O_DIRECTORY));
	int file = (int)T(openat(dir, "file", O_RDONLY));

	T(openat(file, "x", O_RDONLY));
	T(openat(99, "file", O_RDONLY));
	T(openat(-5, "file", O_RDONLY));
	T(close(openat(99, D "/file", O_RDONLY)));
	T(chdir(D));
	T(close(openat(AT_FDCWD, "file", O_RDONLY)));
	T(close(openat(dir, "sub", O_CREAT | O_WRONLY, 0600)));
	stat_of(D "/sub");
	T(chdir("/"));
	T(close(file));
	T(close(dir));
}

/* creat truncates, O_TRUNC too, O_EXCL without O_CREAT is ignored; descriptors are the lowest free.
 */
static void create(void)
{
	int fd = (int)T(creat(D "/c", 0600));

	T(write(fd, "hello", 5));
	T(close(fd));
	stat_of(D "/c");
	fd = (int)T(creat(D "/c", 0644));
	T(close(fd));
	stat_of(D "/c");
	T(put_file(D "/c", "again"));
	T(close(open(D "/c", O_RDWR | O_TRUNC)));
	stat_of(D "/c");
	T(close(open(D "/c", O_RDONLY | O_EXCL)));
	int a = (int)T(open(D "/c", O_RDONLY));
	int b = (int)T(open(D "/c", O_RDONLY));
	T(close(a));
	T(open(D "/c", O_RDONLY));
	T(close(a));
	T(close(b));
	T(close(a));
	T(close(-1));
	T(close(1000000));
	T(open(D "/c", O_RDONLY | O_CLOEXEC));
	T(fcntl(a, F_GETFD));
	T(close(a));
}

/* RLIMIT_NOFILE: open fails with EMFILE once the fds below the soft limit are used. */
static void limit(void)
{
	struct rlimit old = {0, 0}, r = {16, 16};
	int n = 0, fd;

	T(getrlimit(RLIMIT_NOFILE, &old));
	say("RLIMIT_NOFILE %llu %llu\n", (unsigned long long)old.rlim_cur,
	    (unsigned long long)old.rlim_max);
	T(setrlimit(RLIMIT_NOFILE, &r));
	while ((fd = open(D "/c", O_RDONLY)) >= 0)
		n++;
	say("opened %d before %s\n", n, errname(errno));
	T(open(D "/c", O_RDONLY));
	for (fd = 3; fd < 16; fd++)
		close(fd);
	T(setrlimit(RLIMIT_NOFILE, &old));
}

/* Remove what the test made. */
static void clean(void)
{
	char b[300];

	unlink(D "/file");
	unlink(D "/target");
	unlink(D "/c");
	unlink(D "/sub");
	unlink(D "/nowhere");
	unlink(D "/dangling");
	unlink(D "/loop1");
	unlink(D "/loop2");
	for (int i = 0; i <= 41; i++) {
		snprintf(b, sizeof(b), D "/l%d", i);
		unlink(b);
	}
	T(rmdir(D));
}

int main(void)
{
	T(mkdir(D, 0755));
	names();
	links();
	errors();
	at();
	create();
	limit();
	clean();
	return 0;
}
