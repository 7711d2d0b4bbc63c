// SPDX-License-Identifier: GPL-2.0
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void print_line(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
	fputs(prefix, stdout);
	vprintf(fmt, ap);
	fputs(suffix, stdout);
	putchar('\n');
	/* The console interleaves our output with the kernel's: keep lines whole and in order. */
	fflush(stdout);
}

bool tap_check(struct tap *tap, bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line(ok ? "ok - " : "not ok - ", fmt, ap, "");
	va_end(ap);
	if (ok)
		tap->passed++;
	else
		tap->failed++;
	return ok;
}

void tap_skip(struct tap *tap, const char *reason, const char *fmt, ...)
{
	char suffix[256];
	va_list ap;

	snprintf(suffix, sizeof(suffix), " # SKIP %s", reason);
	va_start(ap, fmt);
	print_line("ok - ", fmt, ap, suffix);
	va_end(ap);
	tap->skipped++;
}

void tap_fact(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("# fact %s=", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void tap_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line("# ", fmt, ap, "");
	va_end(ap);
}

int tap_exit_status(const struct tap *tap)
{
	return tap->failed ? 1 : 0;
}

const char *tap_errno_r(int err, char buf[static 16])
{
	const char *name;

	if (err == 0)
		return "0";
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, 16, "errno-%d", err);
	return buf;
}

const char *tap_errno(int err)
{
	static char unnamed[16];

	return tap_errno_r(err, unnamed);
}
