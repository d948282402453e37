/* read, write, writev and ioctl on the three descriptors a program has: fd 0 (the console's
 * input: the host's stdin), fd 1 and fd 2 (bin/sos-run's stdout and stderr). User buffers go
 * through as_copyin and as_copyout. */
#include "arch/x86_64/platform.h"
#include "dev/console.h"
#include "mm/layout.h"
#include "sys/sys.h"
#include <errno.h>

#define IOV_MAX      1024
#define TIOCGWINSZ   0x5413
#define MAX_RW_COUNT 0x7ffff000L /* Linux clamps one read or write to this */

struct iovec {
	uint64_t base, len;
};

/* Copy n user bytes from buf to fd's channel a page at a time. Bytes written, or -errno when
 * nothing was: like Linux, a bad page part way through ends the write short at that page. */
static long write_user(struct proc *p, int fd, vaddr_t buf, size_t n)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	if (buf >= USER_END || n > USER_END - buf)
		return -EFAULT; /* Linux's access_ok() on the whole range, before anything */
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	char page[PAGE_SIZE];
	size_t done = 0;
	while (done < n) {
		size_t len = PAGE_SIZE - ((buf + done) & PAGE_MASK);
		len = len < n - done ? len : n - done;
		int err = as_copyin(p->as, page, buf + done, len);
		if (err)
			return done ? (long)done : err;
		arch_write(fd == 1 ? CHAN_STDOUT : CHAN_STDERR, page, len);
		done += len;
	}
	return (long)done;
}

long sys_write(struct proc *p, const uint64_t a[6])
{
	return write_user(p, (int)a[0], a[1], a[2]);
}

/* The i-th iovec of a user array, read through the checked copy. */
static int get_iovec(struct proc *p, vaddr_t arr, int i, struct iovec *v)
{
	return as_copyin(p->as, v, arr + i * sizeof(*v), sizeof(*v));
}

long sys_writev(struct proc *p, const uint64_t a[6])
{
	int fd = (int)a[0], cnt = (int)a[2];
	struct iovec v;
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	if (fd != 1 && fd != 2)
		return -EBADF;
	uint64_t total = 0; /* Linux refuses the whole call when the lengths overflow ssize_t */
	for (int i = 0; i < cnt; i++) {
		if (get_iovec(p, a[1], i, &v))
			return -EFAULT;
		if (v.len > (uint64_t)INT64_MAX - total)
			return -EINVAL;
		total += v.len;
	}
	long done = 0;
	for (int i = 0; i < cnt; i++) {
		if (get_iovec(p, a[1], i, &v))
			return done ? done : -EFAULT;
		long r = write_user(p, fd, v.base, v.len);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((uint64_t)r < v.len)
			break;
	}
	return done;
}

/* Read from the console (the host's stdin) into user memory: at most a page per call. */
static long read_console(struct proc *p, vaddr_t buf, size_t n)
{
	char page[PAGE_SIZE];
	if (buf >= USER_END || n > USER_END - buf)
		return -EFAULT;
	if (n > PAGE_SIZE)
		n = PAGE_SIZE;
	long got = console_read(page, n);
	if (got > 0 && as_copyout(p->as, buf, page, got))
		return -EFAULT;
	return got;
}

long sys_read(struct proc *p, const uint64_t a[6])
{
	int fd = (int)a[0];
	if (fd == 1 || fd == 2)
		return -EBADF; /* opened for writing only */
	return fd == 0 ? read_console(p, a[1], a[2]) : -EBADF;
}

long sys_ioctl(struct proc *p, const uint64_t a[6])
{
	(void)p;
	int fd = (int)a[0];
	if (fd < 0 || fd > 2)
		return -EBADF;
	return -ENOTTY; /* no descriptor is a terminal: TIOCGWINSZ and the rest */
}
