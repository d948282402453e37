/* sig_mask: handlers, masks and pending signals. The order in which pending signals run when
 * unblocked, siginfo of kill/raise/sigqueue, SA_RESETHAND, SA_NODEFER, sa_mask, rt_sigpending,
 * rt_sigtimedwait, rt_sigsuspend, ignored signals, and the errnos of the signal calls. With the
 * argument "norestorer" it installs a handler without SA_RESTORER and raises the signal, which
 * Linux x86-64 answers with SIGSEGV. Never prints a pid. Owned by the user/tests part. */
#define _GNU_SOURCE
#include "include/check.h"
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static char order[256]; /* what the handlers saw, in the order they ran */
static int depth, max_depth, calls;

static void note(const char *fmt, int a, int b)
{
	size_t n = strlen(order);
	snprintf(order + n, sizeof(order) - n, fmt, a, b);
}

static void record(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	note("%d/%d ", sig, si->si_code);
}

static void nest(int sig, siginfo_t *si, void *ctx)
{
	(void)si;
	(void)ctx;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (++calls == 1)
		raise(sig);
	depth--;
}

static void with_mask(int sig, siginfo_t *si, void *ctx)
{
	sigset_t now, pend;
	ucontext_t *uc = ctx;
	(void)si;
	raise(SIGUSR2); /* in sa_mask: stays pending until this handler returns */
	sigprocmask(SIG_BLOCK, NULL, &now);
	sigpending(&pend);
	note("[in %d: usr2 blocked %d ", sig, sigismember(&now, SIGUSR2));
	note("pending %d, saved mask had usr1 %d] ", sigismember(&pend, SIGUSR2),
	     sigismember(&uc->uc_sigmask, SIGUSR1));
}

static void set(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int masked)
{
	struct sigaction sa = {.sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags};
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	sigaction(sig, &sa, NULL);
}

static void block(int how, int a, int b, int c)
{
	sigset_t s;
	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	if (c)
		sigaddset(&s, c);
	sigprocmask(how, &s, NULL);
}

static void show(const char *what)
{
	printf("%s: %s\n", what, order);
	order[0] = 0;
}

/* Pending signals run when unblocked: each is taken in Linux's order (the thread's before the
 * process's, SIGSEGV and friends first) and its frame built over the previous one. */
static void unblock_order(void)
{
	set(SIGUSR1, record, 0, 0);
	set(SIGUSR2, record, 0, 0);
	set(SIGTERM, record, 0, 0);
	set(SIGSEGV, record, 0, 0);
	set(SIGRTMIN, record, 0, 0);
	block(SIG_BLOCK, SIGUSR1, SIGUSR2, SIGTERM);
	block(SIG_BLOCK, SIGSEGV, SIGRTMIN, 0);
	kill(getpid(), SIGUSR1);
	raise(SIGTERM);
	kill(getpid(), SIGRTMIN);
	raise(SIGUSR2);
	raise(SIGSEGV);
	sigset_t pend;
	sigpending(&pend);
	printf("pending: usr1 %d usr2 %d term %d segv %d rtmin %d hup %d\n",
	       sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2),
	       sigismember(&pend, SIGTERM), sigismember(&pend, SIGSEGV),
	       sigismember(&pend, SIGRTMIN), sigismember(&pend, SIGHUP));
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	show("ran");
	/* with sa_mask holding the others, they run one after another instead */
	sigset_t all;
	sigfillset(&all);
	struct sigaction sa = {.sa_sigaction = record, .sa_flags = SA_SIGINFO, .sa_mask = all};
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	block(SIG_BLOCK, SIGUSR1, SIGUSR2, SIGTERM);
	raise(SIGTERM);
	kill(getpid(), SIGUSR2);
	raise(SIGUSR1);
	raise(SIGUSR1); /* a second one is merged with the first */
	sigprocmask(SIG_SETMASK, &none, NULL);
	show("ran with all masked");
}

