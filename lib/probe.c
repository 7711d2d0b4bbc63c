// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The probe chain: /proc/cpuinfo (is this POWER at all?), the device tree
 * (effective mode, platform, hypervisor), then KVM, and from those the modes
 * guests may use. Every answer keeps the source it came from, and how
 * strongly its sources support it.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

static void copy_cpuinfo_text(struct ppccompat_host *h, const struct pc_cpuinfo *ci)
{
	pc_strlcpy(h->cpuinfo_cpu, ci->cpu, sizeof(h->cpuinfo_cpu));
	pc_strlcpy(h->cpuinfo_revision, ci->revision, sizeof(h->cpuinfo_revision));
	pc_strlcpy(h->cpuinfo_platform, ci->platform, sizeof(h->cpuinfo_platform));
	pc_strlcpy(h->cpuinfo_model, ci->model, sizeof(h->cpuinfo_model));
	pc_strlcpy(h->cpuinfo_machine, ci->machine, sizeof(h->cpuinfo_machine));
	pc_strlcpy(h->cpuinfo_mmu, ci->mmu_text, sizeof(h->cpuinfo_mmu));
	h->mmu = ci->mmu;
}

static bool is_powerpc(const struct pc_cpuinfo *ci)
{
	return !ci->foreign_arch &&
	       (ci->has_pvr_revision || ci->platform[0] || ci->cpu_mode != PPCCOMPAT_MODE_NONE);
}

/* "CHRP IBM,8231-E2B": pseries prints the root model after "CHRP ". */
static bool cpuinfo_names_ibm_machine(const struct pc_cpuinfo *ci)
{
	return pc_is_ibm_machine_type(ci->model) ||
	       (!strncmp(ci->machine, "CHRP ", 5) && pc_is_ibm_machine_type(ci->machine + 5));
}

/*
 * Field by field, the first source that tells: the device tree's markers
 * (OPAL's compatible, QEMU's /hypervisor node and root compatible, the
 * kernel's and lscpu's PowerVM properties, a root model that is an IBM
 * machine type), then cpuinfo's platform line with the same model rule. A
 * /hypervisor node whose compatible is not QEMU's "linux,kvm" is some
 * hypervisor this version does not know (or a damaged one): "other", never
 * the TCG guest that its absence would mean.
 * PowerVM's model is the machine type ("IBM,9080-HEX"); QEMU's ("IBM pSeries
 * (emulated by qemu)") does not tell KVM from TCG.
 */
/*
 * cpuinfo's platform line is ppc_md.name, the machine description the kernel
 * probed from the same device tree: "PowerNV" for OPAL's, "pSeries" for any
 * partition's. A line that says otherwise is another host's cpuinfo.
 */
static int platform_lines_agree(const struct ppccompat_host *h,
				const struct pc_cpuinfo *ci, const char *cpuinfo_path,
				struct ppccompat_error *err)
{
	const char *want = h->platform == PPCCOMPAT_PLATFORM_POWERNV ? "PowerNV" : "pSeries";

	if (!ci->platform[0] || h->platform_source != PPCCOMPAT_SOURCE_DEVTREE ||
	    !strcmp(ci->platform, want))
		return 0;
	return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path, "platform",
		       "\"%s\", but /proc/device-tree describes a %s machine: two hosts' files",
		       ci->platform, want);
}

static void decide_platform(struct ppccompat_host *h, const struct pc_devtree *dt,
			    const struct pc_cpuinfo *ci)
{
	h->platform_source = PPCCOMPAT_SOURCE_DEVTREE;
	if (dt->powernv)
		h->platform = PPCCOMPAT_PLATFORM_POWERNV;
	else if (dt->hypervisor_kvm)
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_KVM;
	else if (dt->powervm || dt->ibm_model)
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_POWERVM;
	else if (dt->hypervisor_unknown)
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_OTHER;
	else if (dt->qemu_pseries)
		h->platform = PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG;
	else {
		h->platform_source = PPCCOMPAT_SOURCE_CPUINFO;
		if (!strcmp(ci->platform, "PowerNV"))
			h->platform = PPCCOMPAT_PLATFORM_POWERNV;
		else if (!strcmp(ci->platform, "pSeries") && cpuinfo_names_ibm_machine(ci))
			h->platform = PPCCOMPAT_PLATFORM_PSERIES_POWERVM;
		else if (!strcmp(ci->platform, "pSeries"))
			h->platform = PPCCOMPAT_PLATFORM_PSERIES_OTHER;
		else {
			h->platform = PPCCOMPAT_PLATFORM_UNKNOWN;
			h->platform_source = PPCCOMPAT_SOURCE_NONE;
		}
	}
}

