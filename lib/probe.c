// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The probe chain: /proc/cpuinfo (is this POWER at all?), the device tree
 * (effective mode, platform, hypervisor), then KVM, and from those the modes
 * guests may use. Every answer keeps the source it came from.
 */
#include <string.h>

#include "internal.h"

static void copy_cpuinfo_text(struct ppccompat_host *h, const struct pc_cpuinfo *ci)
{
	pc_strlcpy(h->cpuinfo_cpu, ci->cpu, sizeof(h->cpuinfo_cpu));
	pc_strlcpy(h->cpuinfo_revision, ci->revision, sizeof(h->cpuinfo_revision));
	pc_strlcpy(h->cpuinfo_platform, ci->platform, sizeof(h->cpuinfo_platform));
	pc_strlcpy(h->cpuinfo_model, ci->model, sizeof(h->cpuinfo_model));
	pc_strlcpy(h->cpuinfo_machine, ci->machine, sizeof(h->cpuinfo_machine));
}

static bool is_power(const struct pc_cpuinfo *ci)
{
	return !ci->foreign_arch &&
	       (ci->has_pvr_revision || ci->platform[0] || ci->cpu_mode != PPCCOMPAT_MODE_NONE);
}

static void platform_from_devtree(struct ppccompat_host *h, const struct pc_devtree *dt,
				  const struct pc_cpuinfo *ci)
{
	h->platform_source = PPCCOMPAT_SOURCE_DEVTREE;
	if (dt->powernv)
		h->platform = PPCCOMPAT_PLATFORM_POWERNV;
	else if (dt->hypervisor_kvm)
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_KVM;
	else if (dt->powervm)
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_POWERVM;
	else if (dt->qemu_pseries)
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG;
	else if (!strcmp(ci->platform, "PowerNV") || !strcmp(ci->platform, "pSeries")) {
		h->platform = !strcmp(ci->platform, "PowerNV") ? PPCCOMPAT_PLATFORM_POWERNV
							      : PPCCOMPAT_PLATFORM_PSERIES_OTHER;
		h->platform_source = PPCCOMPAT_SOURCE_CPUINFO;
	} else {
		h->platform = PPCCOMPAT_PLATFORM_UNKNOWN;
		h->platform_source = PPCCOMPAT_SOURCE_NONE;
	}
}

/*
 * Without a device tree only cpuinfo's lines remain. PowerVM's model is the
 * machine type ("IBM,9080-HEX"); QEMU's ("IBM pSeries (emulated by qemu)")
 * does not tell KVM from TCG.
 */
static void platform_from_cpuinfo(struct ppccompat_host *h, const struct pc_cpuinfo *ci)
{
	h->platform_source = PPCCOMPAT_SOURCE_CPUINFO;
	if (!strcmp(ci->platform, "PowerNV"))
		h->platform = PPCCOMPAT_PLATFORM_POWERNV;
	else if (!strcmp(ci->platform, "pSeries") && !strncmp(ci->model, "IBM,", 4))
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_POWERVM;
	else if (!strcmp(ci->platform, "pSeries"))
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_OTHER;
	else {
		h->platform = PPCCOMPAT_PLATFORM_UNKNOWN;
		h->platform_source = PPCCOMPAT_SOURCE_NONE;
	}
}

/*
 * Userspace cannot make the hcalls that tell the nested APIs apart, so the
 * API follows from what the L0 implements: PowerVM only the PAPR API (v2);
 * Linux KVM as L0 only H_ENTER_NESTED (v1). QEMU under TCG offers either,
 * by cap-nested-hv or cap-nested-papr, with nothing in the guest's device
 * tree to show which.
 */
static void decide_nested_api(struct ppccompat_host *h)
{
	h->nested_api = PPCCOMPAT_NESTED_UNKNOWN;
	h->nested_api_source = PPCCOMPAT_SOURCE_NONE;
	h->nested_api_certainty = PPCCOMPAT_CERTAINTY_NONE;
	switch (h->platform) {
	case PPCCOMPAT_PLATFORM_NOT_POWER:
	case PPCCOMPAT_PLATFORM_POWERNV:
		h->nested_api = PPCCOMPAT_NESTED_NONE;
		h->nested_api_source = h->platform_source;
		h->nested_api_certainty = PPCCOMPAT_CERTAINTY_CERTAIN;
		break;
	case PPCCOMPAT_PLATFORM_PSERIES_POWERVM:
		h->nested_api = PPCCOMPAT_NESTED_V2;
		h->nested_api_source = PPCCOMPAT_SOURCE_PLATFORM;
		h->nested_api_certainty = PPCCOMPAT_CERTAINTY_INFERRED;
		break;
	case PPCCOMPAT_PLATFORM_PSERIES_KVM:
		h->nested_api = PPCCOMPAT_NESTED_V1;
		h->nested_api_source = PPCCOMPAT_SOURCE_PLATFORM;
		h->nested_api_certainty = PPCCOMPAT_CERTAINTY_INFERRED;
		break;
	case PPCCOMPAT_PLATFORM_UNKNOWN:
	case PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG:
	case PPCCOMPAT_PLATFORM_PSERIES_OTHER:
		break;
	}
}

