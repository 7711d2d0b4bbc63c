// SPDX-License-Identifier: GPL-2.0
/* The host report: human text, and the --json document that baseline reads back. */
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "vmm_config.h"

/* Labels of the human report, aligned in one column. */
#define LABEL "%-17s "

static const char *platform_description(enum ppccompat_platform platform)
{
	switch (platform) {
	case PPCCOMPAT_PLATFORM_NOT_POWER:
		return "not a POWER system";
	case PPCCOMPAT_PLATFORM_POWERNV:
		return "bare metal (PowerNV, OPAL): this host is the L0 hypervisor";
	case PPCCOMPAT_PLATFORM_PSERIES_POWERVM:
		return "LPAR under PowerVM";
	case PPCCOMPAT_PLATFORM_PSERIES_KVM:
		return "pseries guest of a KVM hypervisor";
	case PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG:
		return "pseries guest of QEMU without KVM (emulated)";
	case PPCCOMPAT_PLATFORM_PSERIES_OTHER:
		return "pseries guest, hypervisor not recognised";
	case PPCCOMPAT_PLATFORM_POWERPC_OTHER:
		return "PowerPC, not a 64-bit POWER server of POWER6 or later";
	case PPCCOMPAT_PLATFORM_UNKNOWN:
		break;
	}
	return "unknown";
}

static const char *kvm_status_name(enum ppccompat_kvm_status status)
{
	switch (status) {
	case PPCCOMPAT_KVM_NOT_PROBED:
		return "not-probed";
	case PPCCOMPAT_KVM_NO_DEVICE:
		return "no-device";
	case PPCCOMPAT_KVM_OPEN_FAILED:
		return "open-failed";
	case PPCCOMPAT_KVM_CAP_ABSENT:
		return "cap-absent";
	case PPCCOMPAT_KVM_STEP_FAILED:
		return "step-failed";
	case PPCCOMPAT_KVM_OK:
		return "ok";
	}
	return "unknown";
}

static const char *errno_name(int e)
{
	const char *name = e ? strerrorname_np(e) : NULL;

	return name ? name : (e ? "unknown errno" : NULL);
}

static const char *display_name(enum ppccompat_mode mode)
{
	const struct ppccompat_generation *gen = ppccompat_generation(mode);

	return gen ? gen->display_name : NULL;
}

static void print_kvm_text(FILE *out, const struct ppccompat_kvm_info *kvm,
			   const char *not_asked_why)
{
	switch (kvm->status) {
	case PPCCOMPAT_KVM_NOT_PROBED:
		fprintf(out, "not asked (%s)\n", not_asked_why);
		return;
	case PPCCOMPAT_KVM_NO_DEVICE:
		fputs("/dev/kvm does not exist (KVM not loaded)\n", out);
		return;
	case PPCCOMPAT_KVM_OPEN_FAILED:
		fprintf(out, "/dev/kvm cannot be opened (%s)\n", errno_name(kvm->sys_errno));
		return;
	case PPCCOMPAT_KVM_CAP_ABSENT:
		fputs("KVM_CHECK_EXTENSION(KVM_CAP_PPC_COMPAT_CAPS) = 0: not a nested HV, or a kernel "
		      "without the ioctl\n",
		      out);
		return;
	case PPCCOMPAT_KVM_STEP_FAILED:
		fprintf(out, "%s failed (%s)\n", kvm->failed_step, errno_name(kvm->sys_errno));
		return;
	case PPCCOMPAT_KVM_OK:
		fprintf(out, "KVM_PPC_GET_COMPAT_CAPS = 0x%016" PRIx64 "\n", kvm->caps_raw);
		return;
	}
}

/*
 * The cpuinfo lines reported are powerpc's (arch/powerpc/kernel/setup-common.c);
 * elsewhere the same keys mean other things ("model" is a CPU model number on x86).
 */
static const char *powerpc_line(const struct ppccompat_host *h, const char *value)
{
	return h->platform != PPCCOMPAT_PLATFORM_NOT_POWER && value[0] ? value : NULL;
}

