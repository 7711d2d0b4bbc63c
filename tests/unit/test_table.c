// SPDX-License-Identifier: GPL-2.0
/* The generation table and the pure functions over sets of modes. */
#include <string.h>

#include "internal.h"
#include "testutil.h"

static void table_is_ordered_and_complete(void)
{
	enum ppccompat_mode prev = PPCCOMPAT_MODE_NONE;

	for (int m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST; m++) {
		const struct ppccompat_generation *g = ppccompat_generation(m);

		if (!t_ok(g != NULL, "generation %d exists", m))
			continue;
		t_ok(g->mode == (enum ppccompat_mode)m && g->mode > prev, "%s is in order", g->name);
		t_ok(g->hw_modes & PPCCOMPAT_MODE_BIT(m), "%s hardware runs its own mode", g->name);
		t_ok(!(g->hw_modes & ~((PPCCOMPAT_MODE_BIT(m) << 1) - 1)),
		     "%s hardware runs no newer mode", g->name);
		t_ok(g->n_logical_pvrs >= 1 && g->logical_pvrs[0] == g->logical_pvr,
		     "%s lists its logical PVR first", g->name);
		t_ok(g->n_pvr_variants >= 1 && g->n_pvr_variants <= PPCCOMPAT_MAX_PVR_VARIANTS,
		     "%s has raw PVR variants", g->name);
		/* QEMU cpu_init.c pcr_supported: every server from POWER7 on has PCR_COMPAT_2_05 */
		t_ok(g->hw_modes & PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER6),
		     "%s hardware runs the POWER6 mode", g->name);
		prev = g->mode;
	}
	t_ok(ppccompat_generation(PPCCOMPAT_MODE_NONE) == NULL, "no generation for NONE");
	t_ok(ppccompat_generation((enum ppccompat_mode)(PPCCOMPAT_MODE_LAST + 1)) == NULL,
	     "no generation past Power11");
	T_EQ_INT(PPCCOMPAT_MODE_FIRST, PPCCOMPAT_MODE_POWER6, "power6 is the oldest mode");
	T_EQ_INT(PPCCOMPAT_MODE_LAST, PPCCOMPAT_MODE_POWER11, "Power11 the newest");
	T_EQ_STR(ppccompat_mode_name(PPCCOMPAT_MODE_NONE), "none", "name of NONE");
}

