/* The virtual file system: inodes (tmpfs is the only file system, so an inode is its own storage),
 * open file descriptions, their operations, path lookup and the name operations on directories. */
#pragma once
#include "mm/shmem.h"
#include "mm/types.h"

struct as;

/* Linux's ABI constants (x86-64), under Linux's names. */
#define S_IFMT     0170000
#define S_IFSOCK   0140000
#define S_IFLNK    0120000
#define S_IFREG    0100000
#define S_IFBLK    0060000
#define S_IFDIR    0040000
#define S_IFCHR    0020000
#define S_IFIFO    0010000
#define S_ISUID    04000
#define S_ISGID    02000
#define S_ISVTX    01000
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)

#define O_ACCMODE   03
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DSYNC     010000
#define O_ASYNC     020000
#define O_DIRECT    040000
#define O_LARGEFILE 0100000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_NOATIME   01000000
#define O_CLOEXEC   02000000
#define O_SYNC      04010000
#define O_PATH      010000000
#define O_TMPFILE   020200000 /* __O_TMPFILE | O_DIRECTORY */
#define __O_TMPFILE 020000000

#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS          0x200
#define AT_REMOVEDIR        0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000

#define SEEK_SET  0
#define SEEK_CUR  1
#define SEEK_END  2
#define SEEK_DATA 3
#define SEEK_HOLE 4

#define PATH_MAX    4096 /* bytes of a path, its NUL included */
#define NAME_MAX    255  /* bytes of one name */
#define SYMLOOP_MAX 40   /* symlinks one lookup follows (Linux's MAXSYMLINKS) */

#define MAX_RW_COUNT 0x7ffff000L /* Linux clamps one read or write to this */

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE  2
#define RENAME_WHITEOUT  4

#define DIR_POS_FIRST 2  /* a directory position: before its newest entry (after "..") */
#define DIR_BOGO_SIZE 20 /* a directory's st_size grows by this for each name (Linux's tmpfs) */

#define FS_DEV_ROOT 0x16 /* st_dev of the root tmpfs, devtmpfs at /dev, proc at /proc */
#define FS_DEV_DEV  0x05
#define FS_DEV_PROC 0x17

#define MKDEV(major, minor) (((uint32_t)(major) << 8) | (uint32_t)(minor)) /* old_encode_dev */

struct fs_time {
	int64_t sec;
	int64_t nsec;
};

struct inode;
struct file;
struct file_lock;

/* One name in a directory. A directory's entries are a list, newest first: getdents reads them
 * in that order, as Linux 6.12's tmpfs does. */
struct dirent {
	struct dirent *next;
	struct inode *inode; /* holds one of its nlink */
	uint64_t off; /* the directory position just past this entry (a newer one's is larger) */
	uint16_t namelen;
	char name[NAME_MAX + 1];
};

/* A node of the file tree. It lives while it has a name (nlink) or a reference (refs: open
 * files, working directories, a lookup's result in a caller's hands); the last of both frees it. */
struct inode {
	uint64_t ino;
	uint32_t mode; /* S_IFMT type | permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint32_t rdev; /* character devices: MKDEV(major, minor) */
	uint32_t
	    dev; /* the file system it is on (st_dev): /dev and /proc are mounts of their own */
	uint32_t refs; /* references besides names */
	/* Linux's i_writecount: > 0 files open for writing, < 0 programs running from it */
	int32_t writecount;
	bool linkable; /* an O_TMPFILE file without O_EXCL: linkat may give it a first name */
	uint64_t size; /* bytes: regular files and symlinks; directories report their entries */
	struct fs_time atime, mtime, ctime, btime;
	struct shmem *data; /* regular files: the pages (the page cache), NULL while empty */
	char *target; /* symlinks: the target; an unnamed file: its label (memfd); in a frame of its
	                 own */
	paddr_t target_pa;      /* that frame */
	struct dirent *entries; /* directories: names, newest first */
	uint64_t next_off;      /* directories: the off the next entry gets */
	struct inode *parent;   /* directories: the one holding them (".."); the root: itself */
	const struct file_ops *fops; /* files opened from this inode use these, if set (/proc) */
	void *priv;                  /* the owner of fops's data */
	/* synthetic directories (/proc/1/fd): bring the entries up to date before they are read */
	void (*fill)(struct inode *dir);
	struct file_lock *flocks, *rlocks; /* flock's locks; record locks (lock.c) */
	/* magic links (/proc/1/fd/N, /proc/1/exe): the inode the link stands for now, reached
	 * whether or not a path names it (Linux's proc_get_link); NULL from it: follow target */
	struct inode *(*follow)(const struct inode *link);
	struct inode *all_prev, *all_next; /* every live inode, for the leak check */
};

