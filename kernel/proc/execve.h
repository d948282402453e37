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

/* The buffer of exec's arguments (execbuf.c): room for n more bytes at its end (NULL: -E2BIG, or
 * out of memory), a copy of the string s[0, n) in it, and its release when exec is done. */
char *exec_buf_reserve(size_t n);
const char *exec_buf_keep(const char *s, size_t n);
void exec_buf_release(void);

/* Why a reservation failed since the last release: -E2BIG (the buffer is full) or -ENOMEM (no
 * frame for it), the first failure's reason. */
int exec_buf_error(void);

/* A program file: a regular file with an execute bit (root needs one). 0 or -EACCES. */
int exec_permitted(const struct inode *ip);

/* Follow "#!" lines from *ip, found by path (relative interpreters from cwd), to an ELF file,
 * which replaces *ip (references moved), with argv rewritten as Linux's load_script() does (the
 * strings in the exec buffer). 0, or -ENOEXEC, -ELOOP, -E2BIG, -ENOMEM, or the interpreter's
 * lookup's. */
int exec_follow_scripts(struct inode *cwd, struct inode **ip, const char *path,
                        struct exec_args *a);
