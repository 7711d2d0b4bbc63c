/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a VMM needs to start a KVM guest in a given compatibility mode, and
 * which VMM versions accept it.
 *
 * QEMU: under KVM-HV the guest runs on the host's own processor, so the CPU
 * model must be "host" (QEMU's default for pseries under KVM:
 * target/ppc/kvm.c pseries_machine_class_fixup); the mode is the pseries
 * machine property max-cpu-compat, which makes QEMU set
 * KVM_REG_PPC_ARCH_COMPAT to that mode's logical PVR. It is printed as a
 * -machine option of its own, without a machine type: QEMU merges every
 * -machine option into one set of properties (system/vl.c, case
 * QEMU_OPTION_machine: keyval_parse_into(machine_opts_dict, ...), and
 * util/keyval.c: of repeated keys the last one wins; before "vl: switch -M
 * parsing to keyval", the 6.1 cycle, qemu_machine_opts had .merge_lists),
 * so it adds to "-M pseries-7.0" instead of replacing the type the user
 * pinned, whichever comes first.
 *
 * libvirt: on ppc64, <cpu mode='host-model'> with a <model> names the
 * compatibility mode (formatdomain, "host-model"); libvirt turns it into
 * the same max-cpu-compat.
 */
#ifndef PPCCOMPAT_VMM_CONFIG_H
#define PPCCOMPAT_VMM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppccompat.h"

#define VMM_QEMU_CPU "host"

/*
 * QEMU's max-cpu-compat name for mode: the generation's ("power7"), or the
 * name the user spelled when QEMU has a row of its own for it ("power7+",
 * the POWER7+ logical PVR). spelled may be NULL. NULL if mode has none.
 */
const char *vmm_compat_name(enum ppccompat_mode mode, const char *spelled);
/* "max-cpu-compat=power10" into buf; -1 if compat is NULL or buf too small. */
int vmm_qemu_machine(const char *compat, char *buf, size_t size);
/*
 * "<cpu mode='host-model'>\n  <model>power10</model>\n</cpu>\n", or without the
 * newlines and indentation when one_line; -1 as above.
 */
int vmm_libvirt_cpu(const char *compat, bool one_line, char *buf, size_t size);

/* A QEMU release, "9.2" is { 9, 2 }. */
struct vmm_version {
	unsigned int major, minor;
};

/*
 * The first QEMU release whose pseries max-cpu-compat accepts compat; false
 * if the table has no row for it (then nothing is known either way).
 */
bool vmm_qemu_first_accepting(const char *compat, struct vmm_version *first);

/*
 * Whether libvirt takes compat as the <model> of a ppc64 host-model CPU
 * (power6..power10; see vmm_config.c for the source).
 */
bool vmm_libvirt_accepts(const char *compat);
/* The highest mode of a set that libvirt takes, PPCCOMPAT_MODE_NONE if none. */
enum ppccompat_mode vmm_libvirt_highest(uint32_t modes);

/* "X.Y" or "X.Y.Z" (what --qemu-version takes); false for anything else. */
bool vmm_version_parse(const char *text, struct vmm_version *v);
/* The version in QEMU's --version text: "QEMU emulator version X.Y.Z ...". */
bool vmm_qemu_version_from_text(const char *text, struct vmm_version *v);
/* a < b */
bool vmm_version_before(struct vmm_version a, struct vmm_version b);

#endif
