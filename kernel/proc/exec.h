/* Loading a program into a fresh address space (exec.c). */
#pragma once
#include "mm/as.h"
#include "proc/elf.h"

/* Define ep's segments, the heap and the stack in as and build the initial stack with argv.
 * 0 and the initial rsp, or -errno (-ENOMEM when out of memory). */
int exec_load(struct as *as, const uint8_t *image, const struct elf_program *ep, int argc,
              const char *const *argv, vaddr_t *rsp);
