// SPDX-License-Identifier: GPL-2.0
/*
 * stress: N threads for T seconds interleave at random every KVM call the
 * series touches - KVM_PPC_GET_COMPAT_CAPS (well-formed and every bad form
 * of spec/ABI.md), KVM_CHECK_EXTENSION, VM and vCPU creation and
 * destruction, KVM_SET_ONE_REG(ARCH_COMPAT) with every logical PVR and junk,
 * KVM_RUN of the L2 payload - while fds other threads use are closed under
 * them and one more thread unmaps and remaps the buffer others pass to the
 * ioctl. Every answer must be one ABI.md (or the KVM API) allows for that
 * input, a vCPU refused Power11 on a host that is not Power11 must never
 * run, and at the end the fds, the VMs and the memory must be back where
 * they started.
 *
 * Answers are judged by one model (caps-model.c) from the input alone. Where
 * an fd may have been closed, and its number reused for any file this
 * program opens, while a call was on its way, the call may have reached any
 * of those files, and any of their answers is accepted; a call whose fd
 * provably stayed open is judged as precisely as caps-fuzz judges it.
 */
#include "args.h"
#include "caps-arena.h"
#include "caps-model.h"
#include "l2-payload.h"
#include "l2-vm.h"
#include "prng.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PROG "stress"
#define MAX_THREADS 16
/* VMs in the shared pool; each holds 2 MiB of guest memory and a few pages of the kernel's. */
#define POOL_VMS 6
/* vCPU ids besides 0 a pooled VM may get (the ids KVM_CREATE_VCPU is tried with). */
#define EXTRA_VCPUS 3
/* fds published for racing: closed by anyone, called by everyone. */
#define RACE_SLOTS 12
/* Unexpected answers printed in full (all are counted). */
#define MAX_REPORTS 20
/* How long the kernel gets to free what a run released (RCU, deferred work). */
#define SETTLE_MAX_S 15
#define FOOTPRINT_VMS 4

/* ---------------------------------------------------------------- operations */

enum op {
	OP_CAPS,         /* a random request (caps-arena) on a pooled VM, /dev/kvm, a vCPU, a pipe */
	OP_CAPS_MAPPED,  /* a well-formed request in the buffer the mapper thread remaps */
	OP_CHECK_EXT,    /* KVM_CHECK_EXTENSION(KVM_CAP_PPC_COMPAT_CAPS) */
	OP_VM_CREATE,
	OP_VM_DESTROY,
	OP_VCPU_CREATE,  /* another vCPU in a pooled VM */
	OP_SET_COMPAT,   /* KVM_SET_ONE_REG(ARCH_COMPAT) on a pooled VM's vCPU 0 */
	OP_RUN,          /* KVM_RUN of the L2 on that vCPU */
	OP_RUN_ORPHANED, /* a private VM's run while others close its VM, vCPU and /dev/kvm fds */
	OP_RACE_PUBLISH, /* new VM / vCPU / /dev/kvm fds published for racing, then closed */
	OP_RACE_CLOSE,   /* close a published fd, maybe while others call it */
	OP_RACE_CALL,    /* call a published fd that may be closing or reused */
	OP_MAPPER,       /* the mapper thread's unmaps, remaps and protection changes */
	OPS,
};

static const struct {
	const char *name;
	unsigned int weight; /* how often a worker draws it; 0: not drawn */
} ops[OPS] = {
	[OP_CAPS] = { "caps", 30 },
	[OP_CAPS_MAPPED] = { "caps_mapped", 10 },
	[OP_CHECK_EXT] = { "check_extension", 8 },
	[OP_VM_CREATE] = { "vm_create", 4 },
	[OP_VM_DESTROY] = { "vm_destroy", 3 },
	[OP_VCPU_CREATE] = { "vcpu_create", 3 },
	[OP_SET_COMPAT] = { "set_arch_compat", 10 },
	[OP_RUN] = { "run", 6 },
	[OP_RUN_ORPHANED] = { "run_orphaned", 2 },
	[OP_RACE_PUBLISH] = { "race_publish", 4 },
	[OP_RACE_CLOSE] = { "race_close", 6 },
	[OP_RACE_CALL] = { "race_call", 14 },
	[OP_MAPPER] = { "mapper", 0 },
};

