/* execve and execveat: the program file found and checked, "#!" lines followed to their
 * interpreter, and argv and envp copied from user memory into the kernel window, with Linux's
 * errors in Linux's order (the file's, then EFAULT and E2BIG, then ENOEXEC). */
#include "arch/x86_64/platform.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "proc/execve.h"
#include "proc/rlimit.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

#define MAX_ARG_STRLEN      (32 * PAGE_SIZE) /* one string, its NUL included */
#define MAX_DEPTH           5                /* "#!" interpreters in a chain (Linux's) */
#define LINE_MAX_           256              /* bytes of a "#!" line Linux reads */
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000

/* The kernel window as one growing buffer: exec does not sleep, so one is enough. */
static paddr_t frames[WINDOW_PAGES];
static size_t mapped, used;

/* Room for n more bytes at the end of the buffer: its kernel address, or NULL (-E2BIG). */
static char *reserve(size_t n)
{
	if (n > WINDOW_PAGES * PAGE_SIZE - used)
		return NULL;
	while (mapped * PAGE_SIZE < used + n) {
		if (!(frames[mapped] = frame_alloc(FRAME_KERNEL)))
			return NULL;
		arch_window_map(mapped, frames[mapped]);
		mapped++;
	}
	char *at = (char *)WINDOW_AREA + used;
	used += n;
	return at;
}

/* Empty the buffer and give its frames back. */
static void release(void)
{
	arch_window_unmap(mapped);
	for (size_t i = 0; i < mapped; i++)
		frame_free(frames[i]);
	mapped = used = 0;
}

/* A copy of the kernel string s in the buffer, or NULL. */
static const char *keep(const char *s, size_t n)
{
	char *at = reserve(n + 1);
	if (at) {
		memcpy(at, s, n);
		at[n] = '\0';
	}
	return at;
}

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

/* Copy the user string at u into the buffer: 0 and *out, -EFAULT, or -E2BIG (longer than
 * MAX_ARG_STRLEN, or past the room left in *room, which it uses up). */
static int copy_string(struct proc *p, vaddr_t u, const char **out, size_t *room)
{
	char *start = (char *)WINDOW_AREA + used;
	for (size_t n = 0;; n++) {
		char *c = reserve(1);
		if (!c || n >= MAX_ARG_STRLEN || n >= *room)
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
	const char **argv = (const char **)reserve((argc + 2) * sizeof(char *));
	const char **envp = (const char **)reserve((envc + 1) * sizeof(char *));
	a->filename = keep(filename, strlen(filename));
	if (!argv || !envp || !a->filename || strlen(filename) + 1 > room)
		return -E2BIG;
	room -= strlen(filename) + 1; /* Linux copies the file name first */
	argv[argc] = argv[argc + 1] = envp[envc] = NULL;
	err = copy_strings(p, uenvp, envc, envp, &room);
	if (!err)
		err = copy_strings(p, uargv, argc, argv, &room);
	if (!err && !argc)
		argv[argc++] = keep("", 0);
	*a = (struct exec_args){(int)argc, (int)envc, argv, envp, a->filename};
	return err;
}

/* The interpreter and its optional argument of a "#!" line (in the buffer), or -ENOEXEC. */
static int parse_shebang(const uint8_t *head, size_t size, const char **interp, const char **arg)
{
	size_t n = size < LINE_MAX_ ? size : LINE_MAX_, i = 2, end;
	const char *s = (const char *)head;
	for (end = 2; end < n && s[end] != '\n'; end++)
		;
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t name = i;
	while (i < end && s[i] != ' ' && s[i] != '\t' && s[i])
		i++;
	if (i == name || (i == n && end == n))
		return -ENOEXEC; /* no interpreter, or its name runs past the line Linux reads */
	*interp = keep(s + name, i - name);
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t arg_end = end;
	while (arg_end > i && (s[arg_end - 1] == ' ' || s[arg_end - 1] == '\t' || !s[arg_end - 1]))
		arg_end--;
	*arg = arg_end > i ? keep(s + i, arg_end - i) : NULL;
	return *interp ? 0 : -E2BIG;
}

/* argv with its first entry replaced by interp, arg (when there is one) and file. */
static int prepend(struct exec_args *a, const char *interp, const char *arg, const char *file)
{
	int extra = arg ? 3 : 2, argc = a->argc - 1 + extra;
	const char **v = (const char **)reserve((argc + 1) * sizeof(char *));
	const char *f = keep(file, strlen(file));
	if (!v || !f)
		return -E2BIG;
	v[0] = interp;
	if (arg)
		v[1] = arg;
	v[extra - 1] = f;
	memcpy(v + extra, a->argv + 1, a->argc * sizeof(char *)); /* argv[1..] and the NULL */
	a->argv = v;
	a->argc = argc;
	return 0;
}

/* A program file: a regular file with an execute bit (root needs one), else -EACCES. */
static int executable(const struct inode *ip)
{
	return S_ISREG(ip->mode) && (ip->mode & 0111) ? 0 : -EACCES;
}

/* Follow "#!" lines from *ip (which the chain's files replace, references moved) to an ELF
 * program, rewriting argv as Linux's load_script() does. */
static int follow_scripts(struct proc *p, struct inode **ip, const char *path, struct exec_args *a)
{
	for (int depth = 0;; depth++) {
		const uint8_t *head = exec_head(*ip);
		if (!head || head[0] != '#' || head[1] != '!')
			return 0;
		if (depth == MAX_DEPTH)
			return -ELOOP;
		const char *interp, *arg;
		int err = parse_shebang(head, (*ip)->size, &interp, &arg);
		if (!err)
			err = prepend(a, interp, arg, path);
		struct inode *next;
		if (!err)
			err = path_lookup(interp[0] == '/' ? vfs_root : p->cwd, interp,
			                  LOOKUP_FOLLOW, &next);
		if (!err && (err = executable(next)))
			inode_put(next);
		if (err)
			return err;
		inode_put(*ip);
		*ip = next;
		path = interp;
	}
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
		err = executable(ip);
	if (!err)
		err = copy_args(p, uargv, uenvp, path, &a);
	if (!err)
		err = follow_scripts(p, &ip, path, &a);
	if (!err)
		err = proc_exec(p, ip, &a);
	if (ip)
		inode_put(ip);
	release();
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
