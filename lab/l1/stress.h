/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the stress program (stress.c, stress-vm.c, stress-race.c,
 * stress-kmemleak.c) share.
 */
#ifndef PPCCOMPAT_LAB_STRESS_H
#define PPCCOMPAT_LAB_STRESS_H

#include "caps-arena.h"
#include "caps-model.h"
#include "kmemleak.h"
#include "l2-vm.h"
#include "tap.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

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
/* Free memory a run may fail to give back, at least (stress.c main() says why). */
#define MEM_TOLERANCE_MIN_KB 4096
/* A /proc/meminfo field that moved by this much is shown when the memory line fails. */
#define MEMINFO_MOVED_KB 128
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

struct stress_op {
	const char *name;
	unsigned int weight; /* how often a worker draws it; 0: not drawn */
};

extern const struct stress_op ops[OPS];

struct counters {
	atomic_ulong calls[OPS];
	atomic_ulong errors[OPS];     /* calls that returned an error, expected or not */
	atomic_ulong unexpected[OPS];
	atomic_ulong bad_inputs;      /* KVM_PPC_GET_COMPAT_CAPS inputs ABI.md refuses */
	atomic_ulong vms_created, vcpus_created, runs_ran;
	atomic_ulong stopped_refused; /* runs of a vCPU refused Power11, refused as they must be */
	atomic_ulong stopped_ran;     /* ... that ran: never allowed */
	atomic_ulong precise_races, blurred_races; /* race calls whose fd did / may not stay open */
	atomic_ulong unwritten;       /* caps_model_unwritten_unchanged() answers */
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
	/* --refusal-keeps-level: this kernel has no "refused Power11 stops the vCPU" rule */
	bool refusal_keeps_level;
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


/* ---------------------------------------------------------------- shared by the files */

#define ALL_KINDS ((1u << CAPS_FD_KINDS) - 1)

/* stress.c: reporting and time */
void note(struct stress *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Counts an unexpected answer; prints the first MAX_REPORTS in full. */
void unexpected(struct stress *s, enum op op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void count(struct stress *s, enum op op, int err);
double now_s(void);
void pause_ms(unsigned int ms);

/* stress-vm.c: levels, the pool, ARCH_COMPAT, runs */
void build_levels(struct stress *s);
int run_l2(struct l2_vm *vm, struct l2_run_result *res, struct l2_failure *f);
void judge_run(struct stress *s, enum op op, int r, const struct l2_run_result *res,
	       const struct l2_failure *f, int index, bool stopped);
struct vm_slot *use_vm(struct worker *w);
void destroy_slot(struct vm_slot *v);
void op_check_ext(struct worker *w);
void op_vm_create(struct worker *w);
void op_vm_destroy(struct worker *w);
void op_vcpu_create(struct worker *w);
void op_set_compat(struct worker *w);
void op_run(struct worker *w);

/* stress-race.c: KVM_PPC_GET_COMPAT_CAPS, the mapper, fds closed under calls */
void fill_mapped(const struct stress *s, unsigned char *pages, bool first, bool second);
void *mapper_main(void *arg);
void op_caps(struct worker *w);
void op_caps_mapped(struct worker *w);
void op_run_orphaned(struct worker *w);
void op_race_publish(struct worker *w);
void op_race_close(struct worker *w);
void op_race_call(struct worker *w);
/* The owner's end of its race slots: closes what is still open (close_live), frees the closed. */
void race_retire(struct stress *s, unsigned int id, bool close_live);

/* stress-kmemleak.c: the kernel's own leak detector, where the kernel has it */
struct leak_watch {
	enum { WATCH_ABSENT, WATCH_ARMED, WATCH_BROKEN } state;
	char why[160];                  /* what went wrong, or why there is nothing to ask */
	char comm[KMEMLEAK_COMM_MAX];   /* this program's name, as kmemleak records it */
	char min_unref[16];             /* 7.3's min_unref_scans to put back; "" when untouched */
};
/* Before the work: forgets every object kmemleak already finds unreferenced. */
void leak_watch_start(struct leak_watch *w);
/* After it: one TAP line, whether any object the work allocated is left unreferenced. */
void leak_watch_check(struct leak_watch *w, struct tap *tap);

#endif