static void facts(void)
{
	static const struct {
		enum ppccompat_mode mode;
		const char *name, *display, *isa, *libvirt;
		uint32_t logical;
		uint64_t cap;
	} want[] = {
		{ PPCCOMPAT_MODE_POWER6, "power6", "POWER6", "2.05", "POWER6", 0x0f000002, 0 },
		{ PPCCOMPAT_MODE_POWER7, "power7", "POWER7", "2.06", "POWER7", 0x0f000003, 0 },
		{ PPCCOMPAT_MODE_POWER8, "power8", "POWER8", "2.07", "POWER8", 0x0f000004, 0 },
		{ PPCCOMPAT_MODE_POWER9, "power9", "POWER9", "3.0", "POWER9", 0x0f000005,
		  1ULL << 62 },
		{ PPCCOMPAT_MODE_POWER10, "power10", "POWER10", "3.1", "POWER10", 0x0f000006,
		  1ULL << 61 },
		{ PPCCOMPAT_MODE_POWER11, "power11", "Power11", "3.1", "POWER11", 0x0f000007,
		  1ULL << 60 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ppccompat_generation *g = ppccompat_generation(want[i].mode);

		T_EQ_STR(g->name, want[i].name, "name");
		T_EQ_STR(g->display_name, want[i].display, "display name");
		T_EQ_STR(g->isa, want[i].isa, "ISA");
		T_EQ_STR(g->libvirt_model, want[i].libvirt, "libvirt model");
		T_EQ_STR(g->qemu_compat, want[i].name, "QEMU max-cpu-compat");
		T_EQ_U64(g->logical_pvr, want[i].logical, g->name);
		T_EQ_U64(g->kvm_cap_bit, want[i].cap, g->name);
	}
	t_ok(ppccompat_generation(PPCCOMPAT_MODE_POWER6)->qemu_cpu_model == NULL,
	     "QEMU has no POWER6 -cpu model");
}

static void pvr_lookup(void)
{
	static const struct {
		uint32_t pvr;
		enum ppccompat_mode mode;
		enum ppccompat_pvr_kind kind;
		const char *variant;
	} cases[] = {
		{ 0x003e0302, PPCCOMPAT_MODE_POWER6, PPCCOMPAT_PVR_RAW, "POWER6" },
		{ 0x003f0201, PPCCOMPAT_MODE_POWER7, PPCCOMPAT_PVR_RAW, "POWER7" },
		{ 0x004a0201, PPCCOMPAT_MODE_POWER7, PPCCOMPAT_PVR_RAW, "POWER7+" },
		{ 0x004b0201, PPCCOMPAT_MODE_POWER8, PPCCOMPAT_PVR_RAW, "POWER8E" },
		{ 0x004c0100, PPCCOMPAT_MODE_POWER8, PPCCOMPAT_PVR_RAW, "POWER8NVL" },
		{ 0x004d0200, PPCCOMPAT_MODE_POWER8, PPCCOMPAT_PVR_RAW, "POWER8" },
		{ 0x004e1202, PPCCOMPAT_MODE_POWER9, PPCCOMPAT_PVR_RAW, "POWER9" },
		{ 0x00801200, PPCCOMPAT_MODE_POWER10, PPCCOMPAT_PVR_RAW, "POWER10" },
		{ 0x00821200, PPCCOMPAT_MODE_POWER11, PPCCOMPAT_PVR_RAW, "Power11" },
		{ 0x0f000002, PPCCOMPAT_MODE_POWER6, PPCCOMPAT_PVR_LOGICAL, NULL },
		{ 0x0f000003, PPCCOMPAT_MODE_POWER7, PPCCOMPAT_PVR_LOGICAL, NULL },
		{ 0x0f100003, PPCCOMPAT_MODE_POWER7, PPCCOMPAT_PVR_LOGICAL, NULL },
		{ 0x0f000004, PPCCOMPAT_MODE_POWER8, PPCCOMPAT_PVR_LOGICAL, NULL },
		{ 0x0f000005, PPCCOMPAT_MODE_POWER9, PPCCOMPAT_PVR_LOGICAL, NULL },
		{ 0x0f000006, PPCCOMPAT_MODE_POWER10, PPCCOMPAT_PVR_LOGICAL, NULL },
		{ 0x0f000007, PPCCOMPAT_MODE_POWER11, PPCCOMPAT_PVR_LOGICAL, NULL },
	};
	static const uint32_t unknown[] = { 0,		0x003b0300, 0x0f000001, 0x0f000008,
					    0x00810000, 0xffffffff, 0x0000004e, 0x00080301 };
	enum ppccompat_pvr_kind kind;
	enum ppccompat_mode mode;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = ppccompat_mode_from_pvr(cases[i].pvr, &mode, &kind);

		t_ok(ret == 0 && mode == cases[i].mode && kind == cases[i].kind,
		     "pvr 0x%08x is %s (%s)", cases[i].pvr, ppccompat_mode_name(cases[i].mode),
		     cases[i].kind == PPCCOMPAT_PVR_RAW ? "raw" : "logical");
		if (cases[i].variant)
			T_EQ_STR(ppccompat_pvr_variant_name(cases[i].pvr), cases[i].variant,
				 "variant name");
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		T_EQ_INT(ppccompat_mode_from_pvr(unknown[i], &mode, NULL), PPCCOMPAT_ERR_UNKNOWN_PVR,
			 "unknown pvr");
	t_ok(ppccompat_pvr_variant_name(0x0f000006) == NULL, "logical PVRs have no variant");
	T_EQ_INT(ppccompat_mode_from_pvr(0x004e0000, NULL, NULL), PPCCOMPAT_ERR_BAD_ARG,
		 "NULL mode");
}

static void name_lookup(void)
{
	static const struct {
		const char *name;
		enum ppccompat_mode mode;
	} cases[] = {
		{ "power10", PPCCOMPAT_MODE_POWER10 },	{ "POWER10", PPCCOMPAT_MODE_POWER10 },
		{ "Power10", PPCCOMPAT_MODE_POWER10 },	{ "power11", PPCCOMPAT_MODE_POWER11 },
		{ "Power11", PPCCOMPAT_MODE_POWER11 },	{ "POWER11", PPCCOMPAT_MODE_POWER11 },
		{ "power7+", PPCCOMPAT_MODE_POWER7 },	{ "POWER8NVL", PPCCOMPAT_MODE_POWER8 },
		{ "power8e", PPCCOMPAT_MODE_POWER8 },	{ "power9", PPCCOMPAT_MODE_POWER9 },
		{ "power6", PPCCOMPAT_MODE_POWER6 },	{ "POWER6", PPCCOMPAT_MODE_POWER6 },
	};
	static const char *const unknown[] = { "", "power", "power12", "power5", "power10 ",
					       "x86", "power1", "ppc970" };
	enum ppccompat_mode mode;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		t_ok(ppccompat_mode_from_name(cases[i].name, &mode) == 0 && mode == cases[i].mode,
		     "\"%s\" names %s", cases[i].name, ppccompat_mode_name(cases[i].mode));
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		T_EQ_INT(ppccompat_mode_from_name(unknown[i], &mode), PPCCOMPAT_ERR_UNKNOWN_MODE,
			 unknown[i]);
	T_EQ_INT(ppccompat_mode_from_name(NULL, &mode), PPCCOMPAT_ERR_BAD_ARG, "NULL name");
}

static void mode_sets(void)
{
	const uint32_t p9 = PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER9);
	const uint32_t p10 = PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER10);
	const uint32_t p11 = PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER11);

	T_EQ_U64(ppccompat_modes_from_kvm_caps(0x7000000000000000ULL), p9 | p10 | p11, "all caps");
	T_EQ_U64(ppccompat_modes_from_kvm_caps(1ULL << 62), p9, "P9 cap");
	T_EQ_U64(ppccompat_modes_from_kvm_caps(1ULL << 61), p10, "P10 cap");
	T_EQ_U64(ppccompat_modes_from_kvm_caps(1ULL << 60), p11, "P11 cap");
	T_EQ_U64(ppccompat_modes_from_kvm_caps(~0x7000000000000000ULL), 0, "unknown bits ignored");
	T_EQ_U64(ppccompat_kvm_caps_from_modes(p9 | p10), 0x6000000000000000ULL, "P9|P10 bits");
	T_EQ_U64(ppccompat_kvm_caps_from_modes(PPCCOMPAT_MODES_ALL), PPCCOMPAT_KVM_COMPAT_BITMASK,
		 "P7/P8 have no bit");
	for (uint64_t caps = 0; caps < 8; caps++)
		T_EQ_U64(ppccompat_kvm_caps_from_modes(ppccompat_modes_from_kvm_caps(caps << 60)),
			 caps << 60, "bits round-trip");
	T_EQ_U64(ppccompat_modes_cumulative(PPCCOMPAT_MODE_POWER11), p9 | p10 | p11, "P11 cum.");
	T_EQ_U64(ppccompat_modes_cumulative(PPCCOMPAT_MODE_POWER10), p9 | p10, "P10 cumulative");
	T_EQ_U64(ppccompat_modes_cumulative(PPCCOMPAT_MODE_POWER9), p9, "P9 cumulative");
	T_EQ_U64(ppccompat_modes_cumulative(PPCCOMPAT_MODE_POWER8), 0, "P8: no nested HV");
	T_EQ_U64(ppccompat_modes_cumulative(PPCCOMPAT_MODE_NONE), 0, "NONE cumulative");
	T_EQ_INT(ppccompat_highest_mode(p9 | p10), PPCCOMPAT_MODE_POWER10, "highest of P9|P10");
	T_EQ_INT(ppccompat_highest_mode(0), PPCCOMPAT_MODE_NONE, "highest of nothing");
	T_EQ_INT(ppccompat_highest_mode(PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER7)),
		 PPCCOMPAT_MODE_POWER7, "highest of P7");
}

