/* A process's file descriptor table: fd numbers to open files, with close-on-exec per fd. A
 * separate refcounted object, so that fork can share or copy it. */
#pragma once
#include "fs/vfs.h"

#define FD_CLOEXEC 1 /* fcntl F_GETFD/F_SETFD */

#define FD_SETSIZE_MAX 65536 /* fds a table can hold: RLIMIT_NOFILE above it still stops here */
#define FD_CHUNK       512   /* slots in one page of the table */

struct fdtable {
	uint32_t refs;
	int max_fds; /* Linux's table size: 64, grown as fds above it are used (select clips to it)
	              */
	/* Pages of FD_CHUNK slots, made on first use. A slot is a struct file pointer whose low
	 * bit is FD_CLOEXEC (files are 16-byte aligned). */
	uintptr_t *chunks[FD_SETSIZE_MAX / FD_CHUNK];
	paddr_t chunk_pa[FD_SETSIZE_MAX / FD_CHUNK]; /* their frames */
};

/* An empty table with one reference, or NULL. */
struct fdtable *fdtable_create(void);

/* A new table with every fd of t (the files gain a reference): fork's copy. NULL: no memory. */
struct fdtable *fdtable_copy(struct fdtable *t);

void fdtable_get(struct fdtable *t);
/* One reference fewer; the last closes every fd and frees the table. */
void fdtable_put(struct fdtable *t);

/* Put f (whose reference the table takes over) at the lowest free fd >= min and below limit
 * (RLIMIT_NOFILE's soft value). The fd, -EMFILE (none free), or -ENOMEM. */
int fd_alloc(struct fdtable *t, struct file *f, int min, uint64_t limit, bool cloexec);

/* The lowest free fd >= min and below limit, or -EMFILE (open checks before it opens). */
int fd_find(struct fdtable *t, int min, uint64_t limit);

/* Put f at fd exactly, closing what was there (dup2, dup3). f gains a reference. 0 or -ENOMEM. */
int fd_install(struct fdtable *t, int fd, struct file *f, bool cloexec);

/* The file at fd without a new reference, or NULL (-EBADF for the caller). */
struct file *fd_get(struct fdtable *t, int fd);

/* Close fd. 0 or -EBADF. */
int fd_close(struct fdtable *t, int fd);

/* fd's FD_CLOEXEC flag: get (0 or FD_CLOEXEC, -EBADF) and set (0 or -EBADF). */
int fd_get_flags(struct fdtable *t, int fd);
int fd_set_flags(struct fdtable *t, int fd, int flags);

/* The fds the table has room for as Linux sizes it: select ignores the fds past it. */
int fd_table_size(const struct fdtable *t);

/* Close every fd marked close-on-exec (exec). */
void fd_close_on_exec(struct fdtable *t);
