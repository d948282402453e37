/* execve from the file system (execve.c). */
#pragma once
#include "proc/proc.h"

struct inode;

/* The first page of program file ip in its page cache (for the "#!" line and the ELF headers),
 * or NULL when it has none. */
const uint8_t *exec_head(struct inode *ip);

/* Replace p's program with the ELF file ip, run with args: 0 (p runs the new program from its
 * trapframe), or -ENOEXEC, -ENOMEM, -E2BIG, -EFAULT with p untouched. */
int proc_exec(struct proc *p, struct inode *ip, const struct exec_args *args);