static void older_processors(void)
{
	/* reg.h: what pc_older_pvr_name() knows is no mode, and every generation is not older */
	static const uint32_t older[] = { 0x00350100, 0x00380100, 0x00390100, 0x003a0100,
					  0x003b0300, 0x003c0300, 0x00440100, 0x00450100,
					  0x00700500, 0x00900100, 0x00330000, 0x00340000,
					  0x00360000, 0x00370000, 0x00400104, 0x00410104 };
	enum ppccompat_mode mode;

	for (size_t i = 0; i < sizeof(older) / sizeof(older[0]); i++) {
		t_ok(pc_older_pvr_name(older[i]) != NULL, "pvr 0x%08x is an older PowerPC",
		     older[i]);
		T_EQ_INT(ppccompat_mode_from_pvr(older[i], &mode, NULL), PPCCOMPAT_ERR_UNKNOWN_PVR,
			 "and has no mode");
	}
	for (int m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST; m++) {
		const struct ppccompat_generation *g = ppccompat_generation(m);

		for (unsigned int v = 0; v < g->n_pvr_variants; v++)
			t_ok(!pc_older_pvr_name((uint32_t)g->pvr_variants[v].version << 16),
			     "%s is not older", g->pvr_variants[v].name);
	}
	t_ok(pc_older_pvr_name(0x00080301) == NULL, "32-bit PVRs are not in the 64-bit list");
	t_ok(pc_logical_pvr_before_power6(0x0f000001), "PVR_ARCH_204 is before POWER6");
	t_ok(!pc_logical_pvr_before_power6(0x0f000002), "PVR_ARCH_205 is POWER6");
}

