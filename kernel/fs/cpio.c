/* Parsing cpio newc archives: every header field, name and data range is checked against the
 * archive's bounds before it is believed, so a truncated or corrupt archive is -EINVAL. */
#include "fs/cpio.h"
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define HEADER_SIZE 110 /* "070701" and 13 fields of 8 hex digits */
#define FIELD_SIZE  8
#define S_IFMT      0170000
#define S_IFREG     0100000

/* The header fields after the magic, in the order newc writes them. */
enum field {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	NFIELDS
};

void cpio_begin(struct cpio_iter *it, const void *archive, size_t size)
{
	it->p = archive;
	it->end = it->p + size;
}

/* The value of one hex digit, or -1. */
static int hexdigit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Field i of the header at h into *v; false unless it is exactly 8 hex digits. */
static bool field(const uint8_t *h, enum field i, uint32_t *v)
{
	const uint8_t *s = h + 6 + (size_t)i * FIELD_SIZE;
	*v = 0;
	for (int k = 0; k < FIELD_SIZE; k++) {
		int d = hexdigit(s[k]);
		if (d < 0)
			return false;
		*v = *v << 4 | (uint32_t)d;
	}
	return true;
}

/* n rounded up to a multiple of 4. Headers start at offsets that are multiples of 4, so the
 * padding newc counts from the archive's start can be counted from the header's. */
static size_t round4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* The name without its leading "/" and "./" parts; "." alone (the root) becomes "". */
static void strip_name(struct cpio_entry *e)
{
	for (;;) {
		if (e->namelen >= 1 && e->name[0] == '/') {
			e->name++, e->namelen--;
		} else if (e->namelen >= 2 && e->name[0] == '.' && e->name[1] == '/') {
			e->name += 2, e->namelen -= 2;
		} else if (e->namelen == 1 && e->name[0] == '.') {
			e->name++, e->namelen--;
		} else {
			return;
		}
	}
}

/* The 070702 checksum: the sum of the data bytes, modulo 2^32. */
static uint32_t checksum(const uint8_t *data, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += data[i];
	return sum;
}

/* The bytes before the first NUL among the max at s (max when there is none). Not strnlen:
 * the host's strict C11 headers, under which the unit tests build this file, lack it. */
