/* Time for clock_gettime: the TSC, calibrated against the PIT on first use, and the CMOS RTC for
 * the wall clock. Calibration costs 10 ms once, so programs that never ask the time never pay. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/platform.h"
#include "arch/x86_64/x86.h"

#define PIT_HZ       1193182
#define CALIBRATE_MS 10

static uint64_t tsc_boot; /* TSC when the kernel started */
static uint64_t ns_mult;  /* ns = ticks * ns_mult >> 32 */
static uint64_t epoch_ns; /* wall time at tsc_epoch */
static uint64_t tsc_epoch;

void time_init(void)
{
	tsc_boot = rdtsc();
}

/* Count TSC ticks while PIT channel 2 counts down CALIBRATE_MS milliseconds. */
static void calibrate(void)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate channel 2 on, speaker off */
	outb(0x43, 0xb0);                       /* channel 2, low then high byte, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	uint64_t hz = (rdtsc() - t0) * 1000 / CALIBRATE_MS;
	ns_mult = (uint64_t)(((unsigned __int128)1000000000 << 32) / hz);
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
	if (!ns_mult)
		calibrate();
	return (uint64_t)(((unsigned __int128)ticks * ns_mult) >> 32);
}

void arch_timer_start(unsigned hz)
{
	uint16_t divisor = (uint16_t)(PIT_HZ / hz);
	outb(0x43, 0x34); /* channel 0, low then high byte, mode 2: a periodic rate */
	outb(0x40, divisor & 0xff);
	outb(0x40, divisor >> 8);
	pic_unmask_timer();
}

static unsigned cmos(unsigned reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(uint64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	uint64_t era = y / 400, yoe = y - era * 400;
	uint64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static uint64_t rtc_seconds(void)
{
	while (cmos(0x0a) & 0x80) /* update in progress */
		;
	unsigned v[6] = {cmos(0), cmos(2), cmos(4), cmos(7), cmos(8), cmos(9)};
	if (!(cmos(0x0b) & 0x04)) /* BCD */
		for (int i = 0; i < 6; i++)
			v[i] = (v[i] & 0x0f) + (v[i] >> 4) * 10;
	uint64_t days = days_from_civil(2000 + v[5], v[4], v[3]);
	return days * 86400 + v[2] * 3600 + v[1] * 60 + v[0];
}

uint64_t arch_monotonic_ns(void)
{
	return ticks_to_ns(rdtsc() - tsc_boot);
}

uint64_t arch_realtime_ns(void)
{
	if (!tsc_epoch) {
		epoch_ns = rtc_seconds() * 1000000000;
		tsc_epoch = rdtsc();
	}
	return epoch_ns + ticks_to_ns(rdtsc() - tsc_epoch);
}
