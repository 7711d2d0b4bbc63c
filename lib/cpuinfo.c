// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * /proc/cpuinfo. On powerpc the kernel prints, per thread, "processor",
 * "cpu" (cputable's cpu_name, e.g. "POWER10 (architected), altivec
 * supported", "POWER9 (raw), ...", or the dt-cpu-ftrs form "POWER9, ...")
 * and "revision" ("2.0 (pvr 0080 0200)"), then once "platform" ("pSeries",
 * "PowerNV"), "model", "machine" and, on ISA 3.0 kernels, "MMU" ("Radix" or
 * "Hash") (arch/powerpc/kernel/setup-common.c, cputable/cpu_specs_book3s_64.h,
 * platforms/{pseries,powernv}/setup.c). Captures made by other tools may lack
 * the trailer or hold placeholders ("unknown"): those fields stay empty and the
 * probe takes them from the next source.
 */
#include <string.h>

#include "internal.h"

void pc_cpuinfo_init(struct pc_cpuinfo *ci, const char *path)
{
	memset(ci, 0, sizeof(*ci));
	ci->path = path;
	ci->cpu_mode = PPCCOMPAT_MODE_NONE;
	ci->cpu_qualifier = PC_CPU_PLAIN;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static bool key_is(const char *key, size_t key_len, const char *want)
{
	return strlen(want) == key_len && !memcmp(key, want, key_len);
}

static bool contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++) {
		if (!memcmp(s + i, needle, n))
			return true;
	}
	return false;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "xxxx yyyy)" after "(pvr ": exactly two groups of four hex digits. */
static bool parse_pvr_groups(const char *s, size_t len, uint32_t *pvr)
{
	uint32_t v = 0;

	if (len < 10 || s[4] != ' ' || s[9] != ')')
		return false;
	for (size_t i = 0; i < 9; i++) {
		int d;

		if (i == 4)
			continue;
		d = hex_digit(s[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*pvr = v;
	return true;
}

/*
 * Values some tools and kernels print where they have nothing: an absent
 * field, not a malformed one (the next source answers instead).
 */
static bool is_placeholder(const char *val, size_t len)
{
	static const char *const words[] = { "unknown", "-", "n/a", "none", "(null)" };

	if (len == 0)
		return true;
	for (size_t i = 0; i < PC_ARRAY_SIZE(words); i++) {
		if (strlen(words[i]) == len && !pc_strncasecmp(val, words[i], len))
			return true;
	}
	return false;
}

/* "processor : N": a decimal CPU number; anything else counts without a position. */
static void note_processor(struct pc_cpuinfo *ci, const char *val, size_t len)
{
	unsigned long n = 0;
	size_t i;

	ci->processors++;
	for (i = 0; i < len && i < 9 && val[i] >= '0' && val[i] <= '9'; i++)
		n = n * 10 + (unsigned long)(val[i] - '0');
	if (i > 0 && i == len)
		ci->thread_bits |= (unsigned int)(n & 7);
}

static void parse_mmu(struct pc_cpuinfo *ci, const char *val, size_t len)
{
	pc_strlcpy_n(ci->mmu_text, sizeof(ci->mmu_text), val, len);
	if (len == 5 && !memcmp(val, "Radix", 5))
		ci->mmu = PPCCOMPAT_MMU_RADIX;
	else if (len == 4 && !memcmp(val, "Hash", 4))
		ci->mmu = PPCCOMPAT_MMU_HASH;
}

/*
 * Every processor prints its own PVR (show_cpuinfo() reads each cpu's), so a
 * multi-chip machine may show several revisions of one processor; the
 * lowest is kept, since a DD level's limits bind the whole machine. The
 * version never differs: the kernel identifies one processor type
 * (identify_cpu() on the boot cpu) and names it on every "cpu" line, so
 * lines of two versions come from two machines.
 */
static int note_pvr(struct pc_cpuinfo *ci, uint32_t pvr, const char *val, size_t len,
		    unsigned int lineno, struct ppccompat_error *err)
{
	if (ci->has_pvr_revision && pvr >> 16 != ci->raw_pvr >> 16)
		return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, ci->path, "revision",
			       "line %u: pvr 0x%08x, but an earlier processor has 0x%08x: one "
			       "kernel shows one processor type",
			       lineno, pvr, ci->raw_pvr);
	if (ci->has_pvr_revision && pvr != ci->raw_pvr)
		ci->pvr_mixed = true;
	if (!ci->has_pvr_revision || pvr > ci->raw_pvr_max)
		ci->raw_pvr_max = pvr;
	if (!ci->has_pvr_revision || pvr < ci->raw_pvr) {
		ci->raw_pvr = pvr;
		pc_strlcpy_n(ci->revision, sizeof(ci->revision), val, len);
	}
	ci->has_pvr_revision = true;
	return 0;
}

static int parse_revision(struct pc_cpuinfo *ci, const char *val, size_t len,
			  unsigned int lineno, struct ppccompat_error *err)
{
	static const char marker[] = "(pvr ";
	uint32_t pvr;

	for (size_t i = 0; i + sizeof(marker) - 1 <= len; i++) {
		if (memcmp(val + i, marker, sizeof(marker) - 1))
			continue;
		i += sizeof(marker) - 1;
		if (!parse_pvr_groups(val + i, len - i, &pvr))
			return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, ci->path, "revision",
				       "line %u: expected \"(pvr xxxx xxxx)\"", lineno);
		return note_pvr(ci, pvr, val, len, lineno, err);
	}
	/* powerpc's show_cpuinfo() always ends the line with the PVR: this one is cut short */
	return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, ci->path, "revision",
		       "line %u: no \"(pvr xxxx xxxx)\"", lineno);
}

static void parse_cpu(struct pc_cpuinfo *ci, const char *val, size_t len)
{
	char name[32];
	size_t n = 0;

	while (n < len && val[n] != ' ' && val[n] != ',')
		n++;
	if (n < sizeof(name)) {
		memcpy(name, val, n);
		name[n] = '\0';
		if (ppccompat_mode_from_name(name, &ci->cpu_mode) < 0)
			ci->cpu_mode = PPCCOMPAT_MODE_NONE;
	}
	if (contains(val, len, "(architected)"))
		ci->cpu_qualifier = PC_CPU_ARCHITECTED;
	else if (contains(val, len, "(raw)"))
		ci->cpu_qualifier = PC_CPU_RAW;
}

/*
 * show_cpuinfo() prints each processor's keys once per processor section, and
 * the machine's (ppc_md.show_cpuinfo() and the MMU line) once in the file:
 * a key met twice there is two captures pasted together, and which of the
 * two holds cannot be told. Other architectures' keys are not tracked, bar
 * the per-section rule that holds everywhere.
 */
static const struct {
	const char *key;
	bool once_per_file;
} tracked_keys[] = {
	{ "processor", false }, { "cpu", false },     { "clock", false },    { "revision", false },
	{ "timebase", true },	{ "platform", true }, { "model", true },     { "machine", true },
	{ "firmware", true },	{ "MMU", true },
};

static int check_repeated_key(struct pc_cpuinfo *ci, const char *key, size_t key_len,
			      unsigned int lineno, struct ppccompat_error *err)
{
	char field[16];

	_Static_assert(PC_ARRAY_SIZE(tracked_keys) == PC_ARRAY_SIZE(ci->key_line),
		       "one line number per tracked key");
	if (key_is(key, key_len, "processor")) {
		/* a new processor section: its keys start afresh */
		for (size_t i = 0; i < PC_ARRAY_SIZE(tracked_keys); i++)
			if (!tracked_keys[i].once_per_file)
				ci->key_line[i] = 0;
	}
	for (size_t i = 0; i < PC_ARRAY_SIZE(tracked_keys); i++) {
		if (!key_is(key, key_len, tracked_keys[i].key))
			continue;
		if (tracked_keys[i].once_per_file && ci->foreign_arch)
			return 0;
		if (ci->key_line[i]) {
			pc_strlcpy(field, tracked_keys[i].key, sizeof(field));
			return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, ci->path, field,
				       "line %u repeats the key of line %u%s", lineno,
				       ci->key_line[i],
				       tracked_keys[i].once_per_file ? " (once per file)"
								     : " in one processor section");
		}
		ci->key_line[i] = lineno;
		return 0;
	}
	return 0;
}