/*
 * Userspace cannot make the hcalls that tell the nested APIs apart, so the
 * API follows from what the L0 implements: PowerVM only the PAPR API (v2),
 * and only from Power10 on; Linux KVM as L0 only H_ENTER_NESTED (v1). QEMU
 * under TCG offers either, by cap-nested-hv or cap-nested-papr, with nothing
 * in the guest's device tree to show which.
 */
static void decide_nested_api(struct ppccompat_host *h)
{
	h->nested_api = PPCCOMPAT_NESTED_UNKNOWN;
	h->nested_api_source = PPCCOMPAT_SOURCE_NONE;
	h->nested_api_certainty = PPCCOMPAT_CERTAINTY_NONE;
	switch (h->platform) {
	case PPCCOMPAT_PLATFORM_NOT_POWER:
	case PPCCOMPAT_PLATFORM_POWERPC_OTHER:
	case PPCCOMPAT_PLATFORM_POWERNV:
		h->nested_api = PPCCOMPAT_NESTED_NONE;
		h->nested_api_source = h->platform_source;
		/*
		 * OPAL's device tree states bare metal; cpuinfo's platform line
		 * or processor only suggests it (a capture can be edited, a
		 * fragment lack lines), so that stays an inference.
		 */
		h->nested_api_certainty = h->platform_source == PPCCOMPAT_SOURCE_DEVTREE
						  ? PPCCOMPAT_CERTAINTY_CERTAIN
						  : PPCCOMPAT_CERTAINTY_INFERRED;
		break;
	case PPCCOMPAT_PLATFORM_PSERIES_POWERVM:
		h->nested_api = h->notes & PPCCOMPAT_NOTE_NO_KVM_HV ? PPCCOMPAT_NESTED_NONE
								    : PPCCOMPAT_NESTED_V2;
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
				       "\"%s\" names no POWER6..Power11 mode", ci->cpu);
		h->effective_mode = ci->cpu_mode;
		return 0;
	}
	if (ppccompat_mode_from_pvr(ci->raw_pvr, &h->effective_mode, NULL) < 0)
		return pc_fail(err, PPCCOMPAT_ERR_UNKNOWN_PVR, 0, cpuinfo_path, "revision",
			       "pvr 0x%08x is no POWER6..Power11 processor", ci->raw_pvr);
	return 0;
}

/*
 * The device tree has a node for every cpu, online or not; cpuinfo lists the
 * online ones, each with the PVR its own register holds. So cpuinfo may show
 * fewer revisions than the tree, never one the tree lacks: that is a tree and
 * a cpuinfo from two hosts. Only the range is kept on each side, so a
 * revision strictly between the tree's lowest and highest passes.
 */
static int raw_pvr_from_cpuinfo(struct ppccompat_host *h, const struct pc_devtree *dt,
				const struct pc_cpuinfo *ci, const char *cpuinfo_path,
				struct ppccompat_error *err)
{
	if (!ci->has_pvr_revision)
		return 0;
	if (h->raw_pvr_source == PPCCOMPAT_SOURCE_DEVTREE) {
		uint32_t bad = ci->raw_pvr < dt->cpu_version ? ci->raw_pvr : ci->raw_pvr_max;

		if (h->raw_pvr >> 16 != ci->raw_pvr >> 16)
			return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path,
				       "revision", "pvr 0x%08x, but cpu-version is 0x%08x",
				       ci->raw_pvr, h->raw_pvr);
		if (ci->raw_pvr >= dt->cpu_version && ci->raw_pvr_max <= dt->cpu_version_max)
			return 0;
		if (dt->mixed_revisions)
			return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path,
				       "revision",
				       "pvr 0x%08x, outside the cpu-version range 0x%08x..0x%08x "
				       "of /proc/device-tree/cpus: two hosts' files",
				       bad, dt->cpu_version, dt->cpu_version_max);
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path, "revision",
			       "pvr 0x%08x, but every cpu-version in /proc/device-tree/cpus is "
			       "0x%08x: two hosts' files",
			       bad, dt->cpu_version);
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

