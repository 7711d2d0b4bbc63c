// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the /proc/cpuinfo parser must reject or accept, never crash. */
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppccompat_error err;
	struct pc_cpuinfo ci;
	int ret;

	pc_cpuinfo_init(&ci, "/proc/cpuinfo");
	ret = pc_cpuinfo_parse(&ci, (const char *)data, size, &err);
	if (ret < 0) {
		/* every failure must be reportable as one line naming the file */
		char line[512];

		if (err.code != ret || strcmp(err.path, "/proc/cpuinfo") ||
		    ppccompat_error_format(&err, line, sizeof(line)) <= 0)
			__builtin_trap();
		return 0;
	}
	if (ci.processors == 0 || strlen(ci.cpu) >= sizeof(ci.cpu) ||
	    (ci.cpu_mode != PPCCOMPAT_MODE_NONE && !ppccompat_generation(ci.cpu_mode)))
		__builtin_trap();
	return 0;
}
