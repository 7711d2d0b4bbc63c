// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the JSON report reader on arbitrary bytes. */
#include "ppccompat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppccompat_report report;
	struct ppccompat_error err;
	int ret = ppccompat_report_parse_json((const char *)data, size, &report, &err);

	if (ret == 0) {
		if (report.allowed_modes & ~PPCCOMPAT_MODES_ALL)
			__builtin_trap();
		if (report.effective_mode != PPCCOMPAT_MODE_NONE &&
		    !ppccompat_generation(report.effective_mode))
			__builtin_trap();
	} else if (err.code != ret) {
		__builtin_trap();
	}
	return 0;
}
