// SPDX-License-Identifier: GPL-2.0
/* The probe chain over sysroot trees built in a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "testutil.h"

#define BIT(m) PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_##m)

static const char *const powernv_compat[] = { "ibm,powernv", "ibm,p10-opal", NULL };
static const char *const qemu_compat[] = { "qemu,pseries", NULL };

static const struct t_host nv_power10 = {
	.cpu_name = "POWER10",
	.revision = "2.0 (pvr 0080 1200)",
	.platform = "PowerNV",
	.model = "IBM,9105-22A",
	.compatible = powernv_compat,
	.node_prefix = "PowerPC,POWER10",
	.cpu_nodes = 2,
	.cpu_version = 0x00801200,
};

static void expect_host(const struct t_host *desc, const char *what,
			enum ppccompat_platform platform, enum ppccompat_mode effective,
			bool architected, uint32_t raw_pvr, enum ppccompat_source raw_source,
			enum ppccompat_nested_api api, uint32_t allowed,
			enum ppccompat_source allowed_source, enum ppccompat_mode recommended)
{
	char *root = t_tree_new();
	struct ppccompat_error err;
	struct ppccompat_host h;
	int ret;

	t_build_host(root, desc);
	ret = t_probe(root, &h, &err);
	t_ok(ret == 0, "%s: probe succeeds (%s)", what, ret ? t_error_line(&err) : "");
	T_EQ_STR(ppccompat_platform_name(h.platform), ppccompat_platform_name(platform),
		 "platform");
	T_EQ_STR(ppccompat_mode_name(h.effective_mode), ppccompat_mode_name(effective),
		 "effective mode");
	T_EQ_INT(h.effective_mode_source, PPCCOMPAT_SOURCE_DEVTREE, "effective mode source");
	T_EQ_INT(h.architected, architected, "architected");
	T_EQ_U64(h.cpu_version, desc->cpu_version, "cpu-version");
	T_EQ_INT(h.cpu_nodes, desc->cpu_nodes, "cpu nodes");
	T_EQ_U64(h.raw_pvr, raw_pvr, "raw PVR");
	T_EQ_STR(ppccompat_source_name(h.raw_pvr_source), ppccompat_source_name(raw_source),
		 "raw PVR source");
	T_EQ_STR(ppccompat_nested_api_name(h.nested_api), ppccompat_nested_api_name(api),
		 "nested API");
	T_EQ_U64(h.allowed_modes, allowed, "allowed modes");
	T_EQ_STR(ppccompat_source_name(h.allowed_source), ppccompat_source_name(allowed_source),
		 "allowed source");
	T_EQ_STR(ppccompat_mode_name(h.recommended_mode), ppccompat_mode_name(recommended),
		 "recommended");
	T_EQ_INT(h.kvm.status, PPCCOMPAT_KVM_NOT_PROBED, "KVM not touched under a sysroot");
	t_tree_free(root);
}

static void hosts(void)
{
	struct t_host d;

	expect_host(&t_p11_lpar_in_p10, "Power11 LPAR in Power10 mode",
		    PPCCOMPAT_PLATFORM_PSERIES_POWERVM, PPCCOMPAT_MODE_POWER10, true, 0x00821200,
		    PPCCOMPAT_SOURCE_CPUINFO, PPCCOMPAT_NESTED_V2, BIT(POWER9) | BIT(POWER10),
		    PPCCOMPAT_SOURCE_DEVTREE, PPCCOMPAT_MODE_POWER10);

	d = t_p11_lpar_in_p10;
	d.cpu_name = "Power11 (raw)";
	d.cpu_version = 0x00821200;
	d.os_release = "7.2.12+bpo-powerpc64le\n";
	expect_host(&d, "Power11 LPAR, raw, Linux 7.2", PPCCOMPAT_PLATFORM_PSERIES_POWERVM,
		    PPCCOMPAT_MODE_POWER11, false, 0x00821200, PPCCOMPAT_SOURCE_DEVTREE,
		    PPCCOMPAT_NESTED_V2, BIT(POWER9) | BIT(POWER10) | BIT(POWER11),
		    PPCCOMPAT_SOURCE_DEVTREE, PPCCOMPAT_MODE_POWER11);

	d = t_p11_lpar_in_p10;
	d.cpu_name = "POWER9 (architected)";
	d.revision = "2.0 (pvr 0080 0200)";
	d.node_prefix = "PowerPC,POWER10";
	d.cpu_version = 0x0f000005;
	expect_host(&d, "POWER10 LPAR in POWER9 mode", PPCCOMPAT_PLATFORM_PSERIES_POWERVM,
		    PPCCOMPAT_MODE_POWER9, true, 0x00800200, PPCCOMPAT_SOURCE_CPUINFO,
		    PPCCOMPAT_NESTED_V2, BIT(POWER9), PPCCOMPAT_SOURCE_DEVTREE,
		    PPCCOMPAT_MODE_POWER9);

	expect_host(&nv_power10, "bare-metal POWER10", PPCCOMPAT_PLATFORM_POWERNV,
		    PPCCOMPAT_MODE_POWER10,
		    false, 0x00801200, PPCCOMPAT_SOURCE_DEVTREE, PPCCOMPAT_NESTED_NONE,
		    BIT(POWER6) | BIT(POWER7) | BIT(POWER8) | BIT(POWER9) | BIT(POWER10),
		    PPCCOMPAT_SOURCE_TABLE, PPCCOMPAT_MODE_POWER10);

	d = (struct t_host){
		.cpu_name = "POWER9 (architected)",
		.revision = "2.0 (pvr 0080 1200)",
		.platform = "pSeries",
		.model = "IBM pSeries (emulated by qemu)",
		.compatible = qemu_compat,
		.hypervisor = "linux,kvm",
		.node_prefix = "PowerPC,POWER10",
		.cpu_nodes = 2,
		.cpu_version = 0x0f000005,
	};
	expect_host(&d, "KVM L1 in POWER9 mode", PPCCOMPAT_PLATFORM_PSERIES_KVM,
		    PPCCOMPAT_MODE_POWER9, true, 0x00801200, PPCCOMPAT_SOURCE_CPUINFO,
		    PPCCOMPAT_NESTED_V1, BIT(POWER9), PPCCOMPAT_SOURCE_DEVTREE,
		    PPCCOMPAT_MODE_POWER9);

	d.hypervisor = NULL;
	d.cpu_name = "Power11 (raw)";
	d.revision = "2.0 (pvr 0082 1200)";
	d.node_prefix = "PowerPC,POWER11";
	d.cpu_version = 0x00821200;
	expect_host(&d, "QEMU TCG L1, Power11 raw", PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG,
		    PPCCOMPAT_MODE_POWER11, false, 0x00821200, PPCCOMPAT_SOURCE_DEVTREE,
		    PPCCOMPAT_NESTED_UNKNOWN, BIT(POWER9) | BIT(POWER10) | BIT(POWER11),
		    PPCCOMPAT_SOURCE_DEVTREE, PPCCOMPAT_MODE_POWER11);

	d.cpu_name = "POWER8 (architected)";
	d.cpu_version = 0x0f000004;
	expect_host(&d, "QEMU TCG L1 in POWER8 mode", PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG,
		    PPCCOMPAT_MODE_POWER8, true, 0x00821200, PPCCOMPAT_SOURCE_CPUINFO,
		    PPCCOMPAT_NESTED_UNKNOWN, 0, PPCCOMPAT_SOURCE_DEVTREE, PPCCOMPAT_MODE_NONE);
}

static void x86_host(void)
{
	char *root = t_tree_new();
	struct ppccompat_error err;
	struct ppccompat_host h;
	enum ppccompat_reason why;

	t_write_str(root, "/proc/cpuinfo",
		    "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7763\n\n");
	t_ok(t_probe(root, &h, &err) == 0, "x86: probe succeeds");
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_NOT_POWER, "x86: not POWER");
	T_EQ_INT(h.platform_source, PPCCOMPAT_SOURCE_CPUINFO, "x86: from cpuinfo");
	T_EQ_INT(h.nested_api, PPCCOMPAT_NESTED_NONE, "x86: no nested API");
	T_EQ_U64(h.allowed_modes, 0, "x86: nothing allowed");
	T_EQ_INT(ppccompat_can_run(&h, PPCCOMPAT_MODE_POWER9, &why), 0, "x86: cannot run P9");
	T_EQ_INT(why, PPCCOMPAT_REASON_NOT_POWER, "x86: because it is not POWER");
	t_tree_free(root);
}

static void cpuinfo_fallback(void)
{
	char *root = t_tree_new();
	struct ppccompat_error err;
	struct ppccompat_host h;

	t_write_cpuinfo(root, 4, "POWER10 (architected)", "2.0 (pvr 0082 0200)", "pSeries",
			"IBM,9080-HEX", "CHRP IBM,9080-HEX");
	t_ok(t_probe(root, &h, &err) == 0, "no device tree: probe falls back to cpuinfo (%s)",
	     t_error_line(&err));
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_PSERIES_POWERVM, "PowerVM from the model line");
	T_EQ_INT(h.platform_source, PPCCOMPAT_SOURCE_CPUINFO, "platform from cpuinfo");
	T_EQ_INT(h.effective_mode, PPCCOMPAT_MODE_POWER10, "effective mode from cpuinfo");
	T_EQ_INT(h.effective_mode_source, PPCCOMPAT_SOURCE_CPUINFO, "effective mode source");
	T_EQ_INT(h.processor, PPCCOMPAT_MODE_POWER11, "processor from the revision line");
	T_EQ_U64(h.allowed_modes, BIT(POWER9) | BIT(POWER10), "allowed");
	T_EQ_INT(h.allowed_source, PPCCOMPAT_SOURCE_CPUINFO, "allowed source");
	T_EQ_STR(h.cpuinfo_model, "IBM,9080-HEX", "model kept for display");

	t_write_cpuinfo(root, 1, "PPC970MP", "1.1 (pvr 0044 0101)", "pSeries", "x", "CHRP x");
	T_EQ_INT(t_probe(root, &h, &err), 0, "a PPC970 is a report, not an error");
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_POWERPC_OTHER, "PPC970: not a POWER6+ server");

	t_write_cpuinfo(root, 1, "Power12 (raw)", "1.0 (pvr 0083 0100)", "pSeries", "x",
			"CHRP x");
	T_EQ_INT(t_probe(root, &h, &err), PPCCOMPAT_ERR_UNKNOWN_PVR,
		 "an unknown PVR on a server platform may be a newer POWER: an error");
	t_ok(t_contains(err.path, "/proc/cpuinfo") && t_streq(err.field, "revision"),
	     "names cpuinfo's revision: %s", t_error_line(&err));
	t_tree_free(root);
}

/* A device tree without hypervisor markers leaves the platform to cpuinfo. */
static void platform_from_cpuinfo(void)
{
	struct t_host d = t_p11_lpar_in_p10;
	char *root = t_tree_new();
	struct ppccompat_error err;
	struct ppccompat_host h;

	d.compatible = NULL;
	d.powervm_markers = false;
	d.model = "Emulated pSeries";
	t_build_host(root, &d);
	t_ok(t_probe(root, &h, &err) == 0, "unmarked pseries probes");
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_PSERIES_OTHER, "pseries, hypervisor unknown");
	T_EQ_INT(h.platform_source, PPCCOMPAT_SOURCE_CPUINFO, "from the platform line");
	T_EQ_INT(h.nested_api, PPCCOMPAT_NESTED_UNKNOWN, "nested API unknown");
	T_EQ_INT(h.nested_api_certainty, PPCCOMPAT_CERTAINTY_NONE, "and said so");
	T_EQ_U64(h.allowed_modes, 0, "a hypervisor the files do not show grants nothing known");
	t_ok(h.notes & PPCCOMPAT_NOTE_UNVERIFIED, "and the note says so");
	t_tree_free(root);

	/* the same model rule as the device tree's: an IBM machine type is PowerVM */
	root = t_tree_new();
	d.model = "IBM,9080-HEU";
	t_build_host(root, &d);
	t_ok(t_probe(root, &h, &err) == 0, "IBM machine type in cpuinfo probes");
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_PSERIES_POWERVM, "cpuinfo model IBM,: PowerVM");
	T_EQ_INT(h.platform_source, PPCCOMPAT_SOURCE_CPUINFO, "from cpuinfo");
	T_EQ_U64(h.allowed_modes, BIT(POWER9) | BIT(POWER10), "allowed as with the markers");
	t_tree_free(root);

	root = t_tree_new();
	d.platform = "PowerNV";
	d.cpu_name = "Power11";
	d.cpu_version = 0x00821200;
	t_build_host(root, &d);
	t_ok(t_probe(root, &h, &err) == 0, "unmarked PowerNV probes");
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_POWERNV, "PowerNV from cpuinfo");
	T_EQ_U64(h.allowed_modes, PPCCOMPAT_MODES_ALL, "bare-metal Power11 runs every mode");
	d.platform = "pSeries";
	t_tree_free(root);

	root = t_tree_new();
	d.platform = "Cell";
	t_build_host(root, &d);
	t_ok(t_probe(root, &h, &err) == 0, "unknown platform line probes");
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_UNKNOWN, "platform unknown");
	T_EQ_INT(h.platform_source, PPCCOMPAT_SOURCE_NONE, "from nowhere");
	T_EQ_U64(h.allowed_modes, 0, "nothing allowed on an unknown platform");
	t_tree_free(root);

	root = t_tree_new();
	t_write_cpuinfo(root, 2, "POWER9 (raw)", "2.2 (pvr 004e 1202)", "PowerNV", "9006-22P",
			"PowerNV 9006-22P");
	t_ok(t_probe(root, &h, &err) == 0, "PowerNV without a device tree");
	T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_POWERNV, "PowerNV");
	T_EQ_INT(h.effective_mode, PPCCOMPAT_MODE_POWER9, "raw mode from the PVR");
	T_EQ_INT(h.architected, false, "not architected");
	T_EQ_U64(h.allowed_modes, BIT(POWER6) | BIT(POWER7) | BIT(POWER8) | BIT(POWER9),
		 "from the table");

	t_write_cpuinfo(root, 2, "POWER12 (architected)", "2.0 (pvr 0082 1200)", "pSeries", "m",
			"CHRP m");
	T_EQ_INT(t_probe(root, &h, &err), PPCCOMPAT_ERR_UNKNOWN_MODE, "unknown architected name");
	T_EQ_STR(err.field, "cpu", "names the cpu field");

	t_write_cpuinfo(root, 2, "POWER12 (architected)", "2.0 (pvr 0082 1200)", "Cell", "m", "m");
	T_EQ_INT(t_probe(root, &h, &err), PPCCOMPAT_ERR_UNKNOWN_MODE, "no platform either");
	t_tree_free(root);
}