/* A blank line ends a processor section. */
static void end_section(struct pc_cpuinfo *ci)
{
	for (size_t i = 0; i < PC_ARRAY_SIZE(tracked_keys); i++)
		if (!tracked_keys[i].once_per_file)
			ci->key_line[i] = 0;
}

/*
 * The kernel writes whole lines (seq_printf() of "key\t: value\n" in
 * show_cpuinfo()), so a last line without its newline is where a capture
 * was cut: its text may be half a value ("POWER1" of "POWER10"), which
 * must not be read as one. Blanks alone there are only untidy.
 */
static int cut_line(const struct pc_cpuinfo *ci, const char *key, size_t key_len,
		    const char *line, size_t len, unsigned int lineno, struct ppccompat_error *err)
{
	char field[32] = "";

	trim(&line, &len);
	/* before any processor it is no cpuinfo at all: pc_cpuinfo_finish() says so */
	if (len == 0 || ci->processors == 0)
		return 0;
	if (key && key_len)
		pc_strlcpy_n(field, sizeof(field), key, key_len);
	return pc_fail(err, PPCCOMPAT_ERR_TRUNCATED, 0, ci->path, field[0] ? field : NULL,
		       "line %u is cut short: no newline at the end of the file, where the "
		       "kernel ends every line",
		       lineno);
}

