/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smallest VMM that runs the L2 payload under HV KVM in PAPR mode, split
 * into the steps a VMM such as QEMU takes, so a caller can tell exactly which
 * ioctl failed and insert KVM_SET_ONE_REG(ARCH_COMPAT) where QEMU does.
 */
#ifndef PPCCOMPAT_LAB_L2_VM_H
#define PPCCOMPAT_LAB_L2_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kvm_run;

struct l2_vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	void *mem;
	struct kvm_run *run;
	size_t run_size;
};

/*
 * Which step failed (an ioctl name, "L2" for the guest itself) and its errno;
 * 0 when the call succeeded but returned something wrong (an exit reason the
 * payload cannot cause, a guest that misbehaved).
 */
struct l2_failure {
	const char *step;
	int err;
};

enum l2_outcome {
	L2_RAN,     /* reached L2_H_DONE having printed all of L2_MESSAGE */
	L2_TRAPPED, /* took an unexpected interrupt (vector in trap_vector) */
	L2_HCALL_LOST, /* an hcall was answered below the L1 (its r3 in lost_hcall_ret) */
	L2_FAILED,  /* KVM_RUN failed, exited oddly, or the L2 misbehaved */
};

#define L2_NOT_WRITTEN 0xffffffffu

struct l2_run_result {
	enum l2_outcome outcome;
	char output[64];        /* what the L2 printed through H_PUT_TERM_CHAR */
	size_t output_len;
	uint64_t printed;       /* characters the L2 says it printed */
	/*
	 * The last KVM exit reason, also when KVM_RUN failed. Before the first
	 * KVM_RUN the VMM stores L2_NOT_WRITTEN in the exit reason and in the
	 * internal-error suberror, so that a kernel which sets neither can be
	 * told from one that sets KVM_EXIT_UNKNOWN (0).
	 */
	uint32_t exit_reason;
	/* internal.suberror after KVM_EXIT_INTERNAL_ERROR, else L2_NOT_WRITTEN */
	uint32_t suberror;
	uint64_t hw_exit_reason; /* the kernel's trap number after KVM_EXIT_UNKNOWN */
	uint64_t hcall;         /* last hcall number */
	uint64_t trap_vector, trap_srr0, trap_srr1;
	uint64_t lost_hcall_ret;
	unsigned int runs;      /* KVM_RUN calls made */
	/* Where the vCPU stood when the run failed, if KVM_GET_REGS could say. */
	bool have_regs;
	uint64_t pc, msr, srr0, srr1;
};

/*
 * Opens /dev/kvm and creates a VM with 2 MiB of memory holding the payload and
 * one vCPU in PAPR mode whose registers start the payload. On failure returns
 * -errno with f naming the step; vm is then already cleaned up.
 */
int l2_vm_create(struct l2_vm *vm, struct l2_failure *f);

/* "hv" or "pr": which KVM runs the VM. */
const char *l2_vm_flavour(const struct l2_vm *vm);

/* KVM_SET_ONE_REG(KVM_REG_PPC_ARCH_COMPAT); 0 or -errno. */
int l2_vm_set_arch_compat(struct l2_vm *vm, uint32_t logical_pvr);

/* KVM_GET_ONE_REG(KVM_REG_PPC_ARCH_COMPAT), a 32-bit register; 0 or -errno. */
int l2_vm_get_arch_compat(struct l2_vm *vm, uint32_t *logical_pvr);

/*
 * Runs the vCPU until the payload stops it, answering its H_PUT_TERM_CHAR
 * calls. Returns 0 when the L2 ran to its end (result->outcome L2_RAN), else
 * a negative errno (-EPROTO when no call failed but the exit or the guest was
 * wrong) with f naming the step. A run that does not end within a generous
 * time limit is interrupted and reported as KVM_RUN failing with EINTR.
 */
int l2_vm_run(struct l2_vm *vm, struct l2_run_result *result, struct l2_failure *f);

/* "KVM_EXIT_UNKNOWN" and the other exits a PAPR vCPU can give, else "exit_reason_N". */
const char *l2_exit_reason_name(uint32_t reason, char buf[static 24]);

void l2_vm_destroy(struct l2_vm *vm);

#endif
