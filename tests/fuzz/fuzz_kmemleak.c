// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the stress program's kmemleak report parser (lab/l1/kmemleak.c)
 * must accept or refuse any text, never read past it, and keep what it
 * accepts inside the text and its bounds.
 */
#include <string.h>

#include "kmemleak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kmemleak_report r;
	struct kmemleak_verdict v;
	size_t bad = 0, lines = 1, end = 0;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (kmemleak_parse((const char *)data, size, &r, &bad) < 0) {
		if (bad < 1 || bad > lines + 1)
			__builtin_trap();
		return 0;
	}
	if (r.kept > KMEMLEAK_MAX_RECORDS || r.kept > r.count || r.truncated != (r.count > r.kept))
		__builtin_trap();
	for (size_t i = 0; i < r.kept; i++) {
		const struct kmemleak_record *rec = &r.records[i];

		if (rec->start < end || rec->len == 0 || rec->start + rec->len > size ||
		    memchr(rec->comm, '\0', sizeof(rec->comm)) == NULL ||
		    memcmp(data + rec->start, "unreferenced object", 19))
			__builtin_trap();
		end = rec->start + rec->len;
	}
	kmemleak_classify(&r, r.kept ? r.records[0].comm : "", &v);
	if (v.ours + v.others != r.kept)
		__builtin_trap();
	return 0;
}
