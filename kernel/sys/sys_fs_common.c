/* The helpers of the file system calls: user paths copied in a page at a time, *at calls'
 * starting directories, and fds to open files. */
#include "mm/as.h"
#include "mm/layout.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

int user_path(struct proc *p, vaddr_t addr, char *buf, bool empty_ok)
{
	size_t done = 0;
	while (done < PATH_MAX) {
		vaddr_t at = addr + done;
		size_t len = PAGE_SIZE - (at & PAGE_MASK);
		if (len > PATH_MAX - done)
			len = PATH_MAX - done;
		if (at >= USER_END || as_copyin(p->as, buf + done, at, len))
			return -EFAULT;
		size_t n = strnlen(buf + done, len);
		if (n < len)
			return done + n == 0 && !empty_ok ? -ENOENT : 0;
		done += len;
	}
	return -ENAMETOOLONG;
}

struct file *proc_file_any(struct proc *p, int fd)
{
	return fd_get(p->fds, fd);
}

struct file *proc_file(struct proc *p, int fd)
{
	struct file *f = fd_get(p->fds, fd);
	return f && !(f->flags & O_PATH) ? f : NULL;
}

int at_start(struct proc *p, int dirfd, const char *path, struct inode **dir)
{
	if (path[0] == '/') {
		*dir = vfs_root;
	} else if (dirfd == AT_FDCWD) {
		*dir = p->cwd;
	} else {
		struct file *f = proc_file_any(p, dirfd);
		if (!f)
			return -EBADF;
		if (path[0] && !S_ISDIR(f->inode->mode))
			return -ENOTDIR;
		*dir = f->inode;
	}
	inode_get(*dir);
	return 0;
}

int at_lookup(struct proc *p, int dirfd, vaddr_t upath, unsigned flags, bool empty_ok,
              struct inode **out)
{
	char path[PATH_MAX];
	struct inode *dir;
	int err = user_path(p, upath, path, empty_ok);
	if (!err)
		err = at_start(p, dirfd, path, &dir);
	if (err)
		return err;
	if (!path[0]) {
		*out = dir; /* AT_EMPTY_PATH: the fd's own inode */
		return 0;
	}
	err = path_lookup(dir, path, flags, out);
	inode_put(dir);
	return err;
}

bool file_readable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

bool file_writable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}
