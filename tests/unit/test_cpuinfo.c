// SPDX-License-Identifier: GPL-2.0
/* The /proc/cpuinfo parser, on the forms the powerpc kernel prints and on junk. */
#include <string.h>

#include "internal.h"
#include "testutil.h"

static int parse(const char *text, struct pc_cpuinfo *ci, struct ppccompat_error *err)
{
	pc_cpuinfo_init(ci, "/proc/cpuinfo");
	return pc_cpuinfo_parse(ci, text, strlen(text), err);
}

static void power_forms(void)
{
	static const struct {
		const char *text;
		enum ppccompat_mode mode;
		int qualifier;
		uint32_t pvr;
		const char *platform;
	} cases[] = {
		{ "processor\t: 0\ncpu\t\t: POWER8E (raw), altivec supported\n"
		  "revision\t: 2.1 (pvr 004b 0201)\n\nplatform\t: PowerNV\n",
		  PPCCOMPAT_MODE_POWER8, PC_CPU_RAW, 0x004b0201, "PowerNV" },
		{ "processor\t: 0\ncpu\t\t: POWER8 (architected), altivec supported\n"
		  "revision\t: 2.2 (pvr 004e 1202)\n\nplatform\t: pSeries\n",
		  PPCCOMPAT_MODE_POWER8, PC_CPU_ARCHITECTED, 0x004e1202, "pSeries" },
		{ "processor\t: 0\ncpu\t\t: POWER9, altivec supported\n"
		  "revision\t: 2.3 (pvr 004e 1203)\n\nplatform\t: PowerNV\n",
		  PPCCOMPAT_MODE_POWER9, PC_CPU_PLAIN, 0x004e1203, "PowerNV" },
		{ "processor\t: 0\ncpu\t\t: POWER10 (raw), altivec supported\n"
		  "revision\t: 2.0 (pvr 0080 1200)\n\nplatform\t: pSeries\n",
		  PPCCOMPAT_MODE_POWER10, PC_CPU_RAW, 0x00801200, "pSeries" },
		{ "processor\t: 0\ncpu\t\t: POWER10 (architected), altivec supported\n"
		  "revision\t: 2.0 (pvr 0082 0200)\n\nplatform\t: pSeries\n",
		  PPCCOMPAT_MODE_POWER10, PC_CPU_ARCHITECTED, 0x00820200, "pSeries" },
		{ "processor\t: 0\ncpu\t\t: Power11 (raw), altivec supported\n"
		  "revision\t: 2.0 (pvr 0082 1200)\n\nplatform\t: pSeries\n",
		  PPCCOMPAT_MODE_POWER11, PC_CPU_RAW, 0x00821200, "pSeries" },
		{ "processor\t: 0\ncpu\t\t: Power11 (architected), altivec supported\n"
		  "revision\t: 2.0 (pvr 0082 1200)\r\n\nplatform\t: pSeries\n",
		  PPCCOMPAT_MODE_POWER11, PC_CPU_ARCHITECTED, 0x00821200, "pSeries" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ppccompat_error err;
		struct pc_cpuinfo ci;
		int ret = parse(cases[i].text, &ci, &err);

		t_ok(ret == 0, "case %zu parses (%s)", i, t_error_line(&err));
		T_EQ_INT(ci.cpu_mode, cases[i].mode, "cpu mode");
		T_EQ_INT(ci.cpu_qualifier, cases[i].qualifier, "cpu qualifier");
		t_ok(ci.has_pvr_revision, "revision has a pvr");
		T_EQ_U64(ci.raw_pvr, cases[i].pvr, "pvr");
		T_EQ_STR(ci.platform, cases[i].platform, "platform");
		t_ok(!ci.foreign_arch, "powerpc lines only");
	}
}

static void summary_lines(void)
{
	struct ppccompat_error err;
	struct pc_cpuinfo ci;
	const char *text = "processor\t: 0\ncpu\t\t: POWER10 (architected), altivec supported\n"
			   "clock\t\t: 2750.000000MHz\nrevision\t: 2.0 (pvr 0080 0200)\n\n"
			   "processor\t: 1\ncpu\t\t: POWER10 (architected), altivec supported\n"
			   "clock\t\t: 2750.000000MHz\nrevision\t: 2.0 (pvr 0080 0200)\n\n"
			   "timebase\t: 512000000\nplatform\t: pSeries\nmodel\t\t: IBM,9080-HEX\n"
			   "machine\t\t: CHRP IBM,9080-HEX\nMMU\t\t: Radix\n";

	t_ok(parse(text, &ci, &err) == 0, "two threads parse");
	T_EQ_INT(ci.processors, 2, "processors");
	T_EQ_STR(ci.cpu, "POWER10 (architected), altivec supported", "cpu text");
	T_EQ_STR(ci.revision, "2.0 (pvr 0080 0200)", "revision text");
	T_EQ_STR(ci.model, "IBM,9080-HEX", "model");
	T_EQ_STR(ci.machine, "CHRP IBM,9080-HEX", "machine");
}

static void x86(void)
{
	struct ppccompat_error err;
	struct pc_cpuinfo ci;
	const char *text = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
			   "model\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Gold 6148\n"
			   "flags\t\t: fpu vme de pse\n\n";

	t_ok(parse(text, &ci, &err) == 0, "x86 cpuinfo parses");
	t_ok(ci.foreign_arch, "x86 is recognised as foreign");
	t_ok(!ci.has_pvr_revision && !ci.platform[0], "no powerpc lines");
}

static void junk(void)
{
	struct ppccompat_error err;
	struct pc_cpuinfo ci;
	char long_line[PPCCOMPAT_MAX_LINE + 40];
	const char nul_text[] = "processor\t: 0\ncpu\t: POW\0ER9\n";

	T_EQ_INT(parse("", &ci, &err), PPCCOMPAT_ERR_MALFORMED, "empty file");
	T_EQ_STR(err.path, "/proc/cpuinfo", "error names the file");
	T_EQ_STR(err.field, "processor", "error names the field");
	T_EQ_INT(parse("\x7f" "ELF\x01\x02garbage without any structure", &ci, &err),
		 PPCCOMPAT_ERR_MALFORMED, "garbage");
	T_EQ_INT(parse("processor\t: 0\nrevision\t: 2.0 (pvr 00zz 0200)\n", &ci, &err),
		 PPCCOMPAT_ERR_MALFORMED, "bad pvr digits");
	T_EQ_STR(err.field, "revision", "field of bad pvr");
	t_ok(t_contains(err.detail, "line 2"), "detail names the line: %s", err.detail);
	T_EQ_INT(parse("processor\t: 0\nrevision\t: 2.0 (pvr 0080", &ci, &err),
		 PPCCOMPAT_ERR_TRUNCATED, "truncated pvr");
	T_EQ_STR(err.field, "revision", "field of the truncated pvr");
	T_EQ_INT(parse("processor\t: 0\nrevision\t: 2.0\nplatform\t: pSeries\n", &ci, &err),
		 PPCCOMPAT_ERR_MALFORMED, "revision cut before its pvr");
	T_EQ_STR(err.field, "revision", "field of the cut revision");
	T_EQ_INT(parse("processor\t: 0\ncpu\t\t: POWER9\nprocessor\t: 1\ncpu\t\t: POWER10\n", &ci,
		       &err),
		 PPCCOMPAT_ERR_INCONSISTENT, "cpu lines disagree");
	t_ok(t_contains(err.detail, "line 4"), "names the differing line: %s", err.detail);

	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	T_EQ_INT(parse(long_line, &ci, &err), PPCCOMPAT_ERR_TOO_BIG, "line too long");

	pc_cpuinfo_init(&ci, "/proc/cpuinfo");
	T_EQ_INT(pc_cpuinfo_parse(&ci, nul_text, sizeof(nul_text) - 1, &err),
		 PPCCOMPAT_ERR_MALFORMED, "NUL byte");

	t_ok(parse("processor\t: 0\ncpu\t\t: PPC970MP, altivec supported\n"
		   "revision\t: 1.1 (pvr 0044 0101)\n", &ci, &err) == 0,
	     "an unknown processor still parses");
	T_EQ_INT(ci.cpu_mode, PPCCOMPAT_MODE_NONE, "and names no mode");
}

/* The kernel ends every line: a last line without its newline was cut short. */
static void cut_short(void)
{
	static const struct {
		const char *text, *field;
	} cut[] = {
		{ "processor\t: 0\ncpu\t\t: POWER1", "cpu" },
		{ "processor\t: 0\ncpu\t\t: POWER9 (archit", "cpu" },
		{ "processor\t: 0\ncpu\t\t: POWER10 (architected), altivec supported\n"
		  "revision\t: 2.0 (pvr 0080 0200)\n\nplatform\t: pSeries\n"
		  "machine\t\t: CHRP IBM,90",
		  "machine" },
		{ "processor\t: 0\ncpu\t\t: POWER9, altivec supported\nMMU\t\t: Rad", "MMU" },
		{ "processor\t: 0\ncpu\t\t: POWER9, altivec supported\nplatfo", NULL },
	};
	struct ppccompat_error err;
	struct pc_cpuinfo ci;

	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		T_EQ_INT(parse(cut[i].text, &ci, &err), PPCCOMPAT_ERR_TRUNCATED, "a cut line");
		T_EQ_STR(err.field, cut[i].field ? cut[i].field : "", "its key is the field");
		t_ok(t_contains(err.detail, "cut short"), "and the detail says so: %s", err.detail);
	}
	t_ok(parse("processor\t: 0\ncpu\t\t: POWER9, altivec supported\n \t", &ci, &err) == 0,
	     "blanks after the last newline are no cut line (%s)", t_error_line(&err));
	T_EQ_INT(parse("cpu\t\t: POWER1", &ci, &err), PPCCOMPAT_ERR_MALFORMED,
		 "without a processor line it is no cpuinfo at all");
	T_EQ_STR(err.field, "processor", "which is what the error says");
}

int main(void)
{
	cut_short();
	power_forms();
	summary_lines();
	x86();
	junk();
	return t_done();
}
