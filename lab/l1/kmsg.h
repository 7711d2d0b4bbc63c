/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel messages logged while a program ran, so that a failing ioctl can
 * be reported together with what the kernel said about it (e.g.
 * "KVM-NESTEDv2: couldn't set guest wide elements").
 */
#ifndef PPCCOMPAT_LAB_KMSG_H
#define PPCCOMPAT_LAB_KMSG_H

/* Starts watching: returns a descriptor positioned after every existing record, or -errno. */
int kmsg_watch_start(void);

/* Prints each record logged since kmsg_watch_start() as "# kmsg: <text>" and closes fd. */
void kmsg_watch_print(int fd);

#endif