static void names(void)
{
	unsigned int seen = 0;

	T_EQ_STR(ppccompat_evidence_name(PPCCOMPAT_EVIDENCE_STRONG), "strong", "evidence name");
	T_EQ_STR(ppccompat_evidence_name((enum ppccompat_evidence)9), "unknown", "bad evidence");
	T_EQ_STR(ppccompat_mmu_name(PPCCOMPAT_MMU_RADIX), "radix", "mmu name");
	T_EQ_STR(ppccompat_platform_name(PPCCOMPAT_PLATFORM_POWERPC_OTHER), "powerpc-other",
		 "platform name");
	for (unsigned int bit = 1; bit; bit <<= 1) {
		bool known = ppccompat_note_name(bit) != NULL;

		t_ok(known == (ppccompat_note_string(bit) != NULL), "note 0x%x: name and text", bit);
		if (known)
			seen |= bit;
	}
	T_EQ_U64(seen, PPCCOMPAT_NOTES_ALL, "every note bit has a name");
	for (int r = PPCCOMPAT_REASON_OK; r <= PPCCOMPAT_REASON_UNVERIFIED; r++)
		t_ok(strcmp(ppccompat_reason_string((enum ppccompat_reason)r), "unknown"),
		     "reason %d has a text", r);
}

static void errors(void)
{
	struct ppccompat_error err = { 0 };
	char line[256];
	int n;

	for (int code = 0; code >= PPCCOMPAT_ERR_NAME_TOO_LONG; code--)
		t_ok(strcmp(ppccompat_strerror(code), "unknown error") != 0,
		     "error %d has a text", code);
	T_EQ_STR(ppccompat_strerror(1), "unknown error", "positive code");
	T_EQ_STR(ppccompat_strerror(-1000), "unknown error", "unknown code");

	err.code = PPCCOMPAT_ERR_TRUNCATED;
	strcpy(err.path, "/x/cpu-version");
	strcpy(err.field, "cpu-version");
	strcpy(err.detail, "2 bytes, need 4");
	n = ppccompat_error_format(&err, line, sizeof(line));
	T_EQ_STR(line, "/x/cpu-version: cpu-version: truncated: 2 bytes, need 4", "formatted");
	T_EQ_INT(n, strlen(line), "length");
	err.sys_errno = 13;
	err.field[0] = err.detail[0] = '\0';
	err.code = PPCCOMPAT_ERR_IO;
	ppccompat_error_format(&err, line, sizeof(line));
	T_EQ_STR(line, "/x/cpu-version: cannot be read (Permission denied)", "with errno");
	n = ppccompat_error_format(&err, NULL, 0);
	T_EQ_INT(n, strlen(line), "size query");
	n = ppccompat_error_format(&err, line, 5);
	t_ok(n == (int)strlen("/x/cpu-version: cannot be read (Permission denied)") &&
		     !strcmp(line, "/x/c"),
	     "truncated output, full length returned");
	T_EQ_INT(ppccompat_error_format(NULL, line, sizeof(line)), PPCCOMPAT_ERR_BAD_ARG, "NULL");
	T_EQ_STR(ppccompat_version(), "0.1.0", "version");
}

int main(void)
{
	table_is_ordered_and_complete();
	facts();
	pvr_lookup();
	name_lookup();
	mode_sets();
	older_processors();
	names();
	errors();
	return t_done();
}
