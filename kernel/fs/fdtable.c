/* File descriptor tables: slots in pages of FD_CHUNK made on first use, the lowest free fd
 * first, close-on-exec in each slot's low bit, references for sharing and fork's copy. */
#include <assert.h>

#include "fs/fdtable.h"
#include "fs/lock.h"
#include "lib/panic.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/slab.h"
#include <errno.h>

#define NCHUNKS (FD_SETSIZE_MAX / FD_CHUNK)

static struct slab_cache table_cache;

struct fdtable *fdtable_create(void)
{
	if (!table_cache.objsize)
		slab_init(&table_cache, sizeof(struct fdtable));
	struct fdtable *t = slab_alloc(&table_cache);
	if (t) {
		t->refs = 1;
		t->max_fds = 64; /* Linux's NR_OPEN_DEFAULT */
	}
	return t;
}

void fdtable_get(struct fdtable *t)
{
	t->refs++;
}

/* The slot of fd, making its page when make says so; NULL when absent or out of memory. */
static uintptr_t *slot(struct fdtable *t, int fd, bool make)
{
	if (fd < 0 || fd >= FD_SETSIZE_MAX)
		return NULL;
	uintptr_t **chunk = &t->chunks[fd / FD_CHUNK];
	if (!*chunk && make) {
		paddr_t pa = frame_alloc_zeroed(FRAME_KERNEL);
		if (!pa)
			return NULL;
		*chunk = phys_to_virt(pa);
		t->chunk_pa[fd / FD_CHUNK] = pa;
	}
	return *chunk ? &(*chunk)[fd % FD_CHUNK] : NULL;
}

struct file *fd_get(struct fdtable *t, int fd)
{
	uintptr_t *s = slot(t, fd, false);
	return s ? (struct file *)(*s & ~(uintptr_t)FD_CLOEXEC) : NULL;
}

/* fd is in use: grow max_fds past it as Linux's alloc_fdtable() does (to 64 per word of 1024
 * bytes, doubled). */
static void note_fd(struct fdtable *t, int fd)
{
	if (fd < t->max_fds)
		return;
	int words = fd / 128, size = 1;
	while (size < words + 1)
		size *= 2;
	t->max_fds = size * 128;
}

int fd_table_size(const struct fdtable *t)
{
	return t->max_fds;
}

int fd_alloc(struct fdtable *t, struct file *f, int min, uint64_t limit, bool cloexec)
{
	if (limit > FD_SETSIZE_MAX)
		limit = FD_SETSIZE_MAX;
	for (uint64_t fd = min < 0 ? 0 : (uint64_t)min; fd < limit; fd++) {
		uintptr_t *s = slot(t, (int)fd, true);
		if (!s)
			return -ENOMEM;
		if (!*s) {
			*s = (uintptr_t)f | (cloexec ? FD_CLOEXEC : 0);
			note_fd(t, (int)fd);
			return (int)fd;
		}
	}
	return -EMFILE;
}

int fd_find(struct fdtable *t, int min, uint64_t limit)
{
	if (limit > FD_SETSIZE_MAX)
		limit = FD_SETSIZE_MAX;
	for (uint64_t fd = min < 0 ? 0 : (uint64_t)min; fd < limit; fd++)
		if (!fd_get(t, (int)fd))
			return (int)fd;
	return -EMFILE;
}

/* A close of f by t (its slot emptied): t's POSIX locks on the file go, whatever fd took them,
 * as Linux's filp_close() lets them go. */
static void close_file(struct fdtable *t, struct file *f)
{
	lock_close(f->inode, t);
	file_put(f);
}

int fd_install(struct fdtable *t, int fd, struct file *f, bool cloexec)
{
	uintptr_t *s = slot(t, fd, true);
	if (!s)
		return -ENOMEM;
	struct file *old = (struct file *)(*s & ~(uintptr_t)FD_CLOEXEC);
	file_get(f);
	*s = (uintptr_t)f | (cloexec ? FD_CLOEXEC : 0);
	note_fd(t, fd);
	if (old)
		close_file(t, old);
	return 0;
}

int fd_close(struct fdtable *t, int fd)
{
	uintptr_t *s = slot(t, fd, false);
	if (!s || !*s)
		return -EBADF;
	struct file *f = (struct file *)(*s & ~(uintptr_t)FD_CLOEXEC);
	*s = 0;
	close_file(t, f);
	return 0;
}

int fd_get_flags(struct fdtable *t, int fd)
{
	uintptr_t *s = slot(t, fd, false);
	if (!s || !*s)
		return -EBADF;
	return (int)(*s & FD_CLOEXEC);
}

int fd_set_flags(struct fdtable *t, int fd, int flags)
{
	uintptr_t *s = slot(t, fd, false);
	if (!s || !*s)
		return -EBADF;
	*s = (*s & ~(uintptr_t)FD_CLOEXEC) | (flags & FD_CLOEXEC);
	return 0;
}

/* Close every fd of t, or only those marked close-on-exec. */
static void close_where(struct fdtable *t, bool only_cloexec)
{
	for (int c = 0; c < NCHUNKS; c++) {
		if (!t->chunks[c])
			continue;
		for (int i = 0; i < FD_CHUNK; i++) {
			uintptr_t v = t->chunks[c][i];
			if (v && (!only_cloexec || (v & FD_CLOEXEC)))
				fd_close(t, c * FD_CHUNK + i);
		}
	}
}

void fd_close_on_exec(struct fdtable *t)
{
	close_where(t, true);
}

struct fdtable *fdtable_copy(struct fdtable *t)
{
	struct fdtable *n = fdtable_create();
	for (int c = 0; n && c < NCHUNKS; c++) {
		for (int i = 0; t->chunks[c] && i < FD_CHUNK; i++) {
			uintptr_t v = t->chunks[c][i];
			if (!v)
				continue;
			if (fd_install(n, c * FD_CHUNK + i, (struct file *)(v & ~(uintptr_t)1),
			               v & FD_CLOEXEC)) {
				fdtable_put(n);
				return NULL;
			}
		}
	}
	return n;
}

void fdtable_put(struct fdtable *t)
{
	assert(t->refs > 0);
	if (--t->refs)
		return;
	close_where(t, false);
	for (int c = 0; c < NCHUNKS; c++)
		if (t->chunks[c])
			frame_free(t->chunk_pa[c]);
	slab_free(&table_cache, t);
}