struct counters {
	atomic_ulong calls[OPS];
	atomic_ulong errors[OPS];     /* calls that returned an error, expected or not */
	atomic_ulong unexpected[OPS];
	atomic_ulong bad_inputs;      /* KVM_PPC_GET_COMPAT_CAPS inputs ABI.md refuses */
	atomic_ulong vms_created, vcpus_created, runs_ran;
	atomic_ulong stopped_refused; /* runs of a vCPU refused Power11, refused as they must be */
	atomic_ulong stopped_ran;     /* ... that ran: never allowed */
	atomic_ulong precise_races, blurred_races; /* race calls whose fd did / may not stay open */
	atomic_ulong reports;
};

/* ---------------------------------------------------------------- compat levels */

enum level_rule {
	RULE_EITHER,      /* no caps bit (or no caps): accepted or not, but always the same */
	RULE_HOST,        /* 0: the host's level */
	RULE_CAPS,        /* accepted exactly when the caps have its bit */
	RULE_NEVER,       /* no logical PVR: EINVAL, level kept */
};

struct level {
	char name[24];
	uint32_t pvr;
	enum ppccompat_mode mode;
	enum level_rule rule;
	atomic_int first_answer; /* -1 until the first call: RULE_EITHER's answers must agree */
};

#define MAX_LEVELS 24

/* ---------------------------------------------------------------- shared state */

/* A pooled VM: its fds may be used under life held for reading, changed under it for writing. */
struct vm_slot {
	pthread_rwlock_t life;
	pthread_mutex_t vcpu; /* the vCPU's level, runs, new vCPUs */
	bool live;
	struct l2_vm vm;
	int extra_fd[EXTRA_VCPUS];
	unsigned int ids_used; /* bit n: vCPU id n exists */
	/* vCPU 0: the level last accepted (-1: none yet), or stopped after a refused Power11 */
	int level;
	bool stopped;
};

enum race_state { RACE_FREE, RACE_BUSY, RACE_LIVE, RACE_CLOSED };

/*
 * A published fd. seq changes with every state change, so that a caller
 * that reads the same seq, in state LIVE, before and after its call knows
 * the fd stayed open (and was this file) throughout.
 */
struct race_slot {
	atomic_int state;
	atomic_uint seq;
	atomic_int fd;
	atomic_int kind;
	atomic_int owner;
};

/* The mapper's buffer: requests at fixed places in two pages it keeps replacing. */
struct mapped {
	unsigned char *base; /* two pages */
	atomic_ulong cycles;
};

struct stress {
	uint64_t seed, seconds;
	unsigned int threads;
	size_t page;
	int kvm_fd, vm_fd; /* main's own, open from start to end */
	int cap;
	struct caps_kernel k;
	bool host_is_power11, caps_known, host_granted;
	struct level levels[MAX_LEVELS];
	unsigned int n_levels;
	struct vm_slot pool[POOL_VMS];
	struct race_slot race[RACE_SLOTS];
	struct mapped mapped;
	atomic_bool stop;
	struct counters c;
	pthread_mutex_t print;
	struct tap tap;
};

struct worker {
	struct stress *s;
	unsigned int id;
	uint64_t rng;
	struct caps_arena arena;
	int pipe_fd[2];
};

/* ---------------------------------------------------------------- reporting */

static void note(struct stress *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct stress *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&s->print);
	tap_note("%s", line);
	pthread_mutex_unlock(&s->print);
}