/*
 * No platform line (a fragment): the PVR is all there is, whatever the cpu
 * line calls the processor (the kernel names one it does not know by its
 * generic entry, or by firmware's display-name). IBM's 64-bit server line
 * has had PVR versions 0x0033..0x0082 (RS64 to Power11), and another
 * vendor's 64-bit Book3S server took one there (PVR_HX_C2000, 0x0066, in
 * arch/powerpc/include/asm/reg.h): an unknown version below 0x0100 may be a
 * newer POWER and stays an error. 32-bit and embedded cores use the
 * versions around it (0x0001..0x000c, 0x7000, 0x80xx); 0x0000 and 0xffff are
 * no processor's.
 */
static bool pvr_outside_server_range(uint32_t pvr)
{
	uint32_t version = pvr >> 16;

	return version != 0x0000 && version != 0xffff && (version < 0x0030 || version > 0x00ff);
}

/*
 * A PowerPC processor the generation table does not hold: one of the older
 * 64-bit lines, or any processor of a machine that is no pseries / PowerNV
 * server (PowerMac, embedded boards, 32-bit). Correct kernel output, so a
 * report rather than an error. An unknown PVR on a server platform, or in
 * the server range in a fragment without platform line, may be a newer POWER
 * this version does not know: that stays an error.
 */
static bool not_a_server(const struct pc_cpuinfo *ci)
{
	if (pc_older_pvr_name(ci->raw_pvr))
		return true;
	if (ci->platform[0])
		return strcmp(ci->platform, "pSeries") && strcmp(ci->platform, "PowerNV");
	return pvr_outside_server_range(ci->raw_pvr);
}

/*
 * The device tree's cpus, where present and known, give the effective mode;
 * else cpuinfo does. A cpu-version no generation knows is accepted when it is
 * the raw PVR of a non-server processor, or an architected mode older than
 * POWER6 (PVR_ARCH_204); anything else is named as an error.
 */
static int decide_effective(struct ppccompat_host *h, const struct pc_devtree *dt,
			    const struct pc_cpuinfo *ci, const char *cpuinfo_path,
			    struct ppccompat_error *err)
{
	enum ppccompat_mode known;
	int ret;

	if (dt->cpu_nodes && dt->cpu_mode == PPCCOMPAT_MODE_NONE) {
		bool raw_other = dt->cpu_kind == PPCCOMPAT_PVR_RAW && ci->has_pvr_revision &&
				 ci->raw_pvr == dt->cpu_version && not_a_server(ci);

		if (!raw_other && !pc_logical_pvr_before_power6(dt->cpu_version)) {
			if (err)
				*err = dt->cpu_error;
			return dt->cpu_error.code;
		}
	}
	if (dt->cpu_nodes) {
		effective_from_devtree(h, dt);
		ret = 0;
	} else if (ci->has_pvr_revision && ppccompat_mode_from_pvr(ci->raw_pvr, &known, NULL) < 0 &&
		   not_a_server(ci)) {
		/* no mode to look for: the processor is all there is to report */
		ret = 0;
	} else {
		ret = effective_from_cpuinfo(h, ci, cpuinfo_path, err);
	}
	if (ret == 0)
		ret = raw_pvr_from_cpuinfo(h, dt, ci, cpuinfo_path, err);
	if (ret == 0)
		ret = check_sources_agree(h, ci, cpuinfo_path, err);
	if (ret < 0)
		return ret;
	h->processor = PPCCOMPAT_MODE_NONE;
	if (h->raw_pvr_source != PPCCOMPAT_SOURCE_NONE &&
	    ppccompat_mode_from_pvr(h->raw_pvr, &h->processor, NULL) < 0) {
		if (!not_a_server(ci))
			return pc_fail(err, PPCCOMPAT_ERR_UNKNOWN_PVR, 0, cpuinfo_path, "revision",
				       "pvr 0x%08x is no POWER6..Power11 processor", h->raw_pvr);
		h->processor = PPCCOMPAT_MODE_NONE;
		h->platform = PPCCOMPAT_PLATFORM_POWERPC_OTHER;
		h->platform_source = h->raw_pvr_source;
		h->notes |= PPCCOMPAT_NOTE_NOT_SERVER;
		return 0;
	}
	if (h->processor != PPCCOMPAT_MODE_NONE && h->processor < h->effective_mode)
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path, "revision",
			       "a %s processor cannot run in %s mode",
			       ppccompat_generation(h->processor)->display_name,
			       ppccompat_mode_name(h->effective_mode));
	return 0;
}

