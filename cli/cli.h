/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the ppccompat subcommands. Each subcommand lives in its own
 * cmd_*.c file and returns the process exit status.
 */
#ifndef PPCCOMPAT_CLI_H
#define PPCCOMPAT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ppccompat.h"

/* Exit statuses, documented in ppccompat(1). */
enum {
	EXIT_YES = 0,   /* done; for check: the mode can be used */
	EXIT_NO = 1,    /* check: cannot; qemu-args/libvirt-xml/baseline: no usable mode */
	EXIT_ERROR = 2, /* bad usage, unreadable or malformed input */
};

struct cli {
	bool json;
	bool no_kvm;
	bool force;               /* capture: replace an existing archive */
	const char *sysroot;      /* NULL: the live system */
	const char *mode_option;  /* --mode M, or NULL */
	const char *qemu_version; /* --qemu-version X.Y, or NULL: ask the installed QEMU */
	char **operands;          /* after the subcommand name */
	int n_operands;
};

/*
 * After cli_json_errors(true, command), every error below is also written to
 * stdout as {"command": command, "error": {...}} (doc/ppccompat-report.schema.json).
 * command may be NULL while it is not known yet.
 */
void cli_json_errors(bool on, const char *command);

/* "ppccompat: <text>" on stderr, one line. Returns EXIT_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The library's error as one line naming the file and field. Returns EXIT_ERROR. */
int cli_library_error(const struct ppccompat_error *err);
/*
 * cli_error() with what a program reading --json needs: the library's error
 * code (PPCCOMPAT_ERR_*), errno (0: none), the file (NULL: none) and field.
 */
int cli_error_at(int code, int sys_errno, const char *path, const char *field, const char *fmt,
		 ...) __attribute__((format(printf, 5, 6)));
/* "what: path: strerror", with errno, the path and its code (no-space, name-too-long, io). */
int cli_file_error(const char *what, const char *path, int sys_errno);

/* Probe the live host or --sysroot. EXIT_YES, or EXIT_ERROR after printing why. */
int cli_probe(const struct cli *cli, struct ppccompat_host *host);

/* Resolve a user-supplied mode name; EXIT_ERROR with a message if unknown. */
/*
 * Host text made safe for a terminal and for the one-line error contract:
 * control bytes (C0, newline included, and DEL) become "\\xHH". Writes at
 * most size bytes, NUL included, cutting at a whole character; returns dst.
 * CLI_VISIBLE_SIZE(n) holds any n-byte string whole.
 */
#define CLI_VISIBLE_SIZE(n) (4 * (n) + 1)
const char *cli_visible(char *dst, size_t size, const char *src);

/* Every mode name, oldest first, space-separated, from the library's table. */
void cli_mode_list(char *buf, size_t size);
int cli_parse_mode(const char *what, const char *name, enum ppccompat_mode *mode);

/* Modes of a set, lowest first, separated by sep ("none" for the empty set). */
void cli_print_modes(FILE *out, uint32_t modes, const char *sep);

int cmd_show(const struct cli *cli);
int cmd_check(const struct cli *cli);
int cmd_qemu_args(const struct cli *cli);
int cmd_libvirt_xml(const struct cli *cli);
int cmd_baseline(const struct cli *cli);
int cmd_capture(const struct cli *cli);

#endif
