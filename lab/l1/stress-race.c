// SPDX-License-Identifier: GPL-2.0
/*
 * The stress program's KVM_PPC_GET_COMPAT_CAPS calls: random requests
 * judged by caps-model, well-formed ones in a buffer the mapper thread keeps
 * replacing, and calls on published fds that other threads close - the
 * answer judged exactly when the fd provably stayed open, else against
 * every file the program opens.
 */
#include "stress.h"

#include "prng.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The answer a KVM_CHECK_EXTENSION may get from an fd of this kind. */
static bool check_ext_ok(const struct stress *s, enum caps_fd_kind kind, int r, int err)
{
	switch (kind) {
	case CAPS_FD_VM:
	case CAPS_FD_DEV:
		return r == s->cap;
	case CAPS_FD_VCPU:
		return r < 0 && err == EINVAL; /* kvm_arch_vcpu_ioctl()'s default */
	case CAPS_FD_OTHER:
		return r < 0 && err == ENOTTY;
	case CAPS_FD_CLOSED:
	default:
		return r < 0 && err == EBADF;
	}
}


/* ---------------------------------------------------------------- KVM_PPC_GET_COMPAT_CAPS */

/* A random request from this thread's arena to fd, judged for the kinds it may be. */
/*
 * Judges the answer to request r and puts the arena back; what the
 * request went to is described by fd_desc for the report.
 */
static void judge_caps(struct worker *w, enum op op, unsigned int kinds,
		       const struct caps_request *r, int err, const char *fd_desc)
{
	struct stress *s = w->s;
	char why[200], desc[200], errbuf[16];

	switch (caps_request_judge(&w->arena, &s->k, kinds, r, err, why, sizeof(why))) {
	case CAPS_ALLOWED:
		caps_request_restore(&w->arena, r);
		return;
	case CAPS_UNWRITTEN_UNCHANGED:
		if (atomic_fetch_add(&s->c.unwritten, 1) < 3) {
			caps_request_describe(&w->arena, r, desc, sizeof(desc));
			note(s, "not mainline's: %s %s -> 0, the read-only bytes left unwritten "
				"held the answer already; mainline: %s",
			     fd_desc, desc, why);
		}
		break;
	case CAPS_REFUSED:
		caps_request_describe(&w->arena, r, desc, sizeof(desc));
		unexpected(s, op, "%s %s -> %s: %s", fd_desc, desc, caps_errno_name(err, errbuf),
			   why);
		break;
	}
	caps_arena_reset(&w->arena);
}

/* A random request from this thread's arena to fd, judged for the kinds it may be. */
static void caps_call(struct worker *w, enum op op, int fd, unsigned int kinds, bool count_bad,
		      const char *fd_name)
{
	struct stress *s = w->s;
	struct caps_request r;
	char fd_desc[32];
	int err;

	caps_request_random(&w->arena, &w->rng, &r);
	caps_request_place(&w->arena, &r);
	err = ioctl(fd, KVM_PPC_GET_COMPAT_CAPS, r.arg) < 0 ? errno : 0;
	count(s, op, err);
	if (count_bad && (kinds != 1u << CAPS_FD_VM || !caps_request_well_formed(&w->arena, &r)))
		atomic_fetch_add(&s->c.bad_inputs, 1);
	snprintf(fd_desc, sizeof(fd_desc), "fd=%s", fd_name);
	judge_caps(w, op, kinds, &r, err, fd_desc);
}

void op_caps(struct worker *w)
{
	struct stress *s = w->s;
	struct vm_slot *v;

	switch (prng_below(&w->rng, 8)) {
	case 0:
		caps_call(w, OP_CAPS, s->kvm_fd, 1u << CAPS_FD_DEV, true, "dev_kvm");
		return;
	case 1:
		caps_call(w, OP_CAPS, w->pipe_fd[0], 1u << CAPS_FD_OTHER, true, "pipe");
		return;
	case 2:
		v = use_vm(w);
		if (!v)
			return;
		caps_call(w, OP_CAPS, v->vm.vcpu_fd, 1u << CAPS_FD_VCPU, true, "vcpu");
		pthread_rwlock_unlock(&v->life);
		return;
	default:
		v = use_vm(w);
		if (!v) {
			caps_call(w, OP_CAPS, s->vm_fd, 1u << CAPS_FD_VM, true, "vm");
			return;
		}
		caps_call(w, OP_CAPS, v->vm.vm_fd, 1u << CAPS_FD_VM, true, "vm");
		pthread_rwlock_unlock(&v->life);
	}
}

