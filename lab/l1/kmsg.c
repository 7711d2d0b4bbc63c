// SPDX-License-Identifier: GPL-2.0
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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

/*
 * Calls fn on each record from fd's position on, until fn returns true or no
 * record is left; returns whether fn did. The caller closes fd.
 */
static bool each_record(int fd, bool (*fn)(const char *record, size_t len, void *ctx), void *ctx)
{
	char record[KMSG_RECORD_MAX + 1];

	for (;;) {
		ssize_t n = read(fd, record, KMSG_RECORD_MAX);

		if (n > 0) {
			record[n] = '\0';
			if (fn(record, (size_t)n, ctx))
				return true;
			continue;
		}
		/* EPIPE: records were overwritten before we read them; the rest still follows. */
		if (n < 0 && errno == EPIPE)
			continue;
		return false;
	}
}

static bool print_one(const char *record, size_t len, void *ctx)
{
	(void)ctx;
	print_record(record, len);
	return false;
}

void kmsg_watch_print(int fd)
{
	if (fd < 0)
		return;
	each_record(fd, print_one, NULL);
	fflush(stdout);
	close(fd);
}

static bool has_text(const char *record, size_t len, void *ctx)
{
	(void)len;
	for (const char *const *text = ctx; *text; text++)
		if (strstr(record, *text))
			return true;
	return false;
}

bool kmsg_logged(const char *const texts[])
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	bool found;

	if (fd < 0)
		return false;
	found = each_record(fd, has_text, (void *)texts);
	close(fd);
	return found;
}
