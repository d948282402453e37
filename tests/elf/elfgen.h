/* Hand-made ELF files for testing kernel/proc/elf.c: a minimal valid static x86-64 executable built
 * in memory, and a table of patches that each break one rule. Shared by the tests and mkcorpus. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A file in memory; bytes is malloc'd and owned by whoever holds the image. */
struct elf_image {
	uint8_t *bytes;
	size_t len;
};

/* The tiny executable's facts, for the tests. It writes "elf\n" and exits with status 42. */
#define TINY_ENTRY  0x401000UL
#define TINY_DATA   0x402000UL
#define TINY_END    (TINY_DATA + 0x1800)
#define TINY_PHNUM  4
#define TINY_STATUS 42

/* The tiny executable: headers R at 0x400000, code R-X at 0x401000, data+bss RW- at 0x402000. */
struct elf_image tiny_elf(void);

/* A malloc'd copy of img. */
struct elf_image image_copy(struct elf_image img);

/* A malloc'd copy of file path's bytes; exits the program with a message when it cannot. */
struct elf_image image_read(const char *path);

/* One defect: apply it to a copy of a valid executable, and elf_check must refuse the result with
 * a reason containing `reason`. apply returns false when the image has no room or part for it.
 * An oddity is the same with reason NULL: an unusual file that elf_check must still accept. */
struct elf_defect {
	const char *name;   /* a file name: lower case and dashes */
	const char *reason; /* a substring of elf_check's answer; NULL for an oddity */
	bool (*apply)(struct elf_image *img);
};

#define ELF_NDEFECTS  56 /* checked against the tables in elfgen.c */
#define ELF_NODDITIES 10

extern const struct elf_defect *const elf_defects;
extern const struct elf_defect *const elf_oddities;