static void expect_error(const char *what, void (*damage)(const char *root), int code,
			 const char *path_suffix, const char *field)
{
	char *root = t_tree_new();
	char want_path[4200];
	struct ppccompat_error err;
	struct ppccompat_host h;
	int ret;

	t_build_host(root, &t_p11_lpar_in_p10);
	damage(root);
	ret = t_probe(root, &h, &err);
	snprintf(want_path, sizeof(want_path), "%s%s", root, path_suffix);
	t_ok(ret == code, "%s: %s (%s)", what, ppccompat_strerror(code), t_error_line(&err));
	T_EQ_INT(err.code, code, "err->code");
	T_EQ_STR(err.path, want_path, "error names the file");
	T_EQ_STR(err.field, field, "error names the field");
	t_tree_free(root);
}

#define CPU0 "/proc/device-tree/cpus/PowerPC,POWER11@0"
#define CPU8 "/proc/device-tree/cpus/PowerPC,POWER11@8"
#define CPU16 "/proc/device-tree/cpus/PowerPC,POWER11@16"

static void no_cpuinfo(const char *root)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/proc/cpuinfo", root);
	remove(path);
}

static void truncate_cpu8(const char *root)
{
	t_write(root, CPU8 "/cpu-version", "\x0f\x00", 2);
}

