// SPDX-License-Identifier: GPL-2.0
#include "vmm_config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Which QEMU and libvirt releases accept each mode name. QEMU is what refuses
 * a name it does not know (max-cpu-compat goes through compat_table in
 * target/ppc/compat.c); libvirt checks the <model> of a ppc64 host-model CPU
 * itself first (ppc64CheckCompatibilityMode() in src/cpu/cpu_ppc64.c).
 * Keyed by name so that a mode this table predates simply has no row.
 *
 * QEMU, checked at the source:
 *  - max-cpu-compat itself: commit 7843c0d60db6 "pseries: Move CPU
 *    compatibility property to machine" (the 2.10 cycle, 2017), which also
 *    turned the older -cpu ...,compat= into this property. Every name below
 *    therefore needs 2.10 at least.
 *  - power6, power7, power8: in compat_table from the start; "compat" CPU
 *    option commit 8dfa3a5e85 names exactly these three.
 *  - power9: the ppc-for-2.9 pull ("Basic POWER9 compatibility mode
 *    handling", 2017-03-03), so present in 2.10.
 *  - power10: "target/ppc: Add POWER10 DD1.0 model information" adds the
 *    compat_table row (PULL 61/88, 2019-12-17, applied to ppc-for-5.0): 5.0.
 *  - power11: commit c0d964076c3e "target/ppc: Add Power11 DD2.0 processor"
 *    adds the row, in "[PULL 00/67] ppc-for-9.2-1 queue" (2024-11-04): 9.2.
 *
 * libvirt checks the <model> of a ppc64 host-model CPU before QEMU sees
 * it: ppc64CheckCompatibilityMode() in src/cpu/cpu_ppc64.c parses "power"
 * and a number and refuses anything outside 6..10 ("compat < 6 || compat >
 * 10", "Unknown compatibility mode"), so power7+ and power11 are refused.
 * power6..power8 since host-model compat support (commit addce06c9221,
 * 2014); the release that first took power9 and power10 was not
 * established. libvirt's cpu_map gained a POWER11 *host* model
 * (src/cpu_map/ppc64_POWER11.xml, PVR 0x00820000 mask 0xffff0000, commit
 * e17aa7408ca8), which names the host processor but adds no compatibility
 * mode. The newest cpu_ppc64.c we could read (positional "%1$s" messages,
 * so libvirt 9.x or later) still has the 6..10 bound, and its host check is
 * the same 6..10, so where libvirt names the host POWER11 it would refuse
 * every <model>; NEWS.rst v11.7.0 to v12.5.0 (2026-07-01) announces no
 * change. So power11 is refused by every release we know of.
 */
static const struct {
	const char *name;
	struct vmm_version qemu_first;
	bool libvirt_accepts;
} vmm_versions[] = {
	{ "power6", { 2, 10 }, true },
	{ "power7", { 2, 10 }, true },
	/* POWER7+ (ISA 2.06+, logical PVR 0x0f100003): its own compat_table row in QEMU */
	{ "power7+", { 2, 10 }, false },
	{ "power8", { 2, 10 }, true },
	{ "power9", { 2, 10 }, true },
	{ "power10", { 5, 0 }, true },
	{ "power11", { 9, 2 }, false },
};

const char *vmm_compat_name(enum ppccompat_mode mode, const char *spelled)
{
	const struct ppccompat_generation *gen = ppccompat_generation(mode);

	if (!gen || !gen->qemu_compat)
		return NULL;
	/* keep the name the user gave where QEMU has a row of its own for it */
	for (size_t i = 0; spelled && i < sizeof(vmm_versions) / sizeof(vmm_versions[0]); i++) {
		enum ppccompat_mode m;

		if (!strcasecmp(spelled, vmm_versions[i].name) &&
		    ppccompat_mode_from_name(vmm_versions[i].name, &m) == 0 && m == mode)
			return vmm_versions[i].name;
	}
	return gen->qemu_compat;
}

static int fits(int n, size_t size)
{
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int vmm_qemu_machine(const char *compat, char *buf, size_t size)
{
	if (!compat)
		return -1;
	return fits(snprintf(buf, size, "max-cpu-compat=%s", compat), size);
}

int vmm_libvirt_cpu(const char *compat, bool one_line, char *buf, size_t size)
{
	/* libvirt passes the <model> of a ppc64 host-model CPU to max-cpu-compat. */
	if (!compat)
		return -1;
	return fits(snprintf(buf, size, "<cpu mode='host-model'>%s<model>%s</model>%s</cpu>%s",
			     one_line ? "" : "\n  ", compat, one_line ? "" : "\n",
			     one_line ? "" : "\n"),
		    size);
}

static int version_row(const char *compat)
{
	for (size_t i = 0; compat && i < sizeof(vmm_versions) / sizeof(vmm_versions[0]); i++) {
		if (!strcmp(vmm_versions[i].name, compat))
			return (int)i;
	}
	return -1;
}

bool vmm_qemu_first_accepting(const char *compat, struct vmm_version *first)
{
	int row = version_row(compat);

	if (row < 0)
		return false;
	*first = vmm_versions[row].qemu_first;
	return true;
}

bool vmm_libvirt_accepts(const char *compat)
{
	int row = version_row(compat);

	return row >= 0 && vmm_versions[row].libvirt_accepts;
}

enum ppccompat_mode vmm_libvirt_highest(uint32_t modes)
{
	for (enum ppccompat_mode m = PPCCOMPAT_MODE_LAST; m >= PPCCOMPAT_MODE_FIRST; m--) {
		if ((modes & PPCCOMPAT_MODE_BIT(m)) &&
		    vmm_libvirt_accepts(vmm_compat_name(m, NULL)))
			return m;
	}
	return PPCCOMPAT_MODE_NONE;
}

/* A decimal number of at most 4 digits at *p; advances p. */
static bool number(const char **p, unsigned int *out)
{
	unsigned int n = 0, digits = 0;

	while (**p >= '0' && **p <= '9' && digits < 5) {
		n = n * 10 + (unsigned int)(**p - '0');
		(*p)++;
		digits++;
	}
	*out = n;
	return digits > 0 && digits <= 4;
}

/* "X.Y" or "X.Y.Z" at the start of text; *end after it. */
static bool version_at(const char *text, struct vmm_version *v, const char **end)
{
	const char *p = text;
	unsigned int micro;

	if (!number(&p, &v->major) || *p++ != '.' || !number(&p, &v->minor))
		return false;
	if (*p == '.') {
		p++;
		if (!number(&p, &micro))
			return false;
	}
	*end = p;
	return true;
}

bool vmm_version_parse(const char *text, struct vmm_version *v)
{
	const char *end;

	return version_at(text, v, &end) && *end == '\0';
}

bool vmm_qemu_version_from_text(const char *text, struct vmm_version *v)
{
	static const char marker[] = "QEMU emulator version ";
	const char *at = strstr(text, marker);
	const char *end;

	/* distributions append their own text after a space or '(' */
	return at && version_at(at + strlen(marker), v, &end) &&
	       (*end == '\0' || *end == ' ' || *end == '\n' || *end == '(' || *end == '-' ||
		*end == '+');
}

bool vmm_version_before(struct vmm_version a, struct vmm_version b)
{
	return a.major < b.major || (a.major == b.major && a.minor < b.minor);
}
