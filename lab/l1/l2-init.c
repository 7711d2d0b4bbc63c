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

#include <ppccompat.h>

#define MARKER "PPCCOMPAT-L2-INIT"

/*
 * "POWER10 (architected), altivec supported" -> l2.cpu=POWER10, l2.cpu_mode=architected;
 * "revision : 2.0 (pvr 0080 0200)" -> l2.pvr=0x00800200. Facts as doc/lab-protocol.md
 * defines them; vmm-run passes "# fact l2.*" lines through unprefixed. libppccompat reads
 * /proc/cpuinfo (its parser is the bounded, fuzzed one); no KVM in the L2, so no KVM probe.
 */
static void report_cpu(void)
{
	struct ppccompat_probe_opts opts = { .flags = PPCCOMPAT_PROBE_NO_KVM };
	struct ppccompat_host host;
	struct ppccompat_error err;
	char why[256];

	if (ppccompat_probe(&opts, &host, &err) < 0) {
		ppccompat_error_format(&err, why, sizeof(why));
		printf("l2-init: libppccompat: %s\n", why);
		printf("# fact l2.cpu=unknown\n");
		return;
	}
	if (host.cpuinfo_cpu[0]) {
		printf("# fact l2.cpu=%.*s\n", (int)strcspn(host.cpuinfo_cpu, " ,"), host.cpuinfo_cpu);
		printf("# fact l2.cpu_mode=%s\n",
		       strstr(host.cpuinfo_cpu, "(architected)") ? "architected" : "raw");
	} else {
		printf("# fact l2.cpu=unknown\n");
	}
	if (host.raw_pvr)
		printf("# fact l2.pvr=0x%08x\n", (unsigned int)host.raw_pvr);
}

int main(void)
{
	mkdir("/proc", 0755);
	if (mount("proc", "/proc", "proc", 0, NULL) < 0)
		perror("l2-init: mount /proc");
	/*
	 * /proc/device-tree is a link to /sys/firmware/devicetree/base: without
	 * sysfs it dangles, and libppccompat refuses a dangling device-tree link
	 * rather than answer from /proc/cpuinfo alone.
	 */
	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		perror("l2-init: mount /sys");
	printf("%s\n", MARKER);
	report_cpu();
	fflush(stdout);
	reboot(RB_POWER_OFF);
	perror("l2-init: reboot");
	return 1;
}
