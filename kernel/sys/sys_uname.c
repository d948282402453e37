/* uname(2): what the system says it is. Linux's struct new_utsname, filled as the oracle fills it
 * but for the node name (Linux with no hostname set says "(none)") and the version string. */
#include "sys/sys.h"
#include <errno.h>

#define UTS_LEN 65 /* Linux's __NEW_UTS_LEN + 1 */

struct utsname {
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN], version[UTS_LEN],
	    machine[UTS_LEN], domainname[UTS_LEN];
};

/* A release of the oracle's series, so that a program checking the kernel's version takes SOS
 * for the kernel it behaves as. */
static const struct utsname uts = {
    .sysname = "Linux",
    .nodename = "sos",
    .release = "6.12.0-sos",
    .version = "#1 SOS",
    .machine = "x86_64",
    .domainname = "(none)",
};

/* uname(buf): the whole structure at once; a buffer the program cannot write is -EFAULT. */
long sys_uname(struct proc *p, const uint64_t a[6])
{
	return as_copyout(p->as, a[0], &uts, sizeof(uts)) ? -EFAULT : 0;
}
