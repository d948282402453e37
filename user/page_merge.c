/* page_merge MIB RUNS: a merge sort of MIB MiB of 32-bit keys (more than RAM) across forked
 * processes, through tmpfs files (memfd) and mmap, as Pintos' page-merge-par and -mm. RUNS
 * children in turn read a run of the file with pread, sort it in private memory and write it
 * back with pwrite; then each level merges groups of FANIN runs into a new file, a child per
 * group, all of a level at once, through shared mappings of both files. The parent checks the
 * result is sorted and holds the same keys, and prints its checksum. Owned by kernel/mm (swap). */
#define _GNU_SOURCE
#include "include/paging.h"

#define FANIN 4 /* runs a merge takes (merge_group picks among four) */
#define SEED  0x2545f4914f6cdd1dul

typedef unsigned int key_t32;

/* A new tmpfs file of n keys (memfd: /tmp is half of RAM on both systems, too small), or the
 * test ends. */
static int new_file(unsigned long n)
{
	int fd = memfd_create("page_merge", 0);

	if (fd < 0 || ftruncate(fd, (off_t)(n * sizeof(key_t32)))) {
		printf("memfd of %lu MiB: %s\n", (unsigned long)(n * sizeof(key_t32) / MIB),
		       ename(errno));
		exit(1);
	}
	return fd;
}

/* The n keys of file fd, mapped shared with rights prot, or the test ends. */
static key_t32 *map_file(int fd, unsigned long n, int prot)
{
	void *m = mmap(NULL, n * sizeof(key_t32), prot, MAP_SHARED, fd, 0);

	if (m == MAP_FAILED) {
		printf("mmap of the file: %s\n", ename(errno));
		exit(1);
	}
	return m;
}

/* One pass of a radix sort: from[0..n) into to[0..n), stably by the byte at shift. */
static void radix_pass(const key_t32 *from, key_t32 *to, unsigned long n, int shift)
{
	static unsigned long count[256];
	unsigned long at = 0;

	memset(count, 0, sizeof(count));
	for (unsigned long i = 0; i < n; i++)
		count[(from[i] >> shift) & 0xff]++;
	for (unsigned long d = 0; d < 256; d++) {
		unsigned long c = count[d];

		count[d] = at;
		at += c;
	}
	for (unsigned long i = 0; i < n; i++)
		to[count[(from[i] >> shift) & 0xff]++] = from[i];
}

/* Child: sort the n keys at key offset lo of file fd, read and written back with pread/pwrite. */
static void sort_run(int fd, unsigned long lo, unsigned long n)
{
	long bytes = (long)(n * sizeof(key_t32));
	key_t32 *v = (key_t32 *)anon_map(2 * n * sizeof(key_t32) + PAGE), *tmp = v + n;
	off_t off = (off_t)(lo * sizeof(key_t32));

	if (pread(fd, v, (size_t)bytes, off) != bytes)
		_exit(3);
	/* a run is sorted by counting, as Pintos' child-sort does; the merging is the parent's side
	 */
	for (int shift = 0; shift < 32; shift += 16) {
		radix_pass(v, tmp, n, shift);
		radix_pass(tmp, v, n, shift + 8);
	}
	_exit(pwrite(fd, v, (size_t)bytes, off) != bytes ? 4 : 0);
}

/* Child: merge the sorted runs of src[lo..hi), each run keys long (at most FANIN of them), into
 * dst[lo..hi). The heads are 64-bit, an exhausted run's above every key: three comparisons
 * pick the next key. */
static void merge_group(const key_t32 *src, key_t32 *dst, unsigned long lo, unsigned long hi,
                        unsigned long run)
{
	const unsigned long done = 1ul << 32;
	unsigned long at[FANIN], end[FANIN], head[FANIN];

	for (int w = 0; w < FANIN; w++) {
		at[w] = lo + w * run < hi ? lo + w * run : hi;
		end[w] = at[w] + run < hi ? at[w] + run : hi;
		head[w] = at[w] < end[w] ? src[at[w]] : done;
	}
	for (unsigned long out = lo; out < hi; out++) {
		int a = head[1] < head[0], b = 2 + (head[3] < head[2]);
		int k = head[b] < head[a] ? b : a;

		dst[out] = (key_t32)head[k];
		head[k] = ++at[k] < end[k] ? src[at[k]] : done;
	}
	_exit(0);
}

/* Reap child p of step what, counting a failure unless it exited 0; prints only failures, so
 * that how many children a step took does not show. */
static void reap_quiet(const char *what, pid_t p)
{
	int st = 0;

	if (waitpid(p, &st, 0) != p || st != 0) {
		printf("%s: %s\n", what, status_text(st));
		failures++;
	}
}

/* The file's keys: sorted, and the multiset's sum (of mix64 of each key, in any order). */
static void check(int fd, unsigned long n, unsigned long want)
{
	const key_t32 *v = map_file(fd, n, PROT_READ);
	unsigned long sum = 0, order = SUM_START, unsorted = 0;

	for (unsigned long i = 0; i < n; i++) {
		sum += mix64(v[i]);
		order = (order ^ v[i]) * 1099511628211ul;
		unsorted += i > 0 && v[i] < v[i - 1];
	}
	fact("sorted", unsorted == 0);
	fact("the same keys as the input", sum == want);
	printf("checksum %016lx\n", order);
	munmap((void *)v, n * sizeof(key_t32));
}

int main(int argc, char **argv)
{
	unsigned long mib = arg_count(argc, argv, 1, 80), runs = arg_count(argc, argv, 2, 16);
	unsigned long n = mib * MIB / sizeof(key_t32), run = n / runs, rng = SEED, want = 0;

	proc_setup();
	if (n % runs || run * sizeof(key_t32) % PAGE || runs > 64 * FANIN) {
		printf("runs of whole pages, at most %d of them\n", 64 * FANIN);
		return 2;
	}
	int fd = new_file(n);
	key_t32 *v = map_file(fd, n, PROT_READ | PROT_WRITE);
	for (unsigned long i = 0; i < n; i++) {
		v[i] = (key_t32)(rng_next(&rng) >> 32);
		want += mix64(v[i]);
	}
	munmap(v, n * sizeof(key_t32));
	printf("%lu keys in %lu runs, keys' sum %016lx\n", n, runs, want);
	for (unsigned long r = 0; r < runs; r++) {
		pid_t p = xfork();

		if (p == 0)
			sort_run(fd, r * run, run);
		reap_quiet("sorting a run", p);
	}
	for (int level = 1; run < n; level++, run *= FANIN) {
		int out = new_file(n);
		const key_t32 *src = map_file(fd, n, PROT_READ);
		key_t32 *dst = map_file(out, n, PROT_READ | PROT_WRITE);
		pid_t kids[64];
		unsigned long groups = 0;

		for (unsigned long lo = 0; lo < n; lo += FANIN * run, groups++) {
			kids[groups] = xfork();
			if (kids[groups] == 0)
				merge_group(src, dst, lo,
				            lo + FANIN * run < n ? lo + FANIN * run : n, run);
		}
		for (unsigned long g = 0; g < groups; g++)
			reap_quiet("merging runs", kids[g]);
		printf("level %d: %lu merges\n", level, groups);
		munmap((void *)src, n * sizeof(key_t32));
		munmap(dst, n * sizeof(key_t32));
		close(fd);
		fd = out;
	}
	check(fd, n, want);
	return failures != 0;
}
