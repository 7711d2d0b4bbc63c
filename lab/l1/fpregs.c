// SPDX-License-Identifier: GPL-2.0
/*
 * fpregs: does a system call - KVM_RUN above all - give the VMM back its own
 * floating-point and vector registers?
 *
 * The powerpc system call ABI keeps every FP, VMX and VSX register across a
 * call, and a C VMM relies on the ELFv2 callee-saved ones (f14-f31, v20-v31)
 * holding its doubles and vectors across ioctl(). Each check loads known
 * values into vs14-vs31 (f14-f31 and their VSX halves) and vs52-vs63
 * (v20-v31), makes the system call from the same asm block, and stores the
 * registers right after it returns, so no compiler or libc code runs between
 * the kernel and the comparison. The L2 loads other values into the same
 * registers before every exit, so a leak of the guest's state is recognised
 * as such.
 *
 * Every check also counts the thread's context switches during the call
 * (getrusage), because a switch inside KVM_RUN is what lets the kernel
 * reload the VMM's registers and then run the guest over them.
 */
#include "l2-payload.h"
#include "l2-vm.h"
#include "tap.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* vs14-vs31 hold f14-f31 in their first doubleword; vs52-vs63 are v20-v31. */
#define FIRST_FP_VSR 14
#define NR_FP_VSRS 18
#define FIRST_VMX_VSR 52
#define NR_VMX_VSRS 12
#define NR_VSRS (NR_FP_VSRS + NR_VMX_VSRS)

struct vsr_image {
	/* [0]: the doubleword an FPR aliases (for vs14-31); [1]: the other one. */
	uint64_t dw[NR_VSRS][2];
} __attribute__((aligned(16)));

/* lxvd2x/stxvd2x with the address in r9, which then steps to the next slot. */
#define LOAD_VSR(n) "lxvd2x " #n ",0,9\n\taddi 9,9,16\n\t"
#define STORE_VSR(n) "stxvd2x " #n ",0,9\n\taddi 9,9,16\n\t"
#define CHECKED_VSRS(op)                                                     \
	op(14) op(15) op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23) \
	op(24) op(25) op(26) op(27) op(28) op(29) op(30) op(31)               \
	op(52) op(53) op(54) op(55) op(56) op(57) op(58) op(59) op(60) op(61) \
	op(62) op(63)

/*
 * A system call made with *in in the checked registers, which are stored
 * into *out as soon as it returns. Returns the result, or -errno.
 */
static long syscall_keeping_vsrs(long nr, long a0, long a1, long a2, const struct vsr_image *in,
				 struct vsr_image *out)
{
	register long r0 __asm__("r0") = nr;
	register long r3 __asm__("r3") = a0;
	register long r4 __asm__("r4") = a1;
	register long r5 __asm__("r5") = a2;
	unsigned long cr;

	__asm__ volatile("mr 9,%[in]\n\t"
			 CHECKED_VSRS(LOAD_VSR)
			 "sc\n\t"
			 "mfcr %[cr]\n\t"
			 "mr 9,%[out]\n\t"
			 CHECKED_VSRS(STORE_VSR)
			 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), [cr] "=&r"(cr)
			 : [in] "b"(in), [out] "b"(out)
			 : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer",
			   "cr0", "cr1", "cr5", "cr6", "cr7", "memory",
			   "vs14", "vs15", "vs16", "vs17", "vs18", "vs19", "vs20", "vs21",
			   "vs22", "vs23", "vs24", "vs25", "vs26", "vs27", "vs28", "vs29",
			   "vs30", "vs31", "vs52", "vs53", "vs54", "vs55", "vs56", "vs57",
			   "vs58", "vs59", "vs60", "vs61", "vs62", "vs63");
	/* CR0[SO] set: r3 is an errno. */
	return (cr & 0x10000000) ? -r3 : r3;
}

/* Every byte of a doubleword the same, so lxvd2x's element order cannot matter. */
static uint64_t pattern(unsigned int byte)
{
	return UINT64_C(0x0101010101010101) * (byte & 0xff);
}

/* The VMM's values: 0x10+i / 0x50+i; the L2's: 0x90+i / 0xd0+i. */
static void fill_image(struct vsr_image *img, unsigned int base)
{
	for (unsigned int i = 0; i < NR_VSRS; i++) {
		img->dw[i][0] = pattern(base + i);
		img->dw[i][1] = pattern(base + 0x40 + i);
	}
}