static void effective_from_devtree(struct ppccompat_host *h, const struct pc_devtree *dt)
{
	h->cpu_version = dt->cpu_version;
	h->cpu_nodes = dt->cpu_nodes;
	h->effective_mode = dt->cpu_mode;
	h->effective_mode_source = PPCCOMPAT_SOURCE_DEVTREE;
	h->architected = dt->cpu_kind == PPCCOMPAT_PVR_LOGICAL;
	if (!h->architected) {
		h->raw_pvr = dt->cpu_version;
		h->raw_pvr_source = PPCCOMPAT_SOURCE_DEVTREE;
	}
}

static int effective_from_cpuinfo(struct ppccompat_host *h, const struct pc_cpuinfo *ci,
				  const char *cpuinfo_path, struct ppccompat_error *err)
{
	h->effective_mode_source = PPCCOMPAT_SOURCE_CPUINFO;
	h->architected = ci->cpu_qualifier == PC_CPU_ARCHITECTED;
	if (h->architected || !ci->has_pvr_revision) {
		if (ci->cpu_mode == PPCCOMPAT_MODE_NONE)
			return pc_fail(err, PPCCOMPAT_ERR_UNKNOWN_MODE, 0, cpuinfo_path, "cpu",
				       "\"%s\" names no POWER7..Power11 mode", ci->cpu);
		h->effective_mode = ci->cpu_mode;
		return 0;
	}
	if (ppccompat_mode_from_pvr(ci->raw_pvr, &h->effective_mode, NULL) < 0)
		return pc_fail(err, PPCCOMPAT_ERR_UNKNOWN_PVR, 0, cpuinfo_path, "revision",
			       "pvr 0x%08x is no POWER7..Power11 processor", ci->raw_pvr);
	return 0;
}

static int raw_pvr_from_cpuinfo(struct ppccompat_host *h, const struct pc_cpuinfo *ci,
				const char *cpuinfo_path, struct ppccompat_error *err)
{
	if (!ci->has_pvr_revision)
		return 0;
	if (h->raw_pvr_source == PPCCOMPAT_SOURCE_DEVTREE) {
		if (h->raw_pvr != ci->raw_pvr)
			return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path,
				       "revision", "pvr 0x%08x, but cpu-version is 0x%08x",
				       ci->raw_pvr, h->raw_pvr);
		return 0;
	}
	h->raw_pvr = ci->raw_pvr;
	h->raw_pvr_source = PPCCOMPAT_SOURCE_CPUINFO;
	return 0;
}

static int check_sources_agree(const struct ppccompat_host *h, const struct pc_cpuinfo *ci,
			       const char *cpuinfo_path, struct ppccompat_error *err)
{
	if (h->effective_mode_source != PPCCOMPAT_SOURCE_DEVTREE)
		return 0;
	if (ci->cpu_qualifier == PC_CPU_ARCHITECTED &&
	    (!h->architected || ci->cpu_mode != h->effective_mode))
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path, "cpu",
			       "\"%s\", but cpu-version 0x%08x means %s mode", ci->cpu,
			       h->cpu_version, ppccompat_mode_name(h->effective_mode));
	if (ci->cpu_qualifier == PC_CPU_RAW && h->architected)
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path, "cpu",
			       "\"%s\", but cpu-version 0x%08x is a logical PVR", ci->cpu,
			       h->cpu_version);
	return 0;
}