static void handler_flags(void)
{
	struct sigaction old;
	set(SIGUSR1, record, SA_RESETHAND, 0);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &old);
	show("SA_RESETHAND");
	printf("  after: handler %s, flags %#x\n", old.sa_handler == SIG_DFL ? "SIG_DFL" : "other",
	       (unsigned)old.sa_flags);
	calls = 0;
	set(SIGUSR2, nest, SA_NODEFER, 0);
	raise(SIGUSR2);
	printf("SA_NODEFER: deepest %d\n", max_depth);
	max_depth = calls = 0;
	set(SIGUSR2, nest, 0, 0);
	raise(SIGUSR2);
	printf("without SA_NODEFER: deepest %d, calls %d\n", max_depth, calls);
	set(SIGUSR1, with_mask, 0, SIGUSR2);
	set(SIGUSR2, record, 0, 0);
	raise(SIGUSR1);
	show("sa_mask");
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("  mask after: usr1 %d usr2 %d\n", sigismember(&now, SIGUSR1),
	       sigismember(&now, SIGUSR2));
	struct sigaction odd = {.sa_handler = SIG_IGN, .sa_flags = 0x400 | SA_RESTART};
	sigaction(SIGHUP, &odd, NULL);
	sigaction(SIGHUP, NULL, &old);
	printf("unknown flag bits dropped: flags %#x\n", (unsigned)old.sa_flags);
}

static void waiting(void)
{
	siginfo_t si;
	struct timespec zero = {0, 0}, short_wait = {0, 20000000}, bad = {0, 1000000000};
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, SIGUSR1);
	block(SIG_BLOCK, SIGUSR1, 0, 0);
	raise(SIGUSR1);
	long r = neg_errno(sigtimedwait(&w, &si, &zero));
	printf("sigtimedwait pending: %ld, code %d, from self %d\n", r, si.si_code,
	       si.si_pid == getpid());
	show_result("sigtimedwait none, no wait", neg_errno(sigtimedwait(&w, &si, &zero)), -EAGAIN);
	show_result("sigtimedwait none, 20 ms", neg_errno(sigtimedwait(&w, &si, &short_wait)),
	            -EAGAIN);
	show_result("sigtimedwait bad timeout", neg_errno(sigtimedwait(&w, &si, &bad)), -EINVAL);
	union sigval v = {.sival_int = 42};
	sigqueue(getpid(), SIGUSR1, v);
	r = neg_errno(sigtimedwait(&w, &si, &zero));
	printf("sigqueue: %ld, code %d, value %d\n", r, si.si_code, si.si_value.sival_int);
	/* sigsuspend: the pending signal's handler runs with the suspend mask, then the old mask */
	set(SIGUSR1, with_mask, 0, SIGUSR2);
	raise(SIGUSR1);
	sigset_t none;
	sigemptyset(&none);
	show_result("sigsuspend", neg_errno(sigsuspend(&none)), -EINTR);
	show("  ran");
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("  mask after: usr1 %d\n", sigismember(&now, SIGUSR1));
	block(SIG_UNBLOCK, SIGUSR1, 0, 0);
}

static void record_value(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	note("%d:%d ", sig - SIGRTMIN, si->si_code == SI_QUEUE ? si->si_value.sival_int : -1);
}

/* Real-time signals queue each instance, with its value, in the order sent. */
static void rt_queue(void)
{
	set(SIGRTMIN, record_value, 0, 0);
	set(SIGRTMIN + 1, record_value, 0, 0);
	sigset_t all;
	sigfillset(&all);
	struct sigaction sa = {
	    .sa_sigaction = record_value, .sa_flags = SA_SIGINFO, .sa_mask = all};
	sigaction(SIGRTMIN, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	block(SIG_BLOCK, SIGRTMIN, SIGRTMIN + 1, 0);
	sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 1});
	sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 2});
	kill(getpid(), SIGRTMIN + 1);
	sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 3});
	raise(SIGRTMIN);
	sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 4});
	siginfo_t si;
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, SIGRTMIN);
	struct timespec zero = {0, 0};
	long r = neg_errno(sigtimedwait(&w, &si, &zero));
	printf("rt: sigtimedwait took %ld, value %d\n", r - SIGRTMIN, si.si_value.sival_int);
	block(SIG_UNBLOCK, SIGRTMIN, SIGRTMIN + 1, 0);
	show("rt: ran");
}

static void ignoring(void)
{
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	set(SIGUSR2, record, 0, 0);
	block(SIG_BLOCK, SIGUSR2, 0, 0);
	raise(SIGUSR2);
	signal(SIGUSR2, SIG_IGN); /* discards the pending one */
	sigset_t pend;
	sigpending(&pend);
	printf("ignored: usr2 still pending %d\n", sigismember(&pend, SIGUSR2));
	block(SIG_UNBLOCK, SIGUSR2, 0, 0);
	raise(SIGCHLD);
	raise(SIGURG);
	raise(SIGWINCH);
	raise(SIGCONT);
	show("ignored by default ran");
}

static long sc(long nr, long a, long b, long c, long d)
{
	return neg_errno(syscall(nr, a, b, c, d));
}

