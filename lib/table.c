// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The one table of POWER processor generations, and every lookup derived
 * from it.
 *
 * Where the facts come from:
 * - raw PVR versions: Linux arch/powerpc/include/asm/reg.h (PVR_POWER6 ...
 *   PVR_POWER11, PVR_HX_C2000) and QEMU target/ppc/cpu-models.h
 *   (CPU_POWERPC_*_BASE). reg.h has no POWER9 version other than 0x004e.
 * - logical PVRs: reg.h PVR_ARCH_205/206/206p/207/300/31/31_P11, QEMU
 *   cpu-models.h CPU_POWERPC_LOGICAL_* (LOGICAL_2_06_PLUS = 0x0f100003, the
 *   POWER7+ mode QEMU's compat.c names "power7+"), and the project's ABI.md.
 * - POWER6: KVM-HV accepts PVR_ARCH_205 as KVM_REG_PPC_ARCH_COMPAT
 *   (arch/powerpc/kvm/book3s_hv.c kvmppc_set_arch_compat()), QEMU's
 *   compat_table has "power6" for CPU_POWERPC_LOGICAL_2_05, and libvirt's
 *   ppc64CheckCompatibilityMode() (src/cpu/cpu_ppc64.c) accepts "power6" as
 *   the lowest host-model compatibility mode. QEMU has no POWER6 -cpu model.
 * - ISA levels: QEMU target/ppc/compat.c (compat_table comments) and the
 *   kernel's PVR_ARCH_* names; Power11 implements ISA 3.1 like POWER10.
 * - QEMU names: compat.c compat_table .name (max-cpu-compat values) and
 *   cpu-models.c ppc_cpu_aliases (-cpu models).
 * - libvirt names: libvirt src/cpu_map/ppc64_POWER*.xml model names.
 * - KVM capability bits: ABI.md (KVM_PPC_COMPAT_CAP_*); the ABI defines
 *   none below POWER9 because nested KVM-HV needs ISA 3.0.
 * - modes the hardware can run: QEMU target/ppc/cpu_init.c pcr_supported
 *   of each CPU class (POWER7: 2.06|2.05; POWER8: 2.07|2.06|2.05;
 *   POWER9: +3.00; POWER10 and Power11: +3.10), so every server from
 *   POWER7 on runs the POWER6 mode. POWER10 and Power11 share
 *   the PCR level of ISA 3.1, so the Power11 mode exists only on Power11.
 *   Hypervisors may offer fewer (PowerVM on Power11 offers Power9 and up).
 */
#include <string.h>

#include "internal.h"

#define BIT(m) PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_##m)

static const struct ppccompat_generation generations[] = {
	{
		.mode = PPCCOMPAT_MODE_POWER6,
		.name = "power6",
		.display_name = "POWER6",
		.isa = "2.05",
		.logical_pvr = 0x0f000002,
		.logical_pvrs = { 0x0f000002 },
		.n_logical_pvrs = 1,
		.pvr_variants = { { 0x003e, "POWER6" } },
		.n_pvr_variants = 1,
		.qemu_compat = "power6",
		.qemu_cpu_model = NULL,
		.libvirt_model = "POWER6",
		.kvm_cap_bit = 0,
		.hw_modes = BIT(POWER6),
	},
	{
		.mode = PPCCOMPAT_MODE_POWER7,
		.name = "power7",
		.display_name = "POWER7",
		.isa = "2.06",
		.logical_pvr = 0x0f000003,
		.logical_pvrs = { 0x0f000003, 0x0f100003 },
		.n_logical_pvrs = 2,
		.pvr_variants = { { 0x003f, "POWER7" }, { 0x004a, "POWER7+" } },
		.n_pvr_variants = 2,
		.qemu_compat = "power7",
		.qemu_cpu_model = "power7",
		.libvirt_model = "POWER7",
		.kvm_cap_bit = 0,
		.hw_modes = BIT(POWER6) | BIT(POWER7),
	},
	{
		.mode = PPCCOMPAT_MODE_POWER8,
		.name = "power8",
		.display_name = "POWER8",
		.isa = "2.07",
		.logical_pvr = 0x0f000004,
		.logical_pvrs = { 0x0f000004 },
		.n_logical_pvrs = 1,
		.pvr_variants = { { 0x004b, "POWER8E" },
				  { 0x004c, "POWER8NVL" },
				  { 0x004d, "POWER8" },
				  { 0x0066, "HX-C2000" } },
		.n_pvr_variants = 4,
		.qemu_compat = "power8",
		.qemu_cpu_model = "power8",
		.libvirt_model = "POWER8",
		.kvm_cap_bit = 0,
		.hw_modes = BIT(POWER6) | BIT(POWER7) | BIT(POWER8),
	},
	{
		.mode = PPCCOMPAT_MODE_POWER9,
		.name = "power9",
		.display_name = "POWER9",
		.isa = "3.0",
		.logical_pvr = 0x0f000005,
		.logical_pvrs = { 0x0f000005 },
		.n_logical_pvrs = 1,
		.pvr_variants = { { 0x004e, "POWER9" } },
		.n_pvr_variants = 1,
		.qemu_compat = "power9",
		.qemu_cpu_model = "power9",
		.libvirt_model = "POWER9",
		.kvm_cap_bit = PPCCOMPAT_KVM_COMPAT_CAP_POWER9,
		.hw_modes = BIT(POWER6) | BIT(POWER7) | BIT(POWER8) | BIT(POWER9),
	},
	{
		.mode = PPCCOMPAT_MODE_POWER10,
		.name = "power10",
		.display_name = "POWER10",
		.isa = "3.1",
		.logical_pvr = 0x0f000006,
		.logical_pvrs = { 0x0f000006 },
		.n_logical_pvrs = 1,
		.pvr_variants = { { 0x0080, "POWER10" } },
		.n_pvr_variants = 1,
		.qemu_compat = "power10",
		.qemu_cpu_model = "power10",
		.libvirt_model = "POWER10",
		.kvm_cap_bit = PPCCOMPAT_KVM_COMPAT_CAP_POWER10,
		.hw_modes = BIT(POWER6) | BIT(POWER7) | BIT(POWER8) | BIT(POWER9) |
			    BIT(POWER10),
	},
	{
		.mode = PPCCOMPAT_MODE_POWER11,
		.name = "power11",
		.display_name = "Power11",
		.isa = "3.1",
		.logical_pvr = 0x0f000007,
		.logical_pvrs = { 0x0f000007 },
		.n_logical_pvrs = 1,
		.pvr_variants = { { 0x0082, "Power11" } },
		.n_pvr_variants = 1,
		.qemu_compat = "power11",
		.qemu_cpu_model = "power11",
		.libvirt_model = "POWER11",
		.kvm_cap_bit = PPCCOMPAT_KVM_COMPAT_CAP_POWER11,
		.hw_modes = BIT(POWER6) | BIT(POWER7) | BIT(POWER8) | BIT(POWER9) | BIT(POWER10) |
			    BIT(POWER11),
	},
};

const struct ppccompat_generation *ppccompat_generation(enum ppccompat_mode mode)
{
	if (mode < PPCCOMPAT_MODE_FIRST || mode > PPCCOMPAT_MODE_LAST)
		return NULL;
	return &generations[mode - PPCCOMPAT_MODE_FIRST];
}

const char *ppccompat_mode_name(enum ppccompat_mode mode)
{
	const struct ppccompat_generation *g = ppccompat_generation(mode);

	return g ? g->name : "none";
}

int ppccompat_mode_from_name(const char *name, enum ppccompat_mode *mode)
{
	if (!name || !mode)
		return PPCCOMPAT_ERR_BAD_ARG;
	for (size_t i = 0; i < PC_ARRAY_SIZE(generations); i++) {
		const struct ppccompat_generation *g = &generations[i];

		if (!pc_strcasecmp(name, g->name) || !pc_strcasecmp(name, g->display_name)) {
			*mode = g->mode;
			return 0;
		}
		for (unsigned int v = 0; v < g->n_pvr_variants; v++) {
			if (!pc_strcasecmp(name, g->pvr_variants[v].name)) {
				*mode = g->mode;
				return 0;
			}
		}
	}
	return PPCCOMPAT_ERR_UNKNOWN_MODE;
}

static const struct ppccompat_pvr_variant *find_variant(uint32_t raw_pvr,
							 const struct ppccompat_generation **gen)
{
	uint16_t version = (uint16_t)(raw_pvr >> 16);

	for (size_t i = 0; i < PC_ARRAY_SIZE(generations); i++) {
		const struct ppccompat_generation *g = &generations[i];

		for (unsigned int v = 0; v < g->n_pvr_variants; v++) {
			if (g->pvr_variants[v].version == version) {
				*gen = g;
				return &g->pvr_variants[v];
			}
		}
	}
	return NULL;
}

int ppccompat_mode_from_pvr(uint32_t pvr, enum ppccompat_mode *mode,
			    enum ppccompat_pvr_kind *kind)
{
	const struct ppccompat_generation *g;

	if (!mode)
		return PPCCOMPAT_ERR_BAD_ARG;
	for (size_t i = 0; i < PC_ARRAY_SIZE(generations); i++) {
		g = &generations[i];
		for (unsigned int l = 0; l < g->n_logical_pvrs; l++) {
			if (g->logical_pvrs[l] == pvr) {
				*mode = g->mode;
				if (kind)
					*kind = PPCCOMPAT_PVR_LOGICAL;
				return 0;
			}
		}
	}
	if (find_variant(pvr, &g)) {
		*mode = g->mode;
		if (kind)
			*kind = PPCCOMPAT_PVR_RAW;
		return 0;
	}
	return PPCCOMPAT_ERR_UNKNOWN_PVR;
}

const char *ppccompat_pvr_variant_name(uint32_t raw_pvr)
{
	const struct ppccompat_generation *g;
	const struct ppccompat_pvr_variant *v = find_variant(raw_pvr, &g);

	return v ? v->name : NULL;
}

uint32_t ppccompat_modes_from_kvm_caps(uint64_t caps)
{
	uint32_t modes = 0;

	for (size_t i = 0; i < PC_ARRAY_SIZE(generations); i++) {
		if (generations[i].kvm_cap_bit & caps)
			modes |= PPCCOMPAT_MODE_BIT(generations[i].mode);
	}
	return modes;
}

uint64_t ppccompat_kvm_caps_from_modes(uint32_t modes)
{
	uint64_t caps = 0;

	for (size_t i = 0; i < PC_ARRAY_SIZE(generations); i++) {
		if (modes & PPCCOMPAT_MODE_BIT(generations[i].mode))
			caps |= generations[i].kvm_cap_bit;
	}
	return caps;
}

uint32_t ppccompat_modes_cumulative(enum ppccompat_mode effective)
{
	const struct ppccompat_generation *top = ppccompat_generation(effective);
	uint32_t modes = 0;

	if (!top || !top->kvm_cap_bit)
		return 0;
	for (size_t i = 0; i < PC_ARRAY_SIZE(generations); i++) {
		if (generations[i].mode <= effective && generations[i].kvm_cap_bit)
			modes |= PPCCOMPAT_MODE_BIT(generations[i].mode);
	}
	return modes;
}

enum ppccompat_mode ppccompat_highest_mode(uint32_t modes)
{
	for (size_t i = PC_ARRAY_SIZE(generations); i > 0; i--) {
		if (modes & PPCCOMPAT_MODE_BIT(generations[i - 1].mode))
			return generations[i - 1].mode;
	}
	return PPCCOMPAT_MODE_NONE;
}

/*
 * 64-bit Book3S processors older than POWER6 or outside the server line, by
 * PVR version (Linux arch/powerpc/include/asm/reg.h PVR_NORTHSTAR,
 * PVR_PULSAR, PVR_ICESTAR, PVR_SSTAR: the RS64 line; PVR_POWER4, PVR_POWER4p,
 * PVR_970, PVR_POWER5, PVR_POWER5p, PVR_970FX, PVR_970MP, PVR_970GX, PVR_BE,
 * PVR_PA6T; POWER3 0x0040 "630" and 0x0041 "630+", as the kernel's cputable
 * named them until it dropped them). None has a compatibility mode KVM-HV
 * could give a guest.
 */
static const struct ppccompat_pvr_variant older_pvrs[] = {
	{ 0x0033, "RS64-II" },	{ 0x0034, "RS64-III" },	 { 0x0036, "RS64-III" },
	{ 0x0037, "RS64-IV" },	{ 0x0040, "POWER3" },	 { 0x0041, "POWER3+" },
	{ 0x0035, "POWER4" },	{ 0x0038, "POWER4+" },	 { 0x0039, "PPC970" },
	{ 0x003a, "POWER5" },	{ 0x003b, "POWER5+" },	 { 0x003c, "PPC970FX" },
	{ 0x0044, "PPC970MP" }, { 0x0045, "PPC970GX" }, { 0x0070, "Cell Broadband Engine" },
	{ 0x0090, "PA6T" },
};

const char *pc_older_pvr_name(uint32_t raw_pvr)
{
	uint16_t version = (uint16_t)(raw_pvr >> 16);

	for (size_t i = 0; i < PC_ARRAY_SIZE(older_pvrs); i++) {
		if (older_pvrs[i].version == version)
			return older_pvrs[i].name;
	}
	return NULL;
}

bool pc_logical_pvr_before_power6(uint32_t pvr)
{
	/* PVR_ARCH_204 (0x0f000001, the POWER5+ mode) is the only older one PAPR defines */
	return pvr == 0x0f000001;
}
