// SPDX-License-Identifier: GPL-2.0
#include "json_out.h"

#include <assert.h>
#include <inttypes.h>

static void indent(struct json_out *j)
{
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629), 0 if there is none. */
static size_t utf8_sequence(const unsigned char *p)
{
	size_t n;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8 */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void put_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80) {
			size_t n = utf8_sequence(p);

			/* Bytes that are not UTF-8 (a Latin-1 model string) become U+FFFD. */
			if (!n) {
				fputs("\\ufffd", f);
				continue;
			}
			fwrite(p, 1, n, f);
			p += n - 1;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Separator, indentation and key before any value. */
static void member(struct json_out *j, const char *key)
{
	if (j->depth == 0)
		return;
	if (!j->empty[j->depth])
		fputc(',', j->f);
	j->empty[j->depth] = false;
	indent(j);
	if (key) {
		put_escaped(j->f, key);
		fputs(": ", j->f);
	}
}

void json_begin(struct json_out *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
}

static void open_container(struct json_out *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	/* The documents this tool writes nest three deep: more is a bug here, not bad input. */
	assert(j->depth + 1 < JSON_MAX_DEPTH);
	j->depth++;
	j->empty[j->depth] = true;
}

static void close_container(struct json_out *j, char c)
{
	bool was_empty = j->empty[j->depth];

	assert(j->depth > 0);
	j->depth--;
	if (!was_empty)
		indent(j);
	fputc(c, j->f);
}

void json_object_open(struct json_out *j, const char *key)
{
	open_container(j, key, '{');
}

void json_object_close(struct json_out *j)
{
	close_container(j, '}');
}

void json_array_open(struct json_out *j, const char *key)
{
	open_container(j, key, '[');
}

void json_array_close(struct json_out *j)
{
	close_container(j, ']');
}

void json_string(struct json_out *j, const char *key, const char *value)
{
	member(j, key);
	if (value)
		put_escaped(j->f, value);
	else
		fputs("null", j->f);
}

void json_uint(struct json_out *j, const char *key, uint64_t value)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, value);
}

void json_bool(struct json_out *j, const char *key, bool value)
{
	member(j, key);
	fputs(value ? "true" : "false", j->f);
}

void json_null(struct json_out *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void json_hex32(struct json_out *j, const char *key, uint32_t value)
{
	char buf[16];

	if (!value) {
		json_null(j, key);
		return;
	}
	snprintf(buf, sizeof(buf), "0x%08" PRIx32, value);
	json_string(j, key, buf);
}

void json_modes(struct json_out *j, const char *key, uint32_t modes)
{
	json_array_open(j, key);
	for (int m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST; m++)
		if (modes & PPCCOMPAT_MODE_BIT(m))
			json_string(j, NULL, ppccompat_mode_name((enum ppccompat_mode)m));
	json_array_close(j);
}

void json_mode(struct json_out *j, const char *key, enum ppccompat_mode mode)
{
	json_string(j, key, mode == PPCCOMPAT_MODE_NONE ? NULL : ppccompat_mode_name(mode));
}

void json_end(struct json_out *j)
{
	fputc('\n', j->f);
}