/*
 * The mapper's buffer holds three well-formed requests: A at 0 (24 bytes), B
 * straddling the two pages (size in the first, flags and caps in the second),
 * C at 64 with PAGE_SIZE-128 bytes whose unknown part runs to page-64. The
 * answers the kernel writes keep them well-formed, so a call gets the
 * backend's answer or EFAULT (a page gone or read-only at that moment), and
 * never anything else.
 */
static uintptr_t mapped_request(const struct stress *s, unsigned int which)
{
	const uintptr_t base = (uintptr_t)s->mapped.base;

	return which == 0 ? base : which == 1 ? base + s->page - 8 : base + 64;
}

void fill_mapped(const struct stress *s, unsigned char *pages, bool first, bool second)
{
	if (first) {
		memset(pages, 0, s->page);
		caps_store64(pages + CAPS_OFF_SIZE, CAPS_VER0);
		caps_store64(pages + 64 + CAPS_OFF_SIZE, s->page - 128);
		caps_store64(pages + s->page - 8, CAPS_VER0);
	}
	if (second)
		memset(pages + (first ? s->page : 0), 0, s->page);
}

void op_caps_mapped(struct worker *w)
{
	struct stress *s = w->s;
	unsigned int which = (unsigned int)prng_below(&w->rng, 3);
	int want = s->k.present ? s->k.backend_err : ENOTTY, err;
	char errbuf[16], wantbuf[16];

	err = ioctl(s->vm_fd, KVM_PPC_GET_COMPAT_CAPS, mapped_request(s, which)) < 0 ? errno : 0;
	count(s, OP_CAPS_MAPPED, err);
	/* A kernel without the ioctl reads nothing, so it cannot fault either. */
	if (err != want && (err != EFAULT || !s->k.present))
		unexpected(s, OP_CAPS_MAPPED, "request %c of the remapped buffer -> %s, expected %s%s",
			   "ABC"[which], caps_errno_name(err, errbuf),
			   caps_errno_name(want, wantbuf), s->k.present ? " or EFAULT" : "");
}

/*
 * Frees the pages at addr and leaves nothing accessible in their place. Not
 * munmap(): another thread's mmap() (a VM's memory, a kvm_run) could land in
 * the hole, and the kernel would then answer into it.
 */
static int inaccessible(void *addr, size_t len)
{
	return mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
			       MAP_FAILED ?
		       errno :
		       0;
}

