/* Unit tests of the cpio newc parser: entries of a well-formed archive come out with their
 * fields, and every truncation or corruption is -EINVAL without a read outside the archive. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/cpio.h"

#define ARCHIVE_MAX 4096

struct archive {
	uint8_t b[ARCHIVE_MAX];
	size_t n;
};

/* Append one newc entry (magic 070701 or 070702) with the given fields, name and data. */
static void add(struct archive *a, const char *magic, unsigned mode, unsigned mtime,
                const char *name, const void *data, size_t size, unsigned check)
{
	char h[160];
	snprintf(h, sizeof(h), "%.6s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", magic,
	         7u, mode, 0u, 0u, 1u, mtime, (unsigned)size, 0u, 0u, 3u, 4u,
	         (unsigned)strlen(name) + 1, check);
	memcpy(a->b + a->n, h, 110);
	a->n += 110;
	memcpy(a->b + a->n, name, strlen(name) + 1);
	a->n += strlen(name) + 1;
	while (a->n % 4)
		a->b[a->n++] = 0;
	memcpy(a->b + a->n, data, size);
	a->n += size;
	while (a->n % 4)
		a->b[a->n++] = 0;
}

static void trailer(struct archive *a)
{
	add(a, "070701", 0, 0, "TRAILER!!!", "", 0, 0);
}

/* A copy of a's first n bytes in a buffer of exactly n bytes, so that ASan sees overreads. */
static uint8_t *exact(const struct archive *a, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);
	memcpy(p, a->b, n);
	return p;
}

/* Parse the first n bytes of a; the number of entries, or the error that stopped it. */
static int count(const struct archive *a, size_t n)
{
	uint8_t *p = exact(a, n);
	struct cpio_iter it;
	struct cpio_entry e;
	int r, entries = 0;
	cpio_begin(&it, p, n);
	while ((r = cpio_next(&it, &e)) == 1)
		entries++;
	free(p);
	return r < 0 ? r : entries;
}

static void sample(struct archive *a)
{
	a->n = 0;
	add(a, "070701", 040755, 100, ".", "", 0, 0);
	add(a, "070701", 040755, 101, "./bin", "", 0, 0);
	add(a, "070701", 0100644, 102, "./bin/hello", "hello\n", 6, 0);
	add(a, "070701", 0120777, 103, "/bin/link", "hello", 5, 0);
	trailer(a);
}

TestSuite(cpio);

Test(cpio, entries_and_fields)
{
	struct archive a;
	struct cpio_iter it;
	struct cpio_entry e;
	sample(&a);
	cpio_begin(&it, a.b, a.n);
	cr_assert_eq(cpio_next(&it, &e), 1);
	cr_assert_eq(e.namelen, 0);
	cr_assert_str_eq(e.name, "");
	cr_assert_eq(e.mode, 040755);
	cr_assert_eq(cpio_next(&it, &e), 1);
	cr_assert_str_eq(e.name, "bin");
	cr_assert_eq(e.namelen, 3);
	cr_assert_eq(e.mtime, 101);
	cr_assert_eq(cpio_next(&it, &e), 1);
	cr_assert_str_eq(e.name, "bin/hello");
	cr_assert_eq(e.size, 6);
	cr_assert_eq(memcmp(e.data, "hello\n", 6), 0);
	cr_assert_eq(e.mode, 0100644);
	cr_assert_eq(e.ino, 7);
	cr_assert_eq(e.nlink, 1);
	cr_assert_eq(e.rdevmajor, 3);
	cr_assert_eq(e.rdevminor, 4);
	cr_assert_eq(cpio_next(&it, &e), 1);
	cr_assert_str_eq(e.name, "bin/link");
	cr_assert_eq(e.mode, 0120777);
	cr_assert_eq(memcmp(e.data, "hello", 5), 0);
	cr_assert_eq(cpio_next(&it, &e), 0);
	cr_assert_eq(cpio_next(&it, &e), 0, "the trailer stays the end");
}

/* Every cut short of the whole archive is -EINVAL, and never a read past its end. */
Test(cpio, every_truncation_is_einval)
{
	struct archive a;
	sample(&a);
	cr_assert_eq(count(&a, a.n), 4);
	for (size_t n = 0; n < a.n - 3; n++) /* the padding after the trailer may be cut off */
		cr_assert_eq(count(&a, n), -EINVAL, "cut at %zu of %zu", n, a.n);
}

/* Flip each header byte of the file's entry to something else: bad magic, bad hex, or a size
 * that moves the name's NUL or the data outside the archive are all -EINVAL, not a crash. */
Test(cpio, corrupt_headers)
{
	struct archive a;
	sample(&a);
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_begin(&it, a.b, a.n);
	cpio_next(&it, &e);
	cpio_next(&it, &e);
	size_t at = (size_t)(it.p - a.b); /* the third entry's header */
	const char bad[] = {'g', 'G', ' ', '-', 'x', '\0'};
	for (size_t i = 0; i < 110; i++) {
		for (size_t j = 0; j < sizeof(bad); j++) {
			struct archive c = a;
			c.b[at + i] = (uint8_t)bad[j];
			cr_assert_eq(count(&c, c.n), -EINVAL, "byte %zu = %#x", i, bad[j]);
		}
	}
}

