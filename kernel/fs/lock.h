/* File locks (lock.c): Linux's flock() locks, owned by an open file; POSIX record locks, owned by
 * a process's fd table and let go at any close of the file by it; OFD locks, owned by an open
 * file. The file system knows no processes: owners are opaque pointers, pids numbers. */
#pragma once
#include "fs/vfs.h"

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

#define LOCK_OFFSET_MAX INT64_MAX /* a byte range to the end of any file ends here */

/* A request for a record lock: its kind, type (F_RDLCK, F_WRLCK, F_UNLCK), the bytes
 * [start, end] and who asks: a POSIX lock's owner is its fd table (pid the process's), an OFD
 * lock's its open file. */
struct lock_req {
	bool ofd;
	int type;
	int64_t start, end;
	const void *owner;
	int pid;
};

/* flock(2) on file f: type F_RDLCK (shared), F_WRLCK (exclusive) or F_UNLCK; a lock of the other
 * type f holds goes first, as on Linux (not atomically). wait: sleep while another file's lock
 * conflicts. 0, -EAGAIN (would wait), -ENOMEM or -ERESTARTSYS. */
int lock_flock(struct file *f, int type, bool wait);

/* F_SETLK (wait: F_SETLKW) and their OFD forms on inode ip: take, change or drop (F_UNLCK) the
 * owner's lock on the range, splitting and merging its other locks as Linux does. 0, -EAGAIN
 * (a conflicting lock of another owner), -EDEADLK (waiting would close a cycle of POSIX owners
 * each waiting for the next), -ENOLCK (no memory) or -ERESTARTSYS. */
int lock_set(struct inode *ip, const struct lock_req *r, bool wait);

/* F_GETLK: the first lock of another owner that conflicts with r, copied into *r (its type,
 * range, and the holder's pid, -1 for an OFD lock), or r's type set to F_UNLCK when none does. */
void lock_test(struct inode *ip, struct lock_req *r);

/* Any close of a file on ip by the fd table owner: its POSIX locks on ip go. */
void lock_close(struct inode *ip, const void *owner);

/* The last reference to f: its flock and OFD locks go. */
void lock_release(struct file *f);

/* Locks held now, and the slab pages they take: for main.c's leak check. */
size_t locks_live(void);
size_t lock_slab_pages(void);
