/* elf-check FILE...: SOS's ELF checker (kernel/proc/elf.c) as a host command, for the harness's
 * stand-in and for people: says on stderr why SOS refuses a file; 126 if it refuses any. */
#include <stdio.h>
#include <stdlib.h>

#include "elfgen.h"
#include "proc/elf.h"

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: elf-check FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct elf_image img = image_read(argv[i]);
		struct elf_program prog;
		const char *why = elf_check(img.bytes, img.len, &prog);
		if (why) {
			fprintf(stderr, "sos: cannot run %s: %s\n", argv[i], why);
			status = 126;
		}
		free(img.bytes);
	}
	return status;
}