/* Where a read puts its bytes or a write finds them: user memory of an address space, or
 * kernel memory (as == NULL), starting at addr (xv6's either_copyout). */
struct iobuf {
	struct as *as;
	uintptr_t addr;
};

/* Copy n bytes to / from b + at, a page at a time. Bytes copied: fewer than n when a user page
 * is bad part way (the caller ends short there, as Linux does). */
size_t iobuf_out(struct iobuf b, size_t at, const void *src, size_t n);
size_t iobuf_in(struct iobuf b, size_t at, void *dst, size_t n);

/* An open file description (Linux's struct file): what open returns, shared by dup and fork. */
struct file {
	struct inode *inode; /* one reference */
	const struct file_ops *ops;
	uint64_t off;   /* the position read and write use and advance */
	uint32_t flags; /* open's flags as F_GETFL shows them: O_ACCMODE, O_APPEND, O_NONBLOCK... */
	uint32_t refs;  /* fd slots and mappings holding it */
	bool writer;    /* opened by path for writing: holds its inode's write access */
	void *priv;     /* the ops' own (a /proc file's contents) */
	struct file *all_prev, *all_next; /* every open file, for the leak check */
};

/* What a kind of file does. read and write move up to n bytes at *off (advancing it) and return
 * the count or -errno; NULL means -EINVAL (Linux: the file cannot do it). lseek NULL is -ESPIPE;
 * release runs at the last reference (may be NULL). */
struct file_ops {
	long (*read)(struct file *f, struct iobuf dst, size_t n, uint64_t *off);
	long (*write)(struct file *f, struct iobuf src, size_t n, uint64_t *off);
	long (*lseek)(struct file *f, int64_t off, int whence);
	void (*release)(struct file *f);
	int (*poll)(struct file *f); /* the POLL* events ready now; NULL: DEFAULT_POLLMASK */
	/* Linux gives the file no splice_read (/proc/PID/ files): sendfile and copy_file_range
	 * refuse to read it */
	bool no_splice;
};

#define POLLIN           0x001
#define POLLPRI          0x002
#define POLLOUT          0x004
#define POLLERR          0x008
#define POLLHUP          0x010
#define POLLNVAL         0x020
#define POLLRDNORM       0x040
#define POLLRDBAND       0x080
#define POLLWRNORM       0x100
#define POLLWRBAND       0x200
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* The events f has ready now (poll, select). */
int file_poll(struct file *f);

/* ---- inodes (inode.c) ---- */

/* The root directory, made by vfs_init(). */
extern struct inode *vfs_root;

/* Make the root (empty). */
void vfs_init(void);

/* Then, after the root archive, SOS's own tree in the order the oracle's init makes it: /dev
 * with its devices, /proc, /tmp (1777); directories the archive had are kept. */
void vfs_boot_tree(void);

/* A new inode of mode (type and bits) with nlink 0 and refs 1, times now; NULL: out of memory. */
struct inode *inode_alloc(uint32_t mode);
void inode_get(struct inode *ip);
/* One reference fewer; an inode without names or references is freed with its pages. */
void inode_put(struct inode *ip);
/* Drop one name: nlink - 1, ctime now; freed when nothing holds it either. */
void inode_drop_link(struct inode *ip);

