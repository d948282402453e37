/* What the file system calls share: user paths into kernel buffers, the directory a *at call
 * starts from, and the open file an fd names. */
#pragma once
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "sys/sys.h"

/* Copy the user string at addr into buf (PATH_MAX bytes). 0, -EFAULT, -ENAMETOOLONG (no NUL in
 * PATH_MAX bytes), -ENOENT (empty, unless empty_ok). */
int user_path(struct proc *p, vaddr_t addr, char *buf, bool empty_ok);

/* Where a *at call's path starts: for an absolute path nothing (*dir = the root), for a
 * relative one the cwd (AT_FDCWD) or dirfd's directory. *dir with a reference. 0, -EBADF,
 * -ENOTDIR. An empty path (AT_EMPTY_PATH) gives dirfd's own inode, whatever its kind. */
int at_start(struct proc *p, int dirfd, const char *path, struct inode **dir);

/* The open file at fd, or NULL (-EBADF): proc_file refuses O_PATH files as Linux's fdget()
 * does, proc_file_any takes them (fstat, fchdir, dup, fcntl, close, *at directories). */
struct file *proc_file(struct proc *p, int fd);
struct file *proc_file_any(struct proc *p, int fd);

/* A path lookup of a *at call: the user path, then at_start, then path_lookup with flags.
 * empty_ok: AT_EMPTY_PATH was given. *out with a reference. */
int at_lookup(struct proc *p, int dirfd, vaddr_t upath, unsigned flags, bool empty_ok,
              struct inode **out);

/* True when f was opened for reading / for writing (and not O_PATH). */
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/* fcntl's lock commands (F_GETLK, F_SETLK, F_SETLKW, F_OFD_*) on f with the struct flock at
 * arg (sys_fs_lock.c). */
long fcntl_lock(struct proc *p, struct file *f, int cmd, vaddr_t arg);

/* What a pipe's answer r means above the file system: -EPIPE raises SIGPIPE (its default action
 * kills). r. */
long pipe_outcome(struct proc *p, long r);
