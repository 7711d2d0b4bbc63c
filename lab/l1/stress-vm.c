// SPDX-License-Identifier: GPL-2.0
/*
 * The stress program's pooled VMs: their creation and destruction, new
 * vCPUs, KVM_SET_ONE_REG(ARCH_COMPAT) with every level and what ABI.md lets
 * each get, and runs of the L2 judged against the level the vCPU holds.
 */
#include "stress.h"

#include "l2-payload.h"
#include "prng.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* ---------------------------------------------------------------- levels */

static uint32_t read_pvr(void)
{
	unsigned long pvr;

	__asm__ volatile("mfpvr %0" : "=r"(pvr));
	return (uint32_t)pvr;
}

static void add_level(struct stress *s, const char *name, uint32_t pvr, enum ppccompat_mode mode,
		      enum level_rule rule)
{
	struct level *l;

	if (s->n_levels >= MAX_LEVELS)
		return;
	l = &s->levels[s->n_levels++];
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->pvr = pvr;
	l->mode = mode;
	l->rule = rule;
	atomic_init(&l->first_answer, -1);
}

/* 0, every logical PVR of libppccompat's table, and values no kernel accepts. */
void build_levels(struct stress *s)
{
	char name[24];

	add_level(s, "zero", 0, PPCCOMPAT_MODE_NONE, RULE_HOST);
	for (enum ppccompat_mode m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST; m++) {
		const struct ppccompat_generation *gen = ppccompat_generation(m);

		for (unsigned int i = 0; i < gen->n_logical_pvrs; i++) {
			snprintf(name, sizeof(name), "%s%s", gen->name, i ? "_alt" : "");
			add_level(s, name, gen->logical_pvrs[i], m,
				  gen->kvm_cap_bit && s->caps_known ? RULE_CAPS : RULE_EITHER);
		}
	}
	add_level(s, "all_ones", 0xffffffff, PPCCOMPAT_MODE_NONE, RULE_NEVER);
	add_level(s, "junk", 0x12345678, PPCCOMPAT_MODE_NONE, RULE_NEVER);
	add_level(s, "raw_pvr", read_pvr(), PPCCOMPAT_MODE_NONE, RULE_NEVER);
}

/* The levels ABI.md lets this call answer: bit 0 "accepted", bit 1 "EINVAL". */
static unsigned int level_answers(const struct stress *s, const struct level *l)
{
	switch (l->rule) {
	case RULE_NEVER:
		return 2;
	case RULE_HOST:
		/* a v2 L0 that did not grant the host's own mode makes mainline refuse 0 */
		return s->host_granted ? 1 : 3;
	case RULE_CAPS:
		return s->k.caps & ppccompat_generation(l->mode)->kvm_cap_bit ? 1 : 2;
	case RULE_EITHER:
	default:
		return 3;
	}
}

/* A vCPU at this level must run the L2 (the host's level, or one the caps grant). */
static bool level_must_run(const struct stress *s, int index)
{
	if (index < 0)
		return s->host_granted;
	return s->levels[index].rule == RULE_CAPS ||
	       (s->levels[index].rule == RULE_HOST && s->host_granted);
}

/* ---------------------------------------------------------------- runs */

/* Back to the payload's entry, so that the same vCPU can run the L2 again. */
static int reset_vcpu(struct l2_vm *vm)
{
	struct kvm_regs regs;

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return errno;
	regs.pc = L2_ENTRY;
	regs.msr = L2_MSR;
	return ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0 ? errno : 0;
}

/*
 * l2_vm_run() under a SIGALRM only this thread takes: the others keep it
 * blocked, so that a run that hangs is the one interrupted.
 */
int run_l2(struct l2_vm *vm, struct l2_run_result *res, struct l2_failure *f)
{
	sigset_t alrm;
	int r;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
	r = l2_vm_run(vm, res, f);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	return r;
}


/* Takes a random live pooled VM for reading; NULL when the one drawn is empty. */
struct vm_slot *use_vm(struct worker *w)
{
	struct vm_slot *v = &w->s->pool[prng_below(&w->rng, POOL_VMS)];

	pthread_rwlock_rdlock(&v->life);
	if (v->live)
		return v;
	pthread_rwlock_unlock(&v->life);
	return NULL;
}

/* ---------------------------------------------------------------- KVM_CHECK_EXTENSION */

