/* SPDX-License-Identifier: GPL-2.0 */
/* Which QEMU is installed: `qemu-system-ppc64 --version`, asked safely. */
#ifndef PPCCOMPAT_QEMU_PROBE_H
#define PPCCOMPAT_QEMU_PROBE_H

#include <stddef.h>

#include "vmm_config.h"

/* The binary asked: $PPCCOMPAT_QEMU if set and not empty, else this name in PATH. */
#define QEMU_PROBE_DEFAULT "qemu-system-ppc64"
/* Bounds: QEMU prints two short lines; a binary that does more is not QEMU. */
#define QEMU_PROBE_MAX_OUTPUT 4096
#define QEMU_PROBE_TIMEOUT_MS 5000

enum qemu_probe_result {
	QEMU_PROBE_FOUND = 0,     /* *v is its version */
	QEMU_PROBE_ABSENT,        /* no such program: nothing to warn about */
	QEMU_PROBE_UNKNOWN,       /* it ran but gave no version: why says how */
};

/*
 * Runs `<binary> --version` directly (posix_spawnp, no shell), stdin and
 * stderr on /dev/null, reading at most QEMU_PROBE_MAX_OUTPUT bytes and
 * waiting at most QEMU_PROBE_TIMEOUT_MS; a program that exceeds either is
 * killed. binary names what was asked, for messages.
 */
enum qemu_probe_result qemu_probe_version(struct vmm_version *v, const char **binary,
					  char *why, size_t why_size);

#endif
