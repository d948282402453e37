/* Pipes and FIFOs: the buffers between the two ends (a page each, taken when a write needs one and
 * given back when a read empties it), their opens, reads, writes and release, and the waits. */
#include "fs/pipe.h"
#include "lib/printf.h"
#include "lib/wait.h"
#include "mm/frame.h"
#include "mm/hal.h"
#include "mm/slab.h"
#include <errno.h>
#include <string.h>

/* One page of queued bytes: [offset, offset + len) of the frame at pa. */
struct pipe_buffer {
	paddr_t pa;
	uint32_t offset, len;
};

/* A pipe: buffers tail..head-1 (mod PIPE_BUFFERS) hold bytes, oldest first (Linux's ring). It
 * lives while a file is open on it: pipe()'s two ends, or the opens of a FIFO's inode. */
struct pipe {
	struct pipe_buffer bufs[PIPE_BUFFERS];
	uint32_t head, tail; /* free-running counts; head - tail buffers are in use */
	uint32_t readers, writers;
	uint32_t files;                /* open files, whatever their access mode */
	uint32_t r_counter, w_counter; /* opens for reading and for writing, ever: a partner came */
	bool named;                    /* a FIFO of the file tree, not pipe()'s */
};

static struct slab_cache pipe_cache;
static const struct file_ops pipe_ops;

/* The wait points, one for each end (Linux's rd_wait and wr_wait): a read of an empty pipe with
 * writers sleeps on the head until bytes come, a write to a full pipe with readers on the tail
 * until room comes, without O_NONBLOCK. One channel for both let two writers of a full pipe wake
 * each other for ever, in the kernel, where no tick comes. 0, or -ERESTARTSYS when a signal
 * came. */
static int wait_for_bytes(struct pipe *pp)
{
	return sched_sleep(&pp->head, 0) ? -ERESTARTSYS : 0;
}

static int wait_for_room(struct pipe *pp)
{
	return sched_sleep(&pp->tail, 0) ? -ERESTARTSYS : 0;
}

/* Bytes came, or the last writer went: wake the readers, and every poller. */
static void wake_readers(struct pipe *pp)
{
	sched_wakeup(&pp->head);
	sched_wakeup(poll_chan);
}

/* Room came, or the last reader went: wake the writers, and every poller. */
static void wake_writers(struct pipe *pp)
{
	sched_wakeup(&pp->tail);
	sched_wakeup(poll_chan);
}

static struct pipe *pipe_of(const struct file *f)
{
	return f->inode->priv;
}

bool pipe_is(const struct file *f)
{
	return f->ops == &pipe_ops;
}

