/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel messages logged while a program ran, so that a failing ioctl can
 * be reported together with what the kernel said about it (e.g.
 * "KVM-NESTEDv2: couldn't set guest wide elements").
 */
#ifndef PPCCOMPAT_LAB_KMSG_H
#define PPCCOMPAT_LAB_KMSG_H

#include <stdbool.h>

/* Starts watching: returns a descriptor positioned after every existing record, or -errno. */
int kmsg_watch_start(void);

/* Prints each record logged since kmsg_watch_start() as "# kmsg: <text>" and closes fd. */
void kmsg_watch_print(int fd);

/*
 * Whether a record still in the kernel's log buffer, oldest first, contains one
 * of texts (NULL-terminated); false also when /dev/kmsg cannot be opened.
 */
bool kmsg_logged(const char *const texts[]);

#endif
