// SPDX-License-Identifier: GPL-2.0
/*
 * cli/vmm_config.c: the options printed and the QEMU/libvirt version rules,
 * one table of cases per function; a new fact is a new row.
 */
#include <stdio.h>
#include <string.h>

#include "vmm_config.h"

static int n, failed;

static void ok(int cond, const char *what, const char *detail)
{
	/* the first line of detail only: TAP is line-based */
	printf("%sok %d - %s%s%.*s\n", cond ? "" : "not ", ++n, what, detail ? ": " : "",
	       detail ? (int)strcspn(detail, "\n") : 0, detail ? detail : "");
	failed += !cond;
}

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

/* Each QEMU name: the first QEMU whose max-cpu-compat takes it, and libvirt's verdict. */
static const struct {
	const char *compat;
	unsigned int major, minor;
	int libvirt;
} names[] = {
	{ "power6", 2, 10, 1 },	 { "power7", 2, 10, 1 },  { "power7+", 2, 10, 0 },
	{ "power8", 2, 10, 1 },	 { "power9", 2, 10, 1 },  { "power10", 5, 0, 1 },
	{ "power11", 9, 2, 0 },
};

/* The QEMU name of a mode, as the user spelled it or not. */
static const struct {
	enum ppccompat_mode mode;
	const char *spelled, *want;
} spellings[] = {
	{ PPCCOMPAT_MODE_POWER7, "POWER7+", "power7+" },
	{ PPCCOMPAT_MODE_POWER7, "power7+", "power7+" },
	{ PPCCOMPAT_MODE_POWER7, "POWER7", "power7" },
	{ PPCCOMPAT_MODE_POWER7, NULL, "power7" },
	{ PPCCOMPAT_MODE_POWER8, "power7+", "power8" },
	{ PPCCOMPAT_MODE_POWER11, "Power11", "power11" },
	{ PPCCOMPAT_MODE_NONE, "power7+", NULL },
};

/* The highest mode of a set that libvirt takes. */
static const struct {
	uint32_t modes;
	enum ppccompat_mode want;
	const char *what;
} highest[] = {
	{ PPCCOMPAT_MODES_ALL, PPCCOMPAT_MODE_POWER10, "power11 skipped" },
	{ PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER11), PPCCOMPAT_MODE_NONE, "power11 alone" },
	{ PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER9) | PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER11),
	  PPCCOMPAT_MODE_POWER9, "power9 and power11" },
	{ 0, PPCCOMPAT_MODE_NONE, "no mode" },
};

/* --qemu-version: "X.Y" or "X.Y.Z" only. */
static const struct {
	const char *text;
	int valid;
	unsigned int major, minor;
} parses[] = {
	{ "9.2", 1, 9, 2 },	{ "10.0.13", 1, 10, 0 }, { "2.10", 1, 2, 10 },
	{ "10", 0, 0, 0 },	{ "10.", 0, 0, 0 },	 { "1.2.3.4", 0, 0, 0 },
	{ "12345.1", 0, 0, 0 }, { "9.2x", 0, 0, 0 },	 { "", 0, 0, 0 },
};

/* What `qemu-system-ppc64 --version` prints, as distributions build it. */
static const struct {
	const char *text;
	int valid;
	unsigned int major, minor;
} texts[] = {
	{ "QEMU emulator version 10.0.13 (Debian 1:10.0.13+ds-0+deb13u1)\n"
	  "Copyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers\n",
	  1, 10, 0 },
	{ "QEMU emulator version 8.2.2 (qemu-8.2.2-1.fc40)\n", 1, 8, 2 },
	{ "QEMU emulator version 9.1.50\n", 1, 9, 1 },
	{ "QEMU emulator version 7.2.0", 1, 7, 2 },
	{ "QEMU emulator version x.y\n", 0, 0, 0 },
	{ "QEMU emulator version 9.2abc\n", 0, 0, 0 },
	{ "qemu-system-ppc64 9.2\n", 0, 0, 0 },
};