/* Write access to a regular file, as Linux counts it: a file open for writing (and a truncation
 * by path) holds it, a running program denies it, and each fails with -ETXTBSY while the other
 * side holds. */
int inode_get_write(struct inode *ip);
void inode_put_write(struct inode *ip);
int inode_deny_write(struct inode *ip);
void inode_allow_write(struct inode *ip);

/* The current time for inode times. */
struct fs_time fs_now(void);

/* Live inodes, open files, and the frames the file system holds now (data pages, their radix
 * nodes, symlink targets, the slab pages of its objects): for main.c's leak check. */
size_t inodes_live(void);
size_t inodes_unnamed(void);    /* live inodes without a name: held by someone, or leaked */
size_t inodes_referenced(void); /* references on inodes, but directories' on their parents */
size_t files_open(void);
size_t fs_frames(void);
uint64_t fs_data_pages(void);   /* data pages of every file */
uint64_t fs_swap_slots(void);   /* their pages out on swap: a file outlives a run */
size_t dirent_slab_pages(void); /* (the parts fs_frames sums) */
size_t file_slab_pages(void);

/* ---- regular files (tmpfs.c) ---- */

extern const struct file_ops tmpfs_file_ops;
extern const struct file_ops tmpfs_dir_ops;

/* Set a regular file's size: grow (holes read as zeros) or shrink (the pages past it go).
 * 0, -EFBIG, -ENOSPC or -ENOMEM. */
int tmpfs_resize(struct inode *ip, uint64_t size);

/* Write n bytes of kernel memory at off (the initramfs unpacking). Bytes written or -errno. */
long tmpfs_write_kernel(struct inode *ip, const void *src, size_t n, uint64_t off);

/* A regular file's object (its pages), made when the file has none yet; NULL: no memory. */
struct shmem *tmpfs_object(struct inode *ip);

/* Drop a regular file's pages (the inode is being freed). */
void tmpfs_release_data(struct inode *ip);

/* Bytes of file data tmpfs holds now and may hold (half of RAM, Linux's default size). */
uint64_t tmpfs_pages_used(void);
uint64_t tmpfs_pages_limit(void);

/* ---- directories and names (dir.c) ---- */

/* The inode named name (namelen bytes, no '/') in directory dir, without a reference; "." and
 * ".." included. NULL when absent. */
struct inode *dir_lookup(struct inode *dir, const char *name, size_t namelen);

/* Add the name to dir for ip (nlink + 1; a directory's ".." counts in dir). 0, -EEXIST,
 * -ENOMEM. */
int dir_link(struct inode *dir, const char *name, size_t namelen, struct inode *ip);

/* Remove the name from dir (the inode loses the link). 0 or -ENOENT. */
int dir_unlink(struct inode *dir, const char *name, size_t namelen);

/* True when directory ip has no entries but "." and "..". */
bool dir_empty(const struct inode *ip);

/* Make a new inode of mode under dir as name (regular file, directory, symlink with target,
 * char device rdev). The new inode in *out with a reference. 0, -EEXIST, -ENOSPC, -ENOMEM,
 * -ENAMETOOLONG (a target of PATH_MAX bytes or more). */
int dir_create(struct inode *dir, const char *name, size_t namelen, uint32_t mode,
               const char *target, uint32_t rdev, struct inode **out);

/* Rename olddir/oldname to newdir/newname as renameat2 does once both parents are found (the
 * names are neither "." nor ".."; a slash followed them when *slash). 0 or -errno. */
int dir_rename(struct inode *olddir, const char *oldname, bool oldslash, struct inode *newdir,
               const char *newname, bool newslash, unsigned flags);

