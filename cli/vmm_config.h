/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a VMM needs to start a KVM guest in a given compatibility mode.
 *
 * QEMU: under KVM-HV the guest runs on the host's own processor, so the CPU
 * model must be "host"; the mode is chosen with the pseries machine property
 * max-cpu-compat, which makes QEMU set KVM_REG_PPC_ARCH_COMPAT to that mode's
 * logical PVR. This is also what libvirt generates for the XML below
 * (tests/qemuxml2argvdata/pseries-machine-max-cpu-compat in libvirt).
 *
 * libvirt: on ppc64, <cpu mode='host-model'> with a <model> names the
 * compatibility mode (formatdomain, "host-model").
 */
#ifndef PPCCOMPAT_VMM_CONFIG_H
#define PPCCOMPAT_VMM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "ppccompat.h"

#define VMM_QEMU_CPU "host"

/* "pseries,max-cpu-compat=power10" into buf; -1 if mode has no QEMU name. */
int vmm_qemu_machine(enum ppccompat_mode mode, char *buf, size_t size);
/*
 * "<cpu mode='host-model'>\n  <model>power10</model>\n</cpu>\n", or without the
 * newlines and indentation when one_line; -1 as above.
 */
int vmm_libvirt_cpu(enum ppccompat_mode mode, bool one_line, char *buf, size_t size);

#endif
