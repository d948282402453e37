/* What the system tells about itself: sysinfo (uptime and memory from the frame table) and
 * getrandom (bytes from the CPU's random source, arch_random). */
#include "arch/x86_64/platform.h"
#include "fs/vfs.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/overcommit.h"
#include "mm/swap.h"
#include "sys/sys.h"
#include <errno.h>

#define NS_PER_SEC    1000000000UL
#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4
#define RANDOM_CHUNK  256

/* Linux's struct sysinfo on x86-64 (112 bytes). */
struct sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};

/* sysinfo(info): sizes in bytes (mem_unit 1), uptime in seconds rounded up as Linux rounds it.
 * No load (one process that never waits), no buffers, no high memory; shared memory is the
 * tmpfs's pages (Linux counts shared anonymous memory there too). */
long sys_sysinfo(struct proc *p, const uint64_t a[6])
{
	uint64_t ns = arch_monotonic_ns();
	struct sysinfo si = {
	    .uptime = (int64_t)((ns + NS_PER_SEC - 1) / NS_PER_SEC),
	    .totalram = frames_total() * PAGE_SIZE,
	    .freeram = frames_free() * PAGE_SIZE,
	    .sharedram = tmpfs_pages_used() * PAGE_SIZE,
	    .totalswap = swap_pages() * PAGE_SIZE,
	    .freeswap = (swap_pages() - swap_slots_used()) * PAGE_SIZE,
	    .procs = 1,
	    .mem_unit = 1,
	};
	return as_copyout(p->as, a[0], &si, sizeof(si)) ? -EFAULT : 0;
}

/* Fill buf with n random bytes. */
static void random_fill(uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t r = arch_random();
		for (size_t j = 0; j < 8 && i + j < n; j++)
			buf[i + j] = (uint8_t)(r >> (8 * j));
	}
}

/* getrandom(buf, len, flags): len random bytes (at most MAX_RW_COUNT). The source never blocks,
 * so GRND_NONBLOCK and GRND_RANDOM change nothing. As on Linux a range past the user half is
 * -EFAULT before anything is written, and a hole part way ends the call short there. */
long sys_getrandom(struct proc *p, const uint64_t a[6])
{
	uint32_t flags = (uint32_t)a[2];
	vaddr_t buf = a[0];
	size_t len = a[1] < MAX_RW_COUNT ? a[1] : MAX_RW_COUNT;
	if (flags & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (buf > USER_END || len > USER_END - buf)
		return -EFAULT;
	uint8_t chunk[RANDOM_CHUNK];
	size_t done = 0;
	while (done < len) {
		size_t n = PAGE_SIZE - ((buf + done) & PAGE_MASK); /* never across a page */
		n = n < RANDOM_CHUNK ? n : RANDOM_CHUNK;
		n = n < len - done ? n : len - done;
		random_fill(chunk, n);
		if (as_copyout(p->as, buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}
