/* The buffer exec builds the new program's arguments in: frames mapped one after the other in
 * the kernel window as it grows, given back when exec is done. Exec does not sleep: one is enough.
 */
#include "arch/x86_64/platform.h"
#include "mm/frame.h"
#include "proc/execve.h"
#include <string.h>

/* The kernel window as one growing buffer: exec does not sleep, so one is enough. */
static paddr_t frames[WINDOW_PAGES];
static size_t mapped, used;

char *exec_buf_reserve(size_t n)
{
	if (n > WINDOW_PAGES * PAGE_SIZE - used)
		return NULL;
	while (mapped * PAGE_SIZE < used + n) {
		if (!(frames[mapped] = frame_alloc(FRAME_KERNEL)))
			return NULL;
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
