// SPDX-License-Identifier: GPL-2.0
#include "l2-vm.h"

#include "l2-payload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* PAPR hcall return codes the payload can be given. */
#define H_SUCCESS 0
#define H_PARAMETER (-4)

/* The payload needs 17 exits; anything far beyond that is a runaway guest. */
#define L2_MAX_RUNS 1000
/* TCG-on-TCG is slow, but one run of the payload takes well under a second. */
#define L2_RUN_TIMEOUT_S 10

/* err 0: the step's call succeeded, but what came back was wrong. */
static int fail(struct l2_failure *f, const char *step, int err)
{
	f->step = step;
	f->err = err;
	return err ? -err : -EPROTO;
}

static int set_one_reg(int vcpu_fd, uint64_t id, void *value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)value };

	return ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg) < 0 ? -errno : 0;
}

static int get_one_reg(int vcpu_fd, uint64_t id, void *value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)value };

	return ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg) < 0 ? -errno : 0;
}

static int create_steps(struct l2_vm *vm, struct l2_failure *f)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
	struct kvm_regs regs;
	uint64_t lpcr;
	int size, r;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return fail(f, "open_dev_kvm", errno);
	/* Type 0: HV KVM where the kernel has it, as QEMU asks for by default. */
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return fail(f, "KVM_CREATE_VM", errno);

	vm->mem =
		mmap(NULL, L2_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return fail(f, "mmap_guest_memory", errno);
	}
	l2_payload_load(vm->mem);
	region.memory_size = L2_MEM_SIZE;
	region.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail(f, "KVM_SET_USER_MEMORY_REGION", errno);

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return fail(f, "KVM_CREATE_VCPU", errno);
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		return fail(f, "KVM_GET_VCPU_MMAP_SIZE", errno);
	vm->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return fail(f, "mmap_kvm_run", errno);
	}
	vm->run_size = (size_t)size;

	/* Without PAPR mode HV KVM refuses to run the vCPU at all (EINVAL). */
	if (ioctl(vm->vcpu_fd, KVM_ENABLE_CAP, &papr) < 0)
		return fail(f, "KVM_ENABLE_CAP", errno);

	r = get_one_reg(vm->vcpu_fd, KVM_REG_PPC_LPCR_64, &lpcr);
	if (r)
		return fail(f, "KVM_GET_ONE_REG_LPCR", -r);
	lpcr |= L2_LPCR_ILE;
	r = set_one_reg(vm->vcpu_fd, KVM_REG_PPC_LPCR_64, &lpcr);
	if (r)
		return fail(f, "KVM_SET_ONE_REG_LPCR", -r);

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return fail(f, "KVM_GET_REGS", errno);
	regs.pc = L2_ENTRY;
	regs.msr = L2_MSR;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return fail(f, "KVM_SET_REGS", errno);
	return 0;
}

int l2_vm_create(struct l2_vm *vm, struct l2_failure *f)
{
	int r;

	*vm = (struct l2_vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1 };
	*f = (struct l2_failure){ .step = "", .err = 0 };
	r = create_steps(vm, f);
	if (r)
		l2_vm_destroy(vm);
	return r;
}

/*
 * HV and PR KVM share /dev/kvm, and a type-0 VM is HV's where the kernel can
 * run it; a test about one of them must show which it got. On a VM fd,
 * KVM_CAP_PPC_GET_PVINFO is PR's alone (kvm_vm_ioctl_check_extension() in
 * arch/powerpc/kvm/powerpc.c answers !hv_enabled).
 */
const char *l2_vm_flavour(const struct l2_vm *vm)
{
	return ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_GET_PVINFO) > 0 ? "pr" : "hv";
}

int l2_vm_set_arch_compat(struct l2_vm *vm, uint32_t logical_pvr)
{
	return set_one_reg(vm->vcpu_fd, KVM_REG_PPC_ARCH_COMPAT, &logical_pvr);
}

int l2_vm_get_arch_compat(struct l2_vm *vm, uint32_t *logical_pvr)
{
	return get_one_reg(vm->vcpu_fd, KVM_REG_PPC_ARCH_COMPAT, logical_pvr);
}

static void on_alarm(int sig)
{
	(void)sig; /* only here so that SIGALRM interrupts KVM_RUN instead of killing us */
}

/* H_PUT_TERM_CHAR: r5 bytes (at most 16) stored big-endian in r6 and r7. */
static void put_term_char(struct l2_run_result *result, const uint64_t *args)
{
	uint64_t len = args[1] < 16 ? args[1] : 16;

	for (uint64_t i = 0; i < len; i++) {
		uint64_t word = args[2 + i / 8];
		char c = (char)(word >> (56 - 8 * (i % 8)));

		if (result->output_len + 1 < sizeof(result->output))
			result->output[result->output_len++] = c;
	}
	result->output[result->output_len] = '\0';
}

