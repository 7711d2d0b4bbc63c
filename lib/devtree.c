// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * /proc/device-tree: the cpus' cpu-version and the markers that tell which
 * hypervisor, if any, runs this kernel.
 *
 * cpu-version is one big-endian cell: the raw PVR, or the logical PVR of the
 * compatibility mode the partition was started in (PAPR; the kernel's
 * pseries code and QEMU's spapr_fixup_cpu_dt write it). The hypervisor
 * markers follow the kernel's own test in pseries_add_hw_description()
 * (arch/powerpc/platforms/pseries/setup.c): a /hypervisor node whose
 * compatible is "linux,kvm" (QEMU creates it only with KVM, hw/ppc/spapr.c),
 * else /ibm,powervm-partition (PAPR 2.11) or /ibm,fw-net-version (PowerVM
 * since POWER6). QEMU's root compatible is "qemu,pseries", OPAL's has
 * "ibm,powernv". Captures made by other tools hold parts of the tree: lscpu's
 * only the root properties it tests (util-linux lscpu-virt.c takes
 * /ibm,partition-name with /hmc-managed? and no /chosen/qemu,graphic-width as
 * PowerVM), topology tools only /cpus. Each part that is absent is left to
 * the next source; only a part that is present and malformed is an error.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define DT "/proc/device-tree"
#define NODE_NAME_MAX 256

int pc_cpu_version_decode(const void *buf, size_t len, uint32_t *value,
			  enum ppccompat_mode *mode, enum ppccompat_pvr_kind *kind,
			  const char *path, struct ppccompat_error *err)
{
	const unsigned char *b = buf;
	uint32_t v;

	if (len < 4)
		return pc_fail(err, PPCCOMPAT_ERR_TRUNCATED, 0, path, "cpu-version",
			       "%zu bytes, need 4", len);
	if (len > 4)
		return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, path, "cpu-version",
			       "%zu bytes, expected one 4-byte cell", len);
	v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	if (ppccompat_mode_from_pvr(v, mode, kind) < 0)
		return pc_fail(err, PPCCOMPAT_ERR_UNKNOWN_PVR, 0, path, "cpu-version",
			       "0x%08x is no POWER6..Power11 raw or logical PVR", v);
	*value = v;
	return 0;
}

bool pc_stringlist_has(const char *list, size_t len, const char *s)
{
	size_t want = strlen(s);
	size_t i = 0;

	while (i < len) {
		const char *end = memchr(list + i, '\0', len - i);
		size_t n = end ? (size_t)(end - (list + i)) : len - i;

		/* device-tree compatible matching is case-insensitive (of_compat_cmp) */
		if (n == want && !pc_strncasecmp(list + i, s, n))
			return true;
		i += n + 1;
	}
	return false;
}

/* An optional property: *present false (and no error) when it is absent. */
static int read_optional(const struct pc_reader *r, const char *rel, char *buf, size_t cap,
			 size_t *len, bool *present, struct ppccompat_error *err)
{
	int ret = pc_read_file(r, rel, buf, cap, len, err);

	*present = ret == 0;
	if (ret == PPCCOMPAT_ERR_NOT_FOUND) {
		pc_error_clear(err);
		*len = 0;
		return 0;
	}
	return ret;
}

/*
 * A string-list property as the flattened tree stores it: one or more
 * non-empty strings of printable characters, each ended by its NUL. Bytes
 * that are not one are damage in a file every real tree writes that way.
 */
static const char *stringlist_problem(const char *buf, size_t len)
{
	const char *why = NULL;

	if (len == 0)
		why = "empty, where a list of NUL-terminated strings belongs";
	else if (buf[len - 1] != '\0')
		why = "its last string has no terminating NUL";
	for (size_t i = 0; !why && i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\0' && (i == 0 || buf[i - 1] == '\0'))
			why = "an empty string in the list";
		else if (c != '\0' && (c < 0x20 || c > 0x7e))
			why = "a byte that is no printable character";
	}
	return why;
}

