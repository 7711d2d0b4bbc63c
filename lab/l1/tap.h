/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP lines and facts in the form doc/lab-protocol.md defines: the lab runner
 * renumbers the TAP lines and asserts on the facts per scenario and kernel.
 */
#ifndef PPCCOMPAT_LAB_TAP_H
#define PPCCOMPAT_LAB_TAP_H

#include <stdbool.h>

struct tap {
	unsigned int passed;
	unsigned int failed;
	unsigned int skipped;
};

/* Prints "ok - what" or "not ok - what"; returns ok. */
bool tap_check(struct tap *tap, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "ok - what # SKIP reason": an assertion this kernel cannot be asked. */
void tap_skip(struct tap *tap, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "# fact name=value"; the value must not contain spaces. */
void tap_fact(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "# text": context for a human reading the console log. */
void tap_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit status for main(): 0 when nothing failed. */
int tap_exit_status(const struct tap *tap);

/*
 * "EINVAL" for EINVAL, "0" for 0, "errno-N" for numbers libc cannot name (in
 * a buffer the next such call reuses: for single-threaded programs).
 */
const char *tap_errno(int err);
/* The same, into buf for an errno without a name: safe from several threads. */
const char *tap_errno_r(int err, char buf[static 16]);

#endif