/* 1: the L2 wants to continue; 0: it ended as planned; -EPROTO: it misbehaved. */
static int handle_hcall(struct kvm_run *run, struct l2_run_result *result)
{
	const uint64_t *args = run->papr_hcall.args;

	result->hcall = run->papr_hcall.nr;
	switch (run->papr_hcall.nr) {
	case H_PUT_TERM_CHAR:
		if (args[0] != 0 || args[1] > 16) {
			run->papr_hcall.ret = (uint64_t)H_PARAMETER;
			return -EPROTO;
		}
		put_term_char(result, args);
		run->papr_hcall.ret = H_SUCCESS;
		return 1;
	case L2_H_DONE:
		result->printed = args[0];
		if (result->printed != strlen(L2_MESSAGE) || strcmp(result->output, L2_MESSAGE))
			return -EPROTO;
		result->outcome = L2_RAN;
		return 0;
	case L2_H_TRAP:
		result->outcome = L2_TRAPPED;
		result->trap_vector = args[0];
		result->trap_srr0 = args[1];
		result->trap_srr1 = args[2];
		return -EPROTO;
	default:
		return -EPROTO;
	}
}

/* The payload's report that an hcall did not reach us (see l2_lost). */
static void lost_hcall(const struct kvm_run *run, struct l2_run_result *result)
{
	uint64_t value;

	if (run->mmio.phys_addr != L2_LOST_MMIO_ADDR || !run->mmio.is_write ||
	    run->mmio.len != sizeof(value))
		return;
	memcpy(&value, run->mmio.data, sizeof(value));
	result->outcome = L2_HCALL_LOST;
	result->lost_hcall_ret = value;
}

static void save_regs(const struct l2_vm *vm, struct l2_run_result *result)
{
	struct kvm_regs regs;

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return;
	result->have_regs = true;
	result->pc = regs.pc;
	result->msr = regs.msr;
	result->srr0 = regs.srr0;
	result->srr1 = regs.srr1;
}

static int run_loop(struct l2_vm *vm, struct l2_run_result *result, struct l2_failure *f)
{
	struct sigaction alarm_action = { .sa_handler = on_alarm };

	*result = (struct l2_run_result){ .outcome = L2_FAILED, .exit_reason = L2_NOT_WRITTEN,
					  .suberror = L2_NOT_WRITTEN };
	*f = (struct l2_failure){ .step = "", .err = 0 };
	/*
	 * Only before the first entry: later, the union holds the answer to the
	 * L2's hcall, which KVM_RUN reads.
	 */
	vm->run->exit_reason = L2_NOT_WRITTEN;
	vm->run->internal.suberror = L2_NOT_WRITTEN;
	sigemptyset(&alarm_action.sa_mask);
	if (sigaction(SIGALRM, &alarm_action, NULL) < 0)
		return fail(f, "sigaction", errno);

	while (result->runs < L2_MAX_RUNS) {
		int r, err;

		alarm(L2_RUN_TIMEOUT_S);
		r = ioctl(vm->vcpu_fd, KVM_RUN, 0);
		err = errno;
		alarm(0);
		result->runs++;
		result->exit_reason = vm->run->exit_reason;
		if (result->exit_reason == KVM_EXIT_INTERNAL_ERROR)
			result->suberror = vm->run->internal.suberror;
		if (r < 0)
			return fail(f, "KVM_RUN", err);
		if (vm->run->exit_reason == KVM_EXIT_MMIO) {
			lost_hcall(vm->run, result);
			return fail(f, "L2", 0);
		}
		if (vm->run->exit_reason != KVM_EXIT_PAPR_HCALL) {
			if (vm->run->exit_reason == KVM_EXIT_UNKNOWN)
				result->hw_exit_reason = vm->run->hw.hardware_exit_reason;
			return fail(f, "KVM_RUN", 0);
		}
		r = handle_hcall(vm->run, result);
		if (r == 0)
			return 0;
		if (r < 0)
			return fail(f, "L2", 0);
	}
	return fail(f, "L2", 0);
}

int l2_vm_run(struct l2_vm *vm, struct l2_run_result *result, struct l2_failure *f)
{
	int r = run_loop(vm, result, f);

	if (r)
		save_regs(vm, result);
	return r;
}

const char *l2_exit_reason_name(uint32_t reason, char buf[static 24])
{
	switch (reason) {
	case L2_NOT_WRITTEN:
		return "not_written";
	case KVM_EXIT_UNKNOWN:
		return "KVM_EXIT_UNKNOWN";
	case KVM_EXIT_MMIO:
		return "KVM_EXIT_MMIO";
	case KVM_EXIT_FAIL_ENTRY:
		return "KVM_EXIT_FAIL_ENTRY";
	case KVM_EXIT_INTERNAL_ERROR:
		return "KVM_EXIT_INTERNAL_ERROR";
	case KVM_EXIT_PAPR_HCALL:
		return "KVM_EXIT_PAPR_HCALL";
	default:
		snprintf(buf, 24, "exit_reason_%" PRIu32, reason);
		return buf;
	}
}

void l2_vm_destroy(struct l2_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem)
		munmap(vm->mem, L2_MEM_SIZE);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	*vm = (struct l2_vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1 };
}