#define VMM_BASE 0x10u
#define L2_BASE 0x90u

/* ---------------------------------------------------------------- the L2 */

#define L2_CODE 0x3000u
#define L2_TABLE 0x4000u
#define L2_SPIN 0x4400u /* doubleword: bdnz iterations before each exit */

#define MSR_VEC (UINT64_C(1) << 25)
#define MSR_VSX (UINT64_C(1) << 23)

static uint32_t insn_addi(unsigned int rt, unsigned int ra, int16_t si)
{
	return 0x38000000u | rt << 21 | ra << 16 | (uint16_t)si;
}

static uint32_t insn_lxvd2x(unsigned int xt, unsigned int ra, unsigned int rb)
{
	return 0x7c000698u | (xt & 31) << 21 | ra << 16 | rb << 11 | xt >> 5;
}

#define L2_CODE_WORDS (2 * NR_VSRS + 10)

/*
 * At L2_CODE: load the L2's table into the checked registers, spin for the
 * count at L2_SPIN, exit with L2_H_DONE, and start over when resumed.
 */
static void l2_fp_code(uint32_t code[static L2_CODE_WORDS])
{
	static const unsigned int vsrs[] = { 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
					     28, 29, 30, 31, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61,
					     62, 63 };
	size_t n = 0;

	_Static_assert(sizeof(vsrs) / sizeof(vsrs[0]) == NR_VSRS, "the L2 loads every checked VSR");
	code[n++] = insn_addi(9, 0, L2_TABLE);          /* start: li r9, L2_TABLE      */
	for (size_t i = 0; i < NR_VSRS; i++) {
		code[n++] = insn_lxvd2x(vsrs[i], 0, 9); /*   lxvd2x vsN, 0, r9         */
		code[n++] = insn_addi(9, 9, 16);         /*   addi r9, r9, 16           */
	}
	code[n++] = 0xe9400000u | L2_SPIN;              /* ld    r10, L2_SPIN(0)       */
	code[n++] = 0x2c2a0000u;                        /* cmpdi r10, 0                */
	code[n++] = 0x4182000cu;                        /* beq   done                  */
	code[n++] = 0x7d4903a6u;                        /* mtctr r10                   */
	code[n++] = 0x42000000u;                        /* bdnz  .                     */
	code[n++] = insn_addi(3, 0, 0);                 /* done: li r3, 0              */
	code[n++] = 0x60630000u | L2_H_DONE;            /*   ori r3, r3, L2_H_DONE     */
	code[n++] = 0x44000022u;                        /*   sc 1                      */
	code[n] = 0x48000000u | (uint32_t)(-(int32_t)(n * 4) & 0x03fffffc); /* b start */
}

_Static_assert(L2_CODE >= L2_MESSAGE_ADDR + sizeof(L2_MESSAGE), "code over the message");
_Static_assert(L2_CODE + 4 * L2_CODE_WORDS <= L2_TABLE, "code over the table");
_Static_assert(L2_TABLE + sizeof(struct vsr_image) <= L2_SPIN, "table over the spin count");
_Static_assert(L2_SPIN + 8 <= L2_MEM_SIZE, "spin count outside the L2's memory");

struct fp_vm {
	struct l2_vm vm;
	struct l2_failure failure;
};

static void set_spin(struct fp_vm *v, uint64_t spin)
{
	memcpy((char *)v->vm.mem + L2_SPIN, &spin, sizeof(spin));
}

/* The standard payload keeps its trap stubs; our code and table go above it. */
static int fp_vm_create(struct fp_vm *v, uint64_t spin)
{
	struct vsr_image table;
	struct kvm_regs regs;
	uint32_t code[L2_CODE_WORDS];
	int r;

	r = l2_vm_create(&v->vm, &v->failure);
	if (r)
		return r;
	l2_fp_code(code);
	memcpy((char *)v->vm.mem + L2_CODE, code, sizeof(code));
	fill_image(&table, L2_BASE);
	memcpy((char *)v->vm.mem + L2_TABLE, &table, sizeof(table));
	set_spin(v, spin);
	if (ioctl(v->vm.vcpu_fd, KVM_GET_REGS, &regs) < 0) {
		v->failure = (struct l2_failure){ "KVM_GET_REGS", errno };
		goto fail;
	}
	regs.pc = L2_CODE;
	regs.msr = L2_MSR | MSR_VEC | MSR_VSX;
	if (ioctl(v->vm.vcpu_fd, KVM_SET_REGS, &regs) < 0) {
		v->failure = (struct l2_failure){ "KVM_SET_REGS", errno };
		goto fail;
	}
	return 0;
fail:
	l2_vm_destroy(&v->vm);
	return -v->failure.err;
}

