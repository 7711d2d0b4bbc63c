// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_PPC_GET_COMPAT_CAPS protocol against scripted kernel answers: every
 * errno of ABI.md, the E2BIG retry, and the fds the probe must close.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>

#include "testutil.h"

#define GET_COMPAT_CAPS _IO(KVMIO, PPCCOMPAT_KVM_PPC_GET_COMPAT_CAPS_NR)
#define KVM_FD 10
#define VM_FD 11

/* One scripted answer of KVM_PPC_GET_COMPAT_CAPS. */
struct answer {
	int ret;             /* 0 or -errno */
	uint64_t write_size; /* value written back into size (0: leave it) */
	uint64_t caps;
};

struct kernel {
	int open_ret;
	int check_ret;
	int create_ret;
	struct answer answers[3];
	unsigned int calls;    /* GET_COMPAT_CAPS calls */
	uint64_t sizes[3];     /* size userspace passed on each call */
	bool tail_zero[3];     /* bytes past 24 were zero */
	bool flags_zero[3];
	unsigned long check_arg, create_arg;
	int opened, closed;
	int closed_fds[4];
};

static int k_open(void *ctx)
{
	struct kernel *k = ctx;

	if (k->open_ret >= 0)
		k->opened++;
	return k->open_ret;
}

static int k_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	struct kernel *k = ctx;

	if (request == KVM_CHECK_EXTENSION && fd == KVM_FD) {
		k->check_arg = arg;
		return k->check_ret;
	}
	if (request == KVM_CREATE_VM && fd == KVM_FD) {
		k->create_arg = arg;
		if (k->create_ret >= 0)
			k->opened++;
		return k->create_ret;
	}
	if (request == GET_COMPAT_CAPS && fd == VM_FD && k->calls < 3) {
		struct ppccompat_kvm_compat_caps *c = (void *)arg;
		const struct answer *a = &k->answers[k->calls];
		const unsigned char *bytes = (const void *)arg;
		bool zero = true;

		for (uint64_t i = sizeof(*c); i < c->size; i++)
			zero = zero && bytes[i] == 0;
		k->sizes[k->calls] = c->size;
		k->tail_zero[k->calls] = zero;
		k->flags_zero[k->calls] = c->flags == 0;
		k->calls++;
		if (a->write_size)
			c->size = a->write_size;
		if (a->ret == 0)
			c->compat_capabilities = a->caps;
		return a->ret;
	}
	return -ENOTTY;
}

static void k_close(void *ctx, int fd)
{
	struct kernel *k = ctx;

	if (k->closed < 4)
		k->closed_fds[k->closed] = fd;
	k->closed++;
}

static struct ppccompat_kvm_ops ops_for(struct kernel *k)
{
	return (struct ppccompat_kvm_ops){ .open_kvm = k_open, .ioctl = k_ioctl,
					   .close = k_close, .ctx = k };
}

static struct kernel nested_kernel(uint64_t caps)
{
	return (struct kernel){
		.open_ret = KVM_FD,
		.check_ret = 1,
		.create_ret = VM_FD,
		.answers = { { 0, 24, caps } },
	};
}

static void answered(void)
{
	struct kernel k = nested_kernel(PPCCOMPAT_KVM_COMPAT_CAP_POWER9 |
					PPCCOMPAT_KVM_COMPAT_CAP_POWER10);
	struct ppccompat_kvm_ops ops = ops_for(&k);
	struct ppccompat_kvm_info info;

	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), 0, "cap 1: the kernel answers");
	T_EQ_INT(info.status, PPCCOMPAT_KVM_OK, "status OK");
	T_EQ_INT(info.cap, 1, "cap recorded");
	T_EQ_INT(k.check_arg, PPCCOMPAT_KVM_CAP_PPC_COMPAT_CAPS, "asked for capability 250");
	T_EQ_INT(k.create_arg, 0, "VM type 0: the kernel picks HV");
	T_EQ_U64(info.caps, 0x6000000000000000ULL, "caps");
	T_EQ_INT(k.calls, 1, "one call");
	T_EQ_U64(k.sizes[0], 24, "size = sizeof(struct)");
	t_ok(k.flags_zero[0], "flags = 0");
	T_EQ_INT(info.e2big_retries, 0, "no retry");
	T_EQ_INT(k.closed, 2, "both fds closed");
	t_ok(k.closed_fds[0] == VM_FD && k.closed_fds[1] == KVM_FD, "VM fd closed first");
	T_EQ_STR(ppccompat_kvm_status_string(&info),
		 "the kernel reported the modes its guests may use", "status text");

	k = nested_kernel(0x7000000000000000ULL | 0x8000000000000001ULL);
	ops = ops_for(&k);
	ppccompat_kvm_probe(&ops, &info);
	T_EQ_U64(info.caps, 0x7000000000000000ULL, "unknown bits masked away");
	T_EQ_U64(info.caps_raw, 0xf000000000000001ULL, "raw answer kept");

	k = nested_kernel(0);
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), 0, "an empty answer is an answer");
	T_EQ_U64(info.caps, 0, "no modes");
}