void pc_shown_bytes(char *dst, size_t size, const char *buf, size_t len)
{
	size_t used = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		char one[5];

		if (c == '\0')
			snprintf(one, sizeof(one), "\\0");
		else if (c == '\\')
			snprintf(one, sizeof(one), "\\\\");
		else if (c < 0x20 || c > 0x7e)
			snprintf(one, sizeof(one), "\\x%02x", c);
		else
			snprintf(one, sizeof(one), "%c", c);
		if (used + strlen(one) + 1 > size)
			break;
		memcpy(dst + used, one, strlen(one));
		used += strlen(one);
	}
	dst[used] = '\0';
}

static int check_stringlist(const struct pc_reader *r, const char *rel, const char *buf,
			    size_t len, struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	const char *why = stringlist_problem(buf, len);

	if (!why)
		return 0;
	if (pc_full_path(r, rel, path, err) < 0)
		path[0] = '\0';
	return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, path, "compatible", "%s", why);
}

bool pc_is_ibm_machine_type(const char *s)
{
	/* QEMU's "IBM pSeries (emulated by qemu)" has a space, not a comma */
	return !strncmp(s, "IBM,", 4) && s[4] != '\0';
}

struct cpu_scan {
	const struct pc_reader *r;
	unsigned int nodes;
	/* cpu nodes without cpu-version: fine when no node has one, else an error */
	unsigned int missing;
	bool missing_failed;
	char missing_name[NODE_NAME_MAX];
	struct ppccompat_error missing_failure;
	/* the first value no generation knows, in name order */
	bool unknown;
	char unknown_name[NODE_NAME_MAX];
	struct ppccompat_error unknown_failure;
	uint32_t min_value, max_value;
	char min_name[NODE_NAME_MAX], max_name[NODE_NAME_MAX];
	enum ppccompat_mode min_mode;
	enum ppccompat_pvr_kind min_kind;
	/* the first error in name order, so that the message does not depend on readdir */
	bool failed;
	char failed_name[NODE_NAME_MAX];
	struct ppccompat_error failure;
};

static bool name_before(const char *a, const char *b)
{
	return strcmp(a, b) < 0;
}

/* Keep the failure of the node first in name order, so messages do not depend on readdir. */
static void remember(bool *failed, char *failed_name, struct ppccompat_error *failure,
		     const char *name, const struct ppccompat_error *e)
{
	if (*failed && !name_before(name, failed_name))
		return;
	*failed = true;
	pc_strlcpy(failed_name, name, NODE_NAME_MAX);
	*failure = *e;
}

static void remember_failure(struct cpu_scan *scan, const char *name,
			     const struct ppccompat_error *e)
{
	remember(&scan->failed, scan->failed_name, &scan->failure, name, e);
}

static bool node_is_cpu(const struct pc_reader *r, const char *rel_dir,
			struct ppccompat_error *scratch)
{
	char rel[PPCCOMPAT_PATH_MAX];
	char type[64];
	size_t len;
	int n = snprintf(rel, sizeof(rel), "%s/device_type", rel_dir);

	if (n < 0 || (size_t)n >= sizeof(rel) ||
	    pc_read_file(r, rel, type, sizeof(type), &len, scratch) < 0)
		return false;
	return len >= 3 && !memcmp(type, "cpu", 3) && (len == 3 || type[3] == '\0');
}

