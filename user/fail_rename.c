/* fail_rename: renames of a directory holding a directory and of a file with two links, then
 * what the tree holds, then all of it removed. Under sos-run --fail slab:1@dir_rename (no memory
 * for a new name) both renames are ENOMEM and change nothing; SOS once removed the old name
 * first and lost the file (a directory left unnamed, a linked file freed under its other name).
 * Without injection, and on Linux, both renames work. One line on stderr. Owned by kernel/fs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "include/check.h"

#define D "/tmp/fail_rename"

/* The names in D, sorted, space-separated, into out. */
static void names(char *out, size_t n)
{
	char list[8][32];
	int k = 0;
	DIR *d = opendir(D);
	for (struct dirent *e; d && (e = readdir(d)) && k < 8;)
		if (e->d_name[0] != '.')
			snprintf(list[k++], sizeof(list[0]), "%.31s", e->d_name);
	if (d)
		closedir(d);
	for (int i = 0; i < k; i++)
		for (int j = i + 1; j < k; j++)
			if (strcmp(list[j], list[i]) < 0) {
				char t[32];
				memcpy(t, list[i], 32), memcpy(list[i], list[j], 32),
				    memcpy(list[j], t, 32);
			}
	out[0] = 0;
	for (int i = 0; i < k; i++)
		snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? " " : "", list[i]);
}

static const char *res(int r)
{
	return r ? ename(errno) : "0";
}

int main(void)
{
	struct stat st;
	char seen[128];

	mkdir(D, 0755);
	mkdir(D "/a", 0755);
	mkdir(D "/a/sub", 0755);
	close(creat(D "/f", 0644));
	link(D "/f", D "/g");
	const char *dir = res(rename(D "/a", D "/b"));
	const char *file = res(rename(D "/f", D "/h"));
	names(seen, sizeof(seen));
	int links = stat(D "/g", &st) ? -1 : (int)st.st_nlink;
	int sub_a = !stat(D "/a/sub", &st), sub_b = !stat(D "/b/sub", &st);
	fprintf(stderr, "fail_rename: dir %s, file %s; names %s; links %d; sub under %s\n", dir,
	        file, seen, links,
	        sub_a   ? "a"
	        : sub_b ? "b"
	                : "none");
	int gone = !rmdir(D "/a/sub") + !rmdir(D "/a") + !rmdir(D "/b/sub") + !rmdir(D "/b") +
	           !unlink(D "/f") + !unlink(D "/g") + !unlink(D "/h") + !rmdir(D);
	return gone == 5 ? 0 : 1; /* the renamed tree or the untouched one */
}