static void print_processor(FILE *out, const struct ppccompat_host *h)
{
	char cpu[CLI_VISIBLE_SIZE(sizeof(h->cpuinfo_cpu))];
	char rev[CLI_VISIBLE_SIZE(sizeof(h->cpuinfo_revision))];

	fprintf(out, LABEL, "Processor:");
	if (h->platform == PPCCOMPAT_PLATFORM_NOT_POWER) {
		fprintf(out, "not POWER (%s)\n",
			h->cpuinfo_cpu[0] ? cli_visible(cpu, sizeof(cpu), h->cpuinfo_cpu)
					  : "no cpu line");
		return;
	}
	if (h->processor != PPCCOMPAT_MODE_NONE)
		fprintf(out, "%s, raw PVR 0x%08" PRIx32 " (from %s)\n", display_name(h->processor),
			h->raw_pvr, ppccompat_source_name(h->raw_pvr_source));
	else if (h->platform == PPCCOMPAT_PLATFORM_POWERPC_OTHER)
		fprintf(out, "not a 64-bit POWER server of POWER6 or later, raw PVR 0x%08" PRIx32
			" (from %s)\n",
			h->raw_pvr, ppccompat_source_name(h->raw_pvr_source));
	else
		fputs("unknown\n", out);
	if (h->cpuinfo_cpu[0])
		fprintf(out, LABEL "%s; revision %s\n", "  cpuinfo:",
			cli_visible(cpu, sizeof(cpu), h->cpuinfo_cpu),
			h->cpuinfo_revision[0] ? cli_visible(rev, sizeof(rev), h->cpuinfo_revision)
					       : "unknown");
}

static void print_platform(FILE *out, const struct ppccompat_host *h)
{
	char model[CLI_VISIBLE_SIZE(sizeof(h->cpuinfo_model))];

	fprintf(out, LABEL "%s (%s; from %s)\n", "Platform:", platform_description(h->platform),
		ppccompat_platform_name(h->platform), ppccompat_source_name(h->platform_source));
	if (powerpc_line(h, h->cpuinfo_model))
		fprintf(out, LABEL "%s\n", "  model:",
			cli_visible(model, sizeof(model), h->cpuinfo_model));
	if (h->notes & PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR) {
		char hv[CLI_VISIBLE_SIZE(sizeof(h->hypervisor_compatible))];

		if (h->hypervisor_compatible[0])
			fprintf(out, LABEL "\"%s\" (/hypervisor/compatible: not recognised)\n",
				"  hypervisor:",
				cli_visible(hv, sizeof(hv), h->hypervisor_compatible));
		else
			fprintf(out, LABEL "%s\n", "  hypervisor:",
				"/hypervisor/compatible: absent or empty");
	}
}

/* QEMU's CPU_POWERPC_LOGICAL_2_06_PLUS: POWER7+ mode, which the table counts as power7 */
#define POWER7_PLUS_LOGICAL_PVR 0x0f100003

/*
 * A logical PVR is a compatibility mode only below the processor's own
 * generation: a Power11 partition started as Power11 runs architected, in
 * its own mode.
 */
static const char *mode_kind(const struct ppccompat_host *h)
{
	if (!h->architected)
		return "raw (the processor's own)";
	if (h->processor == h->effective_mode)
		return "architected (the processor's own generation)";
	if (h->processor == PPCCOMPAT_MODE_NONE)
		return "architected";
	return "architected (compatibility mode)";
}

static void print_effective_mode(FILE *out, const struct ppccompat_host *h)
{
	fprintf(out, LABEL, "Effective mode:");
	if (h->effective_mode == PPCCOMPAT_MODE_NONE && h->architected && h->cpu_version) {
		fprintf(out, "older than power6, architected; cpu-version 0x%08" PRIx32
			" (from %s)\n",
			h->cpu_version, ppccompat_source_name(h->effective_mode_source));
		return;
	}
	if (h->effective_mode == PPCCOMPAT_MODE_NONE) {
		fputs("none\n", out);
		return;
	}
	fprintf(out, "%s, %s", h->architected && h->cpu_version == POWER7_PLUS_LOGICAL_PVR
				       ? "power7+"
				       : ppccompat_mode_name(h->effective_mode),
		mode_kind(h));
	if (h->cpu_version)
		fprintf(out, "; cpu-version 0x%08" PRIx32 " on %u cpu node%s", h->cpu_version,
			h->cpu_nodes, h->cpu_nodes == 1 ? "" : "s");
	fprintf(out, " (from %s)\n", ppccompat_source_name(h->effective_mode_source));
}

static void print_nested_api(FILE *out, const struct ppccompat_host *h)
{
	fprintf(out, LABEL, "Nested KVM API:");
	if (h->nested_api != PPCCOMPAT_NESTED_UNKNOWN)
		fprintf(out, "%s (%s, from %s)\n", ppccompat_nested_api_name(h->nested_api),
			ppccompat_certainty_name(h->nested_api_certainty),
			ppccompat_source_name(h->nested_api_source));
	else if (h->platform == PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG)
		fputs("unknown (QEMU offers v1 with cap-nested-hv, v2 with cap-nested-papr)\n", out);
	else
		fputs("unknown (nothing tells)\n", out);
}

