/* Character devices: Linux's memory devices (null, zero, full, random, urandom) and the console
 * files a process starts with on fd 0, 1 and 2 (the host's stdin, stdout and stderr). */
#include "arch/x86_64/platform.h"
#include "dev/console.h"
#include "fs/vfs.h"
#include <errno.h>
#include <string.h>

/* lseek on null, zero and full: the position goes back to 0 (null_lseek). */
static long lseek_zero(struct file *f, int64_t off, int whence)
{
	(void)off, (void)whence;
	f->off = 0;
	return 0;
}

/* lseek on random and urandom: nothing moves (noop_llseek). */
static long lseek_noop(struct file *f, int64_t off, int whence)
{
	(void)off, (void)whence;
	return (long)f->off;
}

static long read_eof(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	(void)f, (void)dst, (void)n, (void)off;
	return 0;
}

/* Writes to null and zero succeed without reading the buffer. */
static long write_sink(struct file *f, struct iobuf src, size_t n, uint64_t *off)
{
	(void)f, (void)src, (void)off;
	return (long)n;
}

static long write_full(struct file *f, struct iobuf src, size_t n, uint64_t *off)
{
	(void)f, (void)src, (void)n, (void)off;
	return -ENOSPC;
}

/* Fill dst with n bytes that fill() makes a page at a time; short at a bad page. */
static long read_made(struct iobuf dst, size_t n, void (*fill)(char *buf, size_t len))
{
	char buf[256];
	size_t done = 0;
	while (done < n) {
		size_t len = n - done < sizeof(buf) ? n - done : sizeof(buf);
		fill(buf, len);
		size_t got = iobuf_out(dst, done, buf, len);
		done += got;
		if (got < len)
			break;
	}
	return done || !n ? (long)done : -EFAULT;
}

static void fill_zero(char *buf, size_t len)
{
	memset(buf, 0, len);
}

static void fill_random(char *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t r = arch_random();
		memcpy(buf + i, &r, len - i < 8 ? len - i : 8);
	}
}

static long read_zero(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	(void)f, (void)off;
	return read_made(dst, n, fill_zero);
}

static long read_random(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	(void)f, (void)off;
	return read_made(dst, n, fill_random);
}

/* Writes to random mix the bytes into the pool: they are read (a bad buffer is -EFAULT). */
static long write_random(struct file *f, struct iobuf src, size_t n, uint64_t *off)
{
	(void)f, (void)off;
	char buf[256];
	size_t done = 0;
	while (done < n) {
		size_t len = n - done < sizeof(buf) ? n - done : sizeof(buf);
		size_t got = iobuf_in(src, done, buf, len);
		done += got;
		if (got < len)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

static const struct file_ops null_ops = {
    .read = read_eof, .write = write_sink, .lseek = lseek_zero};
static const struct file_ops zero_ops = {
    .read = read_zero, .write = write_sink, .lseek = lseek_zero};
static const struct file_ops full_ops = {
    .read = read_zero, .write = write_full, .lseek = lseek_zero};
static const struct file_ops random_ops = {
    .read = read_random, .write = write_random, .lseek = lseek_noop};

const struct file_ops *chrdev_ops(uint32_t rdev)
{
	switch (rdev) {
	case MKDEV(DEV_MEM_MAJOR, 3):
		return &null_ops;
	case MKDEV(DEV_MEM_MAJOR, 5):
		return &zero_ops;
	case MKDEV(DEV_MEM_MAJOR, 7):
		return &full_ops;
	case MKDEV(DEV_MEM_MAJOR, 8):
	case MKDEV(DEV_MEM_MAJOR, 9):
		return &random_ops;
	default:
		return NULL;
	}
}

bool chrdev_is_zero(uint32_t rdev)
{
	return rdev == MKDEV(DEV_MEM_MAJOR, 5);
}

/* fd 0: what the host's stdin has sent so far, up to n bytes (a page at a time). */
static long stdin_read(struct file *f, struct iobuf dst, size_t n, uint64_t *off)
{
	(void)f, (void)off;
	char buf[PAGE_SIZE];
	if (n == 0)
		return 0;
	long got = console_read(buf, n < sizeof(buf) ? n : sizeof(buf));
	if (got <= 0)
		return got;
	size_t out = iobuf_out(dst, 0, buf, (size_t)got);
	return out ? (long)out : -EFAULT;
}

/* fd 1 and 2: the bytes go to bin/sos-run's stdout or stderr, a page at a time; a bad page
 * part way ends the write short there. */
static long console_write(enum channel c, struct iobuf src, size_t n)
{
	char buf[PAGE_SIZE];
	size_t done = 0;
	while (done < n) {
		size_t len = PAGE_SIZE - ((src.addr + done) & PAGE_MASK);
		len = len < n - done ? len : n - done;
		if (iobuf_in(src, done, buf, len) < len)
			return done ? (long)done : -EFAULT;
		arch_write(c, buf, len);
		done += len;
	}
	return (long)done;
}

static long stdout_write(struct file *f, struct iobuf src, size_t n, uint64_t *off)
{
	(void)f, (void)off;
	return console_write(CHAN_STDOUT, src, n);
}

static long stderr_write(struct file *f, struct iobuf src, size_t n, uint64_t *off)
{
	(void)f, (void)off;
	return console_write(CHAN_STDERR, src, n);
}

/* fd 0 is readable once the host's input has a byte for it, or has ended. */
static int stdin_poll(struct file *f)
{
	(void)f;
	return console_ready() ? POLLIN | POLLRDNORM : 0;
}

static const struct file_ops stdin_ops = {.read = stdin_read, .poll = stdin_poll};
static const struct file_ops stdout_ops = {.write = stdout_write};
static const struct file_ops stderr_ops = {.write = stderr_write};

/* A console file: an unnamed character-device inode (the console's 5:1) opened with flags. */
static int console_file(const struct file_ops *ops, uint32_t flags, struct file **out)
{
	struct inode *ip = inode_alloc(S_IFCHR | 0620);
	if (!ip)
		return -ENOMEM;
	ip->rdev = MKDEV(5, 1);
	ip->fops = ops;
	int err = file_open(ip, flags | O_LARGEFILE, out);
	inode_put(ip);
	return err;
}

int console_files(struct file *out[3])
{
	int err = console_file(&stdin_ops, O_RDONLY, &out[0]);
	if (!err && (err = console_file(&stdout_ops, O_WRONLY, &out[1])))
		file_put(out[0]);
	if (!err && (err = console_file(&stderr_ops, O_WRONLY, &out[2]))) {
		file_put(out[0]);
		file_put(out[1]);
	}
	return err;
}
