/* The path of an open file, for /proc/self/maps and /proc/self/fd: tmpfs's regular files do not
 * know their directory, so the tree is searched, as rarely as /proc is read. */
#include "fs/vfs.h"
#include "lib/printf.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include <errno.h>
#include <string.h>

/* The directory under dir (depth-first) holding a name for ip, or NULL; depth bounds the search
 * so that no tree can exhaust the kernel stack. */
static struct inode *dir_holding(struct inode *dir, const struct inode *ip, int depth)
{
	for (const struct dirent *d = dir->entries; d; d = d->next)
		if (d->inode == ip)
			return dir;
	if (depth == 0)
		return NULL;
	for (const struct dirent *d = dir->entries; d; d = d->next) {
		struct inode *found;

		if (S_ISDIR(d->inode->mode) && (found = dir_holding(d->inode, ip, depth - 1)))
			return found;
	}
	return NULL;
}

/* The name of ip in directory dir (which holds one). */
static const struct dirent *entry_for(const struct inode *dir, const struct inode *ip)
{
	const struct dirent *d = dir->entries;

	while (d->inode != ip)
		d = d->next;
	return d;
}

/* The path of name (namelen bytes) in directory dir into buf (size bytes); false when it does
 * not fit. */
static bool path_in(struct inode *dir, const char *name, size_t namelen, char *buf, size_t size)
{
	long n = path_of(dir, buf, size);

	if (n <= 0 || (size_t)n + namelen + 1 > size)
		return false;
	if (n > 2) /* not the root: a '/' between the directory and the name */
		buf[n - 1] = '/', n++;
	memcpy(buf + n - 1, name, namelen);
	buf[n - 1 + namelen] = '\0';
	return true;
}

bool inode_path_name(struct inode *ip, char *buf, size_t size)
{
	if (S_ISDIR(ip->mode))
		return path_of(ip, buf, size) > 0;

	struct inode *dir = ip->nlink ? dir_holding(vfs_root, ip, 64) : NULL;

	if (!dir && S_ISCHR(ip->mode) && ip->rdev == MKDEV(5, 1))
		snprintf(buf, size, "/dev/console"); /* fd 0, 1 and 2: the host's ends */
	else if (!dir && ip->target && (ip->mode & S_IFMT) == S_IFIFO)
		snprintf(buf, size, "%s", ip->target); /* a pipe's "pipe:[INO]" */
	else if (!dir && ip->target)
		snprintf(buf, size, "%s (deleted)", ip->target); /* a memfd's label */
	else if (!dir) /* an unlinked file whose old name was not kept: a gap */
		snprintf(buf, size, "/ (deleted)");
	if (!dir)
		return true;

	const struct dirent *d = entry_for(dir, ip);

	return path_in(dir, d->name, d->namelen, buf, size);
}

bool file_path_name(const struct file *f, char *buf, size_t size)
{
	return inode_path_name(f->inode, buf, size);
}

void file_dev_ino(const struct file *f, uint32_t *dev, uint64_t *ino)
{
	*dev = f->inode->dev;
	*ino = f->inode->ino;
}

int inode_set_label(struct inode *ip, const char *label)
{
	size_t len = strlen(label);

	if (len >= PAGE_SIZE)
		return -ENAMETOOLONG;
	ip->target_pa = frame_alloc(FRAME_KERNEL);
	if (!ip->target_pa)
		return -ENOMEM;
	ip->target = phys_to_virt(ip->target_pa);
	memcpy(ip->target, label, len + 1);
	return 0;
}

void inode_keep_name(struct inode *ip, struct inode *dir, const char *name, size_t namelen)
{
	static char path[PATH_MAX];

	if (ip->target || !path_in(dir, name, namelen, path, sizeof(path)))
		return;            /* a label already, or no room: /proc says "/ (deleted)" */
	inode_set_label(ip, path); /* out of memory: the same fallback */
}