/* Only where it matters: an ISA 3.0 host whose kernel prints it, or the kernel was asked. */
static void print_mmu(FILE *out, const struct ppccompat_host *h)
{
	if (h->mmu == PPCCOMPAT_MMU_UNKNOWN && h->kvm_mmu_hash_v3 < 0)
		return;
	fprintf(out, LABEL "%s", "MMU:", ppccompat_mmu_name(h->mmu));
	if (h->mmu != PPCCOMPAT_MMU_UNKNOWN)
		fputs(" (from cpuinfo)", out);
	if (h->kvm_mmu_hash_v3 >= 0)
		fprintf(out, "; KVM_CAP_PPC_MMU_HASH_V3 = %d", h->kvm_mmu_hash_v3);
	fputc('\n', out);
}

const char *report_evidence_basis(const struct ppccompat_host *h)
{
	switch (h->evidence) {
	case PPCCOMPAT_EVIDENCE_CERTAIN:
		return "the kernel's KVM ioctl";
	case PPCCOMPAT_EVIDENCE_STRONG:
		return h->platform == PPCCOMPAT_PLATFORM_NOT_POWER ||
				       h->platform == PPCCOMPAT_PLATFORM_POWERPC_OTHER
			       ? "what the processor is"
			       : "the device tree";
	case PPCCOMPAT_EVIDENCE_WEAK:
		return "/proc/cpuinfo alone";
	case PPCCOMPAT_EVIDENCE_NONE:
		break;
	}
	return "nothing";
}

/*
 * libvirt refuses some modes QEMU takes (power11): then the highest allowed
 * mode it does take, with the reason, rather than XML it would reject.
 */
static void print_libvirt(FILE *out, const struct ppccompat_host *h)
{
	enum ppccompat_mode mode = vmm_libvirt_highest(h->allowed_modes);
	char cpu_xml[128];

	fprintf(out, LABEL, "  libvirt:");
	if (mode == PPCCOMPAT_MODE_NONE ||
	    vmm_libvirt_cpu(vmm_compat_name(mode, NULL), true, cpu_xml, sizeof(cpu_xml)) < 0)
		fputs("none: libvirt's ppc64 host-model takes power6 to power10 only", out);
	else
		fputs(cpu_xml, out);
	if (mode != h->recommended_mode)
		fprintf(out, " (libvirt refuses %s: its ppc64 host-model takes power6 to power10)",
			ppccompat_mode_name(h->recommended_mode));
	fputc('\n', out);
}

static void print_answer(FILE *out, const struct ppccompat_host *h)
{
	char machine[64];

	fprintf(out, LABEL, "Guests may use:");
	cli_print_modes(out, h->allowed_modes, ", ");
	if (h->allowed_source != PPCCOMPAT_SOURCE_NONE)
		fprintf(out, " (from %s)", ppccompat_source_name(h->allowed_source));
	fputc('\n', out);
	fprintf(out, LABEL "%s (%s)\n", "Evidence:", ppccompat_evidence_name(h->evidence),
		report_evidence_basis(h));
	for (unsigned int bit = 1; bit & PPCCOMPAT_NOTES_ALL; bit <<= 1)
		if (h->notes & bit)
			fprintf(out, LABEL "%s\n", "Note:", ppccompat_note_string(bit));

	fprintf(out, LABEL, "Recommendation:");
	if (h->recommended_mode == PPCCOMPAT_MODE_NONE) {
		fputs("none: no compatibility mode is available to KVM guests here\n", out);
		return;
	}
	fprintf(out, "%s\n", ppccompat_mode_name(h->recommended_mode));
	if (vmm_qemu_machine(vmm_compat_name(h->recommended_mode, NULL), machine,
			     sizeof(machine)) >= 0)
		fprintf(out, LABEL "-machine %s -cpu %s\n", "  QEMU:", machine, VMM_QEMU_CPU);
	print_libvirt(out, h);
}