/* Versions compare as numbers, not strings. */
static const struct {
	struct vmm_version a, b;
	int before;
} compares[] = {
	{ { 9, 1 }, { 9, 2 }, 1 },
	{ { 4, 2 }, { 5, 0 }, 1 },
	{ { 10, 0 }, { 9, 2 }, 0 },
	{ { 9, 2 }, { 9, 2 }, 0 },
	{ { 2, 9 }, { 2, 10 }, 1 },
};

static void check_names(void)
{
	struct vmm_version v;
	char buf[64], want[64];

	for (size_t i = 0; i < ROWS(names); i++) {
		const char *c = names[i].compat;

		ok(vmm_qemu_first_accepting(c, &v) && v.major == names[i].major &&
		   v.minor == names[i].minor, "first QEMU that accepts it", c);
		ok(vmm_libvirt_accepts(c) == names[i].libvirt,
		   names[i].libvirt ? "libvirt takes it" : "libvirt refuses it", c);
		snprintf(want, sizeof(want), "max-cpu-compat=%s", c);
		ok(vmm_qemu_machine(c, buf, sizeof(buf)) > 0 && !strcmp(buf, want),
		   "the -machine value, no machine type", buf);
		snprintf(want, sizeof(want), "<cpu mode='host-model'><model>%s</model></cpu>", c);
		ok(vmm_libvirt_cpu(c, true, buf, sizeof(buf)) > 0 && !strcmp(buf, want),
		   "the libvirt element on one line", buf);
	}
	ok(!vmm_qemu_first_accepting(NULL, &v) && !vmm_qemu_first_accepting("power12", &v),
	   "no row, nothing known", NULL);
	ok(!vmm_libvirt_accepts(NULL) && !vmm_libvirt_accepts("power12"),
	   "no row, libvirt not assumed to take it", NULL);
	ok(vmm_qemu_machine("power10", buf, 10) < 0, "a short buffer is refused", NULL);
	ok(vmm_qemu_machine(NULL, buf, sizeof(buf)) < 0 &&
	   vmm_libvirt_cpu(NULL, false, buf, sizeof(buf)) < 0, "no name, no option", NULL);
}

int main(void)
{
	struct vmm_version v;

	check_names();
	for (size_t i = 0; i < ROWS(spellings); i++) {
		const char *got = vmm_compat_name(spellings[i].mode, spellings[i].spelled);

		ok(spellings[i].want ? got && !strcmp(got, spellings[i].want) : !got,
		   "QEMU's name as spelled",
		   spellings[i].spelled ? spellings[i].spelled : "(none)");
	}
	for (size_t i = 0; i < ROWS(highest); i++)
		ok(vmm_libvirt_highest(highest[i].modes) == highest[i].want,
		   "highest mode libvirt takes", highest[i].what);
	for (size_t i = 0; i < ROWS(parses); i++) {
		v = (struct vmm_version){ 0, 0 };
		ok(vmm_version_parse(parses[i].text, &v) == parses[i].valid &&
		   (!parses[i].valid || (v.major == parses[i].major && v.minor == parses[i].minor)),
		   parses[i].valid ? "version parses" : "not a version", parses[i].text);
	}
	for (size_t i = 0; i < ROWS(texts); i++) {
		v = (struct vmm_version){ 0, 0 };
		ok(vmm_qemu_version_from_text(texts[i].text, &v) == texts[i].valid &&
		   (!texts[i].valid || (v.major == texts[i].major && v.minor == texts[i].minor)),
		   texts[i].valid ? "--version text gives the version"
				  : "--version text gives none",
		   texts[i].text);
	}
	for (size_t i = 0; i < ROWS(compares); i++) {
		char what[48];

		snprintf(what, sizeof(what), "%u.%u %s %u.%u", compares[i].a.major,
			 compares[i].a.minor, compares[i].before ? "<" : ">=", compares[i].b.major,
			 compares[i].b.minor);
		ok(vmm_version_before(compares[i].a, compares[i].b) == compares[i].before,
		   "versions compare as numbers", what);
	}
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