static int scan_cpu_node(void *ctx, const char *name, struct ppccompat_error *unused)
{
	struct cpu_scan *scan = ctx;
	char rel_dir[NODE_NAME_MAX + 32], rel[NODE_NAME_MAX + 64], path[PPCCOMPAT_PATH_MAX];
	struct ppccompat_error e;
	unsigned char buf[64];
	enum ppccompat_pvr_kind kind;
	enum ppccompat_mode mode;
	uint32_t value;
	size_t len;
	int ret;

	(void)unused;
	/* NAME_MAX bounds name, so both fit; the checks keep that visible */
	if (strlen(name) >= NODE_NAME_MAX)
		return 0;
	ret = snprintf(rel_dir, sizeof(rel_dir), DT "/cpus/%s", name);
	if (ret < 0 || (size_t)ret >= sizeof(rel_dir))
		return 0;
	ret = snprintf(rel, sizeof(rel), "%s/cpu-version", rel_dir);
	if (ret < 0 || (size_t)ret >= sizeof(rel))
		return 0;
	ret = pc_read_file(scan->r, rel, buf, sizeof(buf), &len, &e);
	if (ret == PPCCOMPAT_ERR_NOT_FOUND) {
		/* caches and other children of /cpus carry no cpu-version */
		if (node_is_cpu(scan->r, rel_dir, &e)) {
			pc_full_path(scan->r, rel, path, &e);
			pc_fail(&e, PPCCOMPAT_ERR_NOT_FOUND, 0, path, "cpu-version",
				"cpu node without cpu-version, where others have one");
			scan->missing++;
			remember(&scan->missing_failed, scan->missing_name, &scan->missing_failure,
				 name, &e);
		}
		return 0;
	}
	if (ret == 0) {
		ret = pc_full_path(scan->r, rel, path, &e);
		if (ret == 0)
			ret = pc_cpu_version_decode(buf, len, &value, &mode, &kind, path, &e);
	}
	if (ret == PPCCOMPAT_ERR_UNKNOWN_PVR) {
		/* well-formed, only unknown here: compared across nodes like any value */
		remember(&scan->unknown, scan->unknown_name, &scan->unknown_failure, name, &e);
		value = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 |
			buf[3];
		mode = PPCCOMPAT_MODE_NONE;
		kind = (value >> 24) == 0x0f ? PPCCOMPAT_PVR_LOGICAL : PPCCOMPAT_PVR_RAW;
		ret = 0;
	}
	if (ret < 0) {
		remember_failure(scan, name, &e);
		return 0;
	}
	if (++scan->nodes > PPCCOMPAT_MAX_CPU_NODES) {
		if (pc_full_path(scan->r, DT "/cpus", path, &e) < 0)
			path[0] = '\0';
		return pc_fail(&scan->failure, PPCCOMPAT_ERR_TOO_BIG, 0, path, NULL,
			       "more than %d cpu nodes", PPCCOMPAT_MAX_CPU_NODES);
	}
	if (scan->nodes == 1 || value < scan->min_value ||
	    (value == scan->min_value && name_before(name, scan->min_name))) {
		scan->min_value = value;
		scan->min_mode = mode;
		scan->min_kind = kind;
		pc_strlcpy(scan->min_name, name, sizeof(scan->min_name));
	}
	if (scan->nodes == 1 || value > scan->max_value ||
	    (value == scan->max_value && name_before(name, scan->max_name))) {
		scan->max_value = value;
		pc_strlcpy(scan->max_name, name, sizeof(scan->max_name));
	}
	return 0;
}

static int read_cpus(const struct pc_reader *r, struct pc_devtree *dt,
		     struct ppccompat_error *err)
{
	struct cpu_scan scan;
	char path[PPCCOMPAT_PATH_MAX];
	int ret;

	memset(&scan, 0, sizeof(scan));
	scan.r = r;
	ret = pc_exists(r, DT "/cpus", err);
	if (ret <= 0)
		return ret;
	ret = pc_for_each_subdir(r, DT "/cpus", scan_cpu_node, &scan, err);
	if (ret == PPCCOMPAT_ERR_TOO_BIG) {
		if (err)
			*err = scan.failure;
		return ret;
	}
	if (ret < 0)
		return ret;
	if (scan.failed) {
		if (err)
			*err = scan.failure;
		return scan.failure.code;
	}
	/* no cpu-version anywhere (a tree without them): cpuinfo answers instead */
	if (scan.nodes == 0)
		return 0;
	if (scan.missing) {
		if (err)
			*err = scan.missing_failure;
		return scan.missing_failure.code;
	}
	/* a value no generation knows explains a disagreement better than the disagreement */
	if (scan.unknown && scan.min_value != scan.max_value) {
		if (err)
			*err = scan.unknown_failure;
		return scan.unknown_failure.code;
	}
	/*
	 * skiboot gives each cpu node its own chip's raw PVR, so a multi-chip
	 * machine may mix revisions (DD levels) of one processor: the lowest
	 * binds. Anything else (two versions, two logical PVRs, raw beside
	 * logical) is no one machine's tree.
	 */
	if (scan.min_value != scan.max_value && scan.min_value >> 24 != 0x0f &&
	    scan.max_value >> 24 != 0x0f && scan.min_value >> 16 == scan.max_value >> 16)
		dt->mixed_revisions = true;
	else if (scan.min_value != scan.max_value) {
		char rel[NODE_NAME_MAX + 64];
		int n = snprintf(rel, sizeof(rel), DT "/cpus/%s/cpu-version", scan.max_name);

		if (n < 0 || (size_t)n >= sizeof(rel) || pc_full_path(r, rel, path, err) < 0)
			path[0] = '\0';
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, path, "cpu-version",
			       "0x%08x, but %.64s has 0x%08x", scan.max_value, scan.min_name,
			       scan.min_value);
	}
	dt->cpu_version = scan.min_value;
	dt->cpu_version_max = scan.max_value;
	dt->cpu_mode = scan.min_mode;
	dt->cpu_kind = scan.min_kind;
	dt->cpu_nodes = scan.nodes;
	if (scan.unknown)
		dt->cpu_error = scan.unknown_failure;
	return 0;
}

