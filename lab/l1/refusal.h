/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a vCPU is left with after KVM_SET_ONE_REG(KVM_REG_PPC_ARCH_COMPAT)
 * refused a level, judged against the two outcomes mainline Linux has (read
 * in linux-source-7.3: kvmppc_set_arch_compat() and kvmppc_vcpu_run_hv() in
 * arch/powerpc/kvm/book3s_hv.c, kvmppc_sanity_check() in powerpc.c):
 *
 * - kept: the write changed nothing. KVM_GET_ONE_REG reads the level from
 *   before the write, and the next KVM_RUN is not refused (whatever the guest
 *   then does is the previous level's business).
 * - stopped: Power11 on a host that is not Power11. The vcore holds
 *   PVR_ARCH_INVALID (0xffffffff), which KVM_GET_ONE_REG returns, the vCPU
 *   is "not sane", and KVM_RUN fails with EINVAL after setting the exit
 *   reason KVM_EXIT_INTERNAL_ERROR; no suberror is written.
 *
 * Anything else is a kernel that differs from mainline, and a failing line.
 */
#ifndef PPCCOMPAT_LAB_REFUSAL_H
#define PPCCOMPAT_LAB_REFUSAL_H

#include "l2-vm.h"
#include "tap.h"

#include <stdbool.h>
#include <stdint.h>

/* PVR_ARCH_INVALID in mainline's arch/powerpc/include/asm/reg.h */
#define REFUSAL_INVALID_MARKER 0xffffffffu

struct refusal {
	int previous_err;   /* KVM_GET_ONE_REG before the write: 0 or errno */
	uint32_t previous;
	int readback_err;   /* KVM_GET_ONE_REG after it: 0 or errno */
	uint32_t readback;
	int run_err;        /* the failing KVM_RUN's errno, 0 when none failed */
	bool ran;           /* the L2 ran to its end */
	uint32_t exit_reason; /* struct l2_run_result's, L2_NOT_WRITTEN included */
	uint32_t suberror;
};

enum refusal_kind {
	REFUSAL_KEPT,
	REFUSAL_STOPPED,
	REFUSAL_NEITHER,
};

/* KVM_GET_ONE_REG(ARCH_COMPAT) into value/err (err 0 when it succeeded). */
void refusal_read(struct l2_vm *vm, uint32_t *value, int *err);

/* r's run fields from l2_vm_run()'s return value r_run, result and failure. */
void refusal_set_run(struct refusal *r, int r_run, const struct l2_run_result *result,
		     const struct l2_failure *f);

enum refusal_kind refusal_classify(const struct refusal *r);

/*
 * "# fact <prefix>.readback=0x…|<errno>", "<prefix>.exit_reason=KVM_EXIT_…|
 * not_written" and, after KVM_EXIT_INTERNAL_ERROR, "<prefix>.suberror=N|
 * not_written". Meaningful after any write, accepted or refused.
 */
void refusal_facts(const char *prefix, const struct refusal *r);

/*
 * One TAP line: the refusal of @what left one of mainline's two outcomes.
 * Returns the outcome.
 */
enum refusal_kind refusal_check(struct tap *tap, const char *what, const struct refusal *r);

#endif