static void truncate_two(const char *root)
{
	t_write(root, CPU16 "/cpu-version", "\x0f", 1);
	t_write(root, CPU8 "/cpu-version", "", 0);
}

static void garbage_cpu0(const char *root)
{
	t_write_cell(root, CPU0 "/cpu-version", 0xdeadbeef);
}

static void long_cpu0(const char *root)
{
	t_write(root, CPU0 "/cpu-version", "\x0f\x00\x00\x06\x0f\x00\x00\x06", 8);
}

static void mixed_cpus(const char *root)
{
	t_write_cell(root, CPU16 "/cpu-version", 0x0f000007);
}

static void cpu_without_version(const char *root)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s" CPU8 "/cpu-version", root);
	remove(path);
}

static void no_cpus(const char *root)
{
	char path[4200];

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/proc/device-tree/cpus/PowerPC,POWER11@%d/cpu-version",
			 root, i * 8);
		remove(path);
		snprintf(path, sizeof(path), "%s/proc/device-tree/cpus/PowerPC,POWER11@%d/device_type",
			 root, i * 8);
		remove(path);
	}
}

static void cpu_versions_only_gone(const char *root)
{
	char path[4200];

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s" "/proc/device-tree/cpus/PowerPC,POWER11@%d/cpu-version",
			 root, i * 8);
		remove(path);
	}
}

static void cpus_gone(const char *root)
{
	static const char *const rels[] = { "l2-cache@2010/device_type", "l2-cache@2010" };
	char path[4200];

	no_cpus(root);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/proc/device-tree/cpus/PowerPC,POWER11@%d", root,
			 i * 8);
		t_ok(remove(path) == 0, "rmdir %s", path);
	}
	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		snprintf(path, sizeof(path), "%s/proc/device-tree/cpus/%s", root, rels[i]);
		t_ok(remove(path) == 0, "remove %s", path);
	}
	snprintf(path, sizeof(path), "%s/proc/device-tree/cpus", root);
	t_ok(remove(path) == 0, "rmdir /cpus");
}

static void cpuinfo_disagrees(const char *root)
{
	t_write_cpuinfo(root, 2, "POWER9 (architected)", "2.0 (pvr 0082 1200)", "pSeries", "m",
			"CHRP m");
}

static void directory_as_file(const char *root)
{
	no_cpus(root);
	t_mkdir(root, CPU0 "/cpu-version");
	{
		const char *cpu[] = { "cpu", NULL };

		t_write_strings(root, CPU0 "/device_type", cpu);
	}
}

static void processor_older_than_mode(const char *root)
{
	t_write_cpuinfo(root, 2, "POWER10 (architected)", "2.2 (pvr 004e 1202)", "pSeries", "m",
			"CHRP m");
}

static void long_cpuinfo_line(const char *root)
{
	char text[PPCCOMPAT_MAX_LINE + 64];
	int n = snprintf(text, sizeof(text), "processor\t: 0\nmodel\t\t: ");

	memset(text + n, 'x', sizeof(text) - (size_t)n - 2);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	t_write_str(root, "/proc/cpuinfo", text);
}

/* two processor versions (POWER10 and Power11): no one machine shows both */
static void raw_pvrs_differ(const char *root)
{
	t_write_cell(root, CPU0 "/cpu-version", 0x00821200);
	t_write_cell(root, CPU8 "/cpu-version", 0x00821200);
	t_write_cell(root, CPU16 "/cpu-version", 0x00821200);
	t_write_cpuinfo(root, 2, "Power11 (raw)", "2.0 (pvr 0080 1200)", "pSeries", "m", "CHRP m");
}