int pc_cpuinfo_line(struct pc_cpuinfo *ci, const char *line, size_t len, unsigned int lineno,
		    bool terminated, struct ppccompat_error *err)
{
	const char *colon = memchr(line, ':', len);
	const char *key = line, *val;
	size_t key_len, val_len;
	int ret;

	if (memchr(line, '\0', len))
		return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, ci->path, NULL,
			       "line %u: NUL byte", lineno);
	key_len = colon ? (size_t)(colon - line) : 0;
	trim(&key, &key_len);
	if (!terminated)
		return cut_line(ci, colon ? key : NULL, key_len, line, len, lineno, err);
	if (!colon) {
		if (key_len == 0)
			end_section(ci);
		return 0;
	}
	val = colon + 1;
	val_len = len - (size_t)(colon - line) - 1;
	trim(&val, &val_len);
	ret = check_repeated_key(ci, key, key_len, lineno, err);
	if (ret < 0)
		return ret;

	if (key_is(key, key_len, "processor")) {
		note_processor(ci, val, val_len);
		return 0;
	}
	if (is_placeholder(val, val_len))
		return 0;
	if (key_is(key, key_len, "cpu")) {
		if (!ci->cpu_lines++) {
			pc_strlcpy_n(ci->cpu, sizeof(ci->cpu), val, val_len);
			ci->cpu_len = val_len;
			parse_cpu(ci, val, val_len);
		} else if (ci->cpu_len != val_len || memcmp(ci->cpu, val, strlen(ci->cpu))) {
			return pc_fail(err, PPCCOMPAT_ERR_INCONSISTENT, 0, ci->path, "cpu",
				       "line %u differs from the first cpu line", lineno);
		}
	} else if (key_is(key, key_len, "revision")) {
		return parse_revision(ci, val, val_len, lineno, err);
	} else if (key_is(key, key_len, "platform")) {
		pc_strlcpy_n(ci->platform, sizeof(ci->platform), val, val_len);
	} else if (key_is(key, key_len, "model")) {
		pc_strlcpy_n(ci->model, sizeof(ci->model), val, val_len);
	} else if (key_is(key, key_len, "machine")) {
		pc_strlcpy_n(ci->machine, sizeof(ci->machine), val, val_len);
	} else if (key_is(key, key_len, "MMU")) {
		parse_mmu(ci, val, val_len);
	} else if (key_is(key, key_len, "vendor_id") || key_is(key, key_len, "model name") ||
		   key_is(key, key_len, "CPU implementer") || key_is(key, key_len, "isa")) {
		/* x86 / s390, x86, arm64, riscv: powerpc prints none of these */
		ci->foreign_arch = true;
	}
	return 0;
}

int pc_cpuinfo_finish(const struct pc_cpuinfo *ci, struct ppccompat_error *err)
{
	if (ci->processors == 0)
		return pc_fail(err, PPCCOMPAT_ERR_MALFORMED, 0, ci->path, "processor",
			       "no processor entries");
	return 0;
}

int pc_cpuinfo_parse(struct pc_cpuinfo *ci, const char *buf, size_t len,
		     struct ppccompat_error *err)
{
	unsigned int lineno = 1;
	size_t start = 0;

	while (start < len) {
		const char *nl = memchr(buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - buf) : len;
		int ret;

		if (end - start > PPCCOMPAT_MAX_LINE)
			return pc_fail(err, PPCCOMPAT_ERR_TOO_BIG, 0, ci->path, NULL,
				       "line %u longer than %d bytes", lineno, PPCCOMPAT_MAX_LINE);
		ret = pc_cpuinfo_line(ci, buf + start, end - start, lineno, nl != NULL, err);
		if (ret < 0)
			return ret;
		start = end + 1;
		lineno++;
	}
	return pc_cpuinfo_finish(ci, err);
}

static int line_cb(void *ctx, const char *line, size_t len, unsigned int lineno,
		   bool terminated, struct ppccompat_error *err)
{
	return pc_cpuinfo_line(ctx, line, len, lineno, terminated, err);
}

int pc_cpuinfo_read(const struct pc_reader *r, struct pc_cpuinfo *ci,
		    struct ppccompat_error *err)
{
	char path[PPCCOMPAT_PATH_MAX];
	int ret = pc_full_path(r, "/proc/cpuinfo", path, err);

	if (ret < 0)
		return ret;
	pc_cpuinfo_init(ci, path);
	ret = pc_read_lines(r, "/proc/cpuinfo", PPCCOMPAT_MAX_CPUINFO_SIZE, line_cb, ci, err);
	if (ret == 0)
		ret = pc_cpuinfo_finish(ci, err);
	ci->path = NULL; /* path[] dies here */
	return ret;
}