/* ---------------------------------------------------------------- checking */

enum dw_state { DW_KEPT, DW_L2, DW_OTHER };

struct tally {
	const char *name;
	unsigned int calls;
	unsigned int corrupted;          /* calls after which any checked register changed */
	unsigned int fp_bad, vsx_bad, vmx_bad; /* ... f14-31 / vs14-31 low halves / v20-31 */
	unsigned int from_l2, from_other; /* changed doublewords, by where they came from */
	unsigned int switched;           /* calls during which the thread was switched out */
	unsigned int corrupted_switched;
	unsigned int eintr, exits;
	bool failed;                     /* the mechanics went wrong; the verdict is void */
};

static enum dw_state classify(uint64_t got, uint64_t vmm, uint64_t l2)
{
	if (got == vmm)
		return DW_KEPT;
	return got == l2 ? DW_L2 : DW_OTHER;
}

static long context_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) < 0)
		return -1;
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

/* One system call with the VMM's values in the registers, counted into t. */
static long checked_call(struct tally *t, long nr, long a0, long a1, long a2)
{
	static const struct vsr_image zero;
	struct vsr_image vmm, l2, got = zero;
	bool fp = false, vsx = false, vmx = false;
	long before, after, ret;

	fill_image(&vmm, VMM_BASE);
	fill_image(&l2, L2_BASE);
	before = context_switches();
	ret = syscall_keeping_vsrs(nr, a0, a1, a2, &vmm, &got);
	after = context_switches();

	for (unsigned int i = 0; i < NR_VSRS; i++) {
		for (unsigned int d = 0; d < 2; d++) {
			enum dw_state s = classify(got.dw[i][d], vmm.dw[i][d], l2.dw[i][d]);

			if (s == DW_KEPT)
				continue;
			if (s == DW_L2)
				t->from_l2++;
			else
				t->from_other++;
			if (i >= NR_FP_VSRS)
				vmx = true;
			else if (d == 0)
				fp = true;
			else
				vsx = true;
		}
	}
	t->calls++;
	t->fp_bad += fp;
	t->vsx_bad += vsx;
	t->vmx_bad += vmx;
	if (fp || vsx || vmx)
		t->corrupted++;
	if (before >= 0 && after > before) {
		t->switched++;
		if (fp || vsx || vmx)
			t->corrupted_switched++;
	}
	return ret;
}

static long checked_kvm_run(struct tally *t, struct fp_vm *v)
{
	long r = checked_call(t, SYS_ioctl, v->vm.vcpu_fd, KVM_RUN, 0);

	if (r == -EINTR)
		t->eintr++;
	return r;
}

/* 0: the L2 exited through L2_H_DONE; else says what happened instead. */
static int expect_done_exit(struct tally *t, struct fp_vm *v, long r)
{
	struct kvm_run *run = v->vm.run;

	if (r < 0) {
		tap_note("%s: KVM_RUN failed: %s", t->name, strerror((int)-r));
		return -1;
	}
	if (run->exit_reason != KVM_EXIT_PAPR_HCALL) {
		tap_note("%s: KVM_RUN exit reason %" PRIu32 ", expected the L2's hcall",
			 t->name, run->exit_reason);
		return -1;
	}
	if (run->papr_hcall.nr == L2_H_TRAP) {
		tap_note("%s: the L2 took interrupt 0x%" PRIx64 " at 0x%" PRIx64 " (SRR1 0x%" PRIx64 ")",
			 t->name, (uint64_t)run->papr_hcall.args[0], (uint64_t)run->papr_hcall.args[1],
			 (uint64_t)run->papr_hcall.args[2]);
		return -1;
	}
	if (run->papr_hcall.nr != L2_H_DONE) {
		tap_note("%s: the L2 made hcall 0x%" PRIx64, t->name, (uint64_t)run->papr_hcall.nr);
		return -1;
	}
	t->exits++;
	run->papr_hcall.ret = 0;
	return 0;
}