static void cpuinfo_raw_devtree_logical(const char *root)
{
	t_write_cpuinfo(root, 2, "Power11 (raw)", "2.0 (pvr 0082 1200)", "pSeries", "m", "CHRP m");
}

static void errors(void)
{
	expect_error("missing cpuinfo", no_cpuinfo, PPCCOMPAT_ERR_NOT_FOUND, "/proc/cpuinfo", "");
	expect_error("truncated cpu-version", truncate_cpu8, PPCCOMPAT_ERR_TRUNCATED,
		     CPU8 "/cpu-version", "cpu-version");
	expect_error("two bad nodes: the first in name order is named", truncate_two,
		     PPCCOMPAT_ERR_TRUNCATED, CPU16 "/cpu-version", "cpu-version");
	expect_error("garbage cpu-version", garbage_cpu0, PPCCOMPAT_ERR_UNKNOWN_PVR,
		     CPU0 "/cpu-version", "cpu-version");
	expect_error("8-byte cpu-version", long_cpu0, PPCCOMPAT_ERR_MALFORMED,
		     CPU0 "/cpu-version", "cpu-version");
	expect_error("cpus disagree", mixed_cpus, PPCCOMPAT_ERR_INCONSISTENT,
		     CPU16 "/cpu-version", "cpu-version");
	expect_error("cpu node without cpu-version", cpu_without_version, PPCCOMPAT_ERR_NOT_FOUND,
		     CPU8 "/cpu-version", "cpu-version");
	expect_error("cpuinfo contradicts the device tree", cpuinfo_disagrees,
		     PPCCOMPAT_ERR_INCONSISTENT, "/proc/cpuinfo", "cpu");
	expect_error("cpu-version is a directory", directory_as_file, PPCCOMPAT_ERR_MALFORMED,
		     CPU0 "/cpu-version", "");
	expect_error("raw PVRs differ", raw_pvrs_differ, PPCCOMPAT_ERR_INCONSISTENT,
		     "/proc/cpuinfo", "revision");
	expect_error("cpuinfo raw, device tree logical", cpuinfo_raw_devtree_logical,
		     PPCCOMPAT_ERR_INCONSISTENT, "/proc/cpuinfo", "cpu");
	expect_error("cpuinfo line over the bound", long_cpuinfo_line, PPCCOMPAT_ERR_TOO_BIG,
		     "/proc/cpuinfo", "");
	expect_error("POWER9 processor in POWER10 mode", processor_older_than_mode,
		     PPCCOMPAT_ERR_INCONSISTENT, "/proc/cpuinfo", "revision");
}

/*
 * Bare metal shows raw PVRs only: a PowerNV tree with a logical PVR would
 * report a power9 effective mode and recommend its POWER10's own modes.
 */
static void powernv_logical_pvr(void)
{
	struct t_host nv = nv_power10;
	char *root = t_tree_new();
	char want[4200];
	struct ppccompat_error err;
	struct ppccompat_host h;
	int ret;

	nv.cpu_version = 0x0f000005;
	t_build_host(root, &nv);
	ret = t_probe(root, &h, &err);
	snprintf(want, sizeof(want), "%s/proc/device-tree/cpus", root);
	t_ok(ret == PPCCOMPAT_ERR_INCONSISTENT && !strcmp(err.path, want) &&
	     !strcmp(err.field, "cpu-version") && t_contains(err.detail, "raw PVR"),
	     "PowerNV with a logical cpu-version is refused, not answered (%s)",
	     t_error_line(&err));
	t_tree_free(root);

	/* the same contradiction from cpuinfo alone: an "(architected)" PowerNV */
	ret = t_probe_cpuinfo("processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\n"
			      "revision\t: 2.0 (pvr 0080 1200)\n\nplatform\t: PowerNV\n",
			      &h, &err);
	t_ok(ret == PPCCOMPAT_ERR_INCONSISTENT && !strcmp(err.field, "cpu") &&
	     t_contains(err.path, "/proc/cpuinfo"),
	     "PowerNV whose cpuinfo names an architected mode is refused (%s)", t_error_line(&err));
}

/*
 * A Power11 partition in Power11 mode gets Power11 guests from PowerVM only
 * if its kernel asked for them (nested API v2): Linux 7.2 does, 6.12 never.
 * Without the ioctl, only the release can tell, and only in its favour.
 */
