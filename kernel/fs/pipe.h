/* Pipes and FIFOs (pipe.c): Linux's ring of 16 page buffers between a read end and a write end,
 * the answers poll, FIONREAD and F_GETPIPE_SZ give on them, and the places a pipe call sleeps. */
#pragma once
#include "fs/vfs.h"

#define PIPE_BUF     4096                       /* writes of up to this many bytes are atomic */
#define PIPE_BUFFERS 16                         /* Linux's PIPE_DEF_BUFFERS */
#define PIPE_SIZE    (PIPE_BUFFERS * PAGE_SIZE) /* F_GETPIPE_SZ: 65536 */

/* A new pipe: ends[0] reads (O_RDONLY), ends[1] writes (O_WRONLY), both with flags' O_NONBLOCK.
 * 0 or -ENOMEM. */
int pipe_create(uint32_t flags, struct file *ends[2]);

/* Open FIFO inode ip by path with flags (open's checks are done), as Linux's fifo_open: a named
 * FIFO's first file makes its pipe; a reader waits for a writer and a writer for a reader
 * (O_NONBLOCK: a reader does not, a writer fails -ENXIO); O_RDWR never waits. pipe()'s inode,
 * reached through /proc/self/fd, never waits. 0, -EINVAL (O_ACCMODE), -ENXIO, -ENOMEM or
 * -ERESTARTSYS. */
int pipe_open(struct inode *ip, uint32_t flags, struct file **out);

/* True when f is an end of a pipe or a FIFO. */
bool pipe_is(const struct file *f);

/* The state of f's pipe: bytes queued, whether a new buffer has room, and the other ends left. */
struct pipe_state {
	size_t queued;
	bool full;
	uint32_t readers, writers;
};
struct pipe_state pipe_state_of(const struct file *f);
