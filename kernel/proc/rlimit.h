/* Resource limits: the RLIMIT_* table of a process, its defaults (the oracle's, for a job its init
 * starts as root) and the rule for changing one. The system calls are in sys/sys_limits.c. */
#pragma once
#include "mm/types.h"

#define RLIMIT_CPU        0
#define RLIMIT_FSIZE      1
#define RLIMIT_DATA       2
#define RLIMIT_STACK      3
#define RLIMIT_CORE       4
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6
#define RLIMIT_NOFILE     7
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9
#define RLIMIT_LOCKS      10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE   12
#define RLIMIT_NICE       13
#define RLIMIT_RTPRIO     14
#define RLIMIT_RTTIME     15
#define RLIM_NLIMITS      16

#define RLIM_INFINITY (~0UL)
#define NR_OPEN       1048576 /* Linux's fs.nr_open default: the most RLIMIT_NOFILE may be */

struct proc;

struct rlimit {
	uint64_t cur, max; /* soft and hard limit */
};

/* Fill rl[RLIM_NLIMITS] with the limits a program starts with. */
void rlimit_init(struct rlimit *rl);

/* Whether root (who may raise a hard limit) may set resource to new: 0, -EINVAL (soft above
 * hard) or -EPERM (RLIMIT_NOFILE above NR_OPEN). */
int rlimit_check(int resource, const struct rlimit *new);

/* RLIMIT_FSIZE for a write of *count bytes at pos (Linux's generic_write_check_limits): at or
 * past the limit it sends SIGXFSZ and is -EFBIG, else *count is cut to end at it. 0 or -EFBIG. */
int rlimit_fsize_write(struct proc *p, uint64_t pos, uint64_t *count);

/* RLIMIT_FSIZE for a file growing from old to new bytes (Linux's inode_newsize_ok): past the
 * limit SIGXFSZ and -EFBIG. 0 or -EFBIG. */
int rlimit_fsize_grow(struct proc *p, uint64_t old, uint64_t new);