static void power11_needs_a_kernel_that_asks(void)
{
	static const struct {
		const char *release; /* NULL: no osrelease in the tree */
		bool power11;
	} cases[] = {
		{ "6.12.117-powerpc64le\n", false }, { "6.1.0-31-powerpc64le\n", false },
		{ "7.1.9\n", false },		    { NULL, false },
		{ "7.2.12+bpo-powerpc64le\n", true }, { "7.3.4-powerpc64le\n", true },
		{ "7.10.1\n", true },		    { "8.0.0-rc1\n", true },
		{ "10.0.0\n", true },		    { "7.3.0-rc2\n", true },
		{ "7.2.12+deb13-powerpc64le\n", true }, { "6.1.0-28-powerpc64le\n", false },
		{ "7.2\n", true },		    { "0.99.1\n", false },
		{ "7.2.0\r\n", true }, /* CRLF, as cpuinfo takes it */
		{ "5.14.0-427.13.1.el9_4.ppc64le\n", false },
	};
	struct t_host d = t_p11_lpar_in_p10;

	d.cpu_name = "Power11 (architected)";
	d.cpu_version = 0x0f000007;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;
		enum ppccompat_reason why = PPCCOMPAT_REASON_OK;
		int ret;

		d.os_release = cases[i].release;
		t_build_host(root, &d);
		ret = t_probe(root, &h, &err);
		t_ok(ret == 0 &&
		     !!(h.allowed_modes & BIT(POWER11)) == cases[i].power11 &&
		     (h.allowed_modes & BIT(POWER10)) &&
		     !!(h.notes & PPCCOMPAT_NOTE_POWER11_UNCONFIRMED) == !cases[i].power11 &&
		     h.recommended_mode ==
			     (cases[i].power11 ? PPCCOMPAT_MODE_POWER11 : PPCCOMPAT_MODE_POWER10),
		     "Power11 LPAR, kernel %.*s: power11 %s (%s)",
		     cases[i].release ? (int)strcspn(cases[i].release, "\n") : 7,
		     cases[i].release ? cases[i].release : "unknown",
		     cases[i].power11 ? "allowed" : "left out", t_error_line(&err));
		if (!cases[i].power11) {
			t_ok(ppccompat_can_run(&h, PPCCOMPAT_MODE_POWER11, &why) == 0 &&
			     why == PPCCOMPAT_REASON_POWER11_UNCONFIRMED,
			     "... check power11 gives that reason");
		}
		t_tree_free(root);
	}

	/* a Power11 partition in Power10 mode never asks for Power11 guests at all */
	{
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;

		t_build_host(root, &t_p11_lpar_in_p10);
		t_ok(t_probe(root, &h, &err) == 0 &&
		     !(h.notes & PPCCOMPAT_NOTE_POWER11_UNCONFIRMED),
		     "Power10 mode: no note about power11");
		t_tree_free(root);
	}
	/*
	 * What no uname -r prints: a second line (another file's tail), digits
	 * run on or padded, a number past any release. Each is named, never
	 * read as 7.2 (power11) or as an old kernel.
	 */
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "linux-next\n", "\"linux-next\": no number" },
		{ "7.2.0\nextra\n", "\"7.2.0\\x0aextra\": a second line" },
		{ "7.2.0\n\n", "a second line" },
		{ "07.02\n", "\"07.02\": a leading zero" },
		{ "7.02.1\n", "a leading zero" },
		{ "7.2foo\n", "no '.', '-' or '+' after the patchlevel" },
		{ "7x2\n", "no '.' after the version" },
		{ "99999999999999999999.1\n", "a number too large" },
		{ "7.256.0\n", "a number too large" },
		{ "1000.0\n", "a number too large" },
		{ "7.2.0 \n", "no printable character" },
		{ "7.\n", "no number" },
		{ "\n", "\"\": no number" },
		{ "", "cut short" },
		{ "7.2", "\"7.2\": no newline at the end: cut short" },
		{ "7.2-\x01\n", "\"7.2-\\x01\": a space or a byte" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;
		int ret;

		d.os_release = bad[i].text;
		t_build_host(root, &d);
		ret = t_probe(root, &h, &err);
		t_ok((ret == PPCCOMPAT_ERR_MALFORMED || ret == PPCCOMPAT_ERR_TRUNCATED) &&
		     !strcmp(err.field, "osrelease") &&
		     t_contains(err.path, "/proc/sys/kernel/osrelease") &&
		     t_contains(t_error_line(&err), bad[i].says),
		     "osrelease \"%.*s\" is no release, named with why (%s)",
		     (int)strcspn(bad[i].text, "\n\x01"), bad[i].text, t_error_line(&err));
		t_tree_free(root);
	}
}

/*
 * A multi-chip machine may mix revisions (DD levels) of one processor, in
 * cpuinfo's revision lines and in the raw cpu-version of each node: the
 * lowest binds (POWER9 DD2.1 beside DD2.2 runs no HPT guests with a radix
 * host), and a note says so. Two processor versions are no one machine.
 */
static void mixed_revisions(void)
{
	static const char dd21_dd22[] =
		"processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		"revision\t: 2.2 (pvr 004e 1202)\n\n"
		"processor\t: 4\ncpu\t\t: POWER9, altivec supported\n"
		"revision\t: 2.1 (pvr 004e 1201)\n\n"
		"processor\t: 8\ncpu\t\t: POWER9, altivec supported\n"
		"revision\t: 2.2 (pvr 004e 1202)\n\n"
		"timebase\t: 512000000\nplatform\t: PowerNV\nmodel\t\t: 8335-GTW\n"
		"machine\t\t: PowerNV 8335-GTW\nfirmware\t: OPAL\nMMU\t\t: Radix\n";
	static const char p9_p10[] =
		"processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		"revision\t: 2.2 (pvr 004e 1202)\n\n"
		"processor\t: 4\ncpu\t\t: POWER9, altivec supported\n"
		"revision\t: 2.0 (pvr 0080 1200)\n\n"
		"platform\t: PowerNV\n";
	static const char *const nv[] = { "ibm,powernv", NULL };
	const uint32_t both[] = { 0x004e1201, 0x004e1202 };
	struct ppccompat_error err;
	struct ppccompat_host h;
	char *root = t_tree_new();
	int ret;

	t_write_str(root, "/proc/cpuinfo", dd21_dd22);
	ret = t_probe(root, &h, &err);
	t_ok(ret == 0 && h.raw_pvr == 0x004e1201 && (h.notes & PPCCOMPAT_NOTE_MIXED_REVISIONS) &&
	     (h.notes & PPCCOMPAT_NOTE_NO_HPT) &&
	     h.allowed_modes == PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER9) &&
	     !strcmp(h.cpuinfo_revision, "2.1 (pvr 004e 1201)"),
	     "cpuinfo with DD2.1 beside DD2.2: the lowest binds, said in a note (%s, 0x%08x)",
	     ret ? t_error_line(&err) : "probed", h.raw_pvr);

	/* the same machine's device tree: each node its own chip's raw PVR */
	t_write_strings(root, "/proc/device-tree/compatible", nv);
	for (unsigned int i = 0; i < 4; i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "/proc/device-tree/cpus/PowerPC,POWER9@%u/cpu-version",
			 i * 4);
		t_write_cell(root, rel, both[i % 2 ? 0 : 1]);
	}
	ret = t_probe(root, &h, &err);
	t_ok(ret == 0 && h.raw_pvr == 0x004e1201 && h.cpu_version == 0x004e1201 &&
	     h.raw_pvr_source == PPCCOMPAT_SOURCE_DEVTREE &&
	     (h.notes & PPCCOMPAT_NOTE_MIXED_REVISIONS) && (h.notes & PPCCOMPAT_NOTE_NO_HPT),
	     "cpu nodes with DD2.1 and DD2.2: the lowest binds (%s)",
	     ret ? t_error_line(&err) : "probed");

	/* cpuinfo shows online cpus only: its one revision beside the tree's two */
	t_write_str(root, "/proc/cpuinfo",
		    "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		    "revision\t: 2.2 (pvr 004e 1202)\n\nplatform\t: PowerNV\nMMU\t\t: Radix\n");
	ret = t_probe(root, &h, &err);
	t_ok(ret == 0 && h.raw_pvr == 0x004e1201 && (h.notes & PPCCOMPAT_NOTE_MIXED_REVISIONS),
	     "a revision only the device tree shows still binds (%s)",
	     ret ? t_error_line(&err) : "probed");

	/*
	 * Only the tree's range is checked, as ppccompat(1) says: a revision
	 * inside it that no node has passes, and the lowest node still binds.
	 */
	t_write_cell(root, "/proc/device-tree/cpus/PowerPC,POWER9@0/cpu-version", 0x004e1203);
	t_write_cell(root, "/proc/device-tree/cpus/PowerPC,POWER9@8/cpu-version", 0x004e1203);
	ret = t_probe(root, &h, &err);
	t_ok(ret == 0 && h.raw_pvr == 0x004e1201 && (h.notes & PPCCOMPAT_NOTE_MIXED_REVISIONS),
	     "cpuinfo 0x004e1202 inside the nodes' 0x004e1201..0x004e1203: range only (%s)",
	     ret ? t_error_line(&err) : "probed");
	t_write_cell(root, "/proc/device-tree/cpus/PowerPC,POWER9@0/cpu-version", 0x004e1202);
	t_write_cell(root, "/proc/device-tree/cpus/PowerPC,POWER9@8/cpu-version", 0x004e1202);

	/*
	 * A revision no cpu node has: cpuinfo and the tree come from two hosts
	 * (the tree has a node for every cpu cpuinfo lists). Below the tree's
	 * range, above it, and beside a tree of one revision.
	 */
	{
		static const char *const revs[] = { "2.0 (pvr 004e 1200)", "2.3 (pvr 004e 1203)" };

		for (size_t i = 0; i < 2; i++) {
			char text[512];

			snprintf(text, sizeof(text),
				 "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
				 "revision\t: %s\n\nprocessor\t: 4\ncpu\t\t: POWER9, altivec "
				 "supported\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
				 "platform\t: PowerNV\n",
				 revs[i]);
			t_write_str(root, "/proc/cpuinfo", text);
			ret = t_probe(root, &h, &err);
			t_ok(ret == PPCCOMPAT_ERR_INCONSISTENT && !strcmp(err.field, "revision") &&
			     t_contains(err.path, "/proc/cpuinfo") &&
			     t_contains(err.detail, "/proc/device-tree/cpus"),
			     "cpuinfo revision %s, no cpu node's: named with both files (%s)",
			     revs[i], t_error_line(&err));
		}
		for (unsigned int i = 0; i < 4; i++) {
			char rel[128];

			snprintf(rel, sizeof(rel),
				 "/proc/device-tree/cpus/PowerPC,POWER9@%u/cpu-version", i * 4);
			t_write_cell(root, rel, 0x004e1202);
		}
		t_write_str(root, "/proc/cpuinfo",
			    "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
			    "revision\t: 2.1 (pvr 004e 1201)\n\nplatform\t: PowerNV\n");
		ret = t_probe(root, &h, &err);
		t_ok(ret == PPCCOMPAT_ERR_INCONSISTENT && t_contains(err.path, "/proc/cpuinfo") &&
		     t_contains(err.detail, "0x004e1201") &&
		     t_contains(err.detail, "/proc/device-tree/cpus"),
		     "cpuinfo DD2.1 beside a tree all DD2.2 (mixdd3): two hosts, named (%s)",
		     t_error_line(&err));
	}
	t_tree_free(root);

	ret = t_probe_cpuinfo(p9_p10, &h, &err);
	t_ok(ret == PPCCOMPAT_ERR_INCONSISTENT && !strcmp(err.field, "revision") &&
	     t_contains(err.detail, "line 7"),
	     "a POWER9 and a POWER10 revision line: two machines, named (%s)", t_error_line(&err));
}

