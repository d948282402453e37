/* "#!" scripts as Linux's binfmt_script runs them: the interpreter named on the first line, with
 * its one optional argument, runs the script's path; chains of them up to a depth. */
#include "fs/vfs.h"
#include "proc/execve.h"
#include <errno.h>
#include <string.h>

#define MAX_DEPTH 5   /* "#!" interpreters in a chain (Linux's) */
#define LINE_MAX_ 256 /* bytes of a "#!" line Linux reads */

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
	*interp = exec_buf_keep(s + name, i - name);
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t arg_end = end;
	while (arg_end > i && (s[arg_end - 1] == ' ' || s[arg_end - 1] == '\t' || !s[arg_end - 1]))
		arg_end--;
	*arg = arg_end > i ? exec_buf_keep(s + i, arg_end - i) : NULL;
	return *interp && (*arg || arg_end <= i) ? 0 : exec_buf_error();
}

/* argv with its first entry replaced by interp, arg (when there is one) and file. */
static int prepend(struct exec_args *a, const char *interp, const char *arg, const char *file)
{
	int extra = arg ? 3 : 2, argc = a->argc - 1 + extra;
	const char **v = (const char **)exec_buf_reserve((argc + 1) * sizeof(char *));
	const char *f = exec_buf_keep(file, strlen(file));
	if (!v || !f)
		return exec_buf_error();
	v[0] = interp;
	if (arg)
		v[1] = arg;
	v[extra - 1] = f;
	memcpy(v + extra, a->argv + 1, a->argc * sizeof(char *)); /* argv[1..] and the NULL */
	a->argv = v;
	a->argc = argc;
	return 0;
}

/* A program file: a regular file with an execute bit (root needs one), else -EACCES, and not
 * open for writing, else -ETXTBSY (Linux's do_open_execat(), for scripts and interpreters too). */
int exec_permitted(const struct inode *ip)
{
	if (!S_ISREG(ip->mode) || !(ip->mode & 0111))
		return -EACCES;
	return ip->writecount > 0 ? -ETXTBSY : 0;
}

/* Follow "#!" lines from *ip (which the chain's files replace, references moved) to an ELF
 * program, rewriting argv as Linux's load_script() does. */
int exec_follow_scripts(struct inode *cwd, struct inode **ip, const char *path, struct exec_args *a)
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
			err = path_lookup(interp[0] == '/' ? vfs_root : cwd, interp, LOOKUP_FOLLOW,
			                  &next);
		if (!err && (err = exec_permitted(next)))
			inode_put(next);
		if (err)
			return err;
		inode_put(*ip);
		*ip = next;
		path = interp;
	}
}
