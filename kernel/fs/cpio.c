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
