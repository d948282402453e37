/* execve and execveat: the program file found and checked, argv and envp copied from user memory
 * into exec's buffer, "#!" lines followed, with Linux's errors in Linux's order (the file's,
 * then EFAULT and E2BIG, then ENOEXEC). */
#include "mm/layout.h"
#include "proc/execve.h"
#include "proc/rlimit.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

#define MAX_ARG_STRLEN      (32 * PAGE_SIZE) /* one string, its NUL included */
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000

/* Count the pointers of the user array at uv up to its NULL (0 pointer: none). -EFAULT. */
static long count(struct proc *p, vaddr_t uv)
{
	long n = 0;
	for (uint64_t ptr = 1; uv; n++) {
		if (as_copyin(p->as, &ptr, uv + n * sizeof(ptr), sizeof(ptr)))
			return -EFAULT;
		if (!ptr)
			return n;
		if (n > (long)(WINDOW_PAGES * PAGE_SIZE / sizeof(ptr)))
			return -E2BIG;
	}
	return 0;
}

/* Copy the user string at u into the buffer: 0 and *out, -EFAULT, -E2BIG (longer than
 * MAX_ARG_STRLEN, or past the room left in *room, which it uses up) or -ENOMEM (no frame). */
static int copy_string(struct proc *p, vaddr_t u, const char **out, size_t *room)
{
	char *start = NULL;
	for (size_t n = 0;; n++) {
		char *c = exec_buf_reserve(1); /* the buffer's bytes follow each other */
		start = start ? start : c;
		if (!c)
			return exec_buf_error();
		if (n >= MAX_ARG_STRLEN || n >= *room)
			return -E2BIG;
		if (u + n >= USER_END || as_copyin(p->as, c, u + n, 1))
			return -EFAULT;
		if (!*c) {
			*room -= n + 1;
			*out = start;
			return 0;
		}
	}
}

/* Copy n strings of the user array uv into the buffer, their pointers into v. */
static int copy_strings(struct proc *p, vaddr_t uv, long n, const char **v, size_t *room)
{
	for (long i = 0; i < n; i++) {
		uint64_t ptr;
		if (as_copyin(p->as, &ptr, uv + i * sizeof(ptr), sizeof(ptr)))
			return -EFAULT;
		int err = copy_string(p, ptr, &v[i], room);
		if (err)
			return err;
	}
	return 0;
}

/* Linux's bprm_stack_limits(): the bytes the strings may take, a quarter of the stack limit
 * (at least 128 KiB, at most 6 MiB) less the pointers. 0, or -E2BIG. */
static int strings_room(const struct proc *p, long argc, long envc, size_t *room)
{
	uint64_t limit = p->rlim[RLIMIT_STACK].cur / 4;
	if (limit > 6 * 1024 * 1024)
		limit = 6 * 1024 * 1024;
	if (limit < 128 * 1024)
		limit = 128 * 1024;
	uint64_t ptrs = (uint64_t)((argc ? argc : 1) + envc) * sizeof(void *);
	if (limit <= ptrs)
		return -E2BIG;
	*room = limit - ptrs;
	return 0;
}

/* argv and envp from user memory into a: the strings, then the pointer arrays, in the buffer;
 * an empty argv becomes {""} as on Linux. */
static int copy_args(struct proc *p, vaddr_t uargv, vaddr_t uenvp, const char *filename,
                     struct exec_args *a)
{
	long argc = count(p, uargv), envc = argc < 0 ? 0 : count(p, uenvp);
	size_t room;
	if (argc < 0 || envc < 0)
		return argc < 0 ? (int)argc : (int)envc;
	int err = strings_room(p, argc, envc, &room);
	if (err)
		return err;
	const char **argv = (const char **)exec_buf_reserve((argc + 2) * sizeof(char *));
	const char **envp = (const char **)exec_buf_reserve((envc + 1) * sizeof(char *));
	a->filename = exec_buf_keep(filename, strlen(filename));
	if (!argv || !envp || !a->filename)
		return exec_buf_error();
	if (strlen(filename) + 1 > room)
		return -E2BIG;
	room -= strlen(filename) + 1; /* Linux copies the file name first */
	argv[argc] = argv[argc + 1] = envp[envc] = NULL;
	err = copy_strings(p, uenvp, envc, envp, &room);
	if (!err)
		err = copy_strings(p, uargv, argc, argv, &room);
	if (!err && !argc && !(argv[argc++] = exec_buf_keep("", 0)))
		err = exec_buf_error();
	*a = (struct exec_args){(int)argc, (int)envc, argv, envp, a->filename};
	return err;
}

/* execveat(dirfd, upath, argv, envp, flags); execve is dirfd AT_FDCWD, flags 0. */
static long do_exec(struct proc *p, int dirfd, vaddr_t upath, vaddr_t uargv, vaddr_t uenvp,
                    int flags)
{
	char path[PATH_MAX];
	struct exec_args a;
	struct inode *ip = NULL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	int err = user_path(p, upath, path, flags & AT_EMPTY_PATH);
	if (!err)
		err = at_lookup(p, dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
		                flags & AT_EMPTY_PATH, &ip);
	if (!err && S_ISLNK(ip->mode))
		err = -ELOOP;
	if (!err)
		err = exec_permitted(ip);
	if (!err)
		err = copy_args(p, uargv, uenvp, path, &a);
	if (!err)
		err = exec_follow_scripts(p->cwd, &ip, path, &a);
	if (!err)
		err = proc_exec(p, ip, &a);
	if (ip)
		inode_put(ip);
	exec_buf_release();
	return err;
}

long sys_execve(struct proc *p, const uint64_t a[6])
{
	return do_exec(p, AT_FDCWD, a[0], a[1], a[2], 0);
}

long sys_execveat(struct proc *p, const uint64_t a[6])
{
	return do_exec(p, (int)a[0], a[1], a[2], a[3], (int)a[4]);
}