void op_check_ext(struct worker *w)
{
	struct stress *s = w->s;
	struct vm_slot *v = prng_below(&w->rng, 2) ? use_vm(w) : NULL;
	int fd = v ? v->vm.vm_fd : s->kvm_fd, r, err;

	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_COMPAT_CAPS);
	err = r < 0 ? errno : 0;
	if (v)
		pthread_rwlock_unlock(&v->life);
	count(s, OP_CHECK_EXT, err);
	if (r != s->cap)
		unexpected(s, OP_CHECK_EXT, "on %s: %d (errno %d), /dev/kvm said %d at the start",
			   v ? "a VM" : "/dev/kvm", r, err, s->cap);
}

/* ---------------------------------------------------------------- VMs and vCPUs */

void destroy_slot(struct vm_slot *v)
{
	for (int i = 0; i < EXTRA_VCPUS; i++) {
		if (v->extra_fd[i] >= 0)
			close(v->extra_fd[i]);
		v->extra_fd[i] = -1;
	}
	l2_vm_destroy(&v->vm);
	v->live = false;
}

void op_vm_create(struct worker *w)
{
	struct stress *s = w->s;
	struct vm_slot *v = &s->pool[prng_below(&w->rng, POOL_VMS)];
	struct l2_failure f;
	char errbuf[16];
	int r;

	pthread_rwlock_wrlock(&v->life);
	if (!v->live) {
		r = l2_vm_create(&v->vm, &f);
		count(s, OP_VM_CREATE, -r);
		if (r) {
			unexpected(s, OP_VM_CREATE, "failed at %s: %s", f.step,
				   caps_errno_name(f.err, errbuf));
		} else {
			atomic_fetch_add(&s->c.vms_created, 1);
			v->live = true;
			v->ids_used = 1;
			v->level = -1;
			v->stopped = false;
		}
	}
	pthread_rwlock_unlock(&v->life);
}

void op_vm_destroy(struct worker *w)
{
	struct vm_slot *v = &w->s->pool[prng_below(&w->rng, POOL_VMS)];

	pthread_rwlock_wrlock(&v->life);
	if (v->live) {
		destroy_slot(v);
		count(w->s, OP_VM_DESTROY, 0);
	}
	pthread_rwlock_unlock(&v->life);
}

void op_vcpu_create(struct worker *w)
{
	struct stress *s = w->s;
	struct vm_slot *v = use_vm(w);
	unsigned int id, next = 1;
	char errbuf[16];
	bool used;
	int fd, err;

	if (!v)
		return;
	pthread_mutex_lock(&v->vcpu);
	/*
	 * The next id, or (one time in four, or when all are taken) one in use.
	 * Never one past the next: QEMU's nested-API-v2 L0 aborts on a vCPU id
	 * above the number it has (hw/ppc/spapr_nested.c, h_guest_create_vcpu():
	 * "assert(vcpuid == guest->nr_vcpus)"), which the L1 passes through.
	 */
	while (next <= EXTRA_VCPUS && (v->ids_used & (1u << next)))
		next++;
	if (next <= EXTRA_VCPUS && prng_below(&w->rng, 4))
		id = next;
	else
		id = (unsigned int)prng_below(&w->rng, next);
	used = v->ids_used & (1u << id);
	fd = ioctl(v->vm.vm_fd, KVM_CREATE_VCPU, id);
	err = fd < 0 ? errno : 0;
	count(s, OP_VCPU_CREATE, err);
	if (fd >= 0 && !used) {
		atomic_fetch_add(&s->c.vcpus_created, 1);
		v->ids_used |= 1u << id;
		v->extra_fd[id - 1] = fd;
	}
	/*
	 * A new id must be created; an id in use is refused: EEXIST in
	 * kvm_vm_ioctl_create_vcpu(), or EINVAL where Book3S HV on ISA 3.0 finds
	 * the vcore taken first (kvmppc_core_vcpu_create_hv()).
	 */
	if (used ? fd >= 0 || (err != EEXIST && err != EINVAL) : fd < 0)
		unexpected(s, OP_VCPU_CREATE, "id %u (%s) -> %s", id, used ? "in use" : "new",
			   fd >= 0 ? "created" : caps_errno_name(err, errbuf));
	if (fd >= 0 && used)
		close(fd);
	pthread_mutex_unlock(&v->vcpu);
	pthread_rwlock_unlock(&v->life);
}

