// SPDX-License-Identifier: GPL-2.0
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The kernel never returns a /dev/kmsg record longer than this (PRINTK_MESSAGE_MAX is 2048). */
#define KMSG_RECORD_MAX 8192

int kmsg_watch_start(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

/* A record is "prio,seq,usec,flags[,...];text\n" followed by " KEY=value" lines. */
static void print_record(const char *record, size_t len)
{
	const char *text = memchr(record, ';', len);
	const char *end;

	if (!text)
		return;
	text++;
	end = memchr(text, '\n', len - (size_t)(text - record));
	if (!end)
		end = record + len;
	printf("# kmsg: %.*s\n", (int)(end - text), text);
}

void kmsg_watch_print(int fd)
{
	char record[KMSG_RECORD_MAX];

	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, record, sizeof(record));

		if (n > 0) {
			print_record(record, (size_t)n);
			continue;
		}
		/* EPIPE: records were overwritten before we read them; the rest still follows. */
		if (n < 0 && errno == EPIPE)
			continue;
		break;
	}
	fflush(stdout);
	close(fd);
}