/* Put linux_dirent64 records of directory file f from its position into dst (n bytes), moving
 * the position past them. Bytes put, 0 at the end, -EINVAL (no room for one), -EFAULT, -ENOENT
 * (the directory was removed). */
long dir_getdents(struct file *f, struct iobuf dst, size_t n);

/* ---- path lookup (namei.c) ---- */

#define LOOKUP_FOLLOW    1 /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 2 /* the result must be a directory */

/* Resolve path (a kernel string) from start (relative paths; absolute ones from vfs_root).
 * The inode in *out with a reference. A trailing slash asks for a directory and follows a last
 * symlink. 0, -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG. An empty path is -ENOENT. */
int path_lookup(struct inode *start, const char *path, unsigned flags, struct inode **out);

/* The inode magic link ip stands for now (no new reference), or NULL: ip is a plain symlink,
 * followed by its target's text. */
struct inode *magic_link_inode(const struct inode *ip);

/* The parent of path's last component, for the calls that make or remove names: the directory
 * in *dir with a reference, its last name in name (NUL-terminated), and whether a '/' followed
 * it (*slash). A path whose last component is "." or ".." gives that name (callers refuse it
 * as Linux does). 0, or path_lookup's errors. */
int path_parent(struct inode *start, const char *path, struct inode **dir, char name[NAME_MAX + 1],
                bool *slash);

/* The absolute path of directory ip into buf (size bytes). Its length with the NUL, or -ERANGE,
 * or -ENOENT when ip was removed. */
long path_of(struct inode *ip, char *buf, size_t size);

/* ---- open files (file.c) ---- */

/* Open ip with flags (the checks of open are done): a new file with one reference in *out.
 * 0, -ENOMEM, -ENXIO (a device without a driver). */
int file_open(struct inode *ip, uint32_t flags, struct file **out);

/* Open path from start as open(2) does, creating with mode (umask applied by the caller) when
 * O_CREAT asks. 0, or the errno of open(2). */
int vfs_open(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
             struct file **out);

void file_get(struct file *f);
/* One reference fewer; the last releases the file and its inode reference. */
void file_put(struct file *f);

/* Seek f as lseek(2) does over a file of size bytes (regular files, directories). */
long file_lseek_default(struct file *f, int64_t off, int whence, uint64_t size);

/* ---- names of open files (names.c) ---- */

/* The path of f's file into buf (size bytes), as /proc shows it: " (deleted)" when it has no name
 * left. False when it does not fit. */
bool file_path_name(const struct file *f, char *buf, size_t size);

/* The same for inode ip (the first of its names, when it has several). */
bool inode_path_name(struct inode *ip, char *buf, size_t size);

/* Keep label in ip's target frame: a symlink's target, or the name /proc shows for a file no
 * directory names ("/memfd:NAME", "pipe:[N]", a deleted file's path). 0, -ENAMETOOLONG (a page
 * or more) or -ENOMEM. */
int inode_set_label(struct inode *ip, const char *label);

/* Keep the path of ip's last name (name in dir) as its label, as it loses it while still open:
 * Linux's "/tmp/x (deleted)". Out of memory, it keeps none. */
void inode_keep_name(struct inode *ip, struct inode *dir, const char *name, size_t namelen);

/* The device and inode numbers /proc/self/maps shows for f. */
void file_dev_ino(const struct file *f, uint32_t *dev, uint64_t *ino);

/* ---- character devices (dev.c) ---- */

#define DEV_MEM_MAJOR 1 /* Linux's mem devices: null 3, zero 5, full 7, random 8, urandom 9 */

/* The operations of character device rdev, or NULL when SOS has no such driver. */
const struct file_ops *chrdev_ops(uint32_t rdev);

/* True for /dev/zero, whose private and shared mappings are anonymous memory. */
bool chrdev_is_zero(uint32_t rdev);

/* Files on fd 0, 1 and 2 of a new process: the host's stdin (console_read), stdout, stderr. */
int console_files(struct file *out[3]);