/* Replaces pages of the buffer whole (mremap over them), unmaps them, changes their protection. */
void *mapper_main(void *arg)
{
	struct stress *s = arg;
	uint64_t rng = s->seed ^ UINT64_C(0x6d6170706572);
	sigset_t alrm;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	while (!atomic_load(&s->stop)) {
		unsigned int action = (unsigned int)prng_below(&rng, 6);
		unsigned char *second = s->mapped.base + s->page, *fresh;
		bool both = action == 1 || action == 5;
		size_t len = both ? 2 * s->page : s->page;
		int err = 0;

		switch (action) {
		case 0: /* the second page gone: every access to it faults */
			err = inaccessible(second, s->page);
			break;
		case 1: /* both pages gone */
			err = inaccessible(s->mapped.base, 2 * s->page);
			break;
		case 2: /* the second page read-only: B reads, cannot be answered */
			err = mprotect(second, s->page, PROT_READ) < 0 ? errno : 0;
			if (err == ENOMEM) /* it is a hole right now */
				err = 0;
			break;
		case 3:
			err = mprotect(second, s->page, PROT_READ | PROT_WRITE) < 0 ? errno : 0;
			if (err == ENOMEM)
				err = 0;
			break;
		default: /* new pages, filled before they appear in place of the old ones */
			fresh = mmap(NULL, len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (fresh == MAP_FAILED) {
				err = errno;
				break;
			}
			fill_mapped(s, fresh, both, true);
			if (mremap(fresh, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				   both ? s->mapped.base : second) == MAP_FAILED) {
				err = errno;
				munmap(fresh, len);
			}
			break;
		}
		count(s, OP_MAPPER, err);
		atomic_fetch_add(&s->mapped.cycles, 1);
		if (err)
			unexpected(s, OP_MAPPER, "action %u: %s", action, strerror(err));
		/* let the workers call into each state for a while */
		pause_ms((unsigned int)prng_below(&rng, 3));
	}
	return NULL;
}

/* ---------------------------------------------------------------- racing fds */

/* Publishes fd in a free race slot owned by worker id; false when all are taken. */
static bool race_publish(struct stress *s, unsigned int id, int fd, enum caps_fd_kind kind)
{
	for (int i = 0; i < RACE_SLOTS; i++) {
		struct race_slot *r = &s->race[i];
		int free_state = RACE_FREE;

		if (!atomic_compare_exchange_strong(&r->state, &free_state, RACE_BUSY))
			continue;
		atomic_store(&r->fd, fd);
		atomic_store(&r->kind, kind);
		atomic_store(&r->owner, (int)id);
		atomic_fetch_add(&r->seq, 1);
		atomic_store(&r->state, RACE_LIVE);
		return true;
	}
	return false;
}

/* Closes a LIVE slot's fd if nobody else has: exactly one close per published fd. */
static bool race_close(struct race_slot *r)
{
	int live = RACE_LIVE;

	if (!atomic_compare_exchange_strong(&r->state, &live, RACE_BUSY))
		return false;
	atomic_fetch_add(&r->seq, 1);
	close(atomic_load(&r->fd));
	atomic_fetch_add(&r->seq, 1);
	atomic_store(&r->state, RACE_CLOSED);
	return true;
}

/* The owner's end of its slots: closes what is still open, frees the closed ones. */
void race_retire(struct stress *s, unsigned int id, bool close_live)
{
	for (int i = 0; i < RACE_SLOTS; i++) {
		struct race_slot *r = &s->race[i];
		int closed = RACE_CLOSED;

		if (atomic_load(&r->owner) != (int)id)
			continue;
		if (close_live)
			race_close(r);
		if (atomic_compare_exchange_strong(&r->state, &closed, RACE_BUSY)) {
			atomic_fetch_add(&r->seq, 1);
			atomic_store(&r->owner, -1);
			atomic_store(&r->state, RACE_FREE);
		}
	}
}

void op_race_publish(struct worker *w)
{
	struct stress *s = w->s;
	int vm, vcpu = -1, dev;
	char errbuf[16];

	/* The slots published last time have been closed and seen closed for a while. */
	race_retire(s, w->id, false);
	switch (prng_below(&w->rng, 3)) {
	case 0:
		dev = open("/dev/kvm", O_RDWR | O_CLOEXEC);
		count(s, OP_RACE_PUBLISH, dev < 0 ? errno : 0);
		if (dev < 0) {
			unexpected(s, OP_RACE_PUBLISH, "open /dev/kvm: %s",
				   caps_errno_name(errno, errbuf));
			return;
		}
		if (!race_publish(s, w->id, dev, CAPS_FD_DEV))
			close(dev);
		return;
	default:
		vm = ioctl(s->kvm_fd, KVM_CREATE_VM, 0);
		count(s, OP_RACE_PUBLISH, vm < 0 ? errno : 0);
		if (vm < 0) {
			unexpected(s, OP_RACE_PUBLISH, "KVM_CREATE_VM: %s",
				   caps_errno_name(errno, errbuf));
			return;
		}
		atomic_fetch_add(&s->c.vms_created, 1);
		if (prng_below(&w->rng, 2)) {
			vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
			if (vcpu < 0)
				unexpected(s, OP_RACE_PUBLISH, "KVM_CREATE_VCPU: %s",
					   caps_errno_name(errno, errbuf));
			else
				atomic_fetch_add(&s->c.vcpus_created, 1);
		}
		if (vcpu >= 0 && !race_publish(s, w->id, vcpu, CAPS_FD_VCPU))
			close(vcpu);
		if (!race_publish(s, w->id, vm, CAPS_FD_VM))
			close(vm);
	}
}

void op_race_close(struct worker *w)
{
	struct race_slot *r = &w->s->race[prng_below(&w->rng, RACE_SLOTS)];

	if (race_close(r))
		count(w->s, OP_RACE_CLOSE, 0);
}

void op_race_call(struct worker *w)
{
	struct stress *s = w->s;
	struct race_slot *r = &s->race[prng_below(&w->rng, RACE_SLOTS)];
	unsigned int seq = atomic_load(&r->seq), kinds;
	int state = atomic_load(&r->state), fd, rc, err;
	enum caps_fd_kind kind;
	bool precise;

	if (state != RACE_LIVE && state != RACE_CLOSED)
		return;
	fd = atomic_load(&r->fd);
	kind = (enum caps_fd_kind)atomic_load(&r->kind);
	if (prng_below(&w->rng, 2)) {
		/* which kinds it is judged for is known only after the call */
		struct caps_request req;
		char fd_desc[64];

		caps_request_random(&w->arena, &w->rng, &req);
		caps_request_place(&w->arena, &req);
		err = ioctl(fd, KVM_PPC_GET_COMPAT_CAPS, req.arg) < 0 ? errno : 0;
		precise = state == RACE_LIVE && atomic_load(&r->seq) == seq;
		kinds = precise ? 1u << kind : ALL_KINDS;
		count(s, OP_RACE_CALL, err);
		atomic_fetch_add(precise ? &s->c.precise_races : &s->c.blurred_races, 1);
		snprintf(fd_desc, sizeof(fd_desc), "fd %d (%s%s)", fd, caps_fd_kind_name(kind),
			 precise ? ", open throughout" : "");
		judge_caps(w, OP_RACE_CALL, kinds, &req, err, fd_desc);
		return;
	}
	rc = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_COMPAT_CAPS);
	err = rc < 0 ? errno : 0;
	precise = state == RACE_LIVE && atomic_load(&r->seq) == seq;
	count(s, OP_RACE_CALL, err);
	atomic_fetch_add(precise ? &s->c.precise_races : &s->c.blurred_races, 1);
	if (precise ? !check_ext_ok(s, kind, rc, err) :
		      !(check_ext_ok(s, CAPS_FD_VM, rc, err) || check_ext_ok(s, CAPS_FD_VCPU, rc, err) ||
			check_ext_ok(s, CAPS_FD_OTHER, rc, err) ||
			check_ext_ok(s, CAPS_FD_CLOSED, rc, err)))
		unexpected(s, OP_RACE_CALL, "KVM_CHECK_EXTENSION on fd %d (%s%s): %d, errno %d", fd,
			   caps_fd_kind_name(kind), precise ? ", open throughout" : "", rc, err);
}

