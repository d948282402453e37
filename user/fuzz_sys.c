/* The system-call fuzzer (make fuzz-sys): a supervisor that makes no random calls forks workers,
 * each of which makes a random stream of every call SOS has (user/fuzz_sys/), then kills and reaps
 * all that is left, so the kernel's leak check after the run sees a clean end.
 *
 * usage: fuzz_sys run SEED [-w WORKERS] [-n CALLS] [-t SECONDS] [-k LIST] [-v]
 *        fuzz_sys exec SEED W IDX      (what the fuzzer execs of itself: a short stream)
 *   FUZZ_PRESSURE=MIB in the environment: a process beside the workers writes and checks MIB MiB
 *            for the whole run (user/fuzz_sys/pressure.c), so a boot with little memory swaps
 *   SEED     the run's seed; with --repeat, run k of a boot uses SEED + k (a counter in /tmp)
 *   WORKERS  processes making calls at once (default 4, at most 8); CALLS each (default 2000);
 *            SECONDS after which everything is killed (default 30)
 *   LIST     only these calls are made, "W:A-B,W:C,..." (worker W's call indices, from 1): the
 *            others are drawn all the same, so the stream stays the same (delta debugging)
 * The same seed gives each worker the same stream of calls and arguments (fds and addresses are
 * whatever the calls returned). A worker that dies (exit, a signal, a bad rt_sigreturn) starts
 * again after the call it died in; one stuck in a call for a second is killed (SIGALRM every
 * 10 ms takes out most blocking calls first). Children of fork and clone make up to 30 calls, an
 * exec'd copy 20; those of exec'd copies are not counted.
 * Prints "fuzz-sys: seed S start", then "fuzz-sys: seed S: N calls, R respawns, K stuck, T ms". */
#define _GNU_SOURCE
#include "fuzz_sys/fuzz.h"
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STUCK_MS     1000
#define LOCK_RAM_MIN (128UL << 20) /* less RAM (fuzz/sys.sh's swap boots): no lock calls */
#define NKEEP        8192

/* What the workers tell the supervisor, in a shared page. */
struct shared {
	long idx[MAXW]; /* each worker's current call */
	int nr[MAXW];   /* and its number */
	long calls;     /* calls made by workers and their forked children */
};
static struct shared *sh;

static struct {
	int w;
	long a, b;
} keep[NKEEP];
static int nkeep = -1; /* no -k: every call */

long sc(long n, long a, long b, long c, long d, long e, long g)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = g;
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

void fz_count(struct fz *f)
{
	(void)f;
	if (sh)
		__atomic_fetch_add(&sh->calls, 1, __ATOMIC_RELAXED);
}

void fz_beat(struct fz *f)
{
	if (sh && f->kind == FZ_WORKER)
		sh->idx[f->w] = f->idx;
}

void fz_beat_nr(struct fz *f, int nr)
{
	if (sh && f->kind == FZ_WORKER)
		sh->nr[f->w] = nr;
}

bool fz_keep(int w, long i)
{
	for (int k = 0; k < nkeep; k++)
		if (keep[k].w == w && keep[k].a <= i && i <= keep[k].b)
			return true;
	return nkeep < 0;
}

