/* exec_stack: what exec put on the initial stack, in facts that do not depend on where the stack
 * is: argc and argv, the environment (environ and envp), AT_EXECFN's string, and how the strings
 * lie (argv then envp then the file name, back to back, the name ending under the top word). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;

/* The address just past string s and its NUL. */
static uintptr_t after(const char *s)
{
	return (uintptr_t)s + strlen(s) + 1;
}

int main(int argc, char **argv, char **envp)
{
	int envc = 0;
	printf("argc: %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: \"%s\"\n", i, argv[i]);
	printf("argv[argc] is NULL: %s\n", argv[argc] ? "no" : "yes");
	for (; envp[envc]; envc++)
		printf("envp[%d]: \"%s\"\n", envc, envp[envc]);
	printf("envc: %d\n", envc);
	printf("environ is envp: %s\n", environ == envp ? "yes" : "no");
	printf("envp follows argv's NULL: %s\n", envp == argv + argc + 1 ? "yes" : "no");

	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN: \"%s\"\n", execfn ? execfn : "(none)");
	/* the strings, back to back: each argv and envp string starts where the one before ends */
	int packed = 1;
	const char *prev = NULL;
	for (int i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? argv[i] : envp[i - argc];
		if (prev && after(prev) != (uintptr_t)s)
			packed = 0;
		prev = s;
	}
	printf("argv and envp strings back to back: %s\n", packed ? "yes" : "no");
	if (execfn) {
		printf("the file name follows them: %s\n",
		       prev && after(prev) == (uintptr_t)execfn ? "yes" : "no");
		/* the name ends 8 bytes under the top of the stack, which is page-aligned */
		printf("the file name ends one word under a page boundary: %s\n",
		       (after(execfn) + 8) % 4096 == 0 ? "yes" : "no");
	}
	const char *platform = (const char *)getauxval(AT_PLATFORM);
	printf("AT_PLATFORM: \"%s\"\n", platform ? platform : "(none)");
	printf("stack pointer of argv below the strings: %s\n",
	       (uintptr_t)argv < (uintptr_t)argv[0] ? "yes" : "no");
	return 0;
}
