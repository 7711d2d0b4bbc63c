// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/* Stable names of the enumerations: these strings appear in --json output. */
#include "internal.h"

#define NAME_OR_UNKNOWN(table, value)                                                     \
	(((unsigned int)(value) < PC_ARRAY_SIZE(table) && (table)[(value)]) ? (table)[(value)] \
									     : "unknown")

const char *ppccompat_source_name(enum ppccompat_source source)
{
	static const char *const names[] = {
		[PPCCOMPAT_SOURCE_NONE] = "none",
		[PPCCOMPAT_SOURCE_KVM] = "kvm",
		[PPCCOMPAT_SOURCE_DEVTREE] = "device-tree",
		[PPCCOMPAT_SOURCE_CPUINFO] = "cpuinfo",
		[PPCCOMPAT_SOURCE_PLATFORM] = "platform",
		[PPCCOMPAT_SOURCE_TABLE] = "generation-table",
	};

	return NAME_OR_UNKNOWN(names, source);
}

const char *ppccompat_platform_name(enum ppccompat_platform platform)
{
	static const char *const names[] = {
		[PPCCOMPAT_PLATFORM_UNKNOWN] = "unknown",
		[PPCCOMPAT_PLATFORM_NOT_POWER] = "not-power",
		[PPCCOMPAT_PLATFORM_POWERNV] = "powernv",
		[PPCCOMPAT_PLATFORM_PSERIES_POWERVM] = "pseries-powervm",
		[PPCCOMPAT_PLATFORM_PSERIES_KVM] = "pseries-kvm",
		[PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG] = "pseries-qemu-tcg",
		[PPCCOMPAT_PLATFORM_PSERIES_OTHER] = "pseries-other",
	};

	return NAME_OR_UNKNOWN(names, platform);
}

const char *ppccompat_nested_api_name(enum ppccompat_nested_api api)
{
	static const char *const names[] = {
		[PPCCOMPAT_NESTED_UNKNOWN] = "unknown",
		[PPCCOMPAT_NESTED_NONE] = "none",
		[PPCCOMPAT_NESTED_V1] = "v1",
		[PPCCOMPAT_NESTED_V2] = "v2",
	};

	return NAME_OR_UNKNOWN(names, api);
}

const char *ppccompat_certainty_name(enum ppccompat_certainty certainty)
{
	static const char *const names[] = {
		[PPCCOMPAT_CERTAINTY_NONE] = "none",
		[PPCCOMPAT_CERTAINTY_INFERRED] = "inferred",
		[PPCCOMPAT_CERTAINTY_CERTAIN] = "certain",
	};

	return NAME_OR_UNKNOWN(names, certainty);
}

const char *ppccompat_reason_string(enum ppccompat_reason reason)
{
	static const char *const names[] = {
		[PPCCOMPAT_REASON_OK] = "allowed",
		[PPCCOMPAT_REASON_NOT_POWER] = "the host is not a POWER system",
		[PPCCOMPAT_REASON_UNKNOWN_HOST] = "nothing tells which modes this host allows",
		[PPCCOMPAT_REASON_NEWER_THAN_HOST] = "newer than the host's effective mode",
		[PPCCOMPAT_REASON_NOT_OFFERED] = "not among the modes the kernel reports for guests",
		[PPCCOMPAT_REASON_TOO_OLD] = "older than any mode this host can provide to guests",
		[PPCCOMPAT_REASON_NO_NESTED] = "nested KVM-HV needs a POWER9 or later mode",
	};

	return NAME_OR_UNKNOWN(names, reason);
}

const char *ppccompat_version(void)
{
	return PPCCOMPAT_VERSION;
}