/* measure_only: facts and notes only, for calls whose outcome on a buggy kernel is chance. */
static void report_tally(struct tap *tap, const struct tally *t, const char *how, bool measure_only)
{
	static const char *const parts[] = { "fp", "vsx", "vmx" };
	const unsigned int bad[] = { t->fp_bad, t->vsx_bad, t->vmx_bad };
	char name[64];

	if (t->failed || t->calls == 0) {
		tap_check(tap, false, "%s: %s ran to completion", t->name, how);
		return;
	}
	for (size_t p = 0; p < 3; p++) {
		snprintf(name, sizeof(name), "%s.%s", parts[p], t->name);
		tap_fact(name, "%s", bad[p] ? "corrupted" : "clean");
	}
	snprintf(name, sizeof(name), "fp.%s.calls", t->name);
	tap_fact(name, "%u", t->calls);
	snprintf(name, sizeof(name), "fp.%s.corrupted", t->name);
	tap_fact(name, "%u", t->corrupted);
	snprintf(name, sizeof(name), "fp.%s.switched", t->name);
	tap_fact(name, "%u", t->switched);
	snprintf(name, sizeof(name), "fp.%s.corrupted_switched", t->name);
	tap_fact(name, "%u", t->corrupted_switched);
	if (t->eintr || t->exits) {
		snprintf(name, sizeof(name), "fp.%s.eintr", t->name);
		tap_fact(name, "%u", t->eintr);
		snprintf(name, sizeof(name), "fp.%s.exits", t->name);
		tap_fact(name, "%u", t->exits);
	}
	tap_note("%s: %u of %u %s changed the VMM's registers (f14-f31 %u, vs14-31 low %u, "
		 "v20-v31 %u; doublewords from the L2 %u, from elsewhere %u); %u were switched out, "
		 "%u of them changed registers",
		 t->name, t->corrupted, t->calls, how, t->fp_bad, t->vsx_bad, t->vmx_bad,
		 t->from_l2, t->from_other, t->switched, t->corrupted_switched);
	if (!measure_only)
		tap_check(tap, t->corrupted == 0, "%s: f14-f31, vs14-vs31 and v20-v31 survive %u %s",
			  t->name, t->calls, how);
}

/* ---------------------------------------------------------------- the cases */

#define CALLS 16
#define FRESH_VMS 8
#define LONG_RUNS 8
#define SIGNAL_EXITS 4
#define TARGET_RUN_MS 300
#define SIGNAL_PERIOD_MS 40

struct context {
	uint64_t spin; /* bdnz iterations for a run of about TARGET_RUN_MS */
};

static void on_signal(int sig)
{
	(void)sig; /* only here so that the signal interrupts KVM_RUN instead of killing us */
}

static atomic_bool busy_stop;

static void *busy_loop(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&busy_stop, memory_order_relaxed))
		;
	return NULL;
}

/* A thread that wants the CPU all the time, with every signal blocked. */
static int busy_start(pthread_t *thread)
{
	sigset_t all, old;
	int r;

	atomic_store(&busy_stop, false);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(thread, NULL, busy_loop, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -r;
}

static void busy_stop_join(pthread_t thread)
{
	atomic_store(&busy_stop, true);
	pthread_join(thread, NULL);
}

static bool vm_or_fail(struct tally *t, struct fp_vm *v, uint64_t spin)
{
	if (fp_vm_create(v, spin) == 0)
		return true;
	tap_note("%s: %s failed: %s", t->name, v->failure.step, strerror(v->failure.err));
	t->failed = true;
	return false;
}

/* runs KVM_RUNs on each of vms fresh vCPUs, every one expected to end in L2_H_DONE. */
static void case_runs(struct tally *t, unsigned int vms, unsigned int runs, uint64_t spin)
{
	for (unsigned int i = 0; i < vms && !t->failed; i++) {
		struct fp_vm v;

		if (!vm_or_fail(t, &v, spin))
			return;
		for (unsigned int j = 0; j < runs && !t->failed; j++)
			if (expect_done_exit(t, &v, checked_kvm_run(t, &v)))
				t->failed = true;
		l2_vm_destroy(&v.vm);
	}
}

static void case_first(struct tally *t, const struct context *c)
{
	(void)c;
	case_runs(t, FRESH_VMS, 1, 0);
}

static void case_repeat(struct tally *t, const struct context *c)
{
	(void)c;
	case_runs(t, 1, CALLS, 0);
}

static void case_long(struct tally *t, const struct context *c)
{
	case_runs(t, 1, LONG_RUNS, c->spin);
}

static void case_busy(struct tally *t, const struct context *c)
{
	pthread_t thread;
	int r = busy_start(&thread);

	if (r) {
		tap_note("%s: pthread_create: %s", t->name, strerror(-r));
		t->failed = true;
		return;
	}
	case_runs(t, 1, LONG_RUNS, c->spin);
	busy_stop_join(thread);
}

/* A periodic SIGALRM while the L2 spins: KVM_RUN returns EINTR, the VMM runs it again. */
static void case_signal(struct tally *t, const struct context *c)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct itimerval period = {
		.it_interval = { .tv_usec = SIGNAL_PERIOD_MS * 1000 },
		.it_value = { .tv_usec = SIGNAL_PERIOD_MS * 1000 },
	};
	static const struct itimerval off;
	struct fp_vm v;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0) {
		tap_note("%s: sigaction: %s", t->name, strerror(errno));
		t->failed = true;
		return;
	}
	if (!vm_or_fail(t, &v, c->spin * 4))
		return;
	setitimer(ITIMER_REAL, &period, NULL);
	/* Bounded: the L2 ends every spin with an hcall, whatever the signals do. */
	while (t->exits < SIGNAL_EXITS && t->calls < 1000 && !t->failed) {
		long r = checked_kvm_run(t, &v);

		if (r != -EINTR && expect_done_exit(t, &v, r))
			t->failed = true;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	l2_vm_destroy(&v.vm);
	if (t->eintr == 0) {
		tap_note("%s: no KVM_RUN was interrupted by the signal", t->name);
		t->failed = true;
	}
}