static size_t name_length(const uint8_t *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* The magic at h: 1 for 070701, 2 for 070702 (checksummed), 0 for anything else. */
static int magic(const uint8_t *h)
{
	if (memcmp(h, "07070", 5))
		return 0;
	return h[5] == '1' ? 1 : h[5] == '2' ? 2 : 0;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	const uint8_t *h = it->p;
	uint32_t f[NFIELDS];
	if ((size_t)(it->end - h) < HEADER_SIZE)
		return -EINVAL;
	int kind = magic(h);
	if (!kind)
		return -EINVAL;
	for (int i = 0; i < NFIELDS; i++)
		if (!field(h, (enum field)i, &f[i]))
			return -EINVAL;
	/* Offsets from h, checked against the bytes left before any pointer is formed. */
	size_t left = (size_t)(it->end - h);
	size_t name_end = HEADER_SIZE + (size_t)f[F_NAMESIZE];
	size_t data_at = round4(name_end), data_end = data_at + f[F_FILESIZE];
	if (f[F_NAMESIZE] < 1 || name_end > left)
		return -EINVAL;
	const uint8_t *name = h + HEADER_SIZE;
	if (name_length(name, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)
		return -EINVAL; /* the NUL must end the name, and only there */
	if (f[F_NAMESIZE] == 11 && !memcmp(name, "TRAILER!!!", 11))
		return 0; /* it->p stays here: every later call finds the trailer again */
	if (data_at > left || data_end > left)
		return -EINVAL;
	const uint8_t *data = h + data_at;
	if (kind == 2 && (f[F_MODE] & S_IFMT) == S_IFREG &&
	    checksum(data, f[F_FILESIZE]) != f[F_CHECK])
		return -EINVAL; /* cpio -H crc sums regular files only */
	/* the last entry's padding may be cut off: the next call then finds no header */
	it->p = h + (round4(data_end) <= left ? round4(data_end) : left);

	*e = (struct cpio_entry){
	    .name = (const char *)name,
	    .namelen = f[F_NAMESIZE] - 1,
	    .mode = f[F_MODE],
	    .uid = f[F_UID],
	    .gid = f[F_GID],
	    .nlink = f[F_NLINK],
	    .mtime = f[F_MTIME],
	    .ino = f[F_INO],
	    .rdevmajor = f[F_RDEVMAJOR],
	    .rdevminor = f[F_RDEVMINOR],
	    .data = data,
	    .size = f[F_FILESIZE],
	};
	strip_name(e);
	return 1;
}

/* ---- lookup by path ------------------------------------------------------------------------ */

#define PATH_MAX  4096
#define MAX_LINKS 40 /* Linux's MAXSYMLINKS */
#define S_IFDIR   0040000
#define S_IFLNK   0120000

/* The entry named name (namelen bytes) into *e: 1 found, 0 not, -EINVAL malformed. */
static int find_name(const void *archive, size_t size, const char *name, size_t namelen,
                     struct cpio_entry *e)
{
	struct cpio_iter it;
	int r;
	cpio_begin(&it, archive, size);
	while ((r = cpio_next(&it, e)) == 1)
		if (e->namelen == namelen && !memcmp(e->name, name, namelen))
			return 1;
	return r;
}

/* A hard link written without its data (newc puts it on one link of the set): take the data
 * of the entry with the same inode that has it. */
static int link_data(const void *archive, size_t size, struct cpio_entry *e)
{
	struct cpio_iter it;
	struct cpio_entry o;
	int r;
	if ((e->mode & S_IFMT) != S_IFREG || e->nlink < 2 || e->size)
		return 0;
	cpio_begin(&it, archive, size);
	while ((r = cpio_next(&it, &o)) == 1) {
		if (o.ino == e->ino && (o.mode & S_IFMT) == S_IFREG && o.size) {
			e->data = o.data;
			e->size = o.size;
			return 0;
		}
	}
	return r;
}

/* Replace the walk's rest with the link's target followed by what rest held after the link
 * (after: "" or from the slash that followed it). */
static int splice_link(char *rest, const char *after, const struct cpio_entry *link)
{
	static char tmp[PATH_MAX];
	size_t tail = strlen(after);
	if (!link->size)
		return -ENOENT; /* Linux: an empty symlink resolves to nothing */
	if (link->size + tail + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(tmp, link->data, link->size);
	memcpy(tmp + link->size, after, tail + 1);
	memcpy(rest, tmp, link->size + tail + 1);
	return 0;
}

/* Drop cur's last component (".." never goes above the root). */
static void drop_last(char *cur, size_t *len)
{
	while (*len && cur[*len - 1] != '/')
		(*len)--;
	if (*len)
		(*len)--; /* the slash */
	cur[*len] = 0;
}

int cpio_lookup(const void *archive, size_t size, const char *path, struct cpio_entry *e)
{
	static char rest[PATH_MAX], cur[PATH_MAX];
	size_t len = 0, n = strlen(path);
	int links = 0, r;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!n)
		return -ENOENT; /* as execve("") */
	memcpy(rest, path, n + 1);
	cur[0] = 0;
	const char *p = rest;
	bool found = false;
	while (*p) {
		while (*p == '/')
			p++;
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t clen = (size_t)(p - c);
		if (found && (e->mode & S_IFMT) != S_IFDIR)
			return -ENOTDIR; /* "file/", "file/." and "file/x" alike */
		if (!clen || (clen == 1 && c[0] == '.'))
			continue;
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			drop_last(cur, &len);
			found = false;
			continue;
		}
		size_t old = len;
		if (len + (len ? 1 : 0) + clen >= PATH_MAX)
			return -ENAMETOOLONG;
		if (len)
			cur[len++] = '/';
		memcpy(cur + len, c, clen);
		len += clen;
		cur[len] = 0;
		r = find_name(archive, size, cur, len, e);
		if (r <= 0)
			return r ? r : -ENOENT;
		found = true;
		if ((e->mode & S_IFMT) != S_IFLNK)
			continue;
		if (++links > MAX_LINKS)
			return -ELOOP;
		if ((r = splice_link(rest, p, e)))
			return r;
		p = rest;
		len = old;
		cur[len] = 0;
		if (rest[0] == '/')
			len = 0, cur[0] = 0;
		found = false;
	}
	if (!len)
		return -EISDIR;
	if (!found)
		r = find_name(archive, size, cur, len, e); /* after "..": the directory reached */
	else
		r = 1;
	if (r <= 0)
		return r ? r : -ENOENT;
	return link_data(archive, size, e);
}