/* Counts an unexpected answer; prints the first MAX_REPORTS in full. */
static void unexpected(struct stress *s, enum op op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void unexpected(struct stress *s, enum op op, const char *fmt, ...)
{
	char line[480];
	va_list ap;

	atomic_fetch_add(&s->c.unexpected[op], 1);
	if (atomic_fetch_add(&s->c.reports, 1) >= MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	note(s, "unexpected %s: %s", ops[op].name, line);
}

static void count(struct stress *s, enum op op, int err)
{
	atomic_fetch_add(&s->c.calls[op], 1);
	if (err)
		atomic_fetch_add(&s->c.errors[op], 1);
}

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
static void build_levels(struct stress *s)
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

/* ---------------------------------------------------------------- small helpers */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pause_ms(unsigned int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

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
static int run_l2(struct l2_vm *vm, struct l2_run_result *res, struct l2_failure *f)
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

#define ALL_KINDS ((1u << CAPS_FD_KINDS) - 1)

/* ---------------------------------------------------------------- KVM_PPC_GET_COMPAT_CAPS */

/* A random request from this thread's arena to fd, judged for the kinds it may be. */
static void caps_call(struct worker *w, enum op op, int fd, unsigned int kinds, bool count_bad,
		      const char *fd_name)
{
	struct stress *s = w->s;
	struct caps_request r;
	char why[200], desc[200], errbuf[16];
	int err;

	caps_request_random(&w->arena, &w->rng, &r);
	caps_request_place(&w->arena, &r);
	err = ioctl(fd, KVM_PPC_GET_COMPAT_CAPS, r.arg) < 0 ? errno : 0;
	count(s, op, err);
	if (count_bad && (kinds != 1u << CAPS_FD_VM || !caps_request_well_formed(&w->arena, &r)))
		atomic_fetch_add(&s->c.bad_inputs, 1);
	if (!caps_request_judge(&w->arena, &s->k, kinds, &r, err, why, sizeof(why))) {
		caps_request_describe(&w->arena, &r, desc, sizeof(desc));
		unexpected(s, op, "fd=%s %s -> %s: %s", fd_name, desc, caps_errno_name(err, errbuf),
			   why);
		caps_arena_reset(&w->arena);
		return;
	}
	caps_request_restore(&w->arena, &r);
}

/* Takes a random live pooled VM for reading; NULL when the one drawn is empty. */
static struct vm_slot *use_vm(struct worker *w)
{
	struct vm_slot *v = &w->s->pool[prng_below(&w->rng, POOL_VMS)];

	pthread_rwlock_rdlock(&v->life);
	if (v->live)
		return v;
	pthread_rwlock_unlock(&v->life);
	return NULL;
}

static void op_caps(struct worker *w)
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

static void fill_mapped(const struct stress *s, unsigned char *pages, bool first, bool second)
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

static void op_caps_mapped(struct worker *w)
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
static void *mapper_main(void *arg)
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

/* ---------------------------------------------------------------- KVM_CHECK_EXTENSION */

static void op_check_ext(struct worker *w)
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

static void destroy_slot(struct vm_slot *v)
{
	for (int i = 0; i < EXTRA_VCPUS; i++) {
		if (v->extra_fd[i] >= 0)
			close(v->extra_fd[i]);
		v->extra_fd[i] = -1;
	}
	l2_vm_destroy(&v->vm);
	v->live = false;
}

static void op_vm_create(struct worker *w)
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

static void op_vm_destroy(struct worker *w)
{
	struct vm_slot *v = &w->s->pool[prng_below(&w->rng, POOL_VMS)];

	pthread_rwlock_wrlock(&v->life);
	if (v->live) {
		destroy_slot(v);
		count(w->s, OP_VM_DESTROY, 0);
	}
	pthread_rwlock_unlock(&v->life);
}

static void op_vcpu_create(struct worker *w)
{
	struct stress *s = w->s;
	struct vm_slot *v = use_vm(w);
	unsigned int id = 1 + (unsigned int)prng_below(&w->rng, EXTRA_VCPUS);
	char errbuf[16];
	bool used;
	int fd, err;

	if (!v)
		return;
	pthread_mutex_lock(&v->vcpu);
	used = v->ids_used & (1u << id);
	fd = ioctl(v->vm.vm_fd, KVM_CREATE_VCPU, id);
	err = fd < 0 ? errno : 0;
	count(s, OP_VCPU_CREATE, err);
	if (fd >= 0) {
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

static void op_set_compat(struct worker *w)
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
	} else if (err == EINVAL && l->mode == PPCCOMPAT_MODE_POWER11 && !s->host_is_power11) {
		/* ABI.md: marked unrunnable until a valid level is set */
		v->stopped = true;
	}
	pthread_mutex_unlock(&v->vcpu);
	pthread_rwlock_unlock(&v->life);
}

/* Judges one run of the L2 on a vCPU at level index (-1: never set), stopped or not. */
static void judge_run(struct stress *s, enum op op, int r, const struct l2_run_result *res,
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

static void op_run(struct worker *w)
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
static void race_retire(struct stress *s, unsigned int id, bool close_live)
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

static void op_race_publish(struct worker *w)
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

static void op_race_close(struct worker *w)
{
	struct race_slot *r = &w->s->race[prng_below(&w->rng, RACE_SLOTS)];

	if (race_close(r))
		count(w->s, OP_RACE_CLOSE, 0);
}

static void op_race_call(struct worker *w)
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
		/* judged after the fact: caps_call() needs the kinds first, so ask it for all */
		struct caps_request req;
		char why[200], desc[200], errbuf[16];

		caps_request_random(&w->arena, &w->rng, &req);
		caps_request_place(&w->arena, &req);
		err = ioctl(fd, KVM_PPC_GET_COMPAT_CAPS, req.arg) < 0 ? errno : 0;
		precise = state == RACE_LIVE && atomic_load(&r->seq) == seq;
		kinds = precise ? 1u << kind : ALL_KINDS;
		count(s, OP_RACE_CALL, err);
		atomic_fetch_add(precise ? &s->c.precise_races : &s->c.blurred_races, 1);
		if (!caps_request_judge(&w->arena, &s->k, kinds, &req, err, why, sizeof(why))) {
			caps_request_describe(&w->arena, &req, desc, sizeof(desc));
			unexpected(s, OP_RACE_CALL, "fd %d (%s%s) %s -> %s: %s", fd,
				   caps_fd_kind_name(kind), precise ? ", open throughout" : "",
				   desc, caps_errno_name(err, errbuf), why);
			caps_arena_reset(&w->arena);
			return;
		}
		caps_request_restore(&w->arena, &req);
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
static void op_run_orphaned(struct worker *w)
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

/* ---------------------------------------------------------------- workers */

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int weights[OPS];
	sigset_t alrm;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	for (int i = 0; i < OPS; i++)
		weights[i] = ops[i].weight;
	while (!atomic_load(&w->s->stop)) {
		switch ((enum op)prng_weighted(&w->rng, weights, OPS)) {
		case OP_CAPS:
			op_caps(w);
			break;
		case OP_CAPS_MAPPED:
			op_caps_mapped(w);
			break;
		case OP_CHECK_EXT:
			op_check_ext(w);
			break;
		case OP_VM_CREATE:
			op_vm_create(w);
			break;
		case OP_VM_DESTROY:
			op_vm_destroy(w);
			break;
		case OP_VCPU_CREATE:
			op_vcpu_create(w);
			break;
		case OP_SET_COMPAT:
			op_set_compat(w);
			break;
		case OP_RUN:
			op_run(w);
			break;
		case OP_RUN_ORPHANED:
			op_run_orphaned(w);
			break;
		case OP_RACE_PUBLISH:
			op_race_publish(w);
			break;
		case OP_RACE_CLOSE:
			op_race_close(w);
			break;
		case OP_RACE_CALL:
			op_race_call(w);
			break;
		case OP_MAPPER:
		case OPS:
			break;
		}
	}
	race_retire(w->s, w->id, true);
	return NULL;
}

/* ---------------------------------------------------------------- leaks */

struct usage {
	long fds;
	long vms;           /* entries of /sys/kernel/debug/kvm; -1 without debugfs */
	long mem_free_kb;
	long unreclaimable_kb;
	/*
	 * What this process itself holds (resident pages, page tables): glibc
	 * keeps the stacks and malloc arenas of joined threads for reuse, which
	 * is no kernel leak and is taken out of the free memory lost.
	 */
	long own_kb;
};

static long count_entries(const char *dir, bool vm_dirs_only)
{
	struct dirent *e;
	long n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		/* a VM's directory is "<pid>-<fd>"; the rest are the module's statistics */
		if (vm_dirs_only && !strchr(e->d_name, '-'))
			continue;
		n++;
	}
	closedir(d);
	return n;
}

/* A "Field:   N kB" line of a /proc file; -1 if missing. */
static long proc_kb(const char *path, const char *field)
{
	char line[128];
	size_t len = strlen(field);
	long kb = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

static void measure(struct usage *u)
{
	/* opendir's own fd is among the entries while it counts them */
	u->fds = count_entries("/proc/self/fd", false) - 1;
	u->vms = count_entries("/sys/kernel/debug/kvm", true);
	u->mem_free_kb = proc_kb("/proc/meminfo", "MemFree");
	u->unreclaimable_kb = proc_kb("/proc/meminfo", "SUnreclaim");
	u->own_kb = proc_kb("/proc/self/status", "VmRSS") + proc_kb("/proc/self/status", "VmPTE");
}

/* Free memory the kernel lost from one measurement to the next, this process's own growth out. */
static long lost_kb(const struct usage *from, const struct usage *to)
{
	return from->mem_free_kb - to->mem_free_kb - (to->own_kb - from->own_kb);
}

/* Creates, runs once and keeps n VMs (to measure what one costs), or destroys them (n = 0). */
static int hold_vms(struct l2_vm *vms, unsigned int n)
{
	struct l2_run_result res;
	struct l2_failure f;

	for (unsigned int i = 0; i < n; i++) {
		if (l2_vm_create(&vms[i], &f))
			return -1;
		run_l2(&vms[i], &res, &f);
	}
	return 0;
}

static void release_vms(struct l2_vm *vms, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		l2_vm_destroy(&vms[i]);
}

/* ---------------------------------------------------------------- main */

static void usage(FILE *out)
{
	fputs("usage: stress [--threads N] [--seconds T] [--seed S]\n"
	      "  N threads (default 4, at most 16) and one buffer-remapping thread interleave\n"
	      "  random KVM calls for T seconds (default 10); the seed draws every choice\n",
	      out);
}

static int parse_args(struct stress *s, int argc, char **argv)
{
	uint64_t threads = 4;
	bool have_seed = false;

	s->seconds = 10;
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		int r;

		if (!strcmp(opt, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(opt, "--threads")) {
			r = args_u64(PROG, opt, arg, 1, MAX_THREADS, &threads);
		} else if (!strcmp(opt, "--seconds")) {
			r = args_u64(PROG, opt, arg, 1, 24 * 3600, &s->seconds);
		} else if (!strcmp(opt, "--seed")) {
			r = args_u64(PROG, opt, arg, 0, UINT64_MAX, &s->seed);
			have_seed = true;
		} else {
			fprintf(stderr, PROG ": unknown option '%s'\n", opt);
			usage(stderr);
			return -1;
		}
		if (r < 0)
			return -1;
		i++;
	}
	s->threads = (unsigned int)threads;
	if (!have_seed) {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		s->seed = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	}
	return 0;
}

/* What the kernel and the host are: the inputs of every rule above. */
static int setup(struct stress *s)
{
	struct ppccompat_probe_opts opts = { .flags = PPCCOMPAT_PROBE_NO_KVM };
	struct ppccompat_host host;
	struct ppccompat_error perr;
	const struct ppccompat_generation *gen;
	char errbuf[16];

	s->page = (size_t)sysconf(_SC_PAGESIZE);
	s->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (s->kvm_fd < 0)
		return fprintf(stderr, PROG ": /dev/kvm: %s\n", strerror(errno)), -1;
	s->vm_fd = ioctl(s->kvm_fd, KVM_CREATE_VM, 0);
	if (s->vm_fd < 0)
		return fprintf(stderr, PROG ": KVM_CREATE_VM: %s\n", strerror(errno)), -1;
	s->cap = ioctl(s->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_COMPAT_CAPS);
	if (caps_kernel_probe(s->vm_fd, s->page, &s->k) < 0)
		return fprintf(stderr, PROG ": a well-formed request got fields ABI.md forbids\n"), -1;
	if (ppccompat_probe(&opts, &host, &perr) < 0)
		return fprintf(stderr, PROG ": cannot probe the host\n"), -1;
	s->host_is_power11 = host.effective_mode == PPCCOMPAT_MODE_POWER11;
	s->caps_known = s->k.present && s->k.backend_err == 0;
	gen = ppccompat_generation(host.effective_mode);
	s->host_granted = !s->caps_known || !gen || !gen->kvm_cap_bit || (s->k.caps & gen->kvm_cap_bit);
	build_levels(s);

	s->mapped.base = mmap(NULL, 2 * s->page, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mapped.base == MAP_FAILED)
		return fprintf(stderr, PROG ": mmap: %s\n", strerror(errno)), -1;
	fill_mapped(s, s->mapped.base, true, true);
	for (int i = 0; i < POOL_VMS; i++) {
		pthread_rwlock_init(&s->pool[i].life, NULL);
		pthread_mutex_init(&s->pool[i].vcpu, NULL);
		for (int j = 0; j < EXTRA_VCPUS; j++)
			s->pool[i].extra_fd[j] = -1;
	}
	for (int i = 0; i < RACE_SLOTS; i++)
		atomic_init(&s->race[i].owner, -1);
	pthread_mutex_init(&s->print, NULL);

	tap_fact("stress.host_mode", "%s", ppccompat_mode_name(host.effective_mode));
	tap_fact("stress.cap_compat_caps", "%d", s->cap);
	tap_fact("stress.ioctl", "%s", s->k.present ? "present" : "absent");
	if (s->caps_known)
		tap_fact("stress.caps", "0x%016" PRIx64, s->k.caps);
	else
		tap_fact("stress.caps", "%s", caps_errno_name(s->k.backend_err, errbuf));
	return 0;
}

static void report(struct stress *s, double elapsed)
{
	unsigned long total_unexpected = 0, total_calls = 0;
	char name[64];

	tap_fact("stress.elapsed", "%.1f", elapsed);
	for (int i = 0; i < OPS; i++) {
		unsigned long calls = atomic_load(&s->c.calls[i]);
		unsigned long errors = atomic_load(&s->c.errors[i]);
		unsigned long bad = atomic_load(&s->c.unexpected[i]);

		snprintf(name, sizeof(name), "stress.calls.%s", ops[i].name);
		tap_fact(name, "%lu", calls);
		snprintf(name, sizeof(name), "stress.errors.%s", ops[i].name);
		tap_fact(name, "%lu", errors);
		snprintf(name, sizeof(name), "stress.unexpected.%s", ops[i].name);
		tap_fact(name, "%lu", bad);
		total_calls += calls;
		total_unexpected += bad;
		tap_check(&s->tap, bad == 0,
			  "stress %s: %lu calls (%lu errors), %lu answers ABI.md does not allow",
			  ops[i].name, calls, errors, bad);
	}
	tap_fact("stress.calls", "%lu", total_calls);
	tap_fact("stress.unexpected", "%lu", total_unexpected);
	tap_fact("stress.bad_inputs", "%lu", atomic_load(&s->c.bad_inputs));
	tap_fact("stress.vms_created", "%lu", atomic_load(&s->c.vms_created));
	tap_fact("stress.vcpus_created", "%lu", atomic_load(&s->c.vcpus_created));
	tap_fact("stress.runs_ran", "%lu", atomic_load(&s->c.runs_ran));
	tap_fact("stress.race_calls_open", "%lu", atomic_load(&s->c.precise_races));
	tap_fact("stress.race_calls_maybe_closed", "%lu", atomic_load(&s->c.blurred_races));
	tap_fact("stress.mapper_cycles", "%lu", atomic_load(&s->mapped.cycles));
	tap_fact("stress.stopped_refused", "%lu", atomic_load(&s->c.stopped_refused));
	tap_fact("stress.stopped_ran", "%lu", atomic_load(&s->c.stopped_ran));
	tap_check(&s->tap, atomic_load(&s->c.stopped_ran) == 0,
		  "a vCPU refused Power11 on a host that is not Power11 never ran (%lu runs refused)",
		  atomic_load(&s->c.stopped_refused));
}

static bool leaks_checked(struct stress *s, const struct usage *base, long tolerance_kb)
{
	struct usage now;
	double deadline = now_s() + SETTLE_MAX_S;
	long lost;

	/* Freed through RCU and deferred work: give the kernel time, not a pass. */
	do {
		pause_ms(1000);
		measure(&now);
		lost = lost_kb(base, &now);
	} while ((now.fds != base->fds || now.vms != base->vms || lost > tolerance_kb) &&
		 now_s() < deadline);

	tap_fact("stress.fds_before", "%ld", base->fds);
	tap_fact("stress.fds_after", "%ld", now.fds);
	if (base->vms >= 0) {
		tap_fact("stress.vms_before", "%ld", base->vms);
		tap_fact("stress.vms_after", "%ld", now.vms);
	} else {
		tap_fact("stress.vms_before", "unavailable");
	}
	tap_fact("stress.memfree_lost_kb", "%ld", lost);
	tap_fact("stress.own_delta_kb", "%ld", now.own_kb - base->own_kb);
	tap_fact("stress.sunreclaim_delta_kb", "%ld", now.unreclaimable_kb - base->unreclaimable_kb);
	tap_check(&s->tap, now.fds == base->fds, "no fd leaked: %ld open before, %ld after",
		  base->fds, now.fds);
	if (base->vms >= 0)
		tap_check(&s->tap, now.vms == base->vms,
			  "no VM leaked: %ld VM directories in debugfs before, %ld after", base->vms,
			  now.vms);
	else
		tap_skip(&s->tap, "no /sys/kernel/debug/kvm", "no VM leaked");
	return tap_check(&s->tap, lost <= tolerance_kb,
			 "memory came back: %ld KiB less free than before (this process's own "
			 "growth taken out), tolerance %ld KiB",
			 lost, tolerance_kb);
}

int main(int argc, char **argv)
{
	static struct stress s;
	static struct worker workers[MAX_THREADS];
	struct l2_vm held[FOOTPRINT_VMS];
	struct usage first, base, held_usage;
	pthread_t threads[MAX_THREADS], mapper;
	long footprint_kb, noise_kb, tolerance_kb;
	sigset_t alrm;
	double start;

	if (parse_args(&s, argc, argv) < 0)
		return 2;
	tap_fact("stress.seed", "%" PRIu64, s.seed);
	tap_fact("stress.threads", "%u", s.threads);
	tap_fact("stress.seconds", "%" PRIu64, s.seconds);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	if (setup(&s) < 0) {
		tap_check(&s.tap, false, "stress: open /dev/kvm, create a VM, probe the host");
		return 1;
	}

	/*
	 * The baseline: after one VM has been made and run (first use allocates
	 * for good), then FOOTPRINT_VMS held at once (what one costs), then
	 * released again: the two baselines apart are this machine's noise.
	 */
	if (hold_vms(held, 1) < 0) {
		tap_check(&s.tap, false, "stress: create and run a first VM");
		return 1;
	}
	release_vms(held, 1);
	pause_ms(1000);
	measure(&first);
	if (hold_vms(held, FOOTPRINT_VMS) < 0) {
		tap_check(&s.tap, false, "stress: create and run %d VMs", FOOTPRINT_VMS);
		return 1;
	}
	measure(&held_usage);
	release_vms(held, FOOTPRINT_VMS);
	pause_ms(1000);
	measure(&base);
	footprint_kb = lost_kb(&base, &held_usage) / FOOTPRINT_VMS;
	noise_kb = labs(lost_kb(&first, &base));
	/*
	 * A leak worth finding grows with the work: a run makes hundreds of VMs
	 * and hundreds of thousands of calls, so twice one VM's footprint is far
	 * below any per-VM leak, and four times the noise keeps per-cpu caches
	 * (pages and slabs held for reuse) from failing a clean kernel.
	 */
	tolerance_kb = 2 * footprint_kb > 4 * noise_kb ? 2 * footprint_kb : 4 * noise_kb;
	if (tolerance_kb < 1024)
		tolerance_kb = 1024;
	tap_fact("stress.vm_footprint_kb", "%ld", footprint_kb);
	tap_fact("stress.mem_noise_kb", "%ld", noise_kb);
	tap_fact("stress.mem_tolerance_kb", "%ld", tolerance_kb);

	start = now_s();
	if (pthread_create(&mapper, NULL, mapper_main, &s)) {
		tap_check(&s.tap, false, "stress: start the mapper thread");
		return 1;
	}
	for (unsigned int i = 0; i < s.threads; i++) {
		struct worker *w = &workers[i];

		*w = (struct worker){ .s = &s, .id = i, .rng = s.seed + (uint64_t)(i + 1) * 0x9e37 };
		prng_next(&w->rng);
		if (caps_arena_init(&w->arena, s.page, false) < 0 || pipe2(w->pipe_fd, O_CLOEXEC) < 0 ||
		    pthread_create(&threads[i], NULL, worker_main, w)) {
			tap_check(&s.tap, false, "stress: start worker %u", i);
			return 1;
		}
	}
	while (now_s() - start < (double)s.seconds)
		pause_ms(200);
	atomic_store(&s.stop, true);
	for (unsigned int i = 0; i < s.threads; i++) {
		pthread_join(threads[i], NULL);
		caps_arena_fini(&workers[i].arena);
		close(workers[i].pipe_fd[0]);
		close(workers[i].pipe_fd[1]);
	}
	pthread_join(mapper, NULL);
	for (int i = 0; i < POOL_VMS; i++)
		if (s.pool[i].live)
			destroy_slot(&s.pool[i]);
	report(&s, now_s() - start);
	leaks_checked(&s, &base, tolerance_kb);
	return tap_exit_status(&s.tap);
}
