// SPDX-License-Identifier: GPL-2.0
/* cli/vmm_config.c: the options printed and the QEMU version rules, in C. */
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

static void parse(const char *text, int valid, unsigned int major, unsigned int minor)
{
	struct vmm_version v = { 0, 0 };
	int got = vmm_version_parse(text, &v);

	ok(got == valid && (!valid || (v.major == major && v.minor == minor)),
	   valid ? "version parses" : "not a version", text);
}

static void from_text(const char *text, int valid, unsigned int major, unsigned int minor)
{
	struct vmm_version v = { 0, 0 };
	int got = vmm_qemu_version_from_text(text, &v);

	ok(got == valid && (!valid || (v.major == major && v.minor == minor)),
	   valid ? "--version text gives the version" : "--version text gives none", text);
}

int main(void)
{
	static const struct {
		enum ppccompat_mode mode;
		unsigned int major, minor;
	} first[] = {
		{ PPCCOMPAT_MODE_POWER6, 2, 10 },  { PPCCOMPAT_MODE_POWER7, 2, 10 },
		{ PPCCOMPAT_MODE_POWER8, 2, 10 },  { PPCCOMPAT_MODE_POWER9, 2, 10 },
		{ PPCCOMPAT_MODE_POWER10, 5, 0 },  { PPCCOMPAT_MODE_POWER11, 9, 2 },
	};
	struct vmm_version v;
	char buf[64];

	ok(vmm_qemu_machine("power10", buf, sizeof(buf)) > 0 &&
	   !strcmp(buf, "max-cpu-compat=power10"), "no machine type in the -machine value", buf);
	ok(vmm_qemu_machine("power10", buf, 10) < 0, "a short buffer is refused",
	   NULL);
	ok(vmm_qemu_machine(vmm_compat_name(PPCCOMPAT_MODE_NONE, NULL), buf, sizeof(buf)) < 0,
	   "no mode, no option", NULL);
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		const char *name = ppccompat_mode_name(first[i].mode);

		ok(vmm_qemu_first_accepting(name, &v) && v.major == first[i].major &&
		   v.minor == first[i].minor, "first QEMU that accepts it", name);
	}
	ok(!vmm_qemu_first_accepting(NULL, &v), "no row for no mode", NULL);
	ok(!strcmp(vmm_compat_name(PPCCOMPAT_MODE_POWER7, "POWER7+"), "power7+") &&
	   !strcmp(vmm_compat_name(PPCCOMPAT_MODE_POWER7, "POWER7"), "power7") &&
	   !strcmp(vmm_compat_name(PPCCOMPAT_MODE_POWER7, NULL), "power7") &&
	   !strcmp(vmm_compat_name(PPCCOMPAT_MODE_POWER8, "power7+"), "power8"),
	   "power7+ as spelled, where it names the mode", NULL);

	parse("9.2", 1, 9, 2);
	parse("10.0.13", 1, 10, 0);
	parse("2.10", 1, 2, 10);
	parse("10", 0, 0, 0);
	parse("10.", 0, 0, 0);
	parse("1.2.3.4", 0, 0, 0);
	parse("12345.1", 0, 0, 0);
	parse("9.2x", 0, 0, 0);
	parse("", 0, 0, 0);
	from_text("QEMU emulator version 10.0.13 (Debian 1:10.0.13+ds-0+deb13u1)\n"
		  "Copyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers\n",
		  1, 10, 0);
	from_text("QEMU emulator version 8.2.2 (qemu-8.2.2-1.fc40)\n", 1, 8, 2);
	from_text("QEMU emulator version 9.1.50\n", 1, 9, 1);
	from_text("QEMU emulator version 7.2.0", 1, 7, 2);
	from_text("QEMU emulator version x.y\n", 0, 0, 0);
	from_text("QEMU emulator version 9.2abc\n", 0, 0, 0);
	from_text("qemu-system-ppc64 9.2\n", 0, 0, 0);

	ok(vmm_version_before((struct vmm_version){ 9, 1 }, (struct vmm_version){ 9, 2 }) &&
	   vmm_version_before((struct vmm_version){ 4, 2 }, (struct vmm_version){ 5, 0 }) &&
	   !vmm_version_before((struct vmm_version){ 10, 0 }, (struct vmm_version){ 9, 2 }) &&
	   !vmm_version_before((struct vmm_version){ 9, 2 }, (struct vmm_version){ 9, 2 }),
	   "versions compare as numbers, not strings", NULL);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
