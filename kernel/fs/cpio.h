/* The cpio "newc" archive format (070701, and 070702 with checksums) that bin/sos-run builds for
 * the root: a checked iterator over the entries of an archive in memory, copying nothing. */
#pragma once
#include <stddef.h>
#include <stdint.h>

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
