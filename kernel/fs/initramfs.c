/* The root archive unpacked into tmpfs at boot, as Linux unpacks an initramfs: directories,
 * regular files with their bytes, symlinks, device nodes, hard links (same ino, nlink > 1),
 * modes, owners and mtimes (directories' last, after their entries stop changing them). */
#include "fs/cpio.h"
#include "fs/initramfs.h"
#include "fs/vfs.h"
#include "lib/panic.h"
#include <errno.h>
#include <string.h>

#define MAX_LINKED 1024 /* hard-linked files an archive may have */

/* Files with nlink > 1 seen so far, by the archive's inode number. */
static struct {
	uint32_t ino;
	struct inode *ip;
} linked[MAX_LINKED];
static int nlinked;

/* The inode an earlier entry with the same ino made, or NULL. */
static struct inode *linked_find(uint32_t ino)
{
	for (int i = 0; i < nlinked; i++)
		if (linked[i].ino == ino)
			return linked[i].ip;
	return NULL;
}

/* Split path at its last '/': the parent directory (made with its own parents when missing,
 * 0755) and the last name. */
static struct inode *parent_of(const char *path, size_t len, const char **name)
{
	struct inode *dir = vfs_root;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (path[i] != '/')
			continue;
		struct inode *next = dir_lookup(dir, path + start, i - start);
		if (!next) {
			if (dir_create(dir, path + start, i - start, S_IFDIR | 0755, NULL, 0,
			               &next))
				panic("initramfs: cannot make the directories of %s", path);
			inode_put(next);
		}
		if (!S_ISDIR(next->mode))
			panic("initramfs: %s: a parent is not a directory", path);
		dir = next;
		start = i + 1;
	}
	*name = path + start;
	return dir;
}

/* Set what the archive says of ip: mode bits, owner, times at mtime. */
static void set_attrs(struct inode *ip, const struct cpio_entry *e)
{
	ip->mode = (ip->mode & S_IFMT) | (e->mode & 07777);
	ip->uid = e->uid;
	ip->gid = e->gid;
	ip->mtime = ip->atime = (struct fs_time){e->mtime, 0};
}

/* A regular file: a new inode, or a new name for an earlier entry's (hard link); the entry
 * holding the bytes fills it. */
static struct inode *make_file(struct inode *dir, const char *name, const struct cpio_entry *e)
{
	size_t len = strlen(name);
	struct inode *ip = e->nlink > 1 ? linked_find(e->ino) : NULL;
	if (ip) {
		if (dir_link(dir, name, len, ip))
			panic("initramfs: cannot link %s", e->name);
		inode_get(ip);
	} else if (dir_create(dir, name, len, S_IFREG | (e->mode & 07777), NULL, 0, &ip)) {
		panic("initramfs: cannot make %s", e->name);
	} else if (e->nlink > 1 && nlinked < MAX_LINKED) {
		linked[nlinked].ino = e->ino;
		linked[nlinked++].ip = ip;
	}
	if (e->size && tmpfs_write_kernel(ip, e->data, e->size, 0) != (long)e->size)
		panic("initramfs: no room for %s (%zu bytes)", e->name, e->size);
	return ip;
}

/* A symlink to the entry's data. */
static struct inode *make_symlink(struct inode *dir, const char *name, const struct cpio_entry *e)
{
	static char target[PATH_MAX];
	struct inode *ip;
	if (e->size >= PATH_MAX)
		panic("initramfs: %s: symlink target too long", e->name);
	memcpy(target, e->data, e->size);
	target[e->size] = '\0';
	if (dir_create(dir, name, strlen(name), S_IFLNK | 0777, target, 0, &ip))
		panic("initramfs: cannot make %s", e->name);
	return ip;
}

/* An entry of any other kind, under dir as name; an existing directory is kept (as Linux keeps
 * it), and SOS's own /dev, /tmp and /proc keep their modes. */
static void unpack_entry(const struct cpio_entry *e)
{
	const char *name;
	struct inode *dir = parent_of(e->name, e->namelen, &name), *ip;
	size_t len = strlen(name);
	uint32_t type = e->mode & S_IFMT;
	struct inode *old = len ? dir_lookup(dir, name, len) : vfs_root;
	if (old && S_ISDIR(old->mode) && type == S_IFDIR) {
		if (dir != vfs_root ||
		    (strcmp(name, "dev") && strcmp(name, "tmp") && strcmp(name, "proc")))
			set_attrs(old, e);
		return;
	}
	if (old && dir_unlink(dir, name, len))
		panic("initramfs: cannot replace %s", e->name);
	if (type == S_IFREG)
		ip = make_file(dir, name, e);
	else if (type == S_IFLNK)
		ip = make_symlink(dir, name, e);
	else if (dir_create(dir, name, len, type | (e->mode & 07777), NULL,
	                    MKDEV(e->rdevmajor, e->rdevminor), &ip))
		panic("initramfs: cannot make %s", e->name);
	set_attrs(ip, e);
	inode_put(ip);
}

/* Directory times last: adding their entries moved them. */
static void set_dir_times(const void *archive, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e;
	struct inode *ip;
	cpio_begin(&it, archive, size);
	while (cpio_next(&it, &e) == 1) {
		if ((e.mode & S_IFMT) != S_IFDIR)
			continue;
		const char *path = e.namelen ? e.name : "/";
		if (path_lookup(vfs_root, path, 0, &ip))
			continue;
		ip->mtime = ip->atime = (struct fs_time){e.mtime, 0};
		inode_put(ip);
	}
}

int initramfs_unpack(const void *archive, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int r;
	cpio_begin(&it, archive, size);
	while ((r = cpio_next(&it, &e)) == 1)
		unpack_entry(&e);
	if (r < 0)
		return r;
	set_dir_times(archive, size);
	nlinked = 0;
	return 0;
}
