/* The kernel's memory and string functions.
 * memset and memcpy use the string instructions, which modern CPUs run at full line speed. */
#include <stdint.h>
#include <string.h>

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	if ((((uintptr_t)dst | n) & 7) == 0) {
		/* Whole words (every page the pager zeroes): as fast as stosb on hardware, and
		 * about six times faster under QEMU's TCG, which runs stosb a byte at a time. */
		uint64_t word = (uint8_t)c * 0x0101010101010101UL;
		size_t words = n / 8;
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(word) : "memory");
		return dst;
	}
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;
	if ((((uintptr_t)dst | (uintptr_t)src | n) & 7) == 0) {
		/* Whole words (a file's pages, a page of user memory): as memset, movsq runs
		 * several times faster than movsb under TCG, and as fast on hardware. */
		size_t words = n / 8;
		__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
		return dst;
	}
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	}
	return 0;
}
