/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A streaming JSON writer for the --json outputs. It indents exactly like
 * Python's json.dumps(indent=2), so an expected file written with Python and
 * the program's output can be compared byte for byte.
 */
#ifndef PPCCOMPAT_JSON_OUT_H
#define PPCCOMPAT_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ppccompat.h"

#define JSON_MAX_DEPTH 8

struct json_out {
	FILE *f;
	int depth;
	bool empty[JSON_MAX_DEPTH]; /* nothing written yet at this level */
};

/* key is NULL for array elements and for the top-level value. */
void json_begin(struct json_out *j, FILE *f);
void json_object_open(struct json_out *j, const char *key);
void json_object_close(struct json_out *j);
void json_array_open(struct json_out *j, const char *key);
void json_array_close(struct json_out *j);
void json_string(struct json_out *j, const char *key, const char *value); /* NULL: null */
void json_uint(struct json_out *j, const char *key, uint64_t value);
void json_bool(struct json_out *j, const char *key, bool value);
void json_null(struct json_out *j, const char *key);
/* "0x%08x", or null when value is 0 (no source gave it). */
void json_hex32(struct json_out *j, const char *key, uint32_t value);
/* Array of mode names, lowest first. */
void json_modes(struct json_out *j, const char *key, uint32_t modes);
/* A mode name, or null for PPCCOMPAT_MODE_NONE. */
void json_mode(struct json_out *j, const char *key, enum ppccompat_mode mode);
/* Ends the document with a newline. */
void json_end(struct json_out *j);

#endif
