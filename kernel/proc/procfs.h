/* SOS's /proc: the files of the running process (/proc/1, which /proc/self names) and of the
 * machine (/proc/meminfo), their text made by kernel/proc at each read. */
#pragma once

struct proc;

/* Make /proc's tree in the root file system (after vfs_init). */
void procfs_init(void);

/* A process starts (its exe link appears) and ends (its links go). */
void procfs_start(const struct proc *p);
void procfs_end(void);