Test(cpio, bad_names)
{
	struct archive a = {.n = 0};
	add(&a, "070701", 0100644, 0, "abc", "", 0, 0);
	trailer(&a);
	struct archive c = a;
	c.b[110 + 3] = 'x'; /* no NUL where namesize says */
	cr_assert_eq(count(&c, c.n), -EINVAL);
	c = a;
	c.b[110 + 1] = 0; /* a NUL inside the name */
	cr_assert_eq(count(&c, c.n), -EINVAL);
	c = a;
	memcpy(c.b + 94, "00000000", 8); /* namesize 0 */
	cr_assert_eq(count(&c, c.n), -EINVAL);
	c = a;
	memcpy(c.b + 94, "FFFFFFFF", 8); /* a name past the end */
	cr_assert_eq(count(&c, c.n), -EINVAL);
	c = a;
	memcpy(c.b + 54, "FFFFFFFF", 8); /* data past the end */
	cr_assert_eq(count(&c, c.n), -EINVAL);
	cr_assert_eq(count(&a, a.n), 1);
}

Test(cpio, magic_and_checksum)
{
	struct archive a = {.n = 0};
	add(&a, "070702", 0100644, 0, "f", "\x01\x02\xff", 3, 0x102);
	add(&a, "070702", 0120777, 0, "l", "f", 1, 0); /* not a regular file: not summed */
	trailer(&a);
	cr_assert_eq(count(&a, a.n), 2);
	a.n = 0;
	add(&a, "070702", 0100644, 0, "f", "\x01\x02\xff", 3, 0x101);
	trailer(&a);
	cr_assert_eq(count(&a, a.n), -EINVAL, "a wrong checksum");
	a.n = 0;
	add(&a, "070707", 0100644, 0, "f", "", 0, 0);
	trailer(&a);
	cr_assert_eq(count(&a, a.n), -EINVAL, "the old portable format is not newc");
	a.n = 0;
	cr_assert_eq(count(&a, 0), -EINVAL, "no trailer");
}

/* A root: /usr/bin/hi (a file), /bin -> usr/bin, hard links, relative and absolute links. */
static void tree(struct archive *a)
{
	a->n = 0;
	add(a, "070701", 040755, 0, "./usr", "", 0, 0);
	add(a, "070701", 040755, 0, "./usr/bin", "", 0, 0);
	add(a, "070701", 0100755, 0, "./usr/bin/hi", "HI", 2, 0);
	add(a, "070701", 0120777, 0, "./bin", "usr/bin", 7, 0);
	add(a, "070701", 0120777, 0, "./rel", "bin/../bin/hi", 13, 0);
	add(a, "070701", 0120777, 0, "./abs", "/usr/bin/hi", 11, 0);
	add(a, "070701", 0120777, 0, "./loop", "loop", 4, 0);
	add(a, "070701", 0120777, 0, "./empty", "", 0, 0);
	/* a hard link pair as newc writes it: data on the last link only */
	struct archive l = {.n = 0};
	add(&l, "070701", 0100755, 0, "./h1", "", 0, 0);
	add(&l, "070701", 0100755, 0, "./h2", "LINK", 4, 0);
	memcpy(l.b + 38, "00000002", 8); /* nlink 2 */
	memcpy(l.b + 116 + 38, "00000002", 8);
	memcpy(l.b + 6, "00000063", 8); /* one inode for both */
	memcpy(l.b + 116 + 6, "00000063", 8);
	memcpy(a->b + a->n, l.b, l.n);
	a->n += l.n;
	trailer(a);
}

/* What cpio_lookup says of path: the data of the entry found, or the error's name. */
static const char *lookup(const struct archive *a, const char *path)
{
	static char out[64];
	struct cpio_entry e;
	int r = cpio_lookup(a->b, a->n, path, &e);
	if (r == 0) {
		snprintf(out, sizeof(out), "%.*s", (int)e.size, (const char *)e.data);
		return out;
	}
	return r == -ENOENT         ? "ENOENT"
	       : r == -ENOTDIR      ? "ENOTDIR"
	       : r == -ELOOP        ? "ELOOP"
	       : r == -EISDIR       ? "EISDIR"
	       : r == -ENAMETOOLONG ? "ENAMETOOLONG"
	                            : "other";
}

Test(cpio, lookup_walks_as_linux)
{
	struct archive a;
	tree(&a);
	const char *cases[][2] = {
	    {"/usr/bin/hi", "HI"},
	    {"usr/bin/hi", "HI"},
	    {"//usr/./bin//hi", "HI"},
	    {"/bin/hi", "HI"},
	    {"/rel", "HI"},
	    {"/abs", "HI"},
	    {"/../usr/bin/hi", "HI"},
	    {"/bin/../usr/bin/hi", "ENOENT"} /* /bin/.. is /usr */,
	    {"/usr/bin", ""},
	    {"/h1", "LINK"},
	    {"/h2", "LINK"},
	    {"/missing", "ENOENT"},
	    {"/usr/bin/hi/", "ENOTDIR"},
	    {"/usr/bin/hi/.", "ENOTDIR"},
	    {"/usr/bin/hi/x", "ENOTDIR"},
	    {"/loop", "ELOOP"},
	    {"/", "EISDIR"},
	    {"/usr/..", "EISDIR"},
	    {"", "ENOENT"},
	    {"/empty", "ENOENT"},
	    {"/bin/", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(lookup(&a, cases[i][0]), cases[i][1], "path '%s'", cases[i][0]);
}
