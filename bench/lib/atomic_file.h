/* SPDX-License-Identifier: GPL-2.0 */
/* Result files appear whole or not at all. */
#ifndef MN_ATOMIC_FILE_H
#define MN_ATOMIC_FILE_H

#include <stddef.h>

/*
 * Write data to a temporary file beside path, fsync it, rename it over
 * path. SIGINT/SIGTERM wait until it is done, so an interrupted run
 * leaves either the old file or the new one. 0, or -1 with errno set.
 */
int atomic_write_file(const char *path, const void *data, size_t len);

#endif /* MN_ATOMIC_FILE_H */