/*
 * A signal already pending when KVM_RUN starts, unblocked only for the run by
 * KVM_SET_SIGNAL_MASK as QEMU does with its IPI signal: KVM_RUN gives up
 * before entering the guest, and the signal stays pending (blocked again).
 */
static void case_pending(struct tally *t, const struct context *c)
{
	struct {
		struct kvm_signal_mask mask;
		uint8_t bits[8];
	} run_mask = { .mask.len = 8 };
	sigset_t usr1, old;
	struct fp_vm v;
	int sig;

	(void)c;
	if (!vm_or_fail(t, &v, 0))
		return;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, &old);
	raise(SIGUSR1);
	if (ioctl(v.vm.vcpu_fd, KVM_SET_SIGNAL_MASK, &run_mask) < 0) {
		tap_note("%s: KVM_SET_SIGNAL_MASK: %s", t->name, strerror(errno));
		t->failed = true;
	}
	for (unsigned int i = 0; i < CALLS && !t->failed; i++)
		if (checked_kvm_run(t, &v) != -EINTR)
			t->failed = true;
	sigwait(&usr1, &sig);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	l2_vm_destroy(&v.vm);
}

/* kvm_run.immediate_exit: KVM_RUN returns EINTR without entering the guest. */
static void case_immediate(struct tally *t, const struct context *c)
{
	struct fp_vm v;

	(void)c;
	if (!vm_or_fail(t, &v, 0))
		return;
	v.vm.run->immediate_exit = 1;
	for (unsigned int i = 0; i < CALLS && !t->failed; i++)
		if (checked_kvm_run(t, &v) != -EINTR)
			t->failed = true;
	l2_vm_destroy(&v.vm);
}

static void case_getpid(struct tally *t, const struct context *c)
{
	(void)c;
	for (unsigned int i = 0; i < CALLS; i++)
		if (checked_call(t, SYS_getpid, 0, 0, 0) != getpid())
			t->failed = true;
}

static void case_nanosleep(struct tally *t, const struct context *c)
{
	const struct timespec ms = { .tv_nsec = 1000000 };

	(void)c;
	for (unsigned int i = 0; i < CALLS; i++)
		if (checked_call(t, SYS_nanosleep, (long)&ms, 0, 0) != 0)
			t->failed = true;
}

/* With a busy thread beside it, every sched_yield() is a context switch. */
static void case_yield(struct tally *t, const struct context *c)
{
	pthread_t thread;
	int r = busy_start(&thread);

	(void)c;
	if (r) {
		tap_note("%s: pthread_create: %s", t->name, strerror(-r));
		t->failed = true;
		return;
	}
	for (unsigned int i = 0; i < CALLS; i++)
		if (checked_call(t, SYS_sched_yield, 0, 0, 0) != 0)
			t->failed = true;
	busy_stop_join(thread);
}

