/* tmpfs directories: entries newest first, names added and removed with their link counts,
 * new inodes of every kind, rename with Linux's rules, and getdents64's records. */
#include "fs/vfs.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/slab.h"
#include <errno.h>
#include <string.h>

static struct slab_cache dirent_cache;

size_t dirent_slab_pages(void)
{
	return dirent_cache.pages;
}

static bool name_is(const struct dirent *d, const char *name, size_t len)
{
	return d->namelen == len && !memcmp(d->name, name, len);
}

/* The entry of name in dir, and the link that points at it (for removal). */
static struct dirent **find(struct inode *dir, const char *name, size_t len)
{
	struct dirent **link = &dir->entries;
	while (*link && !name_is(*link, name, len))
		link = &(*link)->next;
	return link;
}

struct inode *dir_lookup(struct inode *dir, const char *name, size_t namelen)
{
	if (namelen == 1 && name[0] == '.')
		return dir;
	if (namelen == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent;
	if (dir->fill)
		dir->fill(dir);
	struct dirent *d = *find(dir, name, namelen);
	return d ? d->inode : NULL;
}

/* An entry naming ip, in no directory yet; NULL without memory. */
static struct dirent *entry_new(const char *name, size_t len, struct inode *ip)
{
	if (!dirent_cache.objsize)
		slab_init(&dirent_cache, sizeof(struct dirent));
	struct dirent *d = slab_alloc(&dirent_cache);
	if (d) {
		memcpy(d->name, name, len);
		d->namelen = (uint16_t)len;
		d->inode = ip;
	}
	return d;
}

/* Put entry d in dir, newest first, as Linux 6.12's tmpfs lists them (no link counts change). */
static void entry_insert(struct inode *dir, struct dirent *d)
{
	d->off = dir->next_off++;
	d->next = dir->entries;
	dir->entries = d;
	dir->size += DIR_BOGO_SIZE;
	dir->mtime = dir->ctime = fs_now();
}

/* Append an entry for ip (no link counts change); 0 or -ENOMEM. */
static int entry_add(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
	struct dirent *d = entry_new(name, len, ip);
	if (!d)
		return -ENOMEM;
	entry_insert(dir, d);
	return 0;
}

/* Remove the entry at link (no link counts change). */
static void entry_del(struct inode *dir, struct dirent **link)
{
	struct dirent *d = *link;
	*link = d->next;
	slab_free(&dirent_cache, d);
	dir->size -= DIR_BOGO_SIZE;
	dir->mtime = dir->ctime = fs_now();
}

/* A directory ip now lives in dir: its ".." and its hold on dir. */
static void set_parent(struct inode *ip, struct inode *dir)
{
	inode_get(dir);
	dir->nlink++;
	ip->parent = dir;
}

int dir_link(struct inode *dir, const char *name, size_t namelen, struct inode *ip)
{
	if (dir_lookup(dir, name, namelen))
		return -EEXIST;
	int err = entry_add(dir, name, namelen, ip);
	if (err)
		return err;
	if (S_ISDIR(ip->mode)) {
		ip->nlink = 2; /* its name and its "." */
		set_parent(ip, dir);
	} else if (ip->nlink++) {
		ip->ctime = fs_now(); /* a new name for an old file; a new file keeps its times */
	}
	return 0;
}

int dir_unlink(struct inode *dir, const char *name, size_t namelen)
{
	struct dirent **link = find(dir, name, namelen);
	if (!*link)
		return -ENOENT;
	struct inode *ip = (*link)->inode;
	if (S_ISREG(ip->mode) && ip->nlink == 1 && ip->refs > 0)
		inode_keep_name(ip, dir, name, namelen); /* still open or mapped: /proc shows it */
	entry_del(dir, link);
	if (S_ISDIR(ip->mode))
		dir->nlink--; /* its ".." (its hold on dir goes when it is freed) */
	inode_drop_link(ip);
	return 0;
}

bool dir_empty(const struct inode *ip)
{
	return ip->entries == NULL;
}

/* A frame holding target, NUL-terminated, for a symlink (its size the target's length);
 * -ENAMETOOLONG or -ENOMEM. */
static int set_target(struct inode *ip, const char *target)
{
	size_t len = strlen(target);
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	int err = inode_set_label(ip, target);
	if (!err)
		ip->size = len;
	return err;
}

int dir_create(struct inode *dir, const char *name, size_t namelen, uint32_t mode,
               const char *target, uint32_t rdev, struct inode **out)
{
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no new names */
	if (dir_lookup(dir, name, namelen))
		return -EEXIST;
	struct inode *ip = inode_alloc(mode);
	if (!ip)
		return -ENOMEM;
	int err = target ? set_target(ip, target) : 0;
	ip->rdev = rdev;
	ip->dev = dir->dev;
	if (!err)
		err = dir_link(dir, name, namelen, ip);
	if (err) {
		inode_put(ip);
		return err;
	}
	*out = ip;
	return 0;
}

/* True when dir is a or lies under it. */
static bool under(struct inode *dir, struct inode *a)
{
	for (;; dir = dir->parent) {
		if (dir == a)
			return true;
		if (dir == dir->parent)
			return false;
	}
}

/* Exchange two names' inodes in place (RENAME_EXCHANGE). */
static void exchange(struct dirent *a, struct inode *adir, struct dirent *b, struct inode *bdir)
{
	struct inode *ai = a->inode, *bi = b->inode;
	a->inode = bi;
	b->inode = ai;
	if (adir != bdir && S_ISDIR(ai->mode) != S_ISDIR(bi->mode)) {
		struct inode *d = S_ISDIR(ai->mode) ? ai : bi;
		struct inode *from = d == ai ? adir : bdir, *to = d == ai ? bdir : adir;
		from->nlink--;
		to->nlink++;
	}
	if (S_ISDIR(ai->mode) && adir != bdir) {
		inode_get(bdir);
		inode_put(ai->parent);
		ai->parent = bdir;
	}
	if (S_ISDIR(bi->mode) && adir != bdir) {
		inode_get(adir);
		inode_put(bi->parent);
		bi->parent = adir;
	}
	ai->ctime = bi->ctime = fs_now();
	adir->mtime = adir->ctime = bdir->mtime = bdir->ctime = fs_now();
}

/* The checks vfs_rename() and tmpfs make once both names are looked up. */
static int rename_check(struct inode *src, struct inode *dst, unsigned flags)
{
	if (flags & RENAME_EXCHANGE)
		return 0;
	if (dst && S_ISDIR(src->mode) && !S_ISDIR(dst->mode))
		return -ENOTDIR;
	if (dst && !S_ISDIR(src->mode) && S_ISDIR(dst->mode))
		return -EISDIR;
	if (dst && S_ISDIR(dst->mode) && !dir_empty(dst))
		return -ENOTEMPTY;
	return 0;
}

/* Move src to newdir/name (replacing dst, which rename_check allowed). The new entry is made
 * first, so a rename without memory changes nothing (-ENOMEM). */
static int move(struct inode *olddir, struct dirent **olink, struct inode *newdir, const char *name,
                size_t len, struct inode *dst)
{
	struct inode *src = (*olink)->inode;
	struct dirent *d = entry_new(name, len, src);
	if (!d)
		return -ENOMEM;
	inode_get(src); /* keep it while it has no name */
	entry_del(olddir, olink);
	if (S_ISDIR(src->mode))
		olddir->nlink--;
	if (dst)
		dir_unlink(newdir, name, len);
	entry_insert(newdir, d);
	if (S_ISDIR(src->mode)) {
		struct inode *old_parent = src->parent;
		set_parent(src, newdir);
		inode_put(old_parent);
	}
	src->ctime = fs_now();
	inode_put(src);
	return 0;
}

int dir_rename(struct inode *olddir, const char *oldname, bool oldslash, struct inode *newdir,
               const char *newname, bool newslash, unsigned flags)
{
	size_t olen = strlen(oldname), nlen = strlen(newname);
	struct dirent **olink = find(olddir, oldname, olen);
	if (!*olink)
		return -ENOENT;
	struct inode *src = (*olink)->inode;
	struct dirent **nlink = find(newdir, newname, nlen);
	struct inode *dst = *nlink ? (*nlink)->inode : NULL;
	if (newdir->nlink == 0 && !dst)
		return -ENOENT; /* a removed directory takes no new names */
	if ((flags & RENAME_NOREPLACE) && dst)
		return -EEXIST;
	if ((flags & RENAME_EXCHANGE) && !dst)
		return -ENOENT;
	if ((flags & RENAME_EXCHANGE) && newslash && !S_ISDIR(dst->mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->mode) && (oldslash || (newslash && !(flags & RENAME_EXCHANGE))))
		return -ENOTDIR;
	if (S_ISDIR(src->mode) && under(newdir, src))
		return -EINVAL; /* into itself */
	if (dst && S_ISDIR(dst->mode) && under(olddir, dst))
		return (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	if (src == dst)
		return 0;
	int err = rename_check(src, dst, flags);
	if (err)
		return err;
	if (flags & RENAME_EXCHANGE) {
		exchange(*olink, olddir, *nlink, newdir);
		return 0;
	}
	return move(olddir, olink, newdir, newname, nlen, dst);
}

/* One linux_dirent64 record for d into dst at *pos, if it fits in n bytes. */
static int put_record(struct iobuf dst, size_t n, size_t *pos, uint64_t ino, uint64_t next,
                      uint8_t type, const char *name, size_t len)
{
	struct {
		uint64_t ino;
		int64_t off;
		uint16_t reclen;
		uint8_t type;
	} __attribute__((packed)) h = {ino, (int64_t)next, 0, type};
	size_t reclen = (sizeof(h) + len + 1 + 7) & ~(size_t)7;
	if (*pos + reclen > n)
		return -EINVAL;
	char rec[sizeof(h) + NAME_MAX + 8];
	memset(rec, 0, reclen);
	h.reclen = (uint16_t)reclen;
	memcpy(rec, &h, sizeof(h));
	memcpy(rec + sizeof(h), name, len);
	if (iobuf_out(dst, *pos, rec, reclen) < reclen)
		return -EFAULT;
	*pos += reclen;
	return 0;
}

/* getdents's d_type for an inode. */
static uint8_t dtype(const struct inode *ip)
{
	return (uint8_t)((ip->mode & S_IFMT) >> 12);
}

/* A directory file's position: 0 before ".", 1 before "..", DIR_POS_FIRST before the newest
 * entry, and an entry's off once it was returned (what remains are the older entries, whose offs
 * are smaller). Entries' offs start above DIR_POS_FIRST. */
long dir_getdents(struct file *f, struct iobuf dst, size_t n)
{
	struct inode *dir = f->inode;
	size_t pos = 0;
	int err = 0;
	if (dir->nlink == 0)
		return -ENOENT;
	if (dir->fill && f->off <= 2)
		dir->fill(dir); /* once per listing: its entries' offsets change */
	if (f->off == 0 && !(err = put_record(dst, n, &pos, dir->ino, 1, 4, ".", 1)))
		f->off = 1;
	if (!err && f->off == 1 &&
	    !(err = put_record(dst, n, &pos, dir->parent->ino, DIR_POS_FIRST, 4, "..", 2)))
		f->off = DIR_POS_FIRST;
	for (struct dirent *d = dir->entries; d && !err && f->off >= DIR_POS_FIRST; d = d->next) {
		if (f->off > DIR_POS_FIRST && d->off >= f->off)
			continue; /* returned already: the list is newest (largest off) first */
		err = put_record(dst, n, &pos, d->inode->ino, d->off, dtype(d->inode), d->name,
		                 d->namelen);
		if (!err)
			f->off = d->off;
	}
	if (dir->nlink)
		dir->atime = fs_now();
	return pos ? (long)pos : (err == -EFAULT || err == 0 ? err : -EINVAL);
}
