// SPDX-License-Identifier: GPL-2.0
/*
 * Renders the ppccompat report of a fixture probed with scripted KVM answers,
 * so that tests/cli can check how every KVM outcome is shown; ppccompat
 * itself only ever talks to the real /dev/kvm.
 *
 * Usage: kvm_report SYSROOT SCENARIO text|json
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define KVM_FD 100
#define VM_FD 101
#define GET_COMPAT_CAPS _IO(KVMIO, PPCCOMPAT_KVM_PPC_GET_COMPAT_CAPS_NR)
#define CAPS_P9_P10 (PPCCOMPAT_KVM_COMPAT_CAP_POWER9 | PPCCOMPAT_KVM_COMPAT_CAP_POWER10)

struct scenario {
	const char *name;
	int open_result;     /* fd or -errno */
	int extension;       /* KVM_CHECK_EXTENSION(250) */
	int create_vm;       /* fd or -errno */
	int caps_errno;      /* KVM_PPC_GET_COMPAT_CAPS fails with this, 0: answers */
	uint64_t caps;
	uint64_t kernel_size; /* the kernel's struct size; > 24 asks for an E2BIG retry */
	unsigned int calls;
};

static struct scenario scenarios[] = {
	{ "caps-p9-p10", KVM_FD, 1, VM_FD, 0, CAPS_P9_P10, 24, 0 },
	{ "caps-p9", KVM_FD, 1, VM_FD, 0, PPCCOMPAT_KVM_COMPAT_CAP_POWER9, 24, 0 },
	{ "caps-none", KVM_FD, 1, VM_FD, 0, 0, 24, 0 },
	{ "e2big-retry", KVM_FD, 1, VM_FD, 0, CAPS_P9_P10, 32, 0 },
	{ "cap-absent", KVM_FD, 0, VM_FD, 0, 0, 24, 0 },
	{ "einval", KVM_FD, 1, VM_FD, EINVAL, 0, 24, 0 },
	{ "enotty", KVM_FD, 1, VM_FD, ENOTTY, 0, 24, 0 },
	{ "create-vm-fails", KVM_FD, 1, -ENOMEM, 0, 0, 24, 0 },
	{ "no-device", -ENOENT, 0, 0, 0, 0, 24, 0 },
	{ "open-eacces", -EACCES, 0, 0, 0, 0, 24, 0 },
};

static int scripted_open(void *ctx)
{
	return ((struct scenario *)ctx)->open_result;
}

static int get_compat_caps(struct scenario *s, unsigned long arg)
{
	struct ppccompat_kvm_compat_caps *caps = (void *)arg;

	if (s->caps_errno)
		return -s->caps_errno;
	if (s->kernel_size > caps->size) {
		/* the extensible-struct protocol: tell userspace the size to retry with */
		caps->size = s->kernel_size;
		return -E2BIG;
	}
	caps->size = sizeof(*caps);
	caps->compat_capabilities = s->caps;
	return 0;
}

static int scripted_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	struct scenario *s = ctx;

	s->calls++;
	if (fd == KVM_FD && request == KVM_CHECK_EXTENSION)
		return arg == PPCCOMPAT_KVM_CAP_PPC_COMPAT_CAPS ? s->extension : 0;
	if (fd == KVM_FD && request == KVM_CREATE_VM)
		return s->create_vm;
	if (fd == VM_FD && request == GET_COMPAT_CAPS)
		return get_compat_caps(s, arg);
	return -ENOTTY;
}

static void scripted_close(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
}

int main(int argc, char **argv)
{
	struct scenario *s = NULL;

	if (argc != 4)
		return fputs("usage: kvm_report SYSROOT SCENARIO text|json\n", stderr), 2;
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(argv[2], scenarios[i].name))
			s = &scenarios[i];
	if (!s)
		return fprintf(stderr, "kvm_report: no scenario %s\n", argv[2]), 2;

	struct ppccompat_kvm_ops ops = { scripted_open, scripted_ioctl, scripted_close, s };
	struct ppccompat_probe_opts opts = { .sysroot = argv[1], .kvm_ops = &ops };
	struct ppccompat_host host;
	struct ppccompat_error err;

	if (ppccompat_probe(&opts, &host, &err) < 0)
		return fprintf(stderr, "kvm_report: probe failed: %s\n", ppccompat_strerror(err.code)), 2;
	if (!strcmp(argv[3], "json"))
		report_json(stdout, &host, NULL);
	else
		report_text(stdout, &host, "scripted");
	return 0;
}