/*
 * Bare metal runs in its processor's own mode: skiboot gives every cpu node
 * the raw PVR, and the kernel names the processor from the PVR register
 * (cputable) or from skiboot's display-name (dt-cpu-ftrs), never an
 * "(architected)" mode. A logical PVR beside OPAL's markers is a tree put
 * together from two hosts, and no answer from it holds: the effective mode
 * would say one thing and the processor's modes another.
 */
static int powernv_logical(const struct pc_reader *r, const struct ppccompat_host *h,
			   const char *cpuinfo_path, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];

	if (h->effective_mode_source != PPCCOMPAT_SOURCE_DEVTREE)
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, cpuinfo_path, "cpu",
			       "an architected mode, but the platform (from %s) is PowerNV, whose "
			       "cpus run raw",
			       ppccompat_source_name(h->platform_source));
	if (pc_full_path(r, "/proc/device-tree/cpus", path, err) < 0)
		path[0] = '\0';
	return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, path, "cpu-version",
		       "0x%08x is a logical PVR, but the platform (from %s) is PowerNV, where "
		       "skiboot gives every cpu its raw PVR",
		       h->cpu_version, ppccompat_source_name(h->platform_source));
}

/*
 * POWER9 before DD2.2 cannot run hash-MMU and radix threads on one core, so
 * a radix host runs no HPT guests (arch/powerpc/kvm/book3s_hv.c
 * kvmppc_hash_v3_possible(): Nimbus, PVR bits 0xe000 clear, below 0x202;
 * Cumulus, 0x2000, below 0x101).
 */
static bool power9_mixes_no_mmus(uint32_t pvr)
{
	if (pvr >> 16 != 0x004e)
		return false;
	if ((pvr & 0xe000) == 0)
		return (pvr & 0xfff) < 0x202;
	if ((pvr & 0xe000) == 0x2000)
		return (pvr & 0xfff) < 0x101;
	return false;
}

#define HPT_ONLY_MODES                                                         \
	(PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER6) | PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER7) | \
	 PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER8))

/*
 * Bare metal: KVM-HV accepts any level the processor's PCR can emulate, from
 * POWER7 on (kvmppc_core_check_processor_compat_hv() needs ISA 2.06 in
 * hypervisor mode), less what the MMU forbids: power6..power8 guests use the
 * hash MMU. KVM_CHECK_EXTENSION(KVM_CAP_PPC_MMU_HASH_V3) is the kernel's own
 * verdict; without it a radix ("MMU : Radix", the POWER9 default) POWER9
 * before DD2.2 has none. On POWER7/8, KVM_RUN wants the secondary threads of
 * each (sub)core offline (book3s_hv.c on_primary_thread()).
 */
static void decide_powernv(struct ppccompat_host *h, const struct pc_cpuinfo *ci)
{
	const struct ppccompat_generation *g = ppccompat_generation(h->processor);
	bool hpt;

	if (!g)
		return;
	if (h->processor < PPCCOMPAT_MODE_POWER7) {
		h->notes |= PPCCOMPAT_NOTE_NO_KVM_HV;
		return;
	}
	h->allowed_modes = g->hw_modes;
	h->allowed_source = PPCCOMPAT_SOURCE_TABLE;
	if (h->kvm_mmu_hash_v3 >= 0)
		hpt = h->kvm_mmu_hash_v3 > 0 || h->processor < PPCCOMPAT_MODE_POWER9;
	else
		hpt = h->mmu == PPCCOMPAT_MMU_HASH || !power9_mixes_no_mmus(h->raw_pvr);
	if (!hpt) {
		h->allowed_modes &= ~HPT_ONLY_MODES;
		h->notes |= PPCCOMPAT_NOTE_NO_HPT;
	}
	if (h->processor <= PPCCOMPAT_MODE_POWER8) {
		unsigned int secondary = h->processor == PPCCOMPAT_MODE_POWER7 ? 3 : 7;

		if (ci->thread_bits & secondary)
			h->notes |= PPCCOMPAT_NOTE_SMT_ON;
	}
}

