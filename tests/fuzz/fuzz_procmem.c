// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the stress program's readers of /proc/buddyinfo, zoneinfo and
 * meminfo (lab/l1/procmem.c) must take any text, never read past it, and
 * give -1 or a count, and fields that are NUL-terminated names.
 */
#include <stdint.h>
#include <string.h>

#include "procmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procmem_field f[8];
	const char *text = (const char *)data;
	int n;

	if (procmem_buddy_pages(text, size) < -1 || procmem_pcp_pages(text, size) < -1)
		__builtin_trap();
	n = procmem_meminfo(text, size, f, 8);
	if (n < 0 || n > 8)
		__builtin_trap();
	for (int i = 0; i < n; i++)
		if (!memchr(f[i].name, '\0', sizeof(f[i].name)) || !f[i].name[0] || f[i].kb < 0)
			__builtin_trap();
	return 0;
}
