/* The words the oracle's programs (musl's strerror) use for an error, for SOS's "cannot run"
 * lines, which stand where the oracle's linux-run prints them. */
#pragma once

/* musl's text for -err, for the errors exec can give; "Permission denied" for the rest (a
 * directory or another file that is not a program). */
const char *strerror_exec(int err);
