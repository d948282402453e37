/* Signals between processes: kill of a blocked and of a looping child (which needs preemption),
 * two looping children both making progress, kill(pid, 0), process groups and sessions
 * (setpgid, getpgid, setsid, getsid, kill of a negative pid), SIGSTOP and SIGCONT seen through
 * WUNTRACED, WCONTINUED and waitid.
 */
#include "include/proc.h"
#include <stdbool.h>
#include <sys/mman.h>
#include <time.h>

/* Sleep ms milliseconds. */
static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* A child that blocks forever in read() on a pipe nobody writes. */
static pid_t blocked_child(void)
{
	int fds[2];
	char c;

	if (pipe(fds))
		return -1;
	pid_t p = xfork();
	if (p == 0) {
		close(fds[1]);
		read(fds[0], &c, 1);
		_exit(0);
	}
	close(fds[0]);
	return p; /* the write end stays open in the parent: the child never wakes by itself */
}

/* SIGTERM and SIGKILL to a blocked child, SIGKILL to a looping one; kill(pid, 0). */
static void kills(void)
{
	pid_t p = blocked_child();

	nap(20);
	show_result("kill(blocked child, 0)", neg_errno(kill(p, 0)), 0);
	show_result("kill(blocked child, SIGTERM)", neg_errno(kill(p, SIGTERM)), 0);
	reap("  it", p);
	show_result("kill(reaped child, 0)", neg_errno(kill(p, 0)), -ESRCH);
	p = blocked_child();
	kill(p, SIGKILL);
	reap("blocked child, SIGKILL", p);
	p = xfork();
	if (p == 0)
		for (;;)
			;
	nap(50);
	show_result("kill(looping child, SIGKILL)", neg_errno(kill(p, SIGKILL)), 0);
	reap("  it", p);
	show_result("kill(self, signal 99)", neg_errno(kill(getpid(), 99)), -EINVAL);
}

/* True when both counters pass their marks within 5 s, looked at every 50 ms: a loaded host may
 * stall the guest for a while, so the test waits for progress rather than timing it. */
static bool both_pass(volatile long *count, long a, long b)
{
	for (int k = 0; k < 100; k++) {
		if (count[0] > a && count[1] > b)
			return true;
		nap(50);
	}
	return false;
}

/* Two looping children share a page of counters: both count, and both go on counting (the timer
 * shares the CPU among them; without preemption the first would keep it). */
static void round_robin(void)
{
	volatile long *count =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t kids[2];

	if (count == MAP_FAILED)
		return;
	for (int i = 0; i < 2; i++) {
		kids[i] = xfork();
		if (kids[i] == 0)
			for (;;)
				count[i]++;
	}
	printf("two looping children both ran: %s\n", both_pass(count, 0, 0) ? "yes" : "no");
	long a = count[0], b = count[1];
	printf("and both ran on: %s\n", both_pass(count, a, b) ? "yes" : "no");
	for (int i = 0; i < 2; i++) {
		kill(kids[i], SIGKILL);
		reap("looping child", kids[i]);
	}
	munmap((void *)count, 4096);
}

/* Process groups: a child leads its own; kill(-pgid) reaches all its members and no other. */
static void groups(void)
{
	show_result("getpgrp() == getpgid(0)", getpgrp() == getpgid(0) ? 0 : -1, 0);
	pid_t leader = blocked_child();
	show_result("setpgid(child, child)", neg_errno(setpgid(leader, leader)), 0);
	show_result("getpgid(child) is the child", getpgid(leader) == leader ? 0 : -1, 0);
	pid_t member = blocked_child();
	show_result("setpgid(second child, first's group)", neg_errno(setpgid(member, leader)), 0);
	pid_t outsider = blocked_child();
	show_result("setpgid(third, a group that does not exist)",
	            neg_errno(setpgid(outsider, outsider + 100000)), -EPERM);
	show_result("setpgid(-1)", neg_errno(setpgid(-1, 0)), -EINVAL);
	pid_t gone = xfork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	show_result("setpgid(a reaped child)", neg_errno(setpgid(gone, 0)), -ESRCH);
	show_result("kill(-group, SIGTERM)", neg_errno(kill(-leader, SIGTERM)), 0);
	reap("  leader", leader);
	reap("  member", member);
	show_result("outsider still there: kill(outsider, 0)", neg_errno(kill(outsider, 0)), 0);
	show_result("kill(-group) once it is empty", neg_errno(kill(-leader, SIGTERM)), -ESRCH);
	kill(outsider, SIGKILL);
	reap("  outsider", outsider);
}

