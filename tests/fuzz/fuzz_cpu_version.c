// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the device-tree property readers (cpu-version cells and the
 * compatible string lists) on arbitrary bytes.
 */
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppccompat_error err;
	enum ppccompat_pvr_kind kind;
	enum ppccompat_mode mode;
	uint32_t value;
	int ret;

	ret = pc_cpu_version_decode(data, size, &value, &mode, &kind, "/cpu-version", &err);
	if (ret == 0) {
		enum ppccompat_mode again;

		if (size != 4 || ppccompat_mode_from_pvr(value, &again, NULL) || again != mode ||
		    (kind != PPCCOMPAT_PVR_RAW && kind != PPCCOMPAT_PVR_LOGICAL))
			__builtin_trap();
	} else if (err.code != ret || strcmp(err.field, "cpu-version")) {
		__builtin_trap();
	}
	(void)pc_stringlist_has((const char *)data, size, "ibm,powernv");
	(void)pc_stringlist_has((const char *)data, size, "qemu,pseries");
	(void)pc_stringlist_has((const char *)data, size, "");
	return 0;
}