static void not_offered(void)
{
	struct kernel k = nested_kernel(0);
	struct ppccompat_kvm_ops ops;
	struct ppccompat_kvm_info info;

	k.check_ret = 0;
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, "cap 0");
	T_EQ_INT(info.status, PPCCOMPAT_KVM_CAP_ABSENT, "status CAP_ABSENT");
	T_EQ_INT(info.cap, 0, "cap 0 recorded");
	T_EQ_INT(k.calls, 0, "no ioctl without the capability");
	t_ok(t_contains(ppccompat_kvm_status_string(&info), "does not offer"), "explained");
	T_EQ_INT(k.opened, 1, "no VM created");
	T_EQ_INT(k.closed, 1, "/dev/kvm closed");

	k = nested_kernel(0);
	k.open_ret = -ENOENT;
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, "no /dev/kvm");
	T_EQ_INT(info.status, PPCCOMPAT_KVM_NO_DEVICE, "status NO_DEVICE");
	T_EQ_STR(info.failed_step, "open", "failed step");
	T_EQ_INT(info.cap, -1, "capability not asked");
	T_EQ_INT(k.closed, 0, "nothing to close");
	t_ok(t_contains(ppccompat_kvm_status_string(&info), "does not exist"), "explained");

	k.open_ret = -EACCES;
	ppccompat_kvm_probe(&ops, &info);
	T_EQ_INT(info.status, PPCCOMPAT_KVM_OPEN_FAILED, "EACCES: OPEN_FAILED");
	T_EQ_INT(info.sys_errno, EACCES, "errno kept");
	T_EQ_STR(ppccompat_kvm_status_string(&info), "no permission to open /dev/kvm", "text");

	k = nested_kernel(0);
	k.check_ret = -EINVAL;
	ppccompat_kvm_probe(&ops, &info);
	T_EQ_STR(info.failed_step, "KVM_CHECK_EXTENSION", "check failing");
	T_EQ_INT(k.closed, 1, "fd closed after a failed check");

	k = nested_kernel(0);
	k.create_ret = -ENOMEM;
	ppccompat_kvm_probe(&ops, &info);
	T_EQ_STR(info.failed_step, "KVM_CREATE_VM", "VM creation failing");
	T_EQ_INT(info.sys_errno, ENOMEM, "its errno");
	t_ok(t_contains(ppccompat_kvm_status_string(&info), "throw-away VM"), "explained");
	T_EQ_INT(k.closed, 1, "/dev/kvm closed");
}

static void failing_call(int err, const char *text)
{
	struct kernel k = nested_kernel(0);
	struct ppccompat_kvm_ops ops;
	struct ppccompat_kvm_info info;

	k.answers[0] = (struct answer){ -err, 0, 0 };
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, text);
	T_EQ_INT(info.status, PPCCOMPAT_KVM_STEP_FAILED, "STEP_FAILED");
	T_EQ_STR(info.failed_step, "KVM_PPC_GET_COMPAT_CAPS", "failed step");
	T_EQ_INT(info.sys_errno, err, "errno");
	T_EQ_INT(k.calls, 1, "no retry");
	T_EQ_INT(k.closed, 2, "fds closed");
	t_ok(t_contains(ppccompat_kvm_status_string(&info), text), "explained: %s",
	     ppccompat_kvm_status_string(&info));
}

