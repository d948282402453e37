/* Fault injection's decisions: the fail= spec parsed, the calls at the armed sites counted, and
 * every Nth of them (or each with probability 1/N, from a seeded generator) told to fail. */
#include <errno.h>
#include <string.h>

#include "mm/failpoint.h"

static const char *const site_names[FAIL_NSITES] = {"frame", "pt", "slab", "swapin", "swapout"};

unsigned fail_armed;
void (*fail_trace)(enum fail_site site, uint64_t call);
bool (*fail_called_from)(uint64_t lo, uint64_t hi);

static struct fail_spec spec; /* what fail_setup() took */
static uint64_t calls;        /* calls at the armed sites so far */
static uint64_t rng;          /* the generator's state (splitmix64) */
static uint64_t injected[FAIL_NSITES];

/* The most N and SEED may be: digits beyond it are refused, not wrapped. */
#define NUMBER_MAX (UINT64_MAX / 10 - 1)

/* The site bits the name in [s, end) stands for ("all" or one site's), or 0. */
static unsigned site_bits(const char *s, const char *end)
{
	size_t n = (size_t)(end - s);

	if (n == 3 && !strncmp(s, "all", 3))
		return FAIL_ALL;
	for (unsigned i = 0; i < FAIL_NSITES; i++)
		if (strlen(site_names[i]) == n && !strncmp(s, site_names[i], n))
			return 1u << i;
	return 0;
}

/* Parse SITES at *s (names joined by '+', ended by ':') into *bits; advances *s past them. */
static int parse_sites(const char **s, unsigned *bits)
{
	const char *p = *s;

	*bits = 0;
	for (;;) {
		const char *end = p;

		while (*end && *end != '+' && *end != ':' && *end != ' ')
			end++;
		unsigned b = site_bits(p, end);

		if (!b)
			return -EINVAL;
		*bits |= b;
		p = end;
		if (*p != '+')
			break;
		p++;
	}
	*s = p;
	return 0;
}

/* Parse a decimal number at *s into *n (at least one digit, at most NUMBER_MAX); advances *s. */
static int parse_number(const char **s, uint64_t *n)
{
	const char *p = *s;

	*n = 0;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*n > NUMBER_MAX / 10)
			return -EINVAL;
		*n = *n * 10 + (uint64_t)(*p - '0');
	}
	*s = p;
	return 0;
}

/* Parse 0x and 1 to 16 hex digits at *s into *n; advances *s. */
static int parse_hex(const char **s, uint64_t *n)
{
	const char *p = *s;
	int digits = 0;

	if (p[0] != '0' || p[1] != 'x')
		return -EINVAL;
	*n = 0;
	for (p += 2;; p++, digits++) {
		int d = *p >= '0' && *p <= '9'   ? *p - '0'
		        : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
		                                 : -1;

		if (d < 0)
			break;
		if (digits == 16)
			return -EINVAL;
		*n = *n << 4 | (uint64_t)d;
	}
	*s = p;
	return digits ? 0 : -EINVAL;
}

/* A call site at *s, @0xLO-0xHI with LO < HI, into *f; advances *s. */
static int parse_call_site(const char **s, struct fail_spec *f)
{
	if (*(*s)++ != '@' || parse_hex(s, &f->from_lo) || *(*s)++ != '-' ||
	    parse_hex(s, &f->from_hi) || f->from_lo >= f->from_hi)
		return -EINVAL;
	return 0;
}

/* SITES:N[:SEED][@0xLO-0xHI], N >= 1, ended by a NUL or a space; see failpoint.h. */
int fail_parse(const char *s, struct fail_spec *out)
{
	struct fail_spec f = {0};

	if (parse_sites(&s, &f.sites) || *s++ != ':' || parse_number(&s, &f.every) || !f.every)
		return -EINVAL;
	if (*s == ':') {
		s++;
		if (parse_number(&s, &f.seed))
			return -EINVAL;
		f.random = true;
	}
	if (*s == '@' && parse_call_site(&s, &f))
		return -EINVAL;
	if (*s && *s != ' ')
		return -EINVAL;
	*out = f;
	return 0;
}

/* Take s; counts and the generator start afresh, and nothing is armed until fail_arm(). */
void fail_setup(const struct fail_spec *s)
{
	spec = *s;
	calls = 0;
	rng = s->seed;
	memset(injected, 0, sizeof(injected));
	fail_armed = 0;
}

/* Arm the spec's sites, or none. */
void fail_arm(bool on)
{
	fail_armed = on ? spec.sites : 0;
}

/* The generator's next number: splitmix64, whose every seed (0 too) gives a full sequence. */
static uint64_t next_random(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The index of site's one bit. */
static unsigned site_index(enum fail_site site)
{
	unsigned i = 0;

	while (!((unsigned)site & 1u << i))
		i++;
	return i;
}

/* Count this call (one from the call site, if the spec has one); the Nth, 2Nth, ... fail, or each
 * with probability 1/N when random. */
bool fail_decide(enum fail_site site)
{
	bool fail;

	if (spec.from_hi && !(fail_called_from && fail_called_from(spec.from_lo, spec.from_hi)))
		return false;
	calls++;
	fail = spec.random ? next_random() % spec.every == 0 : calls % spec.every == 0;
	if (!fail)
		return false;
	injected[site_index(site)]++;
	if (fail_trace)
		fail_trace(site, calls);
	return true;
}

/* Failures injected at the sites of the bits given, summed. */
uint64_t fail_injected(unsigned sites)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < FAIL_NSITES; i++)
		if (sites & 1u << i)
			n += injected[i];
	return n;
}

/* site's name; "?" when site is not one FAIL_* bit. */
const char *fail_site_name(unsigned site)
{
	for (unsigned i = 0; i < FAIL_NSITES; i++)
		if (site == 1u << i)
			return site_names[i];
	return "?";
}
