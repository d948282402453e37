/* What the parts of the system-call fuzzer (user/fuzz_sys.c and the files here) share: a worker's
 * state, its PRNG, the argument generators and the table of calls. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFD      16 /* fd slots a worker keeps (opened objects, dups, results) */
#define NMAP     8  /* mmap results kept as targets of the memory calls */
#define NPID     8  /* children kept as targets of kill and wait */
#define MAXW     8  /* workers at most */
#define PAGE     4096UL
#define ARENA_PG 64 /* pages of a worker's arena */

/* Each worker's arena, the only user memory its memory calls may change: far above the program
 * image and below the mmap area, so a clamped length never reaches either. */
#define ARENA(w)   (0x100000000UL + (uint64_t)(w)*0x10000000UL)
#define SCRATCH    0x80000000UL /* two RW pages the generators write, then a PROT_NONE guard */
#define SCRATCH_PG 2

/* A worker (or a child of one) while it makes calls. */
struct fz {
	uint64_t rng;
	uint64_t seed;
	int w;        /* worker number */
	long idx;     /* index of the current call in the worker's stream */
	int kind;     /* FZ_WORKER, FZ_FORKED or FZ_EXECED */
	int sup_pid;  /* the supervisor, never sent a stopping or killing signal */
	int sup_pgid; /* its group */
	int fds[NFD]; /* fd values to pick (some closed by now: that is the point) */
	uint64_t maps[NMAP];
	int pids[NPID];
	uint64_t brk0; /* the break at start */
	const char *self;
	uint64_t fs;  /* the fs base musl set up, the only one ARCH_SET_FS may set */
	bool no_lock; /* little RAM (a swap boot): lock calls are drawn but not made (fz_locks) */
};

enum { FZ_WORKER, FZ_FORKED, FZ_EXECED };

/* The PRNG: xorshift64* on a splitmix64-mixed seed. */
uint64_t fz_mix(uint64_t x);
uint64_t rnd(struct fz *f);
uint64_t below(struct fz *f, uint64_t n);
bool one_in(struct fz *f, uint64_t n);

/* One of the n values of a table. */
#define PICK(f, ...)                                                                               \
	({                                                                                         \
		static const uint64_t v_[] = {__VA_ARGS__};                                        \
		v_[below(f, sizeof(v_) / sizeof(v_[0]))];                                          \
	})

/* One argument of kind k (a letter of calls.c's table), mask for the flag kinds. */
uint64_t gen_arg(struct fz *f, char k, uint64_t mask);
uint64_t gen_fd(struct fz *f);
uint64_t gen_path(struct fz *f);
uint64_t gen_target(struct fz *f);
uint64_t gen_mlen(struct fz *f, uint64_t addr);
uint64_t gen_flags(struct fz *f, uint64_t mask);
uint64_t gen_pid(struct fz *f);
uint64_t gen_sig(struct fz *f);
uint64_t gen_out(struct fz *f);
uint64_t gen_in(struct fz *f);
uint64_t gen_len(struct fz *f);

/* Room for n bytes in the scratch pages, sometimes ending at the guard (gen.c). */
void *fz_scratch(struct fz *f, size_t n);

/* Structured arguments (structs.c). */
uint64_t gen_time(struct fz *f);
uint64_t gen_bytes(struct fz *f, size_t n);
uint64_t gen_sigset(struct fz *f);
uint64_t gen_pollfds(struct fz *f);
uint64_t gen_flock(struct fz *f);
uint64_t gen_iov(struct fz *f);
uint64_t gen_rlimit(struct fz *f);
uint64_t gen_stack(struct fz *f);
uint64_t gen_exec_argv(struct fz *f);
uint64_t gen_sigaction(struct fz *f);

/* Set-up of the scratch pages, the arena and the worker's objects (gen.c). */
void fz_scratch_init(void);
void fz_arena_init(int w);
void fz_objects_init(struct fz *f);
void fz_keep_fd(struct fz *f, long fd);
void fz_keep_map(struct fz *f, long addr);
void fz_keep_pid(struct fz *f, long pid);

/* The calls (calls.c). */
struct call {
	short nr;
	const char *name;
	const char *args;  /* one letter an argument, gen_arg's kinds */
	uint64_t mask;     /* the flags the 'F' argument draws from */
	unsigned char how; /* CALL_PLAIN or a special */
};
enum { CALL_PLAIN = 0, CALL_BLOCKS = 1, CALL_FD = 2, CALL_SPECIAL = 4 };
extern const struct call fz_calls[];
extern const int fz_ncalls;

/* Run one call (its arguments drawn whether or not it runs); returns what it returned. */
long fz_call(struct fz *f, const struct call *c, bool run);
/* Make n calls of f's stream (calls.c). */
void fz_loop(struct fz *f, long n);
/* A child of fork/clone (or an exec'd image) makes at most n calls, then exits. */
void fz_child(struct fz *f, long n) __attribute__((noreturn));
/* The periodic SIGALRM that takes blocking calls out (EINTR) and the handlers it needs. */
void fz_signals_init(void);
void fz_timer_arm(void);
/* Count a call made (in the supervisor's shared page when there is one). */
void fz_count(struct fz *f);
/* Tell the supervisor that worker f is alive, at call f->idx. */
void fz_beat(struct fz *f);
void fz_beat_nr(struct fz *f, int nr);
/* Whether call nr locks memory (mlock, mlock2, mlockall): not made when f->no_lock. */
bool fz_locks(int nr);
/* Whether call index i of worker w is in the -k list (everything without one). */
bool fz_keep(int w, long i);
/* The pressure process (pressure.c): mib MiB written and checked for ever; it exits
 * PRESSURE_BAD when a page lost its contents. */
void fz_pressure(long mib) __attribute__((noreturn));
#define PRESSURE_BAD 3

long sc(long n, long a, long b, long c, long d, long e, long g);
extern char fz_restorer[]; /* rt_sigreturn, the sa_restorer of the actions the fuzzer sets */
