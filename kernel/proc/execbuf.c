/* The buffer exec builds the new program's arguments in: frames mapped one after the other in
 * the kernel window as it grows, given back when exec is done. Exec does not sleep: one is enough.
 */
#include "arch/x86_64/platform.h"
#include "mm/frame.h"
#include "proc/execve.h"
#include <errno.h>
#include <string.h>

/* The kernel window as one growing buffer: exec does not sleep, so one is enough. */
static paddr_t frames[WINDOW_PAGES];
static size_t mapped, used;
static int failed; /* why a reservation first failed since the release: -E2BIG, -ENOMEM or 0 */

/* Remember err as the reason of a failed reservation, unless an earlier one is known; NULL. */
static char *refuse(int err)
{
	if (!failed)
		failed = err;
	return NULL;
}

char *exec_buf_reserve(size_t n)
{
	if (n > WINDOW_PAGES * PAGE_SIZE - used)
		return refuse(-E2BIG);
	while (mapped * PAGE_SIZE < used + n) {
		if (!(frames[mapped] = frame_alloc(FRAME_KERNEL)))
			return refuse(-ENOMEM);
		arch_window_map(mapped, frames[mapped]);
		mapped++;
	}
	char *at = (char *)WINDOW_AREA + used;
	used += n;
	return at;
}

void exec_buf_release(void)
{
	arch_window_unmap(mapped);
	for (size_t i = 0; i < mapped; i++)
		frame_free(frames[i]);
	mapped = used = 0;
	failed = 0;
}

int exec_buf_error(void)
{
	return failed ? failed : -E2BIG;
}

const char *exec_buf_keep(const char *s, size_t n)
{
	char *at = exec_buf_reserve(n + 1);
	if (at) {
		memcpy(at, s, n);
		at[n] = '\0';
	}
	return at;
}
