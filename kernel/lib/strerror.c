/* The oracle's words for the errors of exec (strerror.h). */
#include "lib/strerror.h"
#include <errno.h>

const char *strerror_exec(int err)
{
	switch (err) {
	case -ENOENT:
		return "No such file or directory";
	case -ENOTDIR:
		return "Not a directory";
	case -ELOOP:
		return "Symbolic link loop";
	case -ENAMETOOLONG:
		return "Filename too long";
	case -E2BIG:
		return "Argument list too long";
	case -ENOMEM:
		return "Out of memory";
	case -ENOEXEC:
		return "Exec format error";
	default:
		return "Permission denied";
	}
}