static bool reads(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static bool writes(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static bool pipe_full(const struct pipe *pp)
{
	return pp->head - pp->tail >= PIPE_BUFFERS;
}

struct pipe_state pipe_state_of(const struct file *f)
{
	const struct pipe *pp = pipe_of(f);
	struct pipe_state s = {0, pipe_full(pp), pp->readers, pp->writers};
	for (uint32_t i = pp->tail; i != pp->head; i++)
		s.queued += pp->bufs[i % PIPE_BUFFERS].len;
	return s;
}

/* Copy up to n bytes of the oldest buffer to dst + at; an emptied buffer goes. Bytes copied,
 * or -EFAULT when none could be. */
static long read_buffer(struct pipe *pp, struct iobuf dst, size_t at, size_t n)
{
	struct pipe_buffer *b = &pp->bufs[pp->tail % PIPE_BUFFERS];
	size_t len = b->len < n ? b->len : n;
	size_t got = iobuf_out(dst, at, (char *)phys_to_virt(b->pa) + b->offset, len);
	b->offset += (uint32_t)got;
	b->len -= (uint32_t)got;
	if (!b->len) {
		frame_free(b->pa);
		pp->tail++;
	}
	return got || !len ? (long)got : -EFAULT;
}

/* Linux's pipe_read: what is queued, up to n bytes; 0 at EOF (no writers), -EAGAIN or the
 * wait when empty. */
static long pipe_read(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	(void)off;
	struct pipe *pp = pipe_of(f);
	size_t done = 0;
	if (!n)
		return 0;
	while (pp->head == pp->tail) {
		if (!pp->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_for_bytes(pp);
		if (err)
			return err;
	}
	long r = 0;
	while (done < n && pp->head != pp->tail && (r = read_buffer(pp, dst, done, n - done)) > 0)
		done += (size_t)r;
	wake_writers(pp);
	return done ? (long)done : r;
}

/* Append len bytes of src + at to the newest buffer when it has room (Linux merges a write's
 * part below a page, its first part, so). Bytes taken: len or 0. */
static size_t merge(struct pipe *pp, struct iobuf src, size_t at, size_t len)
{
	if (!len || pp->head == pp->tail)
		return 0;
	struct pipe_buffer *b = &pp->bufs[(pp->head - 1) % PIPE_BUFFERS];
	if (b->offset + b->len + len > PAGE_SIZE)
		return 0;
	size_t got = iobuf_in(src, at, (char *)phys_to_virt(b->pa) + b->offset + b->len, len);
	b->len += (uint32_t)got;
	return got;
}

/* Fill a new buffer with up to a page of src + at. Bytes taken, -ENOMEM or -EFAULT. */
static long new_buffer(struct pipe *pp, struct iobuf src, size_t at, size_t n)
{
	paddr_t pa = frame_alloc(FRAME_KERNEL);
	if (!pa)
		return -ENOMEM;
	size_t len = n < PAGE_SIZE ? n : PAGE_SIZE;
	size_t got = iobuf_in(src, at, phys_to_virt(pa), len);
	if (!got) {
		frame_free(pa);
		return -EFAULT;
	}
	pp->bufs[pp->head % PIPE_BUFFERS] = (struct pipe_buffer){pa, 0, (uint32_t)got};
	pp->head++;
	return (long)got;
}

/* Linux's pipe_write: -EPIPE without readers (the caller sends SIGPIPE); the bytes below a page
 * merge into the newest buffer, the rest take new ones, waiting for room when the pipe is full
 * (O_NONBLOCK: what was written, or -EAGAIN). Writes of up to PIPE_BUF bytes need one buffer, and
 * the kernel is not preempted: they are atomic. */
static long pipe_write(struct file *f, struct iobuf src, size_t n, uint64_t *off)
{
	(void)off;
	struct pipe *pp = pipe_of(f);
	long err = 0;
	if (!n)
		return 0;
	if (!pp->readers)
		return -EPIPE;
	size_t done = merge(pp, src, 0, n & (PAGE_SIZE - 1));
	while (done < n && !err) {
		if (!pp->readers) {
			err = -EPIPE;
		} else if (!pipe_full(pp)) {
			long r = new_buffer(pp, src, done, n - done);
			if (r < 0)
				err = r;
			else
				done += (size_t)r;
			if (r >= 0 && (size_t)r < PAGE_SIZE && done < n)
				err = -EFAULT; /* a bad user page part way */
		} else if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
		} else {
			wake_readers(pp); /* for what is there */
			err = wait_for_room(pp);
		}
	}
	wake_readers(pp);
	return done ? (long)done : err;
}

/* Free pipe pp of inode ip, its last file gone: bytes still queued go with it (a FIFO opened
 * again starts empty, as on Linux). */
static void pipe_free(struct inode *ip, struct pipe *pp)
{
	for (; pp->tail != pp->head; pp->tail++)
		frame_free(pp->bufs[pp->tail % PIPE_BUFFERS].pa);
	ip->priv = NULL;
	if (pp->named)
		ip->fops = NULL;
	slab_free(&pipe_cache, pp);
}

/* The last reference to a file of the pipe: a reader or writer fewer (both for O_RDWR); the last
 * file frees the pipe. */
static void pipe_release(struct file *f)
{
	struct pipe *pp = pipe_of(f);
	if (reads(f))
		pp->readers--;
	if (writes(f))
		pp->writers--;
	wake_readers(pp); /* a reader sees the end */
	wake_writers(pp); /* a writer EPIPE */
	if (!--pp->files)
		pipe_free(f->inode, pp);
}

/* The w_counter a reader saw when it opened a FIFO without writers (O_NONBLOCK), kept in the
 * file: it is not hung up until a writer has come (Linux's f_pipe). 0 for other files. */
static uint32_t writers_seen(const struct file *f)
{
	return (uint32_t)(uintptr_t)f->priv;
}

/* Linux's pipe_poll: the read end is readable with bytes queued and hung up without writers;
 * the write end is writable with a buffer free and in error without readers. */
static int pipe_poll(struct file *f)
{
	const struct pipe *pp = pipe_of(f);
	int mask = 0;
	if (reads(f) && pp->head != pp->tail)
		mask |= POLLIN | POLLRDNORM;
	if (reads(f) && !pp->writers && writers_seen(f) != pp->w_counter)
		mask |= POLLHUP;
	if (writes(f) && !pipe_full(pp))
		mask |= POLLOUT | POLLWRNORM;
	if (writes(f) && !pp->readers)
		mask |= POLLERR;
	return mask;
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .release = pipe_release,
    .poll = pipe_poll,
};

/* A new pipe without files; NULL: out of memory. */
static struct pipe *pipe_alloc(bool named)
{
	if (!pipe_cache.objsize)
		slab_init(&pipe_cache, sizeof(struct pipe));
	struct pipe *pp = slab_alloc(&pipe_cache);
	if (pp) {
		pp->r_counter = pp->w_counter = 1; /* so pipe()'s ends, which saw 0, hang up */
		pp->named = named;
	}
	return pp;
}

/* Open ip's pipe with flags (its files take its ops) and count the new file's ends. */
static int open_end(struct inode *ip, struct pipe *pp, uint32_t flags, struct file **out)
{
	int err = file_open(ip, flags, out);
	if (err)
		return err;
	pp->files++;
	if (reads(*out))
		pp->readers++, pp->r_counter++;
	if (writes(*out))
		pp->writers++, pp->w_counter++;
	sched_wakeup(pp); /* a partner waiting in fifo_open */
	return 0;
}

/* The pipe's inode: a FIFO of mode 0600 that no directory names, labelled "pipe:[INO]". */
static struct inode *pipe_inode(struct pipe *pp)
{
	char label[32];
	struct inode *ip = inode_alloc(S_IFIFO | 0600);
	if (!ip)
		return NULL;
	snprintf(label, sizeof(label), "pipe:[%lu]", (unsigned long)ip->ino);
	if (inode_set_label(ip, label)) {
		inode_put(ip);
		return NULL;
	}
	ip->fops = &pipe_ops;
	ip->priv = pp;
	return ip;
}

int pipe_create(uint32_t flags, struct file *ends[2])
{
	struct pipe *pp = pipe_alloc(false);
	if (!pp)
		return -ENOMEM;
	struct inode *ip = pipe_inode(pp);
	int err = ip ? open_end(ip, pp, O_RDONLY | (flags & O_NONBLOCK), &ends[0]) : -ENOMEM;
	if (!err && (err = open_end(ip, pp, O_WRONLY | (flags & O_NONBLOCK), &ends[1])))
		file_put(ends[0]); /* the last file: frees the pipe */
	else if (err)
		slab_free(&pipe_cache, pp);
	if (ip)
		inode_put(ip);
	return err;
}

/* Sleep until *counter moves: a partner opened the other end (Linux's wait_for_partner). 0, or
 * -ERESTARTSYS when a signal came first. */
static int wait_for_partner(struct pipe *pp, const uint32_t *counter)
{
	uint32_t seen = *counter;
	while (seen == *counter)
		if (sched_sleep(pp, 0))
			return seen == *counter ? -ERESTARTSYS : 0;
	return 0;
}

/* Linux's fifo_open, after open_end: a named FIFO's reader waits for a writer and its writer
 * for a reader, but O_NONBLOCK readers and O_RDWR files, which never wait. */
static int wait_at_open(struct pipe *pp, struct file *f)
{
	if (!pp->named || reads(f) == writes(f))
		return 0;
	if (reads(f) && !pp->writers && (f->flags & O_NONBLOCK)) {
		f->priv = (void *)(uintptr_t)pp->w_counter;
		return 0;
	}
	if (reads(f) && !pp->writers)
		return wait_for_partner(pp, &pp->w_counter);
	if (writes(f) && !pp->readers)
		return wait_for_partner(pp, &pp->r_counter);
	return 0;
}

int pipe_open(struct inode *ip, uint32_t flags, struct file **out)
{
	uint32_t acc = flags & O_ACCMODE;
	if (acc == O_ACCMODE)
		return -EINVAL; /* neither reads nor writes */
	struct pipe *pp = ip->priv;
	if (!pp && (pp = pipe_alloc(true)) != NULL) {
		ip->priv = pp;
		ip->fops = &pipe_ops;
	}
	if (!pp)
		return -ENOMEM;
	int err = -ENXIO; /* a named FIFO's writer that may not wait for a reader */
	if (!(pp->named && acc == O_WRONLY && (flags & O_NONBLOCK) && !pp->readers))
		err = open_end(ip, pp, flags, out);
	if (err && !pp->files)
		pipe_free(ip, pp);
	if (!err && (err = wait_at_open(pp, *out)))
		file_put(*out); /* frees the pipe when it was its only file */
	return err;
}