static void e2big(void)
{
	struct kernel k = nested_kernel(0);
	struct ppccompat_kvm_ops ops;
	struct ppccompat_kvm_info info;

	/* a newer kernel with a 40-byte struct that wants the whole of it */
	k.answers[0] = (struct answer){ -E2BIG, 40, 0 };
	k.answers[1] = (struct answer){ 0, 40, PPCCOMPAT_KVM_COMPAT_CAP_POWER9 };
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), 0, "E2BIG then retry succeeds");
	T_EQ_INT(k.calls, 2, "two calls");
	T_EQ_U64(k.sizes[1], 40, "retried with the size the kernel wrote back");
	t_ok(k.tail_zero[1], "with a zero tail");
	T_EQ_INT(info.e2big_retries, 1, "one retry recorded");
	T_EQ_U64(info.caps, PPCCOMPAT_KVM_COMPAT_CAP_POWER9, "answer of the retry");

	k = nested_kernel(0);
	k.answers[0] = (struct answer){ -E2BIG, 40, 0 };
	k.answers[1] = (struct answer){ -E2BIG, 48, 0 };
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, "E2BIG twice");
	T_EQ_INT(k.calls, 2, "only one retry");
	T_EQ_INT(info.sys_errno, E2BIG, "E2BIG reported");
	t_ok(t_contains(ppccompat_kvm_status_string(&info), "structure size"), "explained");

	k = nested_kernel(0);
	k.answers[0] = (struct answer){ -E2BIG, 1 << 20, 0 };
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, "E2BIG, size over a page");
	T_EQ_INT(k.calls, 1, "no retry with an absurd size");
	T_EQ_U64(info.kernel_size, 1 << 20, "the size is reported");

	k = nested_kernel(0);
	k.answers[0] = (struct answer){ -E2BIG, 24, 0 };
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, "E2BIG for our own size");
	T_EQ_INT(k.calls, 1, "no retry with the same size");
}

static void broken_answers(void)
{
	struct kernel k = nested_kernel(PPCCOMPAT_KVM_COMPAT_CAP_POWER9);
	struct ppccompat_kvm_ops ops;
	struct ppccompat_kvm_info info;

	k.answers[0].write_size = 16;
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, "size below 24");
	T_EQ_INT(info.sys_errno, EPROTO, "reported as a protocol error");
	t_ok(t_contains(ppccompat_kvm_status_string(&info), "ABI"), "explained");

	k = nested_kernel(PPCCOMPAT_KVM_COMPAT_CAP_POWER9);
	k.answers[0].write_size = 32;
	ops = ops_for(&k);
	T_EQ_INT(ppccompat_kvm_probe(&ops, &info), PPCCOMPAT_ERR_KVM, "size above ours");

	T_EQ_INT(ppccompat_kvm_probe(NULL, &info), PPCCOMPAT_ERR_BAD_ARG, "NULL ops");
	ops.close = NULL;
	T_EQ_INT(ppccompat_kvm_get_compat_caps(&ops, VM_FD, &info), PPCCOMPAT_ERR_BAD_ARG,
		 "incomplete ops");
}

/* The probe uses the KVM answer over the device tree's. */
static void probe_prefers_kvm(void)
{
	char *root = t_tree_new();
	struct kernel k = nested_kernel(PPCCOMPAT_KVM_COMPAT_CAP_POWER10);
	struct ppccompat_kvm_ops ops = ops_for(&k);
	struct ppccompat_probe_opts opts = { .kvm_ops = &ops };
	struct ppccompat_error err;
	struct ppccompat_host h;
	enum ppccompat_reason why;

	t_build_host(root, &t_p11_lpar_in_p10);
	opts.sysroot = root;
	T_EQ_INT(ppccompat_probe(&opts, &h, &err), 0, "probe with scripted KVM");
	T_EQ_INT(h.kvm.status, PPCCOMPAT_KVM_OK, "KVM answered");
	T_EQ_U64(h.allowed_modes, PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER10), "KVM's modes");
	T_EQ_INT(h.allowed_source, PPCCOMPAT_SOURCE_KVM, "source kvm");
	T_EQ_INT(h.recommended_mode, PPCCOMPAT_MODE_POWER10, "recommended");
	T_EQ_INT(ppccompat_can_run(&h, PPCCOMPAT_MODE_POWER9, &why), 0, "P9 not offered");
	T_EQ_INT(why, PPCCOMPAT_REASON_NOT_OFFERED, "reason: not offered");

	k = nested_kernel(0);
	k.answers[0] = (struct answer){ -EINVAL, 0, 0 };
	T_EQ_INT(ppccompat_probe(&opts, &h, &err), 0, "a failing ioctl is not a probe error");
	T_EQ_INT(h.kvm.status, PPCCOMPAT_KVM_STEP_FAILED, "KVM failure recorded");
	T_EQ_INT(h.allowed_source, PPCCOMPAT_SOURCE_DEVTREE, "fallback to the device tree");
	T_EQ_U64(h.allowed_modes,
		 PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER9) | PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER10),
		 "cumulative modes");

	k = nested_kernel(PPCCOMPAT_KVM_COMPAT_CAP_POWER10);
	opts.flags = PPCCOMPAT_PROBE_NO_KVM;
	T_EQ_INT(ppccompat_probe(&opts, &h, &err), 0, "probe with NO_KVM");
	T_EQ_INT(k.opened, 0, "the ops were not used");
	T_EQ_INT(h.kvm.status, PPCCOMPAT_KVM_NOT_PROBED, "not probed");
	t_tree_free(root);
}

