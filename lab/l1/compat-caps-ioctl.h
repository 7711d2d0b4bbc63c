/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM_PPC_GET_COMPAT_CAPS as the lab programs issue it. The constants come
 * from libppccompat's header, the project's one copy of the 7.3 ABI; the
 * distribution's <linux/kvm.h> predates it.
 */
#ifndef PPCCOMPAT_LAB_COMPAT_CAPS_IOCTL_H
#define PPCCOMPAT_LAB_COMPAT_CAPS_IOCTL_H

#include <linux/kvm.h>
#include <ppccompat.h>

#define KVM_CAP_PPC_COMPAT_CAPS PPCCOMPAT_KVM_CAP_PPC_COMPAT_CAPS
#define KVM_PPC_GET_COMPAT_CAPS _IO(KVMIO, PPCCOMPAT_KVM_PPC_GET_COMPAT_CAPS_NR)

#if defined(__powerpc64__)
_Static_assert(KVM_PPC_GET_COMPAT_CAPS == 0x2000aeb8, "ABI.md gives 0x2000aeb8 on powerpc");
#endif
_Static_assert(sizeof(struct ppccompat_kvm_compat_caps) == PPCCOMPAT_KVM_COMPAT_CAPS_SIZE_VER0,
	       "struct kvm_ppc_compat_caps version 0 is 24 bytes");

#endif
