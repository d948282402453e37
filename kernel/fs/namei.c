/* Path lookup: a path walked a component at a time from the root or a start directory, "." and
 * "..", symlinks spliced into the rest of the path (at most SYMLOOP_MAX), magic links jumped
 * through, trailing slashes. */
#include "fs/vfs.h"
#include <errno.h>
#include <string.h>

/* A walk in progress: the rest of the path in buf from pos, the directory reached, the links
 * followed so far. */
struct walk {
	char buf[PATH_MAX];
	size_t pos;
	struct inode *dir;
	int links;
};

/* Replace the walk's path by target followed by what is left of it (from rest). */
static int splice(struct walk *w, const char *target, size_t rest)
{
	size_t tlen = strlen(target), rlen = strlen(w->buf + rest);
	if (++w->links > SYMLOOP_MAX)
		return -ELOOP;
	if (tlen == 0)
		return -ENOENT;
	if (tlen + rlen + 1 >= PATH_MAX)
		return -ENAMETOOLONG;
	memmove(w->buf + tlen, w->buf + rest, rlen + 1);
	memcpy(w->buf, target, tlen);
	w->pos = 0;
	if (target[0] == '/')
		w->dir = vfs_root;
	return 0;
}

/* The next component of the walk: its start and length; *last when nothing but slashes follows
 * it, *slash when a slash does. Length 0 at the end of the path. */
static size_t next_name(struct walk *w, const char **name, bool *last, bool *slash)
{
	while (w->buf[w->pos] == '/')
		w->pos++;
	*name = w->buf + w->pos;
	size_t len = 0;
	while ((*name)[len] && (*name)[len] != '/')
		len++;
	w->pos += len;
	size_t after = w->pos;
	while (w->buf[after] == '/')
		after++;
	*slash = w->buf[w->pos] == '/';
	*last = w->buf[after] == '\0';
	return len;
}

/* Walk path from start. In parent mode, stop before the last component and copy it to name
 * ("" for a path of only slashes); otherwise resolve it too, into w->dir. */
static int walk(struct walk *w, struct inode *start, const char *path, unsigned flags,
                char *parent_name, bool *slash_out)
{
	size_t plen = strlen(path);
	if (plen == 0)
		return -ENOENT;
	if (plen >= PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(w->buf, path, plen + 1);
	w->pos = 0;
	w->links = 0;
	w->dir = path[0] == '/' ? vfs_root : start;
	for (;;) {
		const char *name;
		bool last, slash;
		size_t len = next_name(w, &name, &last, &slash);
		if (len == 0) { /* only slashes: the root, or a symlink's target ending in them */
			if (parent_name) {
				parent_name[0] = '\0';
				*slash_out = true;
			}
			break;
		}
		if (!S_ISDIR(w->dir->mode))
			return -ENOTDIR;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (parent_name && last) {
			memcpy(parent_name, name, len);
			parent_name[len] = '\0';
			*slash_out = slash;
			break;
		}
		struct inode *ip = dir_lookup(w->dir, name, len);
		if (!ip)
			return -ENOENT;
		if (S_ISLNK(ip->mode) && (!last || slash || (flags & LOOKUP_FOLLOW))) {
			struct inode *to = magic_link_inode(ip);
			if (!to) {
				int err = splice(w, ip->target, w->pos);
				if (err)
					return err;
				continue;
			}
			if (++w->links > SYMLOOP_MAX)
				return -ELOOP;
			ip = to; /* the file itself, named or not: the walk goes on from it */
		}
		w->dir = ip;
		if (last) {
			if ((slash || (flags & LOOKUP_DIRECTORY)) && !S_ISDIR(ip->mode))
				return -ENOTDIR;
			break;
		}
	}
	if (!parent_name && (flags & LOOKUP_DIRECTORY) && !S_ISDIR(w->dir->mode))
		return -ENOTDIR;
	if (parent_name && !S_ISDIR(w->dir->mode))
		return -ENOTDIR;
	return 0;
}

struct inode *magic_link_inode(const struct inode *ip)
{
	return ip->follow ? ip->follow(ip) : NULL;
}

/* One walk at a time: the kernel runs one system call at a time and lookups never block. */
static struct walk the_walk;

int path_lookup(struct inode *start, const char *path, unsigned flags, struct inode **out)
{
	int err = walk(&the_walk, start, path, flags, NULL, NULL);
	if (err)
		return err;
	*out = the_walk.dir;
	inode_get(*out);
	return 0;
}

int path_parent(struct inode *start, const char *path, struct inode **dir, char name[NAME_MAX + 1],
                bool *slash)
{
	int err = walk(&the_walk, start, path, 0, name, slash);
	if (err)
		return err;
	*dir = the_walk.dir;
	inode_get(*dir);
	return 0;
}

/* The name of ip in its parent, or NULL. */
static const struct dirent *name_in_parent(const struct inode *ip)
{
	for (const struct dirent *d = ip->parent->entries; d; d = d->next)
		if (d->inode == ip)
			return d;
	return NULL;
}

long path_of(struct inode *ip, char *buf, size_t size)
{
	if (ip->nlink == 0)
		return -ENOENT;
	/* build from the end of buf backwards, then move to the front */
	size_t at = size;
	if (at == 0)
		return -ERANGE;
	buf[--at] = '\0';
	for (; ip != vfs_root; ip = ip->parent) {
		const struct dirent *d = name_in_parent(ip);
		if (!d)
			return -ENOENT;
		if (at < d->namelen + 1u)
			return -ERANGE;
		at -= d->namelen;
		memcpy(buf + at, d->name, d->namelen);
		buf[--at] = '/';
	}
	if (at == size - 1) {
		if (at == 0)
			return -ERANGE;
		buf[--at] = '/';
	}
	memmove(buf, buf + at, size - at);
	return (long)(size - at);
}