struct fp_case {
	const char *name;
	const char *calls;   /* what the calls are, for the TAP line */
	bool needs_spin;
	void (*run)(struct tally *t, const struct context *c);
};

static const struct fp_case cases[] = {
	{ "first", "first KVM_RUNs of fresh vCPUs (hcall exit)", false, case_first },
	{ "repeat", "KVM_RUNs of one vCPU (hcall exit)", false, case_repeat },
	{ "long", "long KVM_RUNs (L2 spins, then hcall exit)", true, case_long },
	{ "busy", "long KVM_RUNs beside a busy thread", true, case_busy },
	{ "signal", "KVM_RUNs under a periodic SIGALRM", true, case_signal },
	{ "pending", "KVM_RUNs with a signal pending (EINTR before entry)", false, case_pending },
	{ "immediate", "KVM_RUNs with immediate_exit (EINTR)", false, case_immediate },
	{ "getpid", "getpid calls (control)", false, case_getpid },
	{ "nanosleep", "1 ms nanosleep calls (control)", false, case_nanosleep },
	{ "yield", "sched_yield calls beside a busy thread (control)", false, case_yield },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Times a run of 2^20 iterations to size the long runs; 0 if the L2 cannot
 * run. The first run of a vCPU also sets up its MMU, so the second is timed.
 */
static uint64_t calibrate_spin(void)
{
	const uint64_t probe = UINT64_C(1) << 20;
	struct tally t = { .name = "calibrate" };
	uint64_t start = 0, ns, spin;
	struct fp_vm v;

	if (!vm_or_fail(&t, &v, probe))
		return 0;
	tap_fact("kvm.flavour", "%s", l2_vm_flavour(&v.vm));
	for (int run = 0; run < 2; run++) {
		start = now_ns();
		if (expect_done_exit(&t, &v, checked_kvm_run(&t, &v))) {
			l2_vm_destroy(&v.vm);
			return 0;
		}
	}
	ns = now_ns() - start;
	l2_vm_destroy(&v.vm);
	spin = ns ? probe * (TARGET_RUN_MS * UINT64_C(1000000)) / ns : probe;
	tap_fact("fp.spin", "%" PRIu64, spin);
	tap_note("2^20 L2 iterations took %" PRIu64 " us: %" PRIu64 " make a run of ~%d ms",
		 ns / 1000, spin, TARGET_RUN_MS);
	return spin < probe ? probe : spin;
}

static void usage(FILE *out)
{
	fputs("usage: fpregs [--measure] [CASE...]\n"
	      "  Checks that system calls, KVM_RUN above all, keep the caller's f14-f31,\n"
	      "  vs14-vs31 and v20-v31. Without CASE: every case.\n"
	      "  --measure  facts only: no TAP line on whether the registers survived\n"
	      "  Cases:\n",
	      out);
	for (size_t i = 0; i < NR_CASES; i++)
		fprintf(out, "  %-10s %s\n", cases[i].name, cases[i].calls);
}

int main(int argc, char **argv)
{
	bool chosen[NR_CASES] = { false };
	struct context ctx = { 0 };
	struct tap tap = { 0 };
	bool any = false, spin_needed = false, measure_only = false;

	for (int a = 1; a < argc; a++) {
		size_t i;

		if (!strcmp(argv[a], "--measure")) {
			measure_only = true;
			continue;
		}
		for (i = 0; i < NR_CASES && strcmp(argv[a], cases[i].name); i++)
			;
		if (i == NR_CASES) {
			fprintf(stderr, "fpregs: unknown case '%s'\n", argv[a]);
			usage(stderr);
			return 2;
		}
		chosen[i] = any = true;
	}
	for (size_t i = 0; i < NR_CASES; i++) {
		chosen[i] = chosen[i] || !any;
		spin_needed = spin_needed || (chosen[i] && cases[i].needs_spin);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (spin_needed) {
		ctx.spin = calibrate_spin();
		if (!tap_check(&tap, ctx.spin != 0, "the L2 loads its registers and exits"))
			return tap_exit_status(&tap);
	}
	for (size_t i = 0; i < NR_CASES; i++) {
		struct tally t = { .name = cases[i].name };

		if (!chosen[i])
			continue;
		cases[i].run(&t, &ctx);
		report_tally(&tap, &t, cases[i].calls, measure_only);
	}
	return tap_exit_status(&tap);
}