/*
 * cpuinfo's platform line comes from the machine description the kernel
 * probed from the same tree: a PowerNV line beside a PowerVM tree (or the
 * reverse) is two hosts' files; a key twice where the kernel prints it once
 * is two captures pasted together. Each is named.
 */
static void contradicting_cpuinfo(void)
{
	static const struct {
		const char *what, *text, *field, *detail;
		bool powernv_tree;
	} cases[] = {
		{ "PowerNV line beside a PowerVM tree",
		  "processor\t: 0\ncpu\t\t: POWER10 (architected), altivec supported\n"
		  "revision\t: 2.0 (pvr 0082 1200)\n\nplatform\t: PowerNV\n",
		  "platform", "/proc/device-tree", false },
		{ "pSeries line beside an OPAL tree",
		  "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		  "revision\t: 2.2 (pvr 004e 1202)\n\nplatform\t: pSeries\n",
		  "platform", "/proc/device-tree", true },
		{ "two platform lines",
		  "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		  "revision\t: 2.2 (pvr 004e 1202)\n\nplatform\t: PowerNV\n"
		  "platform\t: PowerNV\n",
		  "platform", "line 6", true },
		{ "two trailers, each with its platform line",
		  "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		  "revision\t: 2.2 (pvr 004e 1202)\n\nplatform\t: PowerNV\n\n"
		  "platform\t: PowerNV\n",
		  "platform", "line 7", true },
		{ "a revision line twice in one processor",
		  "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		  "revision\t: 2.2 (pvr 004e 1202)\nrevision\t: 2.2 (pvr 004e 1202)\n\n"
		  "platform\t: PowerNV\n",
		  "revision", "line 4", true },
	};
	static const char *const nv[] = { "ibm,powernv", NULL };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;
		int ret;

		if (cases[i].powernv_tree) {
			t_write_strings(root, "/proc/device-tree/compatible", nv);
			t_write_cell(root, "/proc/device-tree/cpus/PowerPC,POWER9@0/cpu-version",
				     0x004e1202);
		} else {
			t_build_host(root, &t_p11_lpar_in_p10);
		}
		t_write_str(root, "/proc/cpuinfo", cases[i].text);
		ret = t_probe(root, &h, &err);
		t_ok(ret == PPCCOMPAT_ERR_INCONSISTENT && !strcmp(err.field, cases[i].field) &&
		     t_contains(err.path, "/proc/cpuinfo") &&
		     t_contains(err.detail, cases[i].detail),
		     "%s: an error naming %s (%s)", cases[i].what, cases[i].detail,
		     t_error_line(&err));
		t_tree_free(root);
	}
}

/*
 * The kernel shows every device-tree node as a directory: a cpu node that is
 * a symbolic link (inside the tree or out of it) is named, never skipped
 * into a count of fewer cpus, never followed.
 */
