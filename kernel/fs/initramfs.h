/* The root archive (a cpio newc image in boot-module memory) unpacked into tmpfs at boot. */
#pragma once
#include <stddef.h>

/* Unpack the archive's entries under / (after vfs_init). 0, or -EINVAL for a malformed
 * archive (the entries before the defect stay). Panics when tmpfs has no room for it. */
int initramfs_unpack(const void *archive, size_t size);
