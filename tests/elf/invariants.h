/* The promises of kernel/proc/elf.h, checked from outside: what an accepted file's description
 * must satisfy. Shared by the unit tests and the fuzzer (fuzz/fuzz_elf.c). */
#pragma once
#include "proc/elf.h"

/* NULL when prog, which elf_check accepted for image[0, len), keeps every promise; else the first
 * broken one. */
const char *elf_invariants(const uint8_t *image, size_t len, const struct elf_program *prog);

/* NULL when why, a refusal of elf_check, is a sensible one-line reason; else what is wrong. */
const char *elf_reason_ok(const char *why);