/*
 * Over the nested API v2 a kernel gets from PowerVM only the modes it asks
 * for at start (kvmhv_nested_init(): H_GUEST_SET_CAPABILITIES with what it
 * set, ANDed with what H_GUEST_GET_CAPABILITIES offered). Linux 6.12 asks
 * for POWER9 and POWER10 only: it has no H_GUEST_CAP_POWER11 at all
 * (6.12.117's arch/powerpc/include/asm/hvcall.h). Linux 7.2 asks for Power11
 * too, on a Power11 (CPU_FTR_P11_PVR; checked in 7.2.12 and 7.3.4). Where the
 * kernel cannot be asked (no KVM_PPC_GET_COMPAT_CAPS), its release is the
 * only hint, and it counts one way only: 7.2 or later lets power11 stand;
 * an older, unknown or absent release leaves it out, since a distribution
 * kernel may lack what its number suggests but a backport is not known
 * either. Mainline may have asked before 7.2; 7.2 is the oldest checked.
 */
#define ASKS_POWER11_MAJOR 7
#define ASKS_POWER11_MINOR 2

/*
 * "<version>.<patchlevel>", each a decimal number without leading zero (the
 * kernel's Makefile; KERNEL_VERSION() keeps 8 bits of the patchlevel, and no
 * release has reached a three-digit version), then the end or what the
 * Makefile and distributions append: ".<sublevel>", "-rc2", "-28-powerpc64le",
 * "+deb13-powerpc64le". Any other digit run ("07.02", "7.2foo", a 20-digit
 * version) is no release uname -r could print.
 */
static const char *parse_number(const char **p, unsigned int max, unsigned int *out)
{
	const char *s = *p;
	unsigned int v = 0;

	if (*s < '0' || *s > '9')
		return "no number";
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return "a leading zero";
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > max)
			return "a number too large";
	}
	*p = s;
	*out = v;
	return NULL;
}

/* NULL if release is one, else what is wrong with it, for the error */
static const char *release_problem(const char *release, unsigned int *major,
				   unsigned int *minor)
{
	const char *p = release;
	const char *why = parse_number(&p, 999, major);

	if (why)
		return why;
	if (*p++ != '.')
		return "no '.' after the version";
	why = parse_number(&p, 255, minor);
	if (why)
		return why;
	if (*p && *p != '.' && *p != '-' && *p != '+')
		return "no '.', '-' or '+' after the patchlevel";
	for (; *p; p++)
		if (*p <= ' ' || *p > '~')
			return "a space or a byte that is no printable character";
	return NULL;
}

static bool release_asks_power11(const char *release)
{
	unsigned int major, minor;

	if (!release[0] || release_problem(release, &major, &minor))
		return false;
	return major > ASKS_POWER11_MAJOR ||
	       (major == ASKS_POWER11_MAJOR && minor >= ASKS_POWER11_MINOR);
}

/*
 * A partition. PowerVM runs KVM guests in partitions from Power10 on: "KVM
 * in a PowerVM LPAR" (the PAPR nested API v2, H_GUEST_*) came with the
 * Power10 firmware FW1060.10 (IBM's Power documentation and its "KVM in a
 * PowerVM LPAR" user guide). Before that a partition has no KVM-HV at all:
 * POWER7/8 partitions fail kvmppc_core_check_processor_compat_hv() (no
 * hypervisor mode, no radix MMU), and PowerVM on POWER9 offers neither
 * nested API. A KVM or TCG L0
 * grants what a nested-API-v1 kernel derives from the cpu-version. A guest
 * whose hypervisor the files do not show gets nothing: what it may run
 * depends on what its L0 granted, which only the KVM ioctl tells.
 */
static void decide_pseries(struct ppccompat_host *h)
{
	enum ppccompat_mode p = h->processor;

	if (h->platform == PPCCOMPAT_PLATFORM_PSERIES_POWERVM) {
		if (p == PPCCOMPAT_MODE_NONE && h->effective_mode >= PPCCOMPAT_MODE_POWER10)
			p = h->effective_mode;
		if (p == PPCCOMPAT_MODE_NONE) {
			h->notes |= PPCCOMPAT_NOTE_UNVERIFIED;
			return;
		}
		if (p < PPCCOMPAT_MODE_POWER10) {
			h->notes |= PPCCOMPAT_NOTE_NO_KVM_HV;
			return;
		}
	} else if (h->platform != PPCCOMPAT_PLATFORM_PSERIES_KVM &&
		   h->platform != PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG) {
		h->notes |= PPCCOMPAT_NOTE_UNVERIFIED;
		return;
	}
	h->allowed_modes = ppccompat_modes_cumulative(h->effective_mode);
	h->allowed_source = h->effective_mode_source;
	/* KVM-HV in a guest is the nested kind, which needs ISA 3.0 (POWER9) or later */
	if (h->effective_mode != PPCCOMPAT_MODE_NONE && h->effective_mode < PPCCOMPAT_MODE_POWER9)
		h->notes |= PPCCOMPAT_NOTE_NO_NESTED;
	if (h->platform == PPCCOMPAT_PLATFORM_PSERIES_POWERVM &&
	    (h->allowed_modes & PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER11)) &&
	    !release_asks_power11(h->kernel_release)) {
		h->allowed_modes &= ~PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER11);
		h->notes |= PPCCOMPAT_NOTE_POWER11_UNCONFIRMED;
	}
}

