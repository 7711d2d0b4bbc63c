// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the L2 Linux that vmm-run boots under the L1's QEMU: proves the L2
 * reached user space, says which processor the L2 believes it runs on, and
 * powers the L2 off so that QEMU exits.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER "PPCCOMPAT-L2-INIT"

/* The text after "name\t: " of the first /proc/cpuinfo line with that name. */
static int cpuinfo_field(const char *name, char *value, size_t size)
{
	char line[256];
	size_t len = strlen(name);
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *text = line + len + strspn(line + len, " \t");

		if (strncmp(line, name, len) || *text != ':')
			continue;
		text += 1 + strspn(text + 1, " \t");
		text[strcspn(text, "\n")] = '\0';
		snprintf(value, size, "%s", text);
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

/*
 * "POWER10 (architected), altivec supported" -> l2.cpu=POWER10, l2.cpu_mode=architected;
 * "revision : 2.0 (pvr 0080 0200)" -> l2.pvr=0x00800200. Facts as doc/lab-protocol.md
 * defines them; vmm-run passes "# fact l2.*" lines through unprefixed.
 */
static void report_cpu(void)
{
	char cpu[128], revision[128];
	unsigned int hi, lo;
	const char *pvr;

	if (cpuinfo_field("cpu", cpu, sizeof(cpu)) == 0) {
		printf("# fact l2.cpu=%.*s\n", (int)strcspn(cpu, " ,"), cpu);
		printf("# fact l2.cpu_mode=%s\n", strstr(cpu, "(architected)") ? "architected" : "raw");
	} else {
		printf("# fact l2.cpu=unknown\n");
	}
	if (cpuinfo_field("revision", revision, sizeof(revision)) == 0 &&
	    (pvr = strstr(revision, "(pvr ")) && sscanf(pvr, "(pvr %x %x)", &hi, &lo) == 2)
		printf("# fact l2.pvr=0x%04x%04x\n", hi, lo);
}

int main(void)
{
	mkdir("/proc", 0755);
	if (mount("proc", "/proc", "proc", 0, NULL) < 0)
		perror("l2-init: mount /proc");
	printf("%s\n", MARKER);
	report_cpu();
	fflush(stdout);
	reboot(RB_POWER_OFF);
	perror("l2-init: reboot");
	return 1;
}
