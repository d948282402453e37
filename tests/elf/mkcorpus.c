/* The ELF corpus: writes the tiny executable and each BASE file, whole, with every defect and with
 * every oddity of elfgen.c, into a directory: the fuzzer's seeds and the system tests' cases. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elfgen.h"

/* Write img to dir/prefix-name (executable, so that Linux could run the valid ones). */
static void write_file(const char *dir, const char *prefix, const char *name, struct elf_image img)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s-%s", dir, prefix, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(img.bytes, 1, img.len, f) != img.len || fclose(f) != 0 ||
	    chmod(path, 0755) != 0) {
		perror(path);
		exit(1);
	}
}

/* Write base patched by each of the n defects in table as prefix-NAME; every one must apply. */
static void write_patched(const char *dir, const char *prefix, struct elf_image base,
                          const struct elf_defect *table, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct elf_image img = image_copy(base);
		if (!table[i].apply(&img)) {
			fprintf(stderr, "mkcorpus: %s cannot be applied to %s\n", table[i].name,
			        prefix);
			exit(1);
		}
		write_file(dir, prefix, table[i].name, img);
		free(img.bytes);
	}
}

/* Write base as prefix-valid, with every defect as prefix-DEFECT, every oddity as prefix-odd-....
 */
static void write_all(const char *dir, const char *prefix, struct elf_image base)
{
	write_file(dir, prefix, "valid", base);
	write_patched(dir, prefix, base, elf_defects, ELF_NDEFECTS);
	write_patched(dir, prefix, base, elf_oddities, ELF_NODDITIES);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mkcorpus DIR [BASE-ELF-FILE ...]\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
		perror(argv[1]);
		return 1;
	}
	struct elf_image tiny = tiny_elf();
	write_all(argv[1], "tiny", tiny);
	free(tiny.bytes);
	for (int i = 2; i < argc; i++) {
		struct elf_image base = image_read(argv[i]);
		const char *slash = strrchr(argv[i], '/');
		write_all(argv[1], slash ? slash + 1 : argv[i], base);
		free(base.bytes);
	}
	return 0;
}
