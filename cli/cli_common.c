// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"

/*
 * Under --json an error is also a JSON object on standard output, so that a
 * program reading stdout never has to parse stderr. The process has one
 * command line, so this is set once by main().
 */
static struct {
	bool on;
	const char *command; /* NULL until the command is known */
} json_errors;

void cli_json_errors(bool on, const char *command)
{
	json_errors.on = on;
	json_errors.command = command;
}

/* Stable names of the library's error codes, for programs (PPCCOMPAT_ERR_*). */
static const char *code_name(int code)
{
	static const char *const names[] = {
		[-PPCCOMPAT_ERR_NOT_FOUND] = "not-found",
		[-PPCCOMPAT_ERR_IO] = "io",
		[-PPCCOMPAT_ERR_TRUNCATED] = "truncated",
		[-PPCCOMPAT_ERR_MALFORMED] = "malformed",
		[-PPCCOMPAT_ERR_UNKNOWN_PVR] = "unknown-pvr",
		[-PPCCOMPAT_ERR_UNKNOWN_MODE] = "unknown-mode",
		[-PPCCOMPAT_ERR_TOO_BIG] = "too-big",
		[-PPCCOMPAT_ERR_NOSPACE] = "no-space",
		[-PPCCOMPAT_ERR_BAD_ARG] = "bad-argument",
		[-PPCCOMPAT_ERR_NOT_POWER] = "not-power",
		[-PPCCOMPAT_ERR_KVM] = "kvm",
		[-PPCCOMPAT_ERR_INCONSISTENT] = "inconsistent",
		[-PPCCOMPAT_ERR_NO_COMMON_MODE] = "no-common-mode",
		[-PPCCOMPAT_ERR_NAME_TOO_LONG] = "name-too-long",
	};

	if (code >= 0 || (size_t)-code >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[-code] ? names[-code] : "unknown";
}

/* The one line on stderr, and under --json the same error on stdout; err may be NULL. */
static void report(const char *message, const struct ppccompat_error *err)
{
	struct json_out j;
	const char *errno_name = err && err->sys_errno ? strerrorname_np(err->sys_errno) : NULL;

	fprintf(stderr, "ppccompat: %s\n", message);
	if (!json_errors.on)
		return;
	json_begin(&j, stdout);
	json_object_open(&j, NULL);
	json_string(&j, "command", json_errors.command);
	json_object_open(&j, "error");
	json_string(&j, "message", message);
	json_string(&j, "code", err ? code_name(err->code) : NULL);
	json_string(&j, "path", err && err->path[0] ? err->path : NULL);
	json_string(&j, "field", err && err->field[0] ? err->field : NULL);
	json_string(&j, "errno", errno_name);
	json_object_close(&j);
	json_object_close(&j);
	json_end(&j);
}

const char *cli_visible(char *dst, size_t size, const char *src)
{
	size_t used = 0;

	for (; *src && used + 1 < size; src++) {
		unsigned char c = (unsigned char)*src;

		if (c >= 0x20 && c != 0x7f) {
			dst[used++] = (char)c;
			continue;
		}
		if (used + 5 > size)
			break;
		used += (size_t)snprintf(dst + used, size - used, "\\x%02x", c);
	}
	dst[used] = '\0';
	return dst;
}

int cli_error(const char *fmt, ...)
{
	char message[PPCCOMPAT_PATH_MAX + 1024];
	char line[CLI_VISIBLE_SIZE(sizeof(message))];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	report(cli_visible(line, sizeof(line), message), NULL);
	return EXIT_ERROR;
}

int cli_error_at(int code, int sys_errno, const char *path, const char *field, const char *fmt,
		 ...)
{
	struct ppccompat_error err = { .code = code, .sys_errno = sys_errno };
	char message[PPCCOMPAT_PATH_MAX + 1024];
	char line[CLI_VISIBLE_SIZE(sizeof(message))];
	va_list ap;

	snprintf(err.path, sizeof(err.path), "%s", path ? path : "");
	snprintf(err.field, sizeof(err.field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	report(cli_visible(line, sizeof(line), message), &err);
	return EXIT_ERROR;
}

int cli_file_error(const char *what, const char *path, int sys_errno)
{
	int code = sys_errno == ENOSPC	       ? PPCCOMPAT_ERR_NOSPACE
		   : sys_errno == ENAMETOOLONG ? PPCCOMPAT_ERR_NAME_TOO_LONG
					       : PPCCOMPAT_ERR_IO;

	return cli_error_at(code, sys_errno, path, NULL, "%s: %s: %s", what, path,
			    strerror(sys_errno));
}

int cli_library_error(const struct ppccompat_error *err)
{
	char message[PPCCOMPAT_PATH_MAX + 512];
	char line[CLI_VISIBLE_SIZE(sizeof(message))];

	if (ppccompat_error_format(err, message, sizeof(message)) < 0)
		snprintf(message, sizeof(message), "%s", ppccompat_strerror(err->code));
	report(cli_visible(line, sizeof(line), message), err);
	return EXIT_ERROR;
}

int cli_probe(const struct cli *cli, struct ppccompat_host *host)
{
	struct ppccompat_probe_opts opts = {
		.sysroot = cli->sysroot,
		.flags = cli->no_kvm ? PPCCOMPAT_PROBE_NO_KVM : 0,
	};
	struct ppccompat_error err = { 0 };

	if (ppccompat_probe(&opts, host, &err) < 0)
		return cli_library_error(&err);
	return EXIT_YES;
}

void cli_mode_list(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST && used < size; m++) {
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " " : "",
					 ppccompat_mode_name((enum ppccompat_mode)m));
		/* accepted too, and kept as given (QEMU's own compat row): power7 to every rule */
		if (m == PPCCOMPAT_MODE_POWER7 && used < size)
			used += (size_t)snprintf(buf + used, size - used, " power7+");
	}
}

int cli_parse_mode(const char *what, const char *name, enum ppccompat_mode *mode)
{
	if (ppccompat_mode_from_name(name, mode) == 0 && *mode != PPCCOMPAT_MODE_NONE)
		return EXIT_YES;
	char known[128];

	cli_mode_list(known, sizeof(known));
	return cli_error_at(PPCCOMPAT_ERR_UNKNOWN_MODE, 0, NULL, "mode",
			    "%s: %s: unknown mode (known: %s)", what, name, known);
}

void cli_print_modes(FILE *out, uint32_t modes, const char *sep)
{
	bool first = true;

	for (int m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST; m++) {
		if (!(modes & PPCCOMPAT_MODE_BIT(m)))
			continue;
		fprintf(out, "%s%s", first ? "" : sep, ppccompat_mode_name((enum ppccompat_mode)m));
		first = false;
	}
	if (first)
		fputs("none", out);
}