static enum ppccompat_evidence decide_evidence(const struct ppccompat_host *h)
{
	if (h->allowed_source == PPCCOMPAT_SOURCE_KVM)
		return PPCCOMPAT_EVIDENCE_CERTAIN;
	if (h->platform == PPCCOMPAT_PLATFORM_NOT_POWER ||
	    h->platform == PPCCOMPAT_PLATFORM_POWERPC_OTHER)
		return PPCCOMPAT_EVIDENCE_STRONG;
	if (h->platform_source == PPCCOMPAT_SOURCE_DEVTREE ||
	    (h->effective_mode_source == PPCCOMPAT_SOURCE_DEVTREE && h->architected))
		return PPCCOMPAT_EVIDENCE_STRONG;
	/* cpuinfo, perhaps with a raw PVR in the device tree: neither shows the hypervisor */
	return PPCCOMPAT_EVIDENCE_WEAK;
}

static void decide_allowed(struct ppccompat_host *h, const struct pc_cpuinfo *ci)
{
	h->allowed_modes = 0;
	h->allowed_source = PPCCOMPAT_SOURCE_NONE;
	if (h->kvm.status == PPCCOMPAT_KVM_OK) {
		h->allowed_modes = ppccompat_modes_from_kvm_caps(h->kvm.caps);
		h->allowed_source = PPCCOMPAT_SOURCE_KVM;
	} else if (h->platform == PPCCOMPAT_PLATFORM_POWERNV) {
		decide_powernv(h, ci);
	} else if (h->platform != PPCCOMPAT_PLATFORM_NOT_POWER &&
		   h->platform != PPCCOMPAT_PLATFORM_POWERPC_OTHER) {
		decide_pseries(h);
	}
	h->recommended_mode = ppccompat_highest_mode(h->allowed_modes);
	h->evidence = decide_evidence(h);
}

/*
 * KVM_CHECK_EXTENSION(KVM_CAP_PPC_MMU_HASH_V3) on /dev/kvm: 0/1, or -1 when
 * it cannot be asked or says nothing. Both MMU capabilities are 0 when KVM-HV
 * is not loaded (arch/powerpc/kvm/powerpc.c: each is "hv_enabled && ..."),
 * and that 0 is no verdict on the MMU.
 */
static int ask_hash_v3(const struct ppccompat_kvm_ops *ops)
{
	int fd = ops->open_kvm(ops->ctx);
	int hash, radix;

	if (fd < 0)
		return -1;
	hash = ops->ioctl(ops->ctx, fd, KVM_CHECK_EXTENSION, PPCCOMPAT_KVM_CAP_PPC_MMU_HASH_V3);
	radix = ops->ioctl(ops->ctx, fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_MMU_RADIX);
	ops->close(ops->ctx, fd);
	if (hash < 0 || radix < 0 || (hash == 0 && radix == 0))
		return -1;
	return hash > 0;
}

/*
 * /proc/sys/kernel/osrelease, the release uname(2) gives, read like every
 * other file so that a captured tree answers as its host did. Optional; a
 * release is always "<version>.<patchlevel>..." (the kernel's Makefile), so
 * anything else there is damage, named.
 */
static int read_kernel_release(const struct pc_reader *r, struct ppccompat_host *h,
			       struct ppccompat_error *err)
{
	static const char rel[] = "/proc/sys/kernel/osrelease";
	char buf[128], path[PPCCOMPAT_PATH_MAX];
	unsigned int major, minor;
	const char *why = NULL;
	size_t len = 0;
	bool cut;
	int ret = pc_read_file(r, rel, buf, sizeof(buf) - 1, &len, err);