/* Parse -k's "W:A-B,W:C,...". False on a malformed list. */
static bool parse_keep(const char *s)
{
	nkeep = 0;
	while (*s && nkeep < NKEEP) {
		char *end;
		keep[nkeep].w = (int)strtol(s, &end, 10);
		if (*end != ':')
			return false;
		keep[nkeep].a = keep[nkeep].b = strtol(end + 1, &end, 10);
		if (*end == '-')
			keep[nkeep].b = strtol(end + 1, &end, 10);
		nkeep++;
		if (*end != ',' && *end)
			return false;
		s = *end ? end + 1 : end;
	}
	return !*s;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* What every process making calls sets up first: fds 0-2 on /dev/null (random writes stay out
 * of the output), the scratch pages, the arena, the signals, one file of each kind. */
static void fz_setup(struct fz *f)
{
	int null = open("/dev/null", O_RDWR); /* a worker may have unlinked it: then no 0-2 */
	for (int fd = 0; fd < 3; fd++)
		if (dup2(null, fd) < 0)
			close(fd);
	if (null > 2)
		close(null);
	fz_scratch_init();
	fz_arena_init(f->w);
	fz_signals_init();
	fz_objects_init(f);
	sc(SYS_arch_prctl, 0x1003, (long)&f->fs, 0, 0, 0, 0);
	f->brk0 = (uint64_t)sc(SYS_brk, 0, 0, 0, 0, 0, 0);
}

/* Worker f from call start+1 to budget, in its own group and directory /tmp/fz/wN. */
static void worker(struct fz *f, long start, long budget)
{
	char dir[32];
	setpgid(0, 0);
	snprintf(dir, sizeof(dir), "/tmp/fz/w%d", f->w);
	/* a worker may have renamed /tmp or /tmp/fz away: make them again, or work from / */
	mkdir("/tmp", 01777);
	mkdir("/tmp/fz", 0777);
	mkdir(dir, 0777);
	if (chdir(dir))
		chdir("/");
	fz_setup(f);
	f->idx = start;
	f->rng = fz_mix(f->seed ^ fz_mix((uint64_t)f->w << 32 | 0x5eed) ^ fz_mix((uint64_t)start));
	fz_loop(f, budget - start);
	sc(SYS_exit_group, 0, 0, 0, 0, 0, 0);
}

/* Start worker w at call start: its pid, or 0 when fork keeps failing (fault injection). */
static int spawn(struct fz *proto, int w, long start, long budget)
{
	sh->idx[w] = start;
	for (int tries = 0; tries < 100; tries++) {
		int pid = fork();
		if (pid == 0) {
			struct fz f = *proto;
			f.w = w;
			worker(&f, start, budget);
		}
		if (pid > 0)
			return pid;
	}
	return 0; /* never -1: watch() would kill(-1, SIGKILL), everyone */
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	remove(path);
	return 0;
}

/* The run number k of this boot (--repeat), counted in a file that outlives the run. */
static long next_run(void)
{
	long k = 0;
	FILE *fp = fopen("/tmp/fuzz_sys.runs", "r");
	if (fp) {
		if (fscanf(fp, "%ld", &k) != 1)
			k = 0;
		fclose(fp);
	}
	fp = fopen("/tmp/fuzz_sys.runs", "w");
	if (fp) {
		fprintf(fp, "%ld\n", k + 1);
		fclose(fp);
	}
	return k;
}

struct sup {
	int nw;
	long budget, limit_ms;
	bool verbose;
	int pid[MAXW];
	long seen[MAXW], since[MAXW], start[MAXW];
	long respawns, stuck;
	long pressure; /* MiB, or 0: no pressure process */
	int hog;       /* its pid, or 0 */
	bool hog_bad;  /* it found a page that lost its contents */
};

/* Start the pressure process: its pid, or 0 when fork fails. */
static int spawn_pressure(long mib)
{
	int pid = fork();
	if (pid == 0)
		fz_pressure(mib);
	return pid > 0 ? pid : 0;
}

/* A child ended with status st: start its worker again after the call it died in, unless it
 * had made them all. */
static void reaped(struct sup *s, struct fz *proto, int pid, int st, bool late)
{
	if (pid == s->hog) { /* killed (a worker's signal, out of memory): another starts */
		s->hog_bad |= WIFEXITED(st) && WEXITSTATUS(st) == PRESSURE_BAD;
		s->hog = late || s->hog_bad ? 0 : spawn_pressure(s->pressure);
		return;
	}
	for (int w = 0; w < s->nw; w++) {
		if (s->pid[w] != pid)
			continue;
		s->pid[w] = 0;
		if (s->verbose && (!WIFEXITED(st) || WEXITSTATUS(st)))
			printf("fuzz-sys: worker %d ended (status %#x) at call %ld (%d)\n", w, st,
			       sh->idx[w], sh->nr[w]);
		if (!late && sh->idx[w] < s->budget) {
			/* one that died before its first call goes on after it, not round again */
			long at = sh->idx[w] == s->start[w] ? sh->idx[w] + 1 : sh->idx[w];
			s->start[w] = at;
			s->pid[w] = spawn(proto, w, at, s->budget);
			s->respawns++;
		}
	}
}

/* Kill a worker that has been in one call for STUCK_MS. */
static void watch(struct sup *s, long t)
{
	for (int w = 0; w < s->nw; w++) {
		if (!s->pid[w] || sh->idx[w] != s->seen[w]) {
			s->seen[w] = sh->idx[w];
			s->since[w] = t;
		} else if (t - s->since[w] > STUCK_MS) {
			if (s->verbose)
				printf("fuzz-sys: worker %d stuck at call %ld (%d)\n", w,
				       sh->idx[w], sh->nr[w]);
			s->start[w] =
			    sh->idx[w]; /* reaped() restarts it after this call, not in it */
			kill(s->pid[w], SIGKILL);
			s->stuck++;
			s->since[w] = t;
		}
	}
}

/* Until every worker made its calls or time is up: reap, restart, watch. */
static void supervise(struct sup *s, struct fz *proto)
{
	long start = now_ms();
	for (;;) {
		int st, pid, alive = 0;
		long t = now_ms();
		bool late = t - start > s->limit_ms;
		while ((pid = (int)sc(SYS_wait4, -1, (long)&st, WNOHANG | __WALL, 0, 0, 0)) > 0)
			reaped(s, proto, pid, st, late);
		for (int w = 0; w < s->nw; w++)
			alive += s->pid[w] != 0;
		if (!alive || late)
			return;
		watch(s, t);
		struct timespec nap = {0, 5000000};
		nanosleep(&nap, NULL);
	}
}

/* The supervisor: ignore every signal a worker may send it, start the workers, wait for them,
 * then kill everything left (on SOS it is pid 1, which kill(-1) spares) and reap it. */
static int run(struct fz *proto, struct sup *s)
{
	for (int sig = 1; sig < 65; sig++) {
		/* raw: musl's sigaction refuses the signals it keeps for itself (32-34) */
		uint64_t ign[4] = {(uint64_t)SIG_IGN, 0x04000000UL, (uint64_t)fz_restorer, 0};
		if (sig != SIGCHLD)
			sc(SYS_rt_sigaction, sig, (long)ign, 0, 8, 0, 0);
	}
	proto->seed += (uint64_t)next_run();
	printf("fuzz-sys: seed %lu start\n", (unsigned long)proto->seed);
	fflush(stdout);
	nftw("/tmp/fz", rm_one, 16, FTW_DEPTH | FTW_PHYS);
	mkdir("/tmp/fz", 0777);
	/* far from the mmap area, whose results the workers' calls write and unmap around */
	sh = mmap((void *)0x70000000UL, PAGE, PROT_READ | PROT_WRITE,
	          MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	long t0 = now_ms();
	if (s->pressure)
		s->hog = spawn_pressure(s->pressure);
	for (int w = 0; w < s->nw; w++)
		s->pid[w] = spawn(proto, w, 0, s->budget);
	supervise(s, proto);
	kill(-1, SIGKILL);
	while (wait4(-1, NULL, __WALL, NULL) > 0)
		;
	nftw("/tmp/fz", rm_one, 16, FTW_DEPTH | FTW_PHYS);
	printf("fuzz-sys: seed %lu: %ld calls, %ld respawns, %ld stuck, %ld ms\n",
	       (unsigned long)proto->seed, sh->calls, s->respawns, s->stuck, now_ms() - t0);
	return s->hog_bad;
}

/* An exec'd copy: a short stream of its own from the call that exec'd it. */
static int exec_mode(struct fz *f, int w, long idx)
{
	f->kind = FZ_EXECED;
	f->w = w >= 0 && w < MAXW ? w : 0;
	f->idx = idx;
	f->rng = fz_mix(f->seed ^ fz_mix((uint64_t)idx << 8 | (uint64_t)f->w) ^ 0xe8ecUL);
	fz_setup(f);
	fz_loop(f, 20);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: fuzz_sys run SEED [-w WORKERS] [-n CALLS] [-t SECONDS] [-k LIST] "
	                "[-v]\n       fuzz_sys exec SEED W IDX\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct fz f = {0};
	struct sup s = {.nw = 4, .budget = 2000, .limit_ms = 30000};
	if (argc < 3)
		return usage();
	f.seed = strtoul(argv[2], NULL, 0);
	f.self = argv[0];
	struct sysinfo si;
	f.no_lock = !sysinfo(&si) && (uint64_t)si.totalram * si.mem_unit < LOCK_RAM_MIN;
	f.sup_pid = 1; /* an exec'd copy's supervisor: pid 1 on SOS */
	f.sup_pgid = 1;
	if (!strcmp(argv[1], "exec") && argc == 5)
		return exec_mode(&f, atoi(argv[3]), atol(argv[4]));
	if (strcmp(argv[1], "run"))
		return usage();
	f.sup_pid = getpid();
	f.sup_pgid = getpgid(0);
	s.pressure = getenv("FUZZ_PRESSURE") ? atol(getenv("FUZZ_PRESSURE")) : 0;
	for (int i = 3; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";
		if (!strcmp(argv[i], "-v"))
			s.verbose = true;
		else if (!strcmp(argv[i], "-w") && ++i)
			s.nw = atoi(v) < 1 ? 1 : atoi(v) > MAXW ? MAXW : atoi(v);
		else if (!strcmp(argv[i], "-n") && ++i)
			s.budget = atol(v);
		else if (!strcmp(argv[i], "-t") && ++i)
			s.limit_ms = atol(v) * 1000;
		else if (!strcmp(argv[i], "-k") && ++i && parse_keep(v))
			continue;
		else
			return usage();
	}
	return run(&f, &s);
}
