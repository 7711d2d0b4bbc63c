// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the whole probe over a small tree. The first byte picks which
 * device-tree parts exist, the next four are every cpu node's cpu-version,
 * the rest is /proc/cpuinfo. The probe must answer or name a file, and an
 * answer must hold together whatever the sources said.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

static void put(const char *rel, const void *data, size_t len, bool present)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (!present) {
		unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len))
		abort();
	close(fd);
}

static void setup(void)
{
	static const char *const dirs[] = { "/proc", "/proc/device-tree",
					    "/proc/device-tree/cpus",
					    "/proc/device-tree/cpus/PowerPC,X@0",
					    "/proc/device-tree/cpus/PowerPC,X@8",
					    "/proc/device-tree/hypervisor" };
	char path[256];

	snprintf(root, sizeof(root), "/tmp/ppccompat-fuzz-probe-XXXXXX");
	if (!mkdtemp(root))
		abort();
	for (size_t i = 0; i < PC_ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s%s", root, dirs[i]);
		if (mkdir(path, 0755) && errno != EEXIST)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppccompat_probe_opts opts = { .sysroot = root, .flags = PPCCOMPAT_PROBE_NO_KVM };
	struct ppccompat_error err;
	struct ppccompat_host h;
	unsigned int parts;
	int ret;

	if (!root[0])
		setup();
	if (size < 5)
		return 0;
	parts = data[0];
	put("/proc/device-tree/compatible", "ibm,powernv", 12, parts & 1);
	put("/proc/device-tree/hypervisor/compatible", "linux,kvm", 10, parts & 2);
	put("/proc/device-tree/ibm,fw-net-version", "FW1060", 7, parts & 4);
	put("/proc/device-tree/ibm,partition-name", "lpar01", 7, parts & 8);
	put("/proc/device-tree/hmc-managed?", "", 0, parts & 16);
	put("/proc/device-tree/model", "IBM,9080-HEX", 13, parts & 32);
	put("/proc/device-tree/cpus/PowerPC,X@0/cpu-version", data + 1, 4, parts & 64);
	put("/proc/device-tree/cpus/PowerPC,X@8/cpu-version", data + 1, 4, parts & 128);
	put("/proc/cpuinfo", data + 5, size - 5, true);

	ret = ppccompat_probe(&opts, &h, &err);
	if (ret < 0) {
		char line[PPCCOMPAT_PATH_MAX + 512];

		if (err.code != ret || strncmp(err.path, root, strlen(root)) ||
		    ppccompat_error_format(&err, line, sizeof(line)) <= 0)
			__builtin_trap();
		return 0;
	}
	if ((h.allowed_modes & ~PPCCOMPAT_MODES_ALL) ||
	    h.recommended_mode != ppccompat_highest_mode(h.allowed_modes) ||
	    (h.notes & ~PPCCOMPAT_NOTES_ALL) || h.evidence == PPCCOMPAT_EVIDENCE_NONE)
		__builtin_trap();
	/* nothing is allowed where a rule said there is nothing to allow */
	if ((h.notes & (PPCCOMPAT_NOTE_NO_KVM_HV | PPCCOMPAT_NOTE_UNVERIFIED |
			PPCCOMPAT_NOTE_NOT_SERVER)) &&
	    h.allowed_modes)
		__builtin_trap();
	/* guests never get more than the host's own mode (a logical PVR on PowerNV is refused) */
	if (h.effective_mode != PPCCOMPAT_MODE_NONE && h.recommended_mode > h.effective_mode)
		__builtin_trap();
	if ((h.notes & PPCCOMPAT_NOTE_POWER11_UNCONFIRMED) &&
	    (h.allowed_modes & PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER11)))
		__builtin_trap();
	if ((h.platform == PPCCOMPAT_PLATFORM_NOT_POWER ||
	     h.platform == PPCCOMPAT_PLATFORM_POWERPC_OTHER) &&
	    h.allowed_modes)
		__builtin_trap();
	for (int m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST; m++) {
		enum ppccompat_reason why;
		int can = ppccompat_can_run(&h, (enum ppccompat_mode)m, &why);

		if (can != !!(h.allowed_modes & PPCCOMPAT_MODE_BIT(m)) ||
		    (can == 0 && why == PPCCOMPAT_REASON_OK))
			__builtin_trap();
	}
	return 0;
}