/*
 * A private VM runs the L2 on a duplicate of its vCPU fd while its VM fd,
 * its vCPU fd and its /dev/kvm fd are published: other threads close them
 * (or call them) during the run, so the run's own file holds the last
 * references to the VM when it returns.
 */
void op_run_orphaned(struct worker *w)
{
	struct stress *s = w->s;
	struct l2_run_result res;
	struct l2_failure f;
	struct l2_vm vm;
	char errbuf[16];
	int r, run_fd;

	race_retire(s, w->id, false);
	r = l2_vm_create(&vm, &f);
	if (r) {
		count(s, OP_RUN_ORPHANED, -r);
		unexpected(s, OP_RUN_ORPHANED, "VM setup failed at %s: %s", f.step,
			   caps_errno_name(f.err, errbuf));
		return;
	}
	atomic_fetch_add(&s->c.vms_created, 1);
	run_fd = dup(vm.vcpu_fd);
	if (run_fd < 0) {
		count(s, OP_RUN_ORPHANED, errno);
		l2_vm_destroy(&vm);
		return;
	}
	/* handed over: from here the race slots close these */
	if (!race_publish(s, w->id, vm.vm_fd, CAPS_FD_VM))
		close(vm.vm_fd);
	if (!race_publish(s, w->id, vm.vcpu_fd, CAPS_FD_VCPU))
		close(vm.vcpu_fd);
	if (!race_publish(s, w->id, vm.kvm_fd, CAPS_FD_DEV))
		close(vm.kvm_fd);
	vm.vm_fd = vm.kvm_fd = -1;
	vm.vcpu_fd = run_fd;
	r = run_l2(&vm, &res, &f);
	count(s, OP_RUN_ORPHANED, -r);
	judge_run(s, OP_RUN_ORPHANED, r, &res, &f, -1, false);
	race_retire(s, w->id, true);
	l2_vm_destroy(&vm);
}
