/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal POSIX ustar writer for `ppccompat capture`: regular files and
 * directories only, owner root, mode 0644/0755, mtime 0 so that the same
 * tree always gives the same bytes. Reading it back needs nothing but tar(1).
 */
#ifndef PPCCOMPAT_USTAR_H
#define PPCCOMPAT_USTAR_H

#include <stddef.h>

/*
 * Each writes to the file descriptor fd, retrying short writes and EINTR.
 * 0, -ENAMETOOLONG (name fits neither name nor prefix), or -errno of the
 * write(2) that failed (ENOSPC, EPIPE, EFBIG, ...).
 */
int ustar_add_dir(int fd, const char *name);
int ustar_add_file(int fd, const char *name, const void *data, size_t size);
/* The two zero blocks that end an archive. */
int ustar_finish(int fd);

#endif
