// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ppccompat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

int cli_library_error(const struct ppccompat_error *err)
{
	char line[PPCCOMPAT_PATH_MAX + 512];

	if (ppccompat_error_format(err, line, sizeof(line)) < 0)
		return cli_error("%s", ppccompat_strerror(err->code));
	/* Host-supplied text must not break the one-line contract. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return cli_error("%s", line);
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

int cli_parse_mode(const char *what, const char *name, enum ppccompat_mode *mode)
{
	if (ppccompat_mode_from_name(name, mode) == 0 && *mode != PPCCOMPAT_MODE_NONE)
		return EXIT_YES;
	fprintf(stderr, "ppccompat: %s: %s: unknown mode (known: ", what, name);
	cli_print_modes(stderr, PPCCOMPAT_MODES_ALL, " ");
	fputs(")\n", stderr);
	return EXIT_ERROR;
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