static int read_powervm_markers(const struct pc_reader *r, struct pc_devtree *dt,
				struct ppccompat_error *err)
{
	static const char *const kernel_markers[] = { DT "/ibm,powervm-partition",
						      DT "/ibm,fw-net-version" };
	int name, hmc, qemu;

	for (size_t i = 0; i < PC_ARRAY_SIZE(kernel_markers); i++) {
		int ret = pc_exists(r, kernel_markers[i], err);

		if (ret != 0) {
			dt->powervm = ret == 1;
			return ret < 0 ? ret : 0;
		}
	}
	name = pc_exists(r, DT "/ibm,partition-name", err);
	if (name < 0)
		return name;
	hmc = name ? pc_exists(r, DT "/hmc-managed?", err) : 0;
	if (hmc < 0)
		return hmc;
	qemu = hmc ? pc_exists(r, DT "/chosen/qemu,graphic-width", err) : 1;
	if (qemu < 0)
		return qemu;
	dt->powervm = name && hmc && !qemu;
	return 0;
}

int pc_devtree_read(const struct pc_reader *r, struct pc_devtree *dt,
		    struct ppccompat_error *err)
{
	char buf[4096];
	size_t len;
	bool present;
	int ret;

	memset(dt, 0, sizeof(*dt));
	ret = pc_exists(r, DT, err);
	if (ret <= 0)
		return ret;
	dt->present = true;

	ret = read_optional(r, DT "/compatible", buf, sizeof(buf), &len, &dt->compatible_read,
			    err);
	if (ret < 0)
		return ret;
	if (dt->compatible_read) {
		ret = check_stringlist(r, DT "/compatible", buf, len, err);
		if (ret < 0)
			return ret;
	}
	dt->powernv = pc_stringlist_has(buf, len, "ibm,powernv");
	dt->qemu_pseries = pc_stringlist_has(buf, len, "qemu,pseries");
	if (!dt->powernv) {
		ret = read_optional(r, DT "/hypervisor/compatible", buf, sizeof(buf), &len,
				    &present, err);
		if (ret < 0)
			return ret;
		if (!present) {
			/* the node without its compatible still says "some hypervisor" */
			ret = pc_exists(r, DT "/hypervisor", err);
			if (ret < 0)
				return ret;
			present = ret == 1;
			len = 0;
		}
		/* "linux,kvm" without its NUL is no string QEMU wrote: not taken as KVM */
		dt->hypervisor_kvm = present && !stringlist_problem(buf, len) &&
				     pc_stringlist_has(buf, len, "linux,kvm");
		/*
		 * Present but not QEMU's: some other hypervisor, or damage. Either
		 * way the node says "not bare QEMU", so it is neither KVM nor TCG.
		 */
		dt->hypervisor_unknown = present && !dt->hypervisor_kvm;
		if (dt->hypervisor_unknown)
			pc_shown_bytes(dt->hypervisor_compatible, sizeof(dt->hypervisor_compatible),
				    buf, len);
	}
	if (!dt->powernv && !dt->hypervisor_kvm && !dt->qemu_pseries) {
		ret = read_powervm_markers(r, dt, err);
		if (ret < 0)
			return ret;
		ret = read_optional(r, DT "/model", buf, sizeof(buf) - 1, &len, &present, err);
		if (ret < 0)
			return ret;
		buf[len] = '\0';
		dt->ibm_model = present && pc_is_ibm_machine_type(buf);
	}
	return read_cpus(r, dt, err);
}
