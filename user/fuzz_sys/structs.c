/* The system-call fuzzer's structured arguments, built in the scratch pages: times, byte sets,
 * signal sets, pollfds, iovecs, limits, stacks, sigactions and execve's argv (or bad pointers). */
#include "fuzz.h"
#include <signal.h>
#include <stddef.h>
#include <string.h>

/* A time structure (timespec, timeval, itimerval, two timespecs): short times mostly, so that
 * sleeps end; odd ones (negative, huge, past a second of nanoseconds, UTIME_NOW/OMIT); or a bad
 * pointer. */
uint64_t gen_time(struct fz *f)
{
	if (one_in(f, 6))
		return gen_out(f);
	int64_t *t = fz_scratch(f, 32);
	for (int i = 0; i < 4; i++)
		t[i] = one_in(f, 6) ? (int64_t)PICK(f, -1UL, 1000000000, 999999999, 0x3fffffff,
		                                    0x7fffffffffffffffUL, (1UL << 30) - 1,
		                                    (1UL << 30) - 2, 1UL << 40)
		                    : (int64_t)(i % 2 ? below(f, 3000000) : 0);
	return (uint64_t)t;
}

/* n random bytes in scratch (a set of fds or signals, a siginfo, a structure) or a bad pointer. */
uint64_t gen_bytes(struct fz *f, size_t n)
{
	if (one_in(f, 6))
		return one_in(f, 2) ? 0 : gen_out(f);
	uint64_t *b = fz_scratch(f, n);
	for (size_t i = 0; i < n / 8; i++)
		b[i] = rnd(f) & rnd(f);
	return (uint64_t)b;
}

/* A signal set; half the time without SIGALRM, so that blocking calls stay interruptible. */
uint64_t gen_sigset(struct fz *f)
{
	uint64_t p = gen_bytes(f, 8);
	if (p >= SCRATCH && p + 8 <= SCRATCH + SCRATCH_PG * PAGE && one_in(f, 2))
		*(uint64_t *)p &= ~(1UL << (SIGALRM - 1));
	return p;
}

/* A struct flock: a lock type, whence, start and length near the edges Linux checks (negative,
 * past the largest offset, to the end), l_pid 0 mostly; or a bad pointer. */
uint64_t gen_flock(struct fz *f)
{
	if (one_in(f, 6))
		return gen_out(f);
	int64_t *l = fz_scratch(f, 32);
	int16_t *type = (int16_t *)l;
	type[0] = (int16_t)(one_in(f, 8) ? rnd(f) : below(f, 3));
	type[1] = (int16_t)(one_in(f, 8) ? rnd(f) : below(f, 3));
	for (int i = 1; i < 3; i++)
		l[i] = one_in(f, 4)
		           ? (int64_t)PICK(f, -1UL, 0x7fffffffffffffffUL, -4096UL, 1UL << 40)
		           : (int64_t)below(f, 3 * PAGE);
	l[3] = one_in(f, 8) ? (int64_t)rnd(f) : 0;
	return (uint64_t)l;
}

/* An array of up to 8 pollfds on slots' fds, or a bad pointer. */
uint64_t gen_pollfds(struct fz *f)
{
	if (one_in(f, 8))
		return gen_out(f);
	int *p = fz_scratch(f, 64);
	for (int i = 0; i < 8; i++) {
		p[2 * i] = (int)gen_fd(f);
		p[2 * i + 1] = (int)(rnd(f) & 0xffff);
	}
	return (uint64_t)p;
}

/* An array of up to 8 iovecs on generated buffers, or a bad pointer. */
uint64_t gen_iov(struct fz *f)
{
	if (one_in(f, 8))
		return gen_out(f);
	uint64_t *v = fz_scratch(f, 128);
	for (int i = 0; i < 8; i++) {
		v[2 * i] = gen_out(f);
		v[2 * i + 1] = gen_len(f);
	}
	return (uint64_t)v;
}

/* A struct rlimit (or a bad pointer): lengths as limits. */
uint64_t gen_rlimit(struct fz *f)
{
	if (one_in(f, 6))
		return gen_out(f);
	uint64_t *r = fz_scratch(f, 16);
	r[0] = gen_len(f);
	r[1] = one_in(f, 2) ? -1UL : gen_len(f);
	return (uint64_t)r;
}

/* A stack_t for sigaltstack: arena memory of odd sizes and flags. */
uint64_t gen_stack(struct fz *f)
{
	if (one_in(f, 6))
		return gen_out(f);
	uint64_t *s = fz_scratch(f, 24);
	s[0] = gen_out(f);
	s[1] = PICK(f, 0, 1, 2, 0x80000000, 0x80000002, 4);
	s[2] = PICK(f, 0, 2048, 8192, 65536, PAGE, -1UL);
	return (uint64_t)s;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* A kernel struct sigaction: the default, ignore, the fuzzer's handler, or nonsense; random
 * flags, nearly always with the fuzzer's restorer (without it a handler cannot return). */
uint64_t gen_sigaction(struct fz *f)
{
	if (one_in(f, 6))
		return one_in(f, 2) ? 0 : gen_out(f);
	uint64_t *a = fz_scratch(f, 32);
	a[0] = PICK(f, 0, 1, (uint64_t)on_signal, (uint64_t)on_signal, (uint64_t)on_signal, 2);
	if (one_in(f, 32))
		a[0] = gen_out(f);
	a[1] = gen_flags(f, 0xfc000004UL) | (one_in(f, 16) ? 0 : 0x04000000UL);
	a[2] = (uint64_t)fz_restorer;
	a[3] = rnd(f) & rnd(f);
	return (uint64_t)a;
}

/* argv for execve: the fuzzer's own "exec" mode (a short stream), none, or bad pointers. */
uint64_t gen_exec_argv(struct fz *f)
{
	static char num[3][24];
	uint64_t v[3] = {f->seed, (uint64_t)f->w, (uint64_t)f->idx};
	for (int i = 0; i < 3; i++) {
		char *p = num[i] + sizeof(num[i]) - 1;
		*p = 0;
		do
			*--p = (char)('0' + v[i] % 10);
		while (v[i] /= 10);
		memmove(num[i], p, strlen(p) + 1);
	}
	uint64_t *argv = fz_scratch(f, 48);
	if ((uint64_t)argv + 48 > SCRATCH + SCRATCH_PG * PAGE)
		return (uint64_t)argv; /* runs into the guard: EFAULT */
	argv[0] = (uint64_t)f->self;
	argv[1] = (uint64_t) "exec";
	argv[2] = (uint64_t)num[0];
	argv[3] = (uint64_t)num[1];
	argv[4] = (uint64_t)num[2];
	argv[5] = 0;
	switch (below(f, 8)) {
	case 0:
		return gen_out(f);
	case 1:
		argv[2 + below(f, 3)] = gen_out(f);
		return (uint64_t)argv;
	default:
		return (uint64_t)argv;
	}
}
