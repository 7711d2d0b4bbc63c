/* SPDX-License-Identifier: GPL-2.0 */
/* Numeric options of the lab programs: a bad value is a one-line error, never a default. */
#ifndef PPCCOMPAT_LAB_ARGS_H
#define PPCCOMPAT_LAB_ARGS_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A decimal (or 0x hexadecimal) value of option opt in [min, max]; 0, or -1 after saying why. */
static inline int args_u64(const char *prog, const char *opt, const char *arg, uint64_t min,
			   uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!arg || !*arg || *arg == '-') {
		fprintf(stderr, "%s: %s needs a number\n", prog, opt);
		return -1;
	}
	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "%s: %s '%s': expected a number from %llu to %llu\n", prog, opt,
			arg, (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

#endif
