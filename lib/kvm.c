// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * KVM_PPC_GET_COMPAT_CAPS and the steps that lead to it. The constants and
 * the structure are the ABI of Linux 7.3 (project ABI.md); host kernel
 * headers do not have them yet, so the request is built here from KVMIO,
 * which gives 0x2000aeb8 on powerpc and a harmless unknown ioctl elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

#define KVM_PPC_GET_COMPAT_CAPS_REQUEST _IO(KVMIO, PPCCOMPAT_KVM_PPC_GET_COMPAT_CAPS_NR)

#if defined(__powerpc__)
_Static_assert(KVM_PPC_GET_COMPAT_CAPS_REQUEST == 0x2000aeb8u,
	       "ABI.md: KVM_PPC_GET_COMPAT_CAPS is 0x2000aeb8 on powerpc");
#endif
_Static_assert(sizeof(struct ppccompat_kvm_compat_caps) == PPCCOMPAT_KVM_COMPAT_CAPS_SIZE_VER0,
	       "struct kvm_ppc_compat_caps version 0 is 24 bytes");

/* The kernel rejects sizes above one page; the smallest ppc64 page is 4 KiB. */
#define COMPAT_CAPS_MAX_SIZE 4096

static int sys_open_kvm(void *ctx)
{
	int fd;

	(void)ctx;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sys_ioctl(void *ctx, int fd, unsigned long request, unsigned long arg)
{
	int ret;

	(void)ctx;
	ret = ioctl(fd, request, arg);
	return ret < 0 ? -errno : ret;
}

static void sys_close(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

static const struct ppccompat_kvm_ops default_ops = {
	.open_kvm = sys_open_kvm,
	.ioctl = sys_ioctl,
	.close = sys_close,
	.ctx = NULL,
};

const struct ppccompat_kvm_ops *ppccompat_kvm_default_ops(void)
{
	return &default_ops;
}

static void info_init(struct ppccompat_kvm_info *info)
{
	memset(info, 0, sizeof(*info));
	info->status = PPCCOMPAT_KVM_NOT_PROBED;
	info->cap = -1;
}

static int step_failed(struct ppccompat_kvm_info *info, const char *step, int sys_errno)
{
	info->status = PPCCOMPAT_KVM_STEP_FAILED;
	pc_strlcpy(info->failed_step, step, sizeof(info->failed_step));
	info->sys_errno = sys_errno;
	return PPCCOMPAT_ERR_KVM;
}

static bool ops_valid(const struct ppccompat_kvm_ops *ops)
{
	return ops && ops->open_kvm && ops->ioctl && ops->close;
}

int ppccompat_kvm_get_compat_caps(const struct ppccompat_kvm_ops *ops, int vm_fd,
				  struct ppccompat_kvm_info *info)
{
	/* uint64_t words: the structure is three __u64 and must be aligned for them */
	uint64_t buf[COMPAT_CAPS_MAX_SIZE / sizeof(uint64_t)];
	struct ppccompat_kvm_compat_caps *caps = (struct ppccompat_kvm_compat_caps *)buf;
	uint64_t size = sizeof(*caps);
	int ret;

	if (!ops_valid(ops) || !info)
		return PPCCOMPAT_ERR_BAD_ARG;
	info->e2big_retries = 0;
	info->kernel_size = 0;
	info->caps = 0;
	info->caps_raw = 0;
	for (;;) {
		/* the tail past our fields must be zero, or the kernel says E2BIG */
		memset(buf, 0, (size_t)size);
		caps->size = size;
		caps->flags = 0;
		ret = ops->ioctl(ops->ctx, vm_fd, KVM_PPC_GET_COMPAT_CAPS_REQUEST,
				 (unsigned long)buf);
		if (ret != -E2BIG || info->e2big_retries > 0)
			break;
		/* the kernel wrote its own size back: one retry with exactly that */
		info->kernel_size = caps->size;
		if (caps->size < PPCCOMPAT_KVM_COMPAT_CAPS_SIZE_VER0 ||
		    caps->size > COMPAT_CAPS_MAX_SIZE || caps->size == size)
			break;
		size = caps->size;
		info->e2big_retries++;
	}
	if (ret < 0)
		return step_failed(info, "KVM_PPC_GET_COMPAT_CAPS", -ret);
	info->kernel_size = caps->size;
	if (caps->size < PPCCOMPAT_KVM_COMPAT_CAPS_SIZE_VER0 || caps->size > size)
		return step_failed(info, "KVM_PPC_GET_COMPAT_CAPS", EPROTO);
	info->caps_raw = caps->compat_capabilities;
	info->caps = caps->compat_capabilities & PPCCOMPAT_KVM_COMPAT_BITMASK;
	info->status = PPCCOMPAT_KVM_OK;
	info->failed_step[0] = '\0';
	info->sys_errno = 0;
	return 0;
}

int ppccompat_kvm_probe(const struct ppccompat_kvm_ops *ops, struct ppccompat_kvm_info *info)
{
	int kvm_fd, vm_fd, ret;

	if (!ops_valid(ops) || !info)
		return PPCCOMPAT_ERR_BAD_ARG;
	info_init(info);
	kvm_fd = ops->open_kvm(ops->ctx);
	if (kvm_fd < 0) {
		bool absent = kvm_fd == -ENOENT || kvm_fd == -ENODEV || kvm_fd == -ENXIO;

		step_failed(info, "open", -kvm_fd);
		info->status = absent ? PPCCOMPAT_KVM_NO_DEVICE : PPCCOMPAT_KVM_OPEN_FAILED;
		return PPCCOMPAT_ERR_KVM;
	}
	ret = ops->ioctl(ops->ctx, kvm_fd, KVM_CHECK_EXTENSION,
			 PPCCOMPAT_KVM_CAP_PPC_COMPAT_CAPS);
	if (ret < 0) {
		ret = step_failed(info, "KVM_CHECK_EXTENSION", -ret);
		goto out;
	}
	info->cap = ret;
	if (ret == 0) {
		info->status = PPCCOMPAT_KVM_CAP_ABSENT;
		ret = PPCCOMPAT_ERR_KVM;
		goto out;
	}
	/*
	 * Type 0 lets the kernel pick HV when kvm-hv is loaded (arch/powerpc/kvm/powerpc.c
	 * kvm_arch_init_vm); the ioctl's answer is about that flavour.
	 */
	vm_fd = ops->ioctl(ops->ctx, kvm_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0) {
		ret = step_failed(info, "KVM_CREATE_VM", -vm_fd);
		goto out;
	}
	ret = ppccompat_kvm_get_compat_caps(ops, vm_fd, info);
	ops->close(ops->ctx, vm_fd);
out:
	ops->close(ops->ctx, kvm_fd);
	return ret;
}

static const char *compat_caps_failure(int sys_errno)
{
	switch (sys_errno) {
	case ENOTTY:
		return "the kernel has no compat-caps backend for this KVM flavour";
	case EINVAL:
		return "the kernel cannot tell the modes (nested API v1 without a usable cpu-version) or refused the request";
	case EFAULT:
		return "the kernel could not access the request structure";
	case E2BIG:
		return "the kernel refused the structure size";
	case EPROTO:
		return "the kernel's answer does not follow the ABI (size out of range)";
	default:
		return "KVM_PPC_GET_COMPAT_CAPS failed";
	}
}

const char *ppccompat_kvm_status_string(const struct ppccompat_kvm_info *info)
{
	if (!info)
		return "no KVM information";
	switch (info->status) {
	case PPCCOMPAT_KVM_NOT_PROBED:
		return "KVM was not asked";
	case PPCCOMPAT_KVM_NO_DEVICE:
		return "/dev/kvm does not exist: KVM is not loaded here";
	case PPCCOMPAT_KVM_OPEN_FAILED:
		return info->sys_errno == EACCES ? "no permission to open /dev/kvm"
						 : "/dev/kvm cannot be opened";
	case PPCCOMPAT_KVM_CAP_ABSENT:
		return "the kernel does not offer KVM_CAP_PPC_COMPAT_CAPS (older kernel, bare metal or PR KVM)";
	case PPCCOMPAT_KVM_STEP_FAILED:
		if (!strcmp(info->failed_step, "KVM_PPC_GET_COMPAT_CAPS"))
			return compat_caps_failure(info->sys_errno);
		if (!strcmp(info->failed_step, "KVM_CREATE_VM"))
			return "a throw-away VM could not be created";
		return "KVM_CHECK_EXTENSION failed";
	case PPCCOMPAT_KVM_OK:
		return "the kernel reported the modes its guests may use";
	}
	return "unknown KVM status";
}