/*
 * Power11 over the nested API v2: the kernel's answer decides where there is
 * one; a kernel without the ioctl (6.12: capability 250 is 0) is judged by
 * its release, and 6.12 never asks PowerVM for Power11 guests.
 */
static void power11_kernel_answers(void)
{
	static const char *const compat[] = { "IBM,9080-HEU", NULL };
	const struct t_host desc = {
		.cpu_name = "Power11 (architected)",
		.revision = "2.0 (pvr 0082 1200)",
		.platform = "pSeries",
		.model = "IBM,9080-HEU",
		.compatible = compat,
		.powervm_markers = true,
		.node_prefix = "PowerPC,POWER11",
		.cpu_nodes = 1,
		.cpu_version = 0x0f000007,
		.os_release = "6.12.117-powerpc64le\n",
	};
	char *root = t_tree_new();
	struct kernel k = nested_kernel(PPCCOMPAT_KVM_COMPAT_CAP_POWER9 |
					PPCCOMPAT_KVM_COMPAT_CAP_POWER10 |
					PPCCOMPAT_KVM_COMPAT_CAP_POWER11);
	struct ppccompat_kvm_ops ops = ops_for(&k);
	struct ppccompat_probe_opts opts = { .kvm_ops = &ops };
	struct ppccompat_error err;
	struct ppccompat_host h;

	t_build_host(root, &desc);
	opts.sysroot = root;
	t_ok(ppccompat_probe(&opts, &h, &err) == 0 && h.allowed_source == PPCCOMPAT_SOURCE_KVM &&
	     h.recommended_mode == PPCCOMPAT_MODE_POWER11 &&
	     !(h.notes & PPCCOMPAT_NOTE_POWER11_UNCONFIRMED),
	     "the ioctl's Power11 stands, whatever the release says");
	k = nested_kernel(0);
	k.check_ret = 0;
	t_ok(ppccompat_probe(&opts, &h, &err) == 0 && h.kvm.status == PPCCOMPAT_KVM_CAP_ABSENT &&
	     h.recommended_mode == PPCCOMPAT_MODE_POWER10 &&
	     (h.notes & PPCCOMPAT_NOTE_POWER11_UNCONFIRMED) &&
	     !strcmp(h.kernel_release, "6.12.117-powerpc64le"),
	     "6.12 without the ioctl in a Power11 partition: power10, not power11 (%s)",
	     ppccompat_mode_name(h.recommended_mode));
	t_tree_free(root);
}

static void defaults(void)
{
	const struct ppccompat_kvm_ops *ops = ppccompat_kvm_default_ops();

	t_ok(ops && ops->open_kvm && ops->ioctl && ops->close, "default ops are complete");
	t_ok(t_contains(ppccompat_kvm_status_string(NULL), "no KVM"), "NULL info");
}

int main(void)
{
	defaults();
	answered();
	not_offered();
	failing_call(EINVAL, "cannot tell the modes");
	failing_call(ENOTTY, "no compat-caps backend");
	failing_call(EFAULT, "could not access");
	e2big();
	broken_answers();
	probe_prefers_kvm();
	power11_kernel_answers();
	return t_done();
}
