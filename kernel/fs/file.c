/* Open file descriptions: open(2)'s walk and checks, the file's operations by inode kind, its
 * references, lseek's common rules, and the copies between a file and user or kernel memory. */
#include "fs/lock.h"
#include "fs/pipe.h"
#include "fs/vfs.h"
#include "mm/as.h"
#include "mm/slab.h"
#include <errno.h>
#include <string.h>

static struct slab_cache file_cache;
static struct file *all_files;
static size_t nfiles;

size_t files_open(void)
{
	return nfiles;
}

size_t file_slab_pages(void)
{
	return file_cache.pages;
}

/* Bytes of a copy at b + at that stay within one user page. */
static size_t page_part(struct iobuf b, size_t at, size_t n)
{
	size_t room = PAGE_SIZE - ((b.addr + at) & PAGE_MASK);
	return room < n ? room : n;
}

size_t iobuf_out(struct iobuf b, size_t at, const void *src, size_t n)
{
	if (!b.as) {
		memcpy((char *)b.addr + at, src, n);
		return n;
	}
	size_t done = 0;
	while (done < n) {
		size_t len = page_part(b, at + done, n - done);
		if (as_copyout(b.as, b.addr + at + done, (const char *)src + done, len))
			break;
		done += len;
	}
	return done;
}

size_t iobuf_in(struct iobuf b, size_t at, void *dst, size_t n)
{
	if (!b.as) {
		memcpy(dst, (const char *)b.addr + at, n);
		return n;
	}
	size_t done = 0;
	while (done < n) {
		size_t len = page_part(b, at + done, n - done);
		if (as_copyin(b.as, (char *)dst + done, b.addr + at + done, len))
			break;
		done += len;
	}
	return done;
}

/* The operations files of ip get, or NULL when SOS has none for its kind. */
static const struct file_ops *ops_for(const struct inode *ip)
{
	if (ip->fops)
		return ip->fops;
	switch (ip->mode & S_IFMT) {
	case S_IFREG:
		return &tmpfs_file_ops;
	case S_IFDIR:
		return &tmpfs_dir_ops;
	case S_IFCHR:
		return chrdev_ops(ip->rdev);
	default:
		return NULL;
	}
}

int file_open(struct inode *ip, uint32_t flags, struct file **out)
{
	static const struct file_ops path_ops = {0};
	const struct file_ops *ops = (flags & O_PATH) ? &path_ops : ops_for(ip);
	if (!ops)
		return -ENXIO;
	if (!file_cache.objsize)
		slab_init(&file_cache, sizeof(struct file));
	struct file *f = slab_alloc(&file_cache);
	if (!f)
		return -ENOMEM;
	inode_get(ip);
	f->inode = ip;
	f->ops = ops;
	f->refs = 1;
	f->flags = flags & ~(uint32_t)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->all_next = all_files;
	if (all_files)
		all_files->all_prev = f;
	all_files = f;
	nfiles++;
	*out = f;
	return 0;
}

void file_get(struct file *f)
{
	f->refs++;
}

void file_put(struct file *f)
{
	if (--f->refs)
		return;
	lock_release(f);
	if (f->ops->release)
		f->ops->release(f);
	if (f->all_prev)
		f->all_prev->all_next = f->all_next;
	else
		all_files = f->all_next;
	if (f->all_next)
		f->all_next->all_prev = f->all_prev;
	nfiles--;
	struct inode *ip = f->inode;
	if (f->writer)
		inode_put_write(ip);
	slab_free(&file_cache, f);
	inode_put(ip);
}

long file_lseek_default(struct file *f, int64_t off, int whence, uint64_t size)
{
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		if (off == 0)
			return (long)f->off;
		off += (int64_t)f->off;
		break;
	case SEEK_END:
		off += (int64_t)size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || (uint64_t)off >= size)
			return -ENXIO;
		if (whence == SEEK_HOLE)
			off = (int64_t)size;
		break;
	default:
		return -EINVAL;
	}
	if (off < 0)
		return -EINVAL;
	f->off = (uint64_t)off;
	return off;
}

/* open(2)'s checks on an inode it found or made (may_open, do_open). */
static int open_checks(struct inode *ip, uint32_t flags)
{
	uint32_t acc = flags & O_ACCMODE;
	bool wants_write = acc == O_WRONLY || acc == O_RDWR || acc == 3 || (flags & O_TRUNC);
	if (flags & O_PATH)
		return (flags & O_DIRECTORY) && !S_ISDIR(ip->mode) ? -ENOTDIR : 0;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ip->mode))
		return -ENOTDIR;
	if (S_ISLNK(ip->mode))
		return -ELOOP;
	if (S_ISDIR(ip->mode) && wants_write)
		return -EISDIR;
	return 0;
}

/* file_open() for an open by path (Linux's do_dentry_open()): a regular file opened for writing
 * holds write access, -ETXTBSY while a program runs from it. Files made otherwise (memfds, pipes)
 * take none, as Linux's alloc_file_pseudo() takes none. A FIFO opens as pipe_open() says. */
