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
		[PPCCOMPAT_PLATFORM_POWERPC_OTHER] = "powerpc-other",
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
		[PPCCOMPAT_REASON_NOT_SERVER] =
			"not a 64-bit POWER server of POWER6 or later: KVM-HV has no compatibility modes here",
		[PPCCOMPAT_REASON_NO_KVM_HV] = "no KVM-HV here: this partition or processor cannot run it",
		[PPCCOMPAT_REASON_MMU] =
			"a hash-MMU (HPT) mode, and this radix POWER9 host before DD2.2 runs no HPT guests",
		[PPCCOMPAT_REASON_POWER11_UNCONFIRMED] =
			"this kernel is not known to ask PowerVM for Power11 guests (Linux 7.2 and "
			"later do, 6.12 does not); KVM_PPC_GET_COMPAT_CAPS would tell",
		[PPCCOMPAT_REASON_UNVERIFIED] =
			("the files do not show what the hypervisor below grants; only the KVM ioctl "
			 "(ppccompat on the host itself) or a device tree with the platform's markers "
			 "can"),
	};

	return NAME_OR_UNKNOWN(names, reason);
}

const char *ppccompat_evidence_name(enum ppccompat_evidence evidence)
{
	static const char *const names[] = {
		[PPCCOMPAT_EVIDENCE_NONE] = "none",
		[PPCCOMPAT_EVIDENCE_WEAK] = "weak",
		[PPCCOMPAT_EVIDENCE_STRONG] = "strong",
		[PPCCOMPAT_EVIDENCE_CERTAIN] = "certain",
	};

	return NAME_OR_UNKNOWN(names, evidence);
}

const char *ppccompat_mmu_name(enum ppccompat_mmu mmu)
{
	static const char *const names[] = {
		[PPCCOMPAT_MMU_UNKNOWN] = "unknown",
		[PPCCOMPAT_MMU_HASH] = "hash",
		[PPCCOMPAT_MMU_RADIX] = "radix",
	};

	return NAME_OR_UNKNOWN(names, mmu);
}

/* One row per note bit: its JSON name and its sentence. */
static const struct {
	unsigned int bit;
	const char *name;
	const char *text;
} notes[] = {
	{ PPCCOMPAT_NOTE_SMT_ON, "smt-on",
	  "secondary threads are online: KVM-HV on POWER7/POWER8 runs guests only with them "
	  "offline (ppc64_cpu --smt=off)" },
	{ PPCCOMPAT_NOTE_NO_HPT, "no-hpt",
	  "radix host on POWER9 before DD2.2: no hash-MMU (HPT) guests, so no power6-power8" },
	{ PPCCOMPAT_NOTE_NO_KVM_HV, "no-kvm-hv",
	  "no KVM-HV here: a PowerVM partition runs KVM guests from Power10 on, bare metal from "
	  "POWER7 on" },
	{ PPCCOMPAT_NOTE_UNVERIFIED, "unverified",
	  "nothing in these files shows what the hypervisor below grants: ask the KVM ioctl "
	  "(run ppccompat on the host itself), or read a device tree that names it" },
	{ PPCCOMPAT_NOTE_NOT_SERVER, "not-server",
	  "not a 64-bit POWER server of POWER6 or later: KVM-HV has no compatibility modes here" },
	{ PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR, "unknown-hypervisor",
	  "the device tree's /hypervisor node names no hypervisor this version knows (QEMU "
	  "under KVM writes \"linux,kvm\"): it is not taken as KVM, nor as no hypervisor" },
	{ PPCCOMPAT_NOTE_MIXED_REVISIONS, "mixed-revisions",
	  "the processors differ in revision (DD level): the lowest, shown as the raw PVR, "
	  "decides" },
	{ PPCCOMPAT_NOTE_POWER11_UNCONFIRMED, "power11-unconfirmed",
	  "power11 left out: PowerVM gives Power11 guests only to a kernel that asks for them "
	  "(Linux 7.2 does, 6.12 does not), and neither KVM_PPC_GET_COMPAT_CAPS nor this "
	  "kernel's release shows that it does" },
	{ PPCCOMPAT_NOTE_NO_NESTED, "no-nested",
	  "this guest runs in a mode older than POWER9, and nested KVM-HV needs a POWER9 or "
	  "later mode: no KVM guests here (start it in power9 or later mode to run them)" },
};

const char *ppccompat_note_name(unsigned int note)
{
	for (size_t i = 0; i < PC_ARRAY_SIZE(notes); i++)
		if (notes[i].bit == note)
			return notes[i].name;
	return NULL;
}

const char *ppccompat_note_string(unsigned int note)
{
	for (size_t i = 0; i < PC_ARRAY_SIZE(notes); i++)
		if (notes[i].bit == note)
			return notes[i].text;
	return NULL;
}

const char *ppccompat_version(void)
{
	return PPCCOMPAT_VERSION;
}
