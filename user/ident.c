/* ident: who a program is on Linux 6.12 (the oracle's job) and on SOS alike — root in every user
 * and group id, no supplementary groups, and the errors of getgroups, getresuid and getresgid.
 * Owned by kernel/sys (sys_ident.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "include/check.h"

static void ids_test(void)
{
	show_result("getuid", neg_errno(syscall(SYS_getuid)), 0);
	show_result("geteuid", neg_errno(syscall(SYS_geteuid)), 0);
	show_result("getgid", neg_errno(syscall(SYS_getgid)), 0);
	show_result("getegid", neg_errno(syscall(SYS_getegid)), 0);
}

/* Each of the three ids of getresuid and getresgid, written over a marker. */
static void resid_test(const char *name, long nr)
{
	unsigned id[3] = {77, 77, 77};
	char what[64];

	snprintf(what, sizeof(what), "%s", name);
	show_result(what, neg_errno(syscall(nr, &id[0], &id[1], &id[2])), 0);
	printf("%s ids: %u %u %u\n", name, id[0], id[1], id[2]);
	if (id[0] || id[1] || id[2])
		failures++;
	snprintf(what, sizeof(what), "%s(NULL, ...)", name);
	show_result(what, neg_errno(syscall(nr, NULL, &id[1], &id[2])), -EFAULT);
	id[0] = 77;
	snprintf(what, sizeof(what), "%s(ok, ok, bad)", name);
	show_result(what, neg_errno(syscall(nr, &id[0], &id[1], (void *)16)), -EFAULT);
	fact("the ids before the bad one are written", id[0] == 0);
}

static void groups_test(void)
{
	unsigned g[4] = {77, 77, 77, 77};
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_result("getgroups(0, NULL)", neg_errno(syscall(SYS_getgroups, 0, NULL)), 0);
	show_result("getgroups(4, list)", neg_errno(syscall(SYS_getgroups, 4, g)), 0);
	fact("the list is untouched", g[0] == 77);
	show_result("getgroups(-1, list)", neg_errno(syscall(SYS_getgroups, -1, g)), -EINVAL);
	show_result("getgroups(1, NULL)", neg_errno(syscall(SYS_getgroups, 1, NULL)), 0);
	show_result("getgroups(65536, bad)", neg_errno(syscall(SYS_getgroups, 65536, (void *)16)),
	            0);
	if (ro != MAP_FAILED)
		show_result("getgroups(4, read-only)", neg_errno(syscall(SYS_getgroups, 4, ro)), 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ids_test();
	resid_test("getresuid", SYS_getresuid);
	resid_test("getresgid", SYS_getresgid);
	groups_test();
	printf("ident: %s\n", failures ? "FAILED" : "passed");
	return failures ? 1 : 0;
}