static void symlinked_cpu_node(void)
{
	static const char *const targets[] = { "PowerPC,POWER11@0", "/etc", "/nonexistent" };

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char *root = t_tree_new();
		char path[PPCCOMPAT_PATH_MAX];
		struct ppccompat_error err;
		struct ppccompat_host h;
		int ret;

		t_build_host(root, &t_p11_lpar_in_p10);
		snprintf(path, sizeof(path), "%s/proc/device-tree/cpus/PowerPC,POWER11@40", root);
		if (symlink(targets[i], path) < 0) {
			perror(path);
			exit(1);
		}
		ret = t_probe(root, &h, &err);
		t_ok(ret == PPCCOMPAT_ERR_MALFORMED && t_contains(err.path, "PowerPC,POWER11@40"),
		     "a cpu node that is a link to %s: named (%s)", targets[i], t_error_line(&err));
		t_tree_free(root);
	}
}

/*
 * A guest in a mode older than POWER9 runs no KVM guests (nested KVM-HV
 * needs ISA 3.0): the report says why its answer is empty, on PowerVM and
 * under KVM alike; in power9 mode it does not.
 */
static void old_mode_guest_says_why(void)
{
	static const char *const kvm_compat[] = { "qemu,pseries", NULL };
	static const struct {
		const char *what, *cpu_name;
		uint32_t cpu_version;
		bool kvm, note;
	} cases[] = {
		{ "POWER10 LPAR in POWER8 mode", "POWER8 (architected)", 0x0f000004, false, true },
		{ "POWER10 LPAR in POWER7 mode", "POWER7 (architected)", 0x0f000003, false, true },
		{ "KVM L1 in POWER8 mode", "POWER8 (architected)", 0x0f000004, true, true },
		{ "KVM L1 in POWER9 mode", "POWER9 (architected)", 0x0f000005, true, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct t_host d = t_p11_lpar_in_p10;
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;
		enum ppccompat_reason why = PPCCOMPAT_REASON_OK;
		int ret;

		d.revision = "2.0 (pvr 0080 0200)";
		d.node_prefix = "PowerPC,POWER10";
		d.cpu_name = cases[i].cpu_name;
		d.cpu_version = cases[i].cpu_version;
		if (cases[i].kvm) {
			d.compatible = kvm_compat;
			d.powervm_markers = false;
			d.model = "IBM pSeries (emulated by qemu)";
		}
		t_build_host(root, &d);
		if (cases[i].kvm) {
			static const char *const kvm[] = { "linux,kvm", NULL };

			t_mkdir(root, "/proc/device-tree/hypervisor");
			t_write_strings(root, "/proc/device-tree/hypervisor/compatible", kvm);
		}
		ret = t_probe(root, &h, &err);
		t_ok(ret == 0 && !!(h.notes & PPCCOMPAT_NOTE_NO_NESTED) == cases[i].note &&
		     (!cases[i].note || h.allowed_modes == 0),
		     "%s: note no-nested %s (%s, notes 0x%x)", cases[i].what,
		     cases[i].note ? "given" : "absent", t_error_line(&err), h.notes);
		if (cases[i].note)
			t_ok(ppccompat_can_run(&h, h.effective_mode, &why) == 0 &&
			     why == PPCCOMPAT_REASON_NO_NESTED,
			     "... and check gives the reason no-nested");
		t_tree_free(root);
	}
}

/*
 * The root compatible is a list of NUL-terminated printable strings in every
 * real tree: anything else is damage, named, never ignored or half-read.
 */
static void malformed_root_compatible(void)
{
	static const struct {
		const char *what, *bytes;
		size_t len;
	} cases[] = {
		{ "binary garbage", "\xff\xfe\x01garbage", 10 },
		{ "ibm,powernv without its NUL", "ibm,powernv", 11 },
		{ "linux,kvm without its NUL", "linux,kvm", 9 },
		{ "qemu,pseries then no NUL", "qemu,pseries\0ibm", 16 },
		{ "an empty string", "\0ibm,powernv", 13 },
		{ "an empty property", "", 0 },
		{ "a control character", "ibm,power\nnv", 13 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct t_host d = t_p11_lpar_in_p10;
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;
		int ret;

		d.compatible = NULL;
		t_build_host(root, &d);
		t_write(root, "/proc/device-tree/compatible", cases[i].bytes, cases[i].len);
		ret = t_probe(root, &h, &err);
		t_ok(ret == PPCCOMPAT_ERR_MALFORMED && !strcmp(err.field, "compatible") &&
		     t_contains(err.path, "/proc/device-tree/compatible"),
		     "root compatible, %s: an error naming the file (%s)", cases[i].what,
		     t_error_line(&err));
		t_tree_free(root);
	}
}

/*
 * QEMU writes /hypervisor only under KVM, as "linux,kvm". Any other value,
 * or bytes that are no string list, is said in a note and never taken as the
 * TCG guest that a tree without the node would be.
 */
static void unknown_hypervisor(void)
{
	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
		const char *shown;
	} cases[] = {
		{ "another hypervisor's name", "xen,xen\0xen\0", 12, "xen,xen\\0xen\\0" },
		{ "no string list", "\x01\x02k\\\xffm", 6, "\\x01\\x02k\\\\\\xffm" },
		{ "an empty property", "", 0, "" },
		{ "no compatible at all", NULL, 0, "" },
		{ "linux,kvm without its NUL", "linux,kvm", 9, "linux,kvm" },
		{ "linux,kvm and an empty string", "linux,kvm\0\0", 11, "linux,kvm\\0\\0" },
		{ "a value longer than shown", "0123456789012345678901234567890123456789"
		  "012345678901234567890\x01\x02", 63,
		  "0123456789012345678901234567890123456789012345678901234567890" },
	};
	struct t_host d = {
		.cpu_name = "POWER10 (architected)",
		.revision = "2.0 (pvr 0082 1200)",
		.platform = "pSeries",
		.model = "IBM pSeries (emulated by qemu)",
		.compatible = qemu_compat,
		.node_prefix = "PowerPC,POWER11",
		.cpu_nodes = 1,
		.cpu_version = 0x0f000006,
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;
		int ret;

		t_build_host(root, &d);
		t_mkdir(root, "/proc/device-tree/hypervisor");
		if (cases[i].bytes)
			t_write(root, "/proc/device-tree/hypervisor/compatible", cases[i].bytes,
				cases[i].len);
		ret = t_probe(root, &h, &err);
		t_ok(ret == 0 && h.platform == PPCCOMPAT_PLATFORM_PSERIES_OTHER &&
		     (h.notes & PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR) &&
		     (h.notes & PPCCOMPAT_NOTE_UNVERIFIED) && h.allowed_modes == 0 &&
		     !strcmp(h.hypervisor_compatible, cases[i].shown),
		     "/hypervisor with %s: pseries-other, noted, nothing allowed (%s, \"%s\")",
		     cases[i].what, ret ? t_error_line(&err) : ppccompat_platform_name(h.platform),
		     h.hypervisor_compatible);
		t_tree_free(root);
	}
	{
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;

		d.hypervisor = "linux,kvm";
		t_build_host(root, &d);
		t_ok(t_probe(root, &h, &err) == 0 && h.platform == PPCCOMPAT_PLATFORM_PSERIES_KVM &&
		     !(h.notes & PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR) && !h.hypervisor_compatible[0],
		     "QEMU's own linux,kvm: no note");
		t_tree_free(root);
		/* the kernel matches compatible strings case-insensitively (of_compat_cmp) */
		root = t_tree_new();
		d.hypervisor = "Linux,KVM";
		t_build_host(root, &d);
		t_ok(t_probe(root, &h, &err) == 0 && h.platform == PPCCOMPAT_PLATFORM_PSERIES_KVM,
		     "Linux,KVM: taken as linux,kvm");
		t_tree_free(root);
	}
}

/* A /cpus without any cpu-version (or no /cpus) leaves the effective mode to cpuinfo. */
static void devtree_without_cpu_versions(void)
{
	void (*const damage[])(const char *) = { no_cpus, cpu_versions_only_gone, cpus_gone };
	const char *const what[] = { "no cpu node", "cpu nodes without cpu-version", "no /cpus" };

	for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		char *root = t_tree_new();
		struct ppccompat_error err;
		struct ppccompat_host h;

		t_build_host(root, &t_p11_lpar_in_p10);
		damage[i](root);
		t_ok(t_probe(root, &h, &err) == 0, "%s: falls back to cpuinfo (%s)", what[i],
		     t_error_line(&err));
		T_EQ_INT(h.effective_mode, PPCCOMPAT_MODE_POWER10, "effective mode from cpuinfo");
		T_EQ_INT(h.effective_mode_source, PPCCOMPAT_SOURCE_CPUINFO, "and says so");
		T_EQ_INT(h.platform, PPCCOMPAT_PLATFORM_PSERIES_POWERVM, "platform still PowerVM");
		T_EQ_INT(h.platform_source, PPCCOMPAT_SOURCE_DEVTREE, "from the device tree");
		T_EQ_U64(h.allowed_modes, BIT(POWER9) | BIT(POWER10), "the same modes");
		T_EQ_INT(h.cpu_nodes, 0, "no cpu-version read");
		t_tree_free(root);
	}
}

