/* Loading a program into a fresh address space (exec.c). */
#pragma once
#include "mm/as.h"
#include "mm/shmem.h"
#include "proc/elf.h"

/* exec_load()'s answer when exec fails where Linux is past its point of no return: a segment's
 * bss is more memory than the overcommit heuristic grants one request (elf_load()'s vm_brk_flags()
 * refuses it), and Linux kills the process with SIGSEGV. */
#define EXEC_BSS_REFUSED 1

/* What exec puts on the new stack: argv, envp, and the name the file was found by (AT_EXECFN). */
struct exec_args {
	int argc, envc;
	const char *const *argv, *const *envp;
	const char *filename;
};

/* Where exec put things, as Linux's mm_struct keeps them for /proc/self/stat: the code and data
 * of the file, the initial stack pointer (argc's word), and the argv and envp strings. */
struct exec_layout {
	vaddr_t start_code, end_code, start_data, end_data;
	vaddr_t start_stack;
	vaddr_t arg_start, arg_end, env_start, env_end;
};

/* Define ep's segments, the heap and the stack in as and build the initial stack with args.
 * The segments map obj, the program file's pages (its page cache), privately, or, with obj
 * NULL, image's bytes. 0 and the layout (the initial rsp is its start_stack), -errno (-E2BIG:
 * too many or too long strings; -ENOMEM when out of memory), or EXEC_BSS_REFUSED. */
int exec_load(struct as *as, const uint8_t *image, struct shmem *obj, const struct elf_program *ep,
              const struct exec_args *args, struct exec_layout *out);