static int open_path_file(struct inode *ip, uint32_t flags, struct file **out)
{
	if ((ip->mode & S_IFMT) == S_IFIFO && !(flags & O_PATH))
		return pipe_open(ip, flags, out);
	uint32_t acc = flags & O_ACCMODE;
	bool writes = S_ISREG(ip->mode) && !(flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
	int err = writes ? inode_get_write(ip) : 0;
	if (!err && (err = file_open(ip, flags, out)) && writes)
		inode_put_write(ip);
	if (!err)
		(*out)->writer = writes;
	return err;
}

/* O_TRUNC's truncation (Linux's handle_truncate()), with write access of its own: O_RDONLY |
 * O_TRUNC truncates too. */
static int truncate_at_open(struct inode *ip)
{
	int err = inode_get_write(ip);
	if (!err) {
		err = tmpfs_resize(ip, 0); /* the times move even for an empty file */
		inode_put_write(ip);
	}
	return err;
}

/* Open ip (found or made by open) and truncate it when asked. */
static int open_inode(struct inode *ip, uint32_t flags, bool created, struct file **out)
{
	int err = open_checks(ip, flags);
	if (!err)
		err = open_path_file(ip, flags, out);
	if (!err && (flags & O_TRUNC) && !created && S_ISREG(ip->mode) && !(flags & O_PATH) &&
	    (err = truncate_at_open(ip)))
		file_put(*out);
	return err;
}

/* O_TMPFILE: an unnamed regular file in directory dir. */
static int open_tmpfile(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
                        struct file **out)
{
	struct inode *dir, *ip;
	int err = path_lookup(start, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (err)
		return err;
	if (dir->dev == FS_DEV_PROC) {
		inode_put(dir);
		return -EOPNOTSUPP; /* /proc has no tmpfile */
	}
	ip = dir->nlink ? inode_alloc(S_IFREG | (mode & 07777)) : NULL;
	if (ip) {
		ip->dev = dir->dev;
		ip->linkable = !(flags & O_EXCL);
	}
	err = dir->nlink ? (ip ? 0 : -ENOMEM) : -ENOENT;
	inode_put(dir);
	if (err)
		return err;
	err = open_path_file(ip, flags, out); /* F_GETFL shows O_TMPFILE, as on Linux */
	inode_put(ip);
	return err;
}

/* The last component of an O_CREAT open: name in dir, made when absent. A symlink there is
 * followed (*next gets its target, or a magic link's file is opened) unless O_EXCL or O_NOFOLLOW
 * say otherwise. */
static int open_create(struct inode *dir, const char *name, uint32_t flags, uint32_t mode,
                       struct file **out, const char **next)
{
	struct inode *ip = dir_lookup(dir, name, strlen(name));
	*next = NULL;
	if (ip && (flags & O_EXCL))
		return -EEXIST;
	if (ip && S_ISLNK(ip->mode) && !(flags & O_NOFOLLOW)) {
		struct inode *to = magic_link_inode(ip);
		if (!to) {
			*next = ip->target;
			return 0;
		}
		ip = to;
	}
	if (ip && S_ISDIR(ip->mode))
		return -EISDIR;
	if (ip)
		return open_inode(ip, flags, false, out);
	if (dir->dev == FS_DEV_PROC)
		return -ENOENT; /* Linux: /proc's lookup finds no such name, so none is made */
	int err = dir_create(dir, name, strlen(name), S_IFREG | (mode & 07777), NULL, 0, &ip);
	if (err)
		return err;
	err = open_inode(ip, flags, true, out);
	inode_put(ip);
	return err;
}

/* open with O_CREAT: walk to the parent, then make or open the last name; a symlink in that
 * place is followed by walking its target from the same directory (at most SYMLOOP_MAX). */
static int vfs_open_creat(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
                          struct file **out)
{
	char name[NAME_MAX + 1];
	char buf[PATH_MAX];
	struct inode *cur = start, *dir;
	inode_get(cur);
	for (int links = 0;; links++) {
		bool slash;
		int err = path_parent(cur, path, &dir, name, &slash);
		inode_put(cur);
		if (err)
			return err;
		if (slash || !name[0] || !strcmp(name, ".") || !strcmp(name, ".."))
			err = -EISDIR; /* a name ending in a slash, or an existing directory */
		else if (links > SYMLOOP_MAX)
			err = -ELOOP;
		const char *next = NULL;
		if (!err)
			err = open_create(dir, name, flags, mode, out, &next);
		if (err || !next) {
			inode_put(dir);
			return err;
		}
		memcpy(buf, next, strlen(next) + 1); /* the walk copies path before it starts */
		path = buf;
		cur = dir;
	}
}

int vfs_open(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
             struct file **out)
{
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return open_tmpfile(start, path, flags, mode, out);
	if ((flags & O_CREAT) && !(flags & O_PATH))
		return vfs_open_creat(start, path, flags, mode, out);
	struct inode *ip;
	unsigned lf = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err = path_lookup(start, path, lf, &ip);
	if (err)
		return err;
	err = open_inode(ip, flags, false, out);
	inode_put(ip);
	return err;
}

int file_poll(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : DEFAULT_POLLMASK;
}
