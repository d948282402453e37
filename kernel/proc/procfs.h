/* SOS's /proc: the files of the running process (/proc/1, which /proc/self names) and of the
 * machine (/proc/meminfo), their text made by kernel/proc at each read. */
#pragma once

#include <stdbool.h>

struct inode;
struct proc;

/* Whether ip is one of /proc/PID's own (its directory, fd/, its files): their modes are fixed
 * (Linux's proc_setattr: chmod is EPERM). */
bool procfs_pid_entry(const struct inode *ip);

/* Make /proc's tree in the root file system (after vfs_init). */
void procfs_init(void);

/* A process starts (its exe link appears) and ends (its links go). */
void procfs_start(const struct proc *p);
void procfs_end(void);
