/* The system-call fuzzer's objects: the files, pipes and mappings a worker starts with, and the
 * slots that keep what its calls return (fds, mappings, children) as arguments of later calls. */
#include "fuzz.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define NONCAN 0x0000800000000000UL /* the first non-canonical address */

/* Remember fd in a random slot (so the slots hold fresh fds as well as stale ones). */
void fz_keep_fd(struct fz *f, long fd)
{
	if (fd >= 0)
		f->fds[below(f, NFD)] = (int)fd;
}

/* Remember a mapping's address (a user one: not an error) as a target of memory calls. */
void fz_keep_map(struct fz *f, long addr)
{
	if (addr > 0 && (uint64_t)addr < NONCAN)
		f->maps[below(f, NMAP)] = (uint64_t)addr;
}

/* Remember a child's pid as a target of kill and wait. */
void fz_keep_pid(struct fz *f, long pid)
{
	if (pid > 0)
		f->pids[below(f, NPID)] = (int)pid;
}

/* Make one of each kind of file in the slots: pipe ends, a directory, /proc files, a memfd,
 * tmpfs files, devices, a dup; the names of gen_path's pool in the cwd (a FIFO among them). No PRNG
 * is drawn, so the call sequence does not depend on what succeeded. */
void fz_objects_init(struct fz *f)
{
	int p[2] = {-1, -1};
	sc(SYS_mkdir, (long)"d", 0755, 0, 0, 0, 0);
	sc(SYS_mkdir, (long)"d/y", 0755, 0, 0, 0, 0);
	sc(SYS_symlink, (long)"a", (long)"l", 0, 0, 0, 0);
	sc(SYS_symlink, (long)"loop", (long)"loop", 0, 0, 0, 0);
	sc(SYS_symlink, (long)"d", (long)"lnk", 0, 0, 0, 0);
	sc(SYS_mknod, (long)"p", S_IFIFO | 0644, 0, 0, 0, 0);
	sc(SYS_pipe2, (long)p, 0, 0, 0, 0, 0);
	long fd[NFD] = {
	    p[0],
	    p[1],
	    sc(SYS_open, (long)".", O_RDONLY | O_DIRECTORY, 0, 0, 0, 0),
	    sc(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0, 0, 0, 0),
	    sc(SYS_memfd_create, (long)"fz", 0, 0, 0, 0, 0),
	    sc(SYS_open, (long)"a", O_RDWR | O_CREAT, 0644, 0, 0, 0),
	    sc(SYS_open, (long)"/dev/null", O_RDWR, 0, 0, 0, 0),
	    sc(SYS_open, (long)"/dev/zero", O_RDWR, 0, 0, 0, 0),
	    sc(SYS_dup, p[1], 0, 0, 0, 0, 0),
	    sc(SYS_open, (long)"/proc/meminfo", O_RDONLY, 0, 0, 0, 0),
	    sc(SYS_open, (long)"b", O_WRONLY | O_CREAT | O_APPEND, 0600, 0, 0, 0),
	    sc(SYS_open, (long)"/dev/urandom", O_RDONLY | O_NONBLOCK, 0, 0, 0, 0),
	    sc(SYS_open, (long)"/proc", O_RDONLY | O_DIRECTORY, 0, 0, 0, 0),
	    sc(SYS_open, (long)"/tmp", O_PATH, 0, 0, 0, 0),
	    200, /* never opened */
	    -1,
	};
	sc(SYS_write, fd[5], (long)"0123456789", 10, 0, 0, 0);
	sc(SYS_ftruncate, fd[4], 3 * PAGE, 0, 0, 0, 0);
	for (int i = 0; i < NFD; i++)
		f->fds[i] = (int)fd[i];
	f->maps[0] =
	    (uint64_t)sc(SYS_mmap, 0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd[4], 0);
	f->maps[1] = (uint64_t)sc(SYS_mmap, 0, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd[5], 0);
	f->maps[2] = (uint64_t)sc(SYS_mmap, 0, 8 * PAGE, PROT_READ | PROT_WRITE,
	                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 3; i++)
		if (f->maps[i] >= NONCAN)
			f->maps[i] = 0;
}