void report_text(FILE *out, const struct ppccompat_host *h, const char *not_asked_why)
{
	print_processor(out, h);
	print_platform(out, h);
	print_effective_mode(out, h);
	print_mmu(out, h);
	print_nested_api(out, h);
	fprintf(out, LABEL, "KVM ioctl:");
	print_kvm_text(out, &h->kvm, not_asked_why);
	if (h->kernel_release[0]) {
		char rel[CLI_VISIBLE_SIZE(sizeof(h->kernel_release))];

		fprintf(out, LABEL "%s (from /proc/sys/kernel/osrelease)\n", "Kernel release:",
			cli_visible(rel, sizeof(rel), h->kernel_release));
	}
	print_answer(out, h);
}

void report_json(FILE *out, const struct ppccompat_host *h, const char *hostname)
{
	struct json_out j;
	const struct ppccompat_kvm_info *kvm = &h->kvm;

	json_begin(&j, out);
	json_object_open(&j, NULL);
	json_string(&j, "command", "show");
	json_uint(&j, "format_version", REPORT_FORMAT_VERSION);
	json_string(&j, "hostname", hostname);
	json_string(&j, "platform", ppccompat_platform_name(h->platform));
	json_string(&j, "platform_source", ppccompat_source_name(h->platform_source));
	json_mode(&j, "processor", h->processor);
	json_string(&j, "processor_name", display_name(h->processor));
	json_hex32(&j, "raw_pvr", h->raw_pvr);
	json_string(&j, "raw_pvr_source", ppccompat_source_name(h->raw_pvr_source));
	json_mode(&j, "effective_mode", h->effective_mode);
	json_string(&j, "effective_mode_source", ppccompat_source_name(h->effective_mode_source));
	json_bool(&j, "architected", h->architected);
	json_hex32(&j, "cpu_version", h->cpu_version);
	json_uint(&j, "cpu_nodes", h->cpu_nodes);
	json_string(&j, "hypervisor_compatible",
		    h->notes & PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR ? h->hypervisor_compatible : NULL);
	json_string(&j, "kernel_release", h->kernel_release[0] ? h->kernel_release : NULL);
	json_string(&j, "nested_api", ppccompat_nested_api_name(h->nested_api));
	json_string(&j, "nested_api_source", ppccompat_source_name(h->nested_api_source));
	json_string(&j, "nested_api_certainty", ppccompat_certainty_name(h->nested_api_certainty));

	json_object_open(&j, "kvm");
	json_string(&j, "status", kvm_status_name(kvm->status));
	if (kvm->cap < 0)
		json_null(&j, "capability");
	else
		json_uint(&j, "capability", (uint64_t)kvm->cap);
	json_string(&j, "failed_step", kvm->failed_step[0] ? kvm->failed_step : NULL);
	json_string(&j, "errno", errno_name(kvm->sys_errno));
	if (kvm->status == PPCCOMPAT_KVM_OK) {
		char caps[24];

		snprintf(caps, sizeof(caps), "0x%016" PRIx64, kvm->caps_raw);
		json_string(&j, "compat_capabilities", caps);
		json_modes(&j, "modes", ppccompat_modes_from_kvm_caps(kvm->caps));
	} else {
		json_null(&j, "compat_capabilities");
		json_null(&j, "modes");
	}
	json_uint(&j, "e2big_retries", kvm->e2big_retries);
	json_object_close(&j);

	json_modes(&j, "allowed_modes", h->allowed_modes);
	json_string(&j, "allowed_modes_source", ppccompat_source_name(h->allowed_source));
	json_mode(&j, "recommended_mode", h->recommended_mode);
	json_string(&j, "evidence", ppccompat_evidence_name(h->evidence));
	json_array_open(&j, "notes");
	for (unsigned int bit = 1; bit & PPCCOMPAT_NOTES_ALL; bit <<= 1)
		if (h->notes & bit)
			json_string(&j, NULL, ppccompat_note_name(bit));
	json_array_close(&j);
	json_string(&j, "mmu", ppccompat_mmu_name(h->mmu));
	if (h->kvm_mmu_hash_v3 < 0)
		json_null(&j, "kvm_mmu_hash_v3");
	else
		json_uint(&j, "kvm_mmu_hash_v3", (uint64_t)h->kvm_mmu_hash_v3);

	json_object_open(&j, "cpuinfo");
	json_string(&j, "cpu", powerpc_line(h, h->cpuinfo_cpu));
	json_string(&j, "revision", powerpc_line(h, h->cpuinfo_revision));
	json_string(&j, "platform", powerpc_line(h, h->cpuinfo_platform));
	json_string(&j, "model", powerpc_line(h, h->cpuinfo_model));
	json_string(&j, "machine", powerpc_line(h, h->cpuinfo_machine));
	json_object_close(&j);
	json_object_close(&j);
	json_end(&j);
}