static void errnos(void)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} k = {SIG_DFL, 0, 0, 0};
	uint64_t m = 0;
	char *bad = (char *)16;
	show_result("sigaction SIGKILL", sc(SYS_rt_sigaction, SIGKILL, (long)&k, 0, 8), -EINVAL);
	show_result("sigaction SIGSTOP", sc(SYS_rt_sigaction, SIGSTOP, (long)&k, 0, 8), -EINVAL);
	show_result("sigaction SIGKILL, old only", sc(SYS_rt_sigaction, SIGKILL, 0, (long)&k, 8),
	            0);
	show_result("sigaction 0", sc(SYS_rt_sigaction, 0, (long)&k, 0, 8), -EINVAL);
	show_result("sigaction 65", sc(SYS_rt_sigaction, 65, 0, 0, 8), -EINVAL);
	show_result("sigaction size 4", sc(SYS_rt_sigaction, SIGUSR1, 0, 0, 4), -EINVAL);
	show_result("sigaction bad act, bad sig", sc(SYS_rt_sigaction, 0, (long)bad, 0, 8),
	            -EFAULT);
	show_result("sigaction bad old", sc(SYS_rt_sigaction, SIGUSR1, 0, (long)bad, 8), -EFAULT);
	show_result("sigprocmask how 7", sc(SYS_rt_sigprocmask, 7, (long)&m, 0, 8), -EINVAL);
	show_result("sigprocmask how 7, no set", sc(SYS_rt_sigprocmask, 7, 0, 0, 8), 0);
	show_result("sigprocmask bad set", sc(SYS_rt_sigprocmask, SIG_BLOCK, (long)bad, 0, 8),
	            -EFAULT);
	show_result("sigprocmask size 16", sc(SYS_rt_sigprocmask, SIG_BLOCK, 0, 0, 16), -EINVAL);
	show_result("sigpending size 16", sc(SYS_rt_sigpending, (long)&m, 16, 0, 0), -EINVAL);
	show_result("sigpending size 4", sc(SYS_rt_sigpending, (long)&m, 4, 0, 0), 0);
	show_result("sigpending bad", sc(SYS_rt_sigpending, (long)bad, 8, 0, 0), -EFAULT);
	show_result("sigsuspend size 4", sc(SYS_rt_sigsuspend, (long)&m, 4, 0, 0), -EINVAL);
	show_result("sigsuspend bad", sc(SYS_rt_sigsuspend, (long)bad, 8, 0, 0), -EFAULT);
	show_result("sigtimedwait size 4", sc(SYS_rt_sigtimedwait, (long)&m, 0, 0, 4), -EINVAL);
	show_result("sigtimedwait bad set", sc(SYS_rt_sigtimedwait, (long)bad, 0, 0, 8), -EFAULT);
	show_result("sigtimedwait bad timeout", sc(SYS_rt_sigtimedwait, (long)&m, 0, (long)bad, 8),
	            -EFAULT);
	siginfo_t si = {.si_code = SI_USER};
	show_result("sigqueueinfo SI_USER to another",
	            sc(SYS_rt_sigqueueinfo, 99999, SIGUSR1, (long)&si, 0), -EPERM);
	si.si_code = SI_QUEUE;
	show_result("sigqueueinfo to no one", sc(SYS_rt_sigqueueinfo, 99999, SIGUSR1, (long)&si, 0),
	            -ESRCH);
	show_result("sigqueueinfo sig 65", sc(SYS_rt_sigqueueinfo, getpid(), 65, (long)&si, 0),
	            -EINVAL);
	show_result("sigqueueinfo bad info",
	            sc(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (long)bad, 0), -EFAULT);
	show_result("kill 65", neg_errno(kill(getpid(), 65)), -EINVAL);
}

/* A handler without SA_RESTORER: x86-64 Linux cannot build the frame and kills with SIGSEGV. */
static int no_restorer(void)
{
	struct {
		void (*handler)(int, siginfo_t *, void *);
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} k = {record, SA_SIGINFO, 0, 0};
	syscall(SYS_rt_sigaction, SIGUSR1, &k, NULL, 8);
	printf("raising SIGUSR1 with no restorer\n");
	fflush(stdout);
	raise(SIGUSR1);
	printf("still alive\n");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "norestorer") == 0)
		return no_restorer();
	setvbuf(stdout, NULL, _IONBF, 0);
	unblock_order();
	handler_flags();
	waiting();
	rt_queue();
	ignoring();
	errnos();
	printf("sig_mask: %d failures\n", failures);
	return failures != 0;
}