static void decide_allowed(struct ppccompat_host *h)
{
	const struct ppccompat_generation *g = ppccompat_generation(h->processor);

	if (h->kvm.status == PPCCOMPAT_KVM_OK) {
		h->allowed_modes = ppccompat_modes_from_kvm_caps(h->kvm.caps);
		h->allowed_source = PPCCOMPAT_SOURCE_KVM;
	} else if (h->platform == PPCCOMPAT_PLATFORM_POWERNV && g) {
		/* bare metal: KVM-HV accepts any level the processor's PCR can emulate */
		h->allowed_modes = g->hw_modes;
		h->allowed_source = PPCCOMPAT_SOURCE_TABLE;
	} else {
		/* a partition: what a nested-API-v1 kernel derives from its cpu-version */
		h->allowed_modes = ppccompat_modes_cumulative(h->effective_mode);
		h->allowed_source = h->effective_mode_source;
	}
	h->recommended_mode = ppccompat_highest_mode(h->allowed_modes);
}

static const struct ppccompat_kvm_ops *pick_kvm_ops(const struct ppccompat_probe_opts *opts,
						    const char *sysroot)
{
	if (opts && (opts->flags & PPCCOMPAT_PROBE_NO_KVM))
		return NULL;
	if (opts && opts->kvm_ops)
		return opts->kvm_ops;
	/* a captured tree says nothing about the kernel this process runs on */
	return sysroot[0] ? NULL : ppccompat_kvm_default_ops();
}

int ppccompat_probe(const struct ppccompat_probe_opts *opts, struct ppccompat_host *host,
		    struct ppccompat_error *err)
{
	char cpuinfo_path[PPCCOMPAT_PATH_MAX];
	struct pc_reader reader = { .sysroot = "" };
	const struct ppccompat_kvm_ops *ops;
	struct pc_cpuinfo ci;
	struct pc_devtree dt;
	int ret;

	pc_error_clear(err);
	if (!host || (opts && (opts->flags & ~PPCCOMPAT_PROBE_NO_KVM)))
		return pc_fail(err, PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL, NULL);
	memset(host, 0, sizeof(*host));
	host->kvm.status = PPCCOMPAT_KVM_NOT_PROBED;
	host->kvm.cap = -1;
	if (opts) {
		reader.sysroot = opts->sysroot ? opts->sysroot : "";
		reader.observe = opts->observe;
		reader.observe_ctx = opts->observe_ctx;
	}
	if (reader.sysroot[0]) {
		ret = pc_exists(&reader, "/", err);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return pc_fail(err, PPCCOMPAT_ERR_NOT_FOUND, 0, reader.sysroot, "sysroot",
				       NULL);
	}
	ret = pc_full_path(&reader, "/proc/cpuinfo", cpuinfo_path, err);
	if (ret < 0)
		return ret;

	ret = pc_cpuinfo_read(&reader, &ci, err);
	if (ret < 0)
		return ret;
	copy_cpuinfo_text(host, &ci);
	if (!is_power(&ci)) {
		host->platform = PPCCOMPAT_PLATFORM_NOT_POWER;
		host->platform_source = PPCCOMPAT_SOURCE_CPUINFO;
		decide_nested_api(host);
		return 0;
	}

	ret = pc_devtree_read(&reader, &dt, err);
	if (ret < 0)
		return ret;
	if (dt.present) {
		platform_from_devtree(host, &dt, &ci);
		effective_from_devtree(host, &dt);
	} else {
		platform_from_cpuinfo(host, &ci);
		ret = effective_from_cpuinfo(host, &ci, cpuinfo_path, err);
	}
	if (ret == 0)
		ret = raw_pvr_from_cpuinfo(host, &ci, cpuinfo_path, err);
	if (ret == 0)
		ret = check_sources_agree(host, &ci, cpuinfo_path, err);
	if (ret < 0)
		return ret;
	if (host->raw_pvr_source != PPCCOMPAT_SOURCE_NONE &&
	    ppccompat_mode_from_pvr(host->raw_pvr, &host->processor, NULL) < 0)
		return pc_fail(err, PPCCOMPAT_ERR_UNKNOWN_PVR, 0, cpuinfo_path, "revision",
			       "pvr 0x%08x is no POWER7..Power11 processor", host->raw_pvr);
	if (host->processor != PPCCOMPAT_MODE_NONE && host->processor < host->effective_mode)
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path, "revision",
			       "a %s processor cannot run in %s mode",
			       ppccompat_generation(host->processor)->display_name,
			       ppccompat_mode_name(host->effective_mode));
	decide_nested_api(host);

	ops = pick_kvm_ops(opts, reader.sysroot);
	if (ops)
		ppccompat_kvm_probe(ops, &host->kvm);
	decide_allowed(host);
	return 0;
}