	if (ret == PPCCOMPAT_ERR_NOT_FOUND) {
		pc_error_clear(err);
		return 0;
	}
	if (ret < 0)
		return ret;
	/*
	 * One line ended by a newline, as the kernel prints it and as cpuinfo is
	 * read: a carriage return before it is taken as cpuinfo takes it (a
	 * copy through a CRLF tool), no newline means the file was cut short,
	 * and a second line is another file's tail.
	 */
	cut = !len || buf[len - 1] != '\n';
	if (cut)
		why = "no newline at the end: cut short";
	else if (--len && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	if (!why && memchr(buf, '\n', len))
		why = "a second line";
	else if (!why && strlen(buf) != len)
		why = "a NUL byte";
	if (!why)
		why = release_problem(buf, &major, &minor);
	if (why) {
		char shown[64];

		if (pc_full_path(r, rel, path, err) < 0)
			path[0] = '\0';
		pc_shown_bytes(shown, sizeof(shown), buf, len);
		return pc_fail(err, cut ? PPCCOMPAT_ERR_TRUNCATED : PPCCOMPAT_ERR_MALFORMED, 0,
			       path, "osrelease",
			       "\"%s\": %s; expected one line such as \"6.12.117\" or "
			       "\"7.2.12+deb13-powerpc64le\"", shown, why);
	}
	pc_strlcpy(h->kernel_release, buf, sizeof(h->kernel_release));
	return 0;
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

int pc_probe(const struct ppccompat_probe_opts *opts, struct ppccompat_host *host,
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
	host->kvm_mmu_hash_v3 = -1;
	if (opts) {
		reader.sysroot = opts->sysroot ? opts->sysroot : "";
		reader.observe = opts->observe;
		reader.observe_ctx = opts->observe_ctx;
	}
	if (reader.sysroot[0]) {
		struct stat st;

		/* a file given as the root is there, but it is no tree */
		if (stat(reader.sysroot, &st) == 0 && !S_ISDIR(st.st_mode))
			return pc_fail(err, PPCCOMPAT_ERR_IO, ENOTDIR, reader.sysroot, "sysroot",
				       NULL);
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
	if (!is_powerpc(&ci)) {
		host->platform = PPCCOMPAT_PLATFORM_NOT_POWER;
		host->platform_source = PPCCOMPAT_SOURCE_CPUINFO;
		decide_nested_api(host);
		host->evidence = decide_evidence(host);
		return 0;
	}

	ret = pc_devtree_read(&reader, &dt, err);
	if (ret < 0)
		return ret;
	ret = read_kernel_release(&reader, host, err);
	if (ret < 0)
		return ret;
	decide_platform(host, &dt, &ci);
	ret = platform_lines_agree(host, &ci, cpuinfo_path, err);
	if (ret < 0)
		return ret;
	if (ci.pvr_mixed || dt.mixed_revisions)
		host->notes |= PPCCOMPAT_NOTE_MIXED_REVISIONS;
	if (dt.hypervisor_unknown) {
		host->notes |= PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR;
		pc_strlcpy(host->hypervisor_compatible, dt.hypervisor_compatible,
			   sizeof(host->hypervisor_compatible));
	}
	ret = decide_effective(host, &dt, &ci, cpuinfo_path, err);
	if (ret == 0 && host->platform == PPCCOMPAT_PLATFORM_POWERNV && host->architected)
		ret = powernv_logical(&reader, host, cpuinfo_path, err);
	if (ret < 0)
		return ret;
	if (host->platform != PPCCOMPAT_PLATFORM_POWERPC_OTHER) {
		ops = pick_kvm_ops(opts, reader.sysroot);
		if (ops)
			ppccompat_kvm_probe(ops, &host->kvm);
		/* the MMU question matters only where this kernel is the L0 */
		if (ops && host->platform == PPCCOMPAT_PLATFORM_POWERNV &&
		    host->processor >= PPCCOMPAT_MODE_POWER9)
			host->kvm_mmu_hash_v3 = ask_hash_v3(ops);
		if (host->platform == PPCCOMPAT_PLATFORM_PSERIES_POWERVM &&
		    host->processor != PPCCOMPAT_MODE_NONE &&
		    host->processor < PPCCOMPAT_MODE_POWER10)
			host->notes |= PPCCOMPAT_NOTE_NO_KVM_HV;
	}
	decide_nested_api(host);
	decide_allowed(host, &ci);
	return 0;
}
