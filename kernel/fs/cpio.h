/* The cpio "newc" archive format (070701, and 070702 with checksums) that bin/sos-run builds for
 * the root: a checked iterator over the entries of an archive in memory, copying nothing. */
#pragma once
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/* cpio_lookup's errors the kernel's errno.h may not have (yet); the values are Linux's */
#ifndef ENAMETOOLONG
#define ENAMETOOLONG 36
#endif
#ifndef ELOOP
#define ELOOP 40
#endif

/* One entry; name and data point into the archive. name is NUL-terminated at name[namelen]. */
struct cpio_entry {
	const char *name;
	size_t namelen;
	uint32_t mode, uid, gid, nlink, mtime, ino, rdevmajor, rdevminor;
	const uint8_t *data;
	size_t size;
};

struct cpio_iter {
	const uint8_t *p, *end;
};

/* Start iterating over the size bytes of archive. */
void cpio_begin(struct cpio_iter *it, const void *archive, size_t size);

/* 1 and *e filled: an entry; 0: the TRAILER!!! (end; every later call says 0 again); -EINVAL:
 * malformed (truncated, bad magic, bad hex, name not NUL-terminated, bad checksum). Names come
 * without a leading "./" or "/" (the archive's root itself, "." or "/", comes as ""). */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

/* Find path in the archive as a path walk from its root would: "." and ".." components and
 * repeated slashes taken as Linux takes them, symlinks followed (at most 40). 0 and *e the entry
 * (a hard link without data gets the data of its link that has it), or -ENOENT, -ENOTDIR, -ELOOP,
 * -ENAMETOOLONG, -EINVAL (malformed). The root itself, which has no entry, is -EISDIR. Not
 * reentrant (static buffers): for the boot only. */
int cpio_lookup(const void *archive, size_t size, const char *path, struct cpio_entry *e);