/* Sessions: a child's setsid makes it the leader of a session and group of its own; a group
 * leader cannot; the parent cannot move a child of another session. */
static void sessions(void)
{
	int fds[2];
	char r[4] = "???";

	if (pipe(fds))
		return;
	pid_t p = xfork();
	if (p == 0) {
		pid_t me = getpid();
		pid_t s = setsid();
		r[0] = s == me ? 'y' : 'n';
		r[1] = getsid(0) == me && getpgid(0) == me ? 'y' : 'n';
		r[2] = setsid() < 0 && errno == EPERM ? 'y' : 'n';
		write(fds[1], r, 3);
		for (;;)
			pause(); /* until the parent kills it */
	}
	readn(fds[0], r, 3);
	printf("child's setsid() returns its pid: %s\n", r[0] == 'y' ? "yes" : "no");
	printf("its session and group are its pid: %s\n", r[1] == 'y' ? "yes" : "no");
	printf("a second setsid() is EPERM: %s\n", r[2] == 'y' ? "yes" : "no");
	show_result("getsid(child) is the child", getsid(p) == p ? 0 : -1, 0);
	show_result("getsid(0) is not the child", getsid(0) != p ? 0 : -1, 0);
	show_result("setpgid(child in another session, own group)",
	            neg_errno(setpgid(p, getpgrp())), -EPERM);
	kill(p, SIGKILL);
	reap("session leader", p);
	close(fds[0]);
	close(fds[1]);
}

/* SIGSTOP and SIGCONT: the parent sees the stop and the continue, then the death. */
static void stop_continue(void)
{
	int st = 0;
	siginfo_t si;
	pid_t p = xfork();

	if (p == 0)
		for (;;)
			;
	kill(p, SIGSTOP);
	show_result("waitpid(WUNTRACED) returns the child",
	            neg_errno(waitpid(p, &st, WUNTRACED)) == p ? 0 : -1, 0);
	printf("  %s\n", status_text(st));
	show_result("waitpid(WNOHANG|WUNTRACED) again: nothing new",
	            neg_errno(waitpid(p, &st, WNOHANG | WUNTRACED)), 0);
	kill(p, SIGCONT);
	show_result("waitpid(WCONTINUED) returns the child",
	            neg_errno(waitpid(p, &st, WCONTINUED)) == p ? 0 : -1, 0);
	printf("  %s\n", status_text(st));
	kill(p, SIGSTOP);
	memset(&si, 0, sizeof(si));
	show_result("waitid(WSTOPPED)", neg_errno(waitid(P_PID, p, &si, WSTOPPED)), 0);
	printf("  si_code %s si_status %s\n", si.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other",
	       signame(si.si_status));
	show_result("kill(stopped child, SIGTERM) stays pending", neg_errno(kill(p, SIGTERM)), 0);
	nap(50);
	show_result("  still there: waitpid(WNOHANG)", neg_errno(waitpid(p, &st, WNOHANG)), 0);
	kill(p, SIGCONT);
	reap("continued child with SIGTERM pending", p);
	p = xfork();
	if (p == 0)
		for (;;)
			;
	kill(p, SIGSTOP);
	waitpid(p, &st, WUNTRACED);
	kill(p, SIGKILL);
	reap("stopped child, SIGKILL", p);
}

int main(void)
{
	proc_setup();
	kills();
	round_robin();
	groups();
	sessions();
	stop_continue();
	printf("failures: %d\n", failures);
	return failures != 0;
}
