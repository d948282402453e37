/* sig_altstack: sigaltstack and SA_ONSTACK. A handler runs on the alternate stack (its frame and
 * locals inside it, ss_flags SS_ONSTACK, changes refused with EPERM), a stack overflow is caught
 * there and left with siglongjmp, SS_AUTODISARM, uc_stack, and the errnos of sigaltstack. With
 * "noalt", a stack overflow with no alternate stack, which kills.
 * Prints positions relative to the stacks, never addresses. Owned by the user/tests part. */
#define _GNU_SOURCE
#include "include/check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define ALT_SIZE 65536
static char *alt;
static sigjmp_buf back;
static volatile int overflowed;
static int entries;

static int on_alt(uintptr_t p)
{
	return p > (uintptr_t)alt && p <= (uintptr_t)alt + ALT_SIZE;
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	stack_t now, other = {.ss_sp = alt, .ss_size = ALT_SIZE};
	int local;
	(void)si;
	entries++;
	sigaltstack(NULL, &now);
	printf("handler %d: local on alt %d, frame 16-aligned+8 %d, ss_flags %d, uc_stack flags %d "
	       "size %zu sp at alt %d\n",
	       sig, on_alt((uintptr_t)&local), ((uintptr_t)uc - 8) % 16 == 8, now.ss_flags,
	       uc->uc_stack.ss_flags, uc->uc_stack.ss_size, uc->uc_stack.ss_sp == alt);
	show_result("  sigaltstack while on it", neg_errno(sigaltstack(&other, NULL)),
	            now.ss_flags == SS_ONSTACK ? -EPERM : 0);
	if (entries == 1)
		raise(SIGUSR2); /* nested: a second frame below the first on the alt stack */
}

static void overflow_handler(int sig, siginfo_t *si, void *ctx)
{
	int local;
	(void)ctx;
	printf("overflow: sig %d code %d on alt %d\n", sig, si->si_code, on_alt((uintptr_t)&local));
	overflowed = 1;
	siglongjmp(back, 1);
}

/* Recurse until the stack runs out (n never reaches 0 before that). */
__attribute__((noinline)) static int recurse(volatile char *p, long n)
{
	volatile char buf[1024];
	buf[0] = *p;
	return n ? recurse(buf, n - 1) + buf[1] : 0;
}

static void errnos(void)
{
	stack_t s = {.ss_sp = alt, .ss_size = MINSIGSTKSZ - 1};
	show_result("size below MINSIGSTKSZ", neg_errno(sigaltstack(&s, NULL)), -ENOMEM);
	s.ss_size = ALT_SIZE;
	s.ss_flags = 7;
	show_result("flags 7", neg_errno(sigaltstack(&s, NULL)), -EINVAL);
	s.ss_flags = SS_DISABLE;
	s.ss_size = 1;
	show_result("SS_DISABLE with any size", neg_errno(sigaltstack(&s, NULL)), 0);
	stack_t old;
	sigaltstack(NULL, &old);
	printf("disabled: flags %d size %zu sp null %d\n", old.ss_flags, old.ss_size,
	       old.ss_sp == 0);
	show_result("bad new", neg_errno(syscall(SYS_sigaltstack, (void *)16, NULL)), -EFAULT);
	show_result("bad old", neg_errno(syscall(SYS_sigaltstack, NULL, (void *)16)), -EFAULT);
}

/* A stack overflow with the SIGSEGV handler on the same stack: the frame cannot be written, and
 * Linux kills with SIGSEGV. */
static int overflow_without_altstack(void)
{
	struct sigaction sa = {.sa_sigaction = overflow_handler, .sa_flags = SA_SIGINFO};
	sigaction(SIGSEGV, &sa, NULL);
	printf("overflowing with the handler on the stack\n");
	if (!sigsetjmp(back, 1))
		recurse((char *)&sa, 1L << 40);
	printf("still alive\n");
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && strcmp(argv[1], "noalt") == 0)
		return overflow_without_altstack();
	alt = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t old, s = {.ss_sp = alt, .ss_size = ALT_SIZE};
	sigaltstack(NULL, &old);
	printf("initial: flags %d size %zu\n", old.ss_flags, old.ss_size);
	printf("AT_MINSIGSTKSZ %lu\n", getauxval(AT_MINSIGSTKSZ));
	show_result("sigaltstack", neg_errno(sigaltstack(&s, NULL)), 0);
	sigaltstack(NULL, &old);
	printf("set: flags %d size %zu sp ok %d\n", old.ss_flags, old.ss_size, old.ss_sp == alt);

	struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO | SA_ONSTACK};
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR1);
	sa.sa_flags = SA_SIGINFO;
	entries = 1;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2); /* without SA_ONSTACK: the normal stack */

	/* the stack overflow: only a handler on another stack can run */
	sa.sa_sigaction = overflow_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	if (!sigsetjmp(back, 1))
		recurse(alt, 1L << 40);
	fact("stack overflow caught", overflowed);
	sigaltstack(NULL, &old);
	printf("after overflow: flags %d\n", old.ss_flags);

	/* SS_AUTODISARM: the handler finds the stack disarmed, sigreturn arms it again */
	s.ss_flags = SS_AUTODISARM;
	show_result("SS_AUTODISARM", neg_errno(sigaltstack(&s, NULL)), 0);
	sigaltstack(NULL, &old);
	printf("autodisarm set: flags %#x\n", (unsigned)old.ss_flags);
	sa.sa_sigaction = handler;
	entries = 1;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sigaltstack(NULL, &old);
	printf("after: flags %#x size %zu\n", (unsigned)old.ss_flags, old.ss_size);
	errnos();
	printf("sig_altstack: %d failures\n", failures);
	return failures != 0;
}