/* Lines cross the reader's 4 KiB chunks; a bad join would make cpu lines differ. */
static void many_threads(void)
{
	char *root = t_tree_new();
	struct ppccompat_error err;
	struct ppccompat_host h;

	t_build_host(root, &t_p11_lpar_in_p10);
	t_write_cpuinfo(root, 640, "POWER10 (architected)", "2.0 (pvr 0082 1200)", "pSeries",
			"IBM,9080-HEX", "CHRP IBM,9080-HEX");
	t_ok(t_probe(root, &h, &err) == 0, "640 threads of cpuinfo (%s)", t_error_line(&err));
	T_EQ_STR(h.cpuinfo_machine, "CHRP IBM,9080-HEX", "the summary after them");
	t_tree_free(root);
}

static void missing_sysroot(void)
{
	struct ppccompat_probe_opts opts = { .sysroot = "/nonexistent/ppccompat-sysroot" };
	struct ppccompat_error err;
	struct ppccompat_host h;

	T_EQ_INT(ppccompat_probe(&opts, &h, &err), PPCCOMPAT_ERR_NOT_FOUND, "missing sysroot");
	T_EQ_STR(err.path, "/nonexistent/ppccompat-sysroot", "names the sysroot");
	opts.flags = 0x80;
	T_EQ_INT(ppccompat_probe(&opts, &h, &err), PPCCOMPAT_ERR_BAD_ARG, "unknown flag");
	T_EQ_INT(ppccompat_probe(NULL, NULL, &err), PPCCOMPAT_ERR_BAD_ARG, "NULL host");
}

struct seen {
	char paths[32][256];
	int results[32];
	unsigned int n;
};

static void observe(void *ctx, const char *path, int result)
{
	struct seen *s = ctx;

	if (s->n < 32) {
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", path);
		s->results[s->n++] = result;
	}
}

static int seen_result(const struct seen *s, const char *path)
{
	for (unsigned int i = 0; i < s->n; i++) {
		if (!strcmp(s->paths[i], path))
			return s->results[i];
	}
	return 1;
}

static void observer(void)
{
	char *root = t_tree_new();
	char with_slash[4200];
	struct seen s = { .n = 0 };
	struct ppccompat_probe_opts opts = { .flags = PPCCOMPAT_PROBE_NO_KVM,
					     .observe = observe,
					     .observe_ctx = &s };
	struct ppccompat_error err;
	struct ppccompat_host h;

	t_build_host(root, &t_p11_lpar_in_p10);
	snprintf(with_slash, sizeof(with_slash), "%s/", root);
	opts.sysroot = with_slash;
	t_ok(ppccompat_probe(&opts, &h, &err) == 0, "sysroot with a trailing slash");
	T_EQ_INT(seen_result(&s, "/proc/cpuinfo"), 0, "cpuinfo observed");
	T_EQ_INT(seen_result(&s, "/proc/device-tree/compatible"), 0, "compatible observed");
	T_EQ_INT(seen_result(&s, CPU0 "/cpu-version"), 0, "cpu-version observed");
	T_EQ_INT(seen_result(&s, "/proc/device-tree/hypervisor/compatible"), -2,
		 "absent /hypervisor observed as ENOENT");
	T_EQ_INT(seen_result(&s, "/proc/device-tree/cpus/l2-cache@2010/device_type"), 0,
		 "cache node's device_type observed");
	T_EQ_INT(seen_result(&s, CPU0 "/device_type"), 1, "cpu nodes' device_type not needed");
	t_tree_free(root);
}

int main(void)
{
	hosts();
	x86_host();
	cpuinfo_fallback();
	platform_from_cpuinfo();
	errors();
	powernv_logical_pvr();
	unknown_hypervisor();
	mixed_revisions();
	malformed_root_compatible();
	contradicting_cpuinfo();
	symlinked_cpu_node();
	old_mode_guest_says_why();
	power11_needs_a_kernel_that_asks();
	devtree_without_cpu_versions();
	many_threads();
	missing_sysroot();
	observer();
	return t_done();
}