/* ---------------------------------------------------------------- ARCH_COMPAT and runs */

void op_set_compat(struct worker *w)
{
	struct stress *s = w->s;
	struct vm_slot *v = use_vm(w);
	unsigned int index = (unsigned int)prng_below(&w->rng, s->n_levels);
	struct level *l = &s->levels[index];
	unsigned int allowed = level_answers(s, l);
	int err, answer, first = -1;
	char errbuf[16];

	if (!v)
		return;
	pthread_mutex_lock(&v->vcpu);
	err = -l2_vm_set_arch_compat(&v->vm, l->pvr);
	count(s, OP_SET_COMPAT, err);
	answer = err == 0 ? 0 : err == EINVAL ? 1 : 2;
	if (answer == 2 || !(allowed & (1u << answer)))
		unexpected(s, OP_SET_COMPAT, "%s (0x%08" PRIx32 ") -> %s, ABI.md allows %s", l->name,
			   l->pvr, caps_errno_name(err, errbuf),
			   allowed == 3 ? "0 or EINVAL" : allowed == 1 ? "0" : "EINVAL");
	else if (!atomic_compare_exchange_strong(&l->first_answer, &first, answer) &&
		 first != answer)
		unexpected(s, OP_SET_COMPAT, "%s (0x%08" PRIx32 ") -> %s, earlier %s", l->name,
			   l->pvr, caps_errno_name(err, errbuf), first ? "EINVAL" : "accepted");
	if (err == 0) {
		v->level = (int)index;
		v->stopped = false;
	} else if (err == EINVAL && l->mode == PPCCOMPAT_MODE_POWER11 && !s->host_is_power11 &&
		   !s->refusal_keeps_level) {
		/* ABI.md: marked unrunnable until a valid level is set */
		v->stopped = true;
	}
	pthread_mutex_unlock(&v->vcpu);
	pthread_rwlock_unlock(&v->life);
}

/* Judges one run of the L2 on a vCPU at level index (-1: never set), stopped or not. */
void judge_run(struct stress *s, enum op op, int r, const struct l2_run_result *res,
		      const struct l2_failure *f, int index, bool stopped)
{
	const char *level = index < 0 ? "default" : s->levels[index].name;
	char errbuf[16], exitbuf[24];

	if (r == 0)
		atomic_fetch_add(&s->c.runs_ran, 1);
	if (stopped) {
		/* refusal.h's "stopped": EINVAL with KVM_EXIT_INTERNAL_ERROR, no suberror */
		bool refused = r != 0 && !strcmp(f->step, "KVM_RUN") && f->err == EINVAL &&
			       res->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
			       res->suberror == L2_NOT_WRITTEN;

		if (r == 0)
			atomic_fetch_add(&s->c.stopped_ran, 1);
		else if (refused)
			atomic_fetch_add(&s->c.stopped_refused, 1);
		if (!refused)
			unexpected(s, op,
				   "vCPU refused Power11 %s: KVM_RUN %s, exit %s, not stopped as "
				   "mainline stops it",
				   r == 0 ? "RAN THE L2" : "failed otherwise",
				   caps_errno_name(f->err, errbuf),
				   l2_exit_reason_name(res->exit_reason, exitbuf));
		return;
	}
	if (r != 0 && level_must_run(s, index))
		unexpected(s, op, "level %s: failed at %s: %s, exit %s, hcall 0x%" PRIx64
			   ", output \"%s\"",
			   level, f->step, caps_errno_name(f->err, errbuf),
			   l2_exit_reason_name(res->exit_reason, exitbuf), res->hcall, res->output);
}

void op_run(struct worker *w)
{
	struct stress *s = w->s;
	struct vm_slot *v = use_vm(w);
	struct l2_run_result res;
	struct l2_failure f;
	char errbuf[16];
	int r;

	if (!v)
		return;
	pthread_mutex_lock(&v->vcpu);
	r = reset_vcpu(&v->vm);
	if (r) {
		count(s, OP_RUN, r);
		unexpected(s, OP_RUN, "resetting the vCPU's registers: %s",
			   caps_errno_name(r, errbuf));
	} else {
		r = run_l2(&v->vm, &res, &f);
		count(s, OP_RUN, -r);
		judge_run(s, OP_RUN, r, &res, &f, v->level, v->stopped);
	}
	pthread_mutex_unlock(&v->vcpu);
	pthread_rwlock_unlock(&v->life);
}
