// SPDX-License-Identifier: GPL-2.0
#include "vmm_config.h"

#include <stdio.h>

static const char *qemu_compat_name(enum ppccompat_mode mode)
{
	const struct ppccompat_generation *gen = ppccompat_generation(mode);

	return gen && gen->qemu_compat ? gen->qemu_compat : NULL;
}

static int fits(int n, size_t size)
{
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int vmm_qemu_machine(enum ppccompat_mode mode, char *buf, size_t size)
{
	const char *compat = qemu_compat_name(mode);

	if (!compat)
		return -1;
	return fits(snprintf(buf, size, "pseries,max-cpu-compat=%s", compat), size);
}

int vmm_libvirt_cpu(enum ppccompat_mode mode, bool one_line, char *buf, size_t size)
{
	const char *compat = qemu_compat_name(mode);

	/* libvirt passes the <model> of a ppc64 host-model CPU to max-cpu-compat. */
	if (!compat)
		return -1;
	return fits(snprintf(buf, size, "<cpu mode='host-model'>%s<model>%s</model>%s</cpu>%s",
			     one_line ? "" : "\n  ", compat, one_line ? "" : "\n",
			     one_line ? "" : "\n"),
		    size);
}
