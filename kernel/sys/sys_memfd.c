/* memfd_create: an anonymous tmpfs file, a regular inode that no directory names, opened for
 * reading and writing. Linux names it "memfd:NAME" (what /proc/self/fd shows); SOS checks the
 * name as Linux does and keeps it for /proc (inode_set_label). */
#include "fs/fdtable.h"
#include "lib/printf.h"
#include "sys/sys_fs.h"
#include <errno.h>
#include <string.h>

#define MFD_CLOEXEC       0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#define MFD_HUGETLB       0x0004U
#define MFD_NOEXEC_SEAL   0x0008U
#define MFD_EXEC          0x0010U
#define MFD_ALL_FLAGS     (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)
#define MFD_HUGE_BITS     (0x3fU << 26) /* a huge page size, with MFD_HUGETLB only */
#define MFD_PREFIX_LEN    6             /* "memfd:" */
#define MFD_NAME_MAX      (NAME_MAX - MFD_PREFIX_LEN)

/* Linux's sanitize_flags: unknown bits, a huge page size without MFD_HUGETLB, and both EXEC
 * and NOEXEC_SEAL are -EINVAL. */
static int check_flags(uint32_t flags)
{
	uint32_t allowed = MFD_ALL_FLAGS | ((flags & MFD_HUGETLB) ? MFD_HUGE_BITS : 0);
	if (flags & ~allowed)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	return 0;
}

/* The name at uname into name: -EFAULT when unreadable, -EINVAL past MFD_NAME_MAX bytes. */
static int read_name(struct proc *p, vaddr_t uname, char name[MFD_NAME_MAX + 1])
{
	size_t done = 0;
	while (done < MFD_NAME_MAX + 1) {
		if (as_copyin(p->as, name + done, uname + done, 1))
			return -EFAULT;
		if (!name[done])
			return 0;
		done++;
	}
	return -EINVAL;
}

/* memfd_create(name, flags): the new fd. Mode 0777 (0666 with MFD_NOEXEC_SEAL), no links;
 * MFD_HUGETLB makes an ordinary file (SOS has no huge pages to back it). */
long sys_memfd_create(struct proc *p, const uint64_t a[6])
{
	char name[MFD_NAME_MAX + 1], label[MFD_NAME_MAX + 16];
	uint32_t flags = (uint32_t)a[1];
	int err = check_flags(flags);
	if (!err)
		err = read_name(p, a[0], name);
	if (err)
		return err;
	struct inode *ip = inode_alloc(S_IFREG | ((flags & MFD_NOEXEC_SEAL) ? 0666 : 0777));
	if (!ip)
		return -ENOMEM;
	snprintf(label, sizeof(label), "/memfd:%s", name);
	struct file *f;
	err = inode_set_label(ip, label);
	if (!err)
		err = file_open(ip, O_RDWR | O_LARGEFILE, &f);
	inode_put(ip); /* the file holds it now, or nothing does */
	if (err)
		return err;
	int fd = fd_alloc(p->fds, f, 0, p->rlim[RLIMIT_NOFILE].cur, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
