// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/* Error codes, their text, and filling struct ppccompat_error. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const error_text[] = {
	[0] = "success",
	[-PPCCOMPAT_ERR_NOT_FOUND] = "no such file or directory",
	[-PPCCOMPAT_ERR_IO] = "cannot be read",
	[-PPCCOMPAT_ERR_TRUNCATED] = "truncated",
	[-PPCCOMPAT_ERR_MALFORMED] = "malformed",
	[-PPCCOMPAT_ERR_UNKNOWN_PVR] = "unknown processor version (PVR)",
	[-PPCCOMPAT_ERR_UNKNOWN_MODE] = "unknown compatibility mode",
	[-PPCCOMPAT_ERR_TOO_BIG] = "too big",
	[-PPCCOMPAT_ERR_NOSPACE] = "buffer too small",
	[-PPCCOMPAT_ERR_BAD_ARG] = "invalid argument",
	[-PPCCOMPAT_ERR_NOT_POWER] = "not a POWER host",
	[-PPCCOMPAT_ERR_KVM] = "KVM did not answer",
	[-PPCCOMPAT_ERR_INCONSISTENT] = "inconsistent",
	[-PPCCOMPAT_ERR_NO_COMMON_MODE] = "no compatibility mode common to all hosts",
	[-PPCCOMPAT_ERR_NAME_TOO_LONG] = "path too long",
};

const char *ppccompat_strerror(int err)
{
	if (err > 0 || err < -(int)(PC_ARRAY_SIZE(error_text) - 1))
		return "unknown error";
	return error_text[-err];
}

void pc_error_clear(struct ppccompat_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->sys_errno = 0;
	err->path[0] = '\0';
	err->field[0] = '\0';
	err->detail[0] = '\0';
}

void pc_strlcpy(char *dst, const char *src, size_t size)
{
	pc_strlcpy_n(dst, size, src, strlen(src));
}

void pc_strlcpy_n(char *dst, size_t size, const char *src, size_t len)
{
	if (size == 0)
		return;
	if (len > size - 1)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int pc_fail(struct ppccompat_error *err, int code, int sys_errno, const char *path,
	    const char *field, const char *detail_fmt, ...)
{
	if (!err)
		return code;
	pc_error_clear(err);
	err->code = code;
	err->sys_errno = sys_errno;
	if (path)
		pc_strlcpy(err->path, path, sizeof(err->path));
	if (field)
		pc_strlcpy(err->field, field, sizeof(err->field));
	if (detail_fmt) {
		va_list ap;

		va_start(ap, detail_fmt);
		vsnprintf(err->detail, sizeof(err->detail), detail_fmt, ap);
		va_end(ap);
	}
	return code;
}

int ppccompat_error_format(const struct ppccompat_error *err, char *buf, size_t size)
{
	bool sys = err && err->sys_errno;
	int n;

	if (!err || (!buf && size))
		return PPCCOMPAT_ERR_BAD_ARG;
	n = snprintf(buf, size, "%s%s%s%s%s%s%s%s%s%s", err->path, err->path[0] ? ": " : "",
		     err->field, err->field[0] ? ": " : "", ppccompat_strerror(err->code),
		     err->detail[0] ? ": " : "", err->detail, sys ? " (" : "",
		     sys ? strerror(err->sys_errno) : "", sys ? ")" : "");
	return n < 0 ? PPCCOMPAT_ERR_BAD_ARG : n;
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int pc_strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		int ca = ascii_lower((unsigned char)*a);
		int cb = ascii_lower((unsigned char)*b);

		if (ca != cb)
			return ca - cb;
		if (!ca)
			return 0;
	}
	return 0;
}

int pc_strcasecmp(const char *a, const char *b)
{
	return pc_strncasecmp(a, b, SIZE_MAX);
}
