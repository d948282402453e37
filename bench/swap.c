/* Swap benchmark: runs one workload of bench/swapref.h over anonymous memory larger than RAM and
 * prints its major faults, page-ins and time; or swap-out and swap-in throughput (tput).
 *
 * usage: swap WORKLOAD MEM_MIB   (seq, loop, random, zipf, scanhot: the reference string)
 *        swap tput MEM_MIB       (write 2x RAM once, in order, then read it back)
 * MEM_MIB is the guest's --mem: the workloads' sizes are multiples of it. Each write stores the
 * page's number in the page; each read checks it (RESULT swap_W_bad: pages that came back
 * wrong). swap_W_frames is the pages of the region resident right after the writes (mincore):
 * the frames the program had, which bench/refsim_main.c takes to simulate OPT and LRU. */
#include <sys/resource.h>

#include "bench.h"
#include "swapref.h"

/* ru_majflt and ru_minflt now, or -1 when getrusage fails. */
static long faults(int major)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return major ? ru.ru_majflt : ru.ru_minflt;
}

/* The counter name of /proc/vmstat, or -1 when there is none. */
static long vmstat(const char *name)
{
	FILE *f = fopen("/proc/vmstat", "r");
	char key[64];
	long v, found = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &v) == 2)
		if (strcmp(key, name) == 0)
			found = v;
	fclose(f);
	return found;
}

/* Counters before a run, whose differences after it are the run's. */
struct counters {
	long majflt, minflt, pswpin, pswpout;
	uint64_t ns;
};

static struct counters counters_now(void)
{
	struct counters c = {faults(1), faults(0), vmstat("pswpin"), vmstat("pswpout"), 0};

	c.ns = now_ns();
	return c;
}

/* "RESULT prefix_what value unit", when both counts were read. */
static void delta(const char *prefix, const char *what, long before, long after)
{
	char name[96];

	if (before < 0 || after < 0)
		return;
	snprintf(name, sizeof(name), "%s_%s", prefix, what);
	result(name, (double)(after - before), "pages");
}

/* The results of a run from c0 to now, named swap_W_*. */
static void report(const char *prefix, struct counters c0)
{
	struct counters c1 = counters_now();
	char name[96];

	snprintf(name, sizeof(name), "%s_ms", prefix);
	result(name, (double)(c1.ns - c0.ns) / 1e6, "ms");
	delta(prefix, "majflt", c0.majflt, c1.majflt);
	delta(prefix, "minflt", c0.minflt, c1.minflt);
	delta(prefix, "pswpin", c0.pswpin, c1.pswpin);
	delta(prefix, "pswpout", c0.pswpout, c1.pswpout);
}

/* Pages of [p, p + pages * PAGE) resident now (mincore), or -1 when mincore fails. */
static long resident(char *p, uint32_t pages)
{
	unsigned char *v = malloc(pages);
	long n = 0;

	if (!v || mincore(p, (size_t)pages * PAGE, v) != 0) {
		free(v);
		return -1;
	}
	for (uint32_t i = 0; i < pages; i++)
		n += v[i] & 1;
	free(v);
	return n;
}

/* Run workload g over p: write, then read and check; the frames after the writes, bad pages. */
static void run_string(struct swapref *g, char *p, const char *prefix)
{
	char name[96];
	int64_t pg;
	long bad = 0;

	while ((pg = swapref_next(g)) >= 0) {
		volatile uint64_t *w = (volatile uint64_t *)(p + (uint64_t)pg * PAGE);
		if (g->step <= g->pages) {
			*w = (uint64_t)pg + 1;
			if (g->step == g->pages) {
				snprintf(name, sizeof(name), "%s_frames", prefix);
				long r = resident(p, g->pages);
				if (r >= 0)
					result(name, (double)r, "pages");
			}
		} else if (*w != (uint64_t)pg + 1) {
			bad++;
		}
	}
	snprintf(name, sizeof(name), "%s_bad", prefix);
	result(name, (double)bad, "pages");
	snprintf(name, sizeof(name), "%s_refs", prefix);
	result(name, (double)g->n, "refs");
}

/* Throughput: write 2x RAM in order (swap-out), then read it back in order (swap-in). */
static void tput(uint32_t mem)
{
	uint32_t pages = 2 * mem;
	char *p = map_rw((size_t)pages * PAGE, 0);
	long bad = 0;

	struct counters c0 = counters_now();
	for (uint32_t i = 0; i < pages; i++)
		*(volatile uint64_t *)(p + (uint64_t)i * PAGE) = i + 1;
	report("swap_tput_write", c0);
	result("swap_out_mbs", (double)pages * PAGE / 1e6 / ((double)(now_ns() - c0.ns) / 1e9),
	       "MB/s");
	long r = resident(p, pages);
	if (r >= 0)
		result("swap_tput_frames", (double)r, "pages");
	c0 = counters_now();
	for (uint32_t i = 0; i < pages; i++)
		bad += *(volatile uint64_t *)(p + (uint64_t)i * PAGE) != i + 1;
	report("swap_tput_read", c0);
	result("swap_in_mbs", (double)pages * PAGE / 1e6 / ((double)(now_ns() - c0.ns) / 1e9),
	       "MB/s");
	result("swap_tput_bad", (double)bad, "pages");
}

int main(int argc, char **argv)
{
	struct swapref g;
	char prefix[64];

	if (argc != 3) {
		fprintf(stderr, "usage: swap seq|loop|random|zipf|scanhot|tput MEM_MIB\n");
		return 2;
	}
	uint32_t mem = (uint32_t)(strtoul(argv[2], NULL, 0) * (MIB / PAGE));
	clock_warm();
	if (strcmp(argv[1], "tput") == 0) {
		tput(mem);
		return 0;
	}
	if (swapref_init(&g, argv[1], mem) != 0) {
		fprintf(stderr, "swap: no workload %s\n", argv[1]);
		return 2;
	}
	snprintf(prefix, sizeof(prefix), "swap_%s", argv[1]);
	char *p = map_rw((size_t)g.pages * PAGE, 0);
	struct counters c0 = counters_now();
	run_string(&g, p, prefix);
	report(prefix, c0);
	return 0;
}
