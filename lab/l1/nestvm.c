// SPDX-License-Identifier: GPL-2.0
/*
 * nestvm: a minimal VMM in the L1. It builds an L2 the way a VMM such as QEMU
 * does - VM, memory, one vCPU in PAPR mode, the compat level, registers, run -
 * and reports exactly where that failed, with the kernel's messages.
 *
 * The compat level comes from libppccompat (the fix), from --mode, or with
 * --raw-pvr from the processor's raw PVR, as today's QEMU derives `-cpu host`:
 * on Power11 silicon that asks for Power11 whatever mode the partition runs in.
 */
#include "kmsg.h"
#include "l2-vm.h"
#include "refusal.h"
#include "tap.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <ppccompat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum mode_source { FROM_LIBRARY, FROM_OPTION, FROM_RAW_PVR };

struct choice {
	enum mode_source source;
	enum ppccompat_mode mode; /* NONE: leave ARCH_COMPAT alone (the host's level) */
	uint32_t arch_compat;
	enum ppccompat_mode previous; /* set first, so that a refusal has a level to keep */
};

static const char *const result_names[] = { "ran", "refused", "failed" };
enum result { RESULT_RAN, RESULT_REFUSED, RESULT_FAILED };

static void usage(FILE *out)
{
	fputs("usage: nestvm [--mode MODE | --raw-pvr] [--previous MODE] [--expect ran|refused|failed]\n"
	      "  Runs a tiny L2 guest and reports where it failed, as TAP and '# fact' lines.\n"
	      "  --mode MODE      ARCH_COMPAT for MODE (power7 ... power11); 'host' leaves it unset\n"
	      "  --raw-pvr        the mode of the processor's raw PVR, as QEMU's -cpu host derives it\n"
	      "  --previous MODE  set MODE first; it must be accepted\n"
	      "  --expect R       the outcome that makes the TAP line 'ok' (default: ran)\n"
	      "  Without --mode or --raw-pvr, libppccompat's recommended mode is used.\n"
	      "  After a refusal the vCPU is read back and run, and checked against mainline.\n",
	      out);
}

static uint32_t read_pvr(void)
{
	unsigned long pvr;

	/* Emulated for user space by the kernel: the raw PVR, also in a compat-mode partition. */
	__asm__ volatile("mfpvr %0" : "=r"(pvr));
	return (uint32_t)pvr;
}

static int choose_from_library(struct choice *c)
{
	struct ppccompat_host host;
	struct ppccompat_error err;
	char line[512];

	if (ppccompat_probe(NULL, &host, &err) < 0) {
		ppccompat_error_format(&err, line, sizeof(line));
		fprintf(stderr, "nestvm: libppccompat: %s\n", line);
		return -1;
	}
	tap_fact("nestvm.allowed_from", "%s", ppccompat_source_name(host.allowed_source));
	if (host.recommended_mode == PPCCOMPAT_MODE_NONE) {
		fprintf(stderr, "nestvm: libppccompat recommends no mode for this host\n");
		return -1;
	}
	c->mode = host.recommended_mode;
	return 0;
}

static int choose_from_raw_pvr(struct choice *c)
{
	enum ppccompat_pvr_kind kind;
	uint32_t pvr = read_pvr();

	tap_fact("nestvm.raw_pvr", "0x%08" PRIx32, pvr);
	if (ppccompat_mode_from_pvr(pvr, &c->mode, &kind) < 0 || kind != PPCCOMPAT_PVR_RAW) {
		fprintf(stderr,
			"nestvm: mfpvr: 0x%08" PRIx32 " is not a raw PVR libppccompat knows\n",
			pvr);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct choice *c, enum result *expect)
{
	bool chosen = false;

	*c = (struct choice){ .source = FROM_LIBRARY };
	*expect = RESULT_RAN;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(arg, "--help")) {
			usage(stdout);
			return 1;
		} else if (!strcmp(arg, "--raw-pvr") && !chosen) {
			c->source = FROM_RAW_PVR;
			chosen = true;
		} else if (!strcmp(arg, "--mode") && value && !chosen) {
			c->source = FROM_OPTION;
			chosen = true;
			i++;
			if (strcmp(value, "host") &&
			    ppccompat_mode_from_name(value, &c->mode) < 0) {
				fprintf(stderr, "nestvm: --mode: unknown mode '%s'\n", value);
				return -1;
			}
		} else if (!strcmp(arg, "--previous") && value) {
			i++;
			if (ppccompat_mode_from_name(value, &c->previous) < 0) {
				fprintf(stderr, "nestvm: --previous: unknown mode '%s'\n", value);
				return -1;
			}
		} else if (!strcmp(arg, "--expect") && value) {
			size_t r;

			i++;
			for (r = 0; r < sizeof(result_names) / sizeof(result_names[0]); r++)
				if (!strcmp(value, result_names[r]))
					break;
			if (r == sizeof(result_names) / sizeof(result_names[0])) {
				fprintf(stderr,
					"nestvm: --expect: '%s' is not ran, refused or failed\n",
					value);
				return -1;
			}
			*expect = (enum result)r;
		} else {
			fprintf(stderr, "nestvm: bad argument '%s'\n", arg);
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

/* Facts carry no spaces; the L2's bytes are printed as they came, anything else as '?'. */
static void fact_l2_output(const struct l2_run_result *run)
{
	char clean[sizeof(run->output)];
	size_t i;

	for (i = 0; i < run->output_len; i++)
		clean[i] = run->output[i] > ' ' && run->output[i] <= '~' ? run->output[i] : '?';
	clean[i] = '\0';
	tap_fact("nestvm.l2_output", "%s", clean);
}

/* "ran", the KVM_RUN errno, the exit the payload cannot cause, or "misbehaved". */
static const char *run_word(int r, const struct l2_run_result *run, const struct l2_failure *f,
			    char exit_buf[static 24])
{
	if (r == 0)
		return "ran";
	if (strcmp(f->step, "KVM_RUN"))
		return "misbehaved";
	if (f->err)
		return tap_errno(f->err);
	return l2_exit_reason_name(run->exit_reason, exit_buf);
}

/*
 * After KVM_SET_ONE_REG refused the level: what the vCPU reads back and how it
 * runs, as facts and one TAP line (refusal.h).
 */
static void probe_refusal(struct l2_vm *vm, const struct choice *c, struct refusal *after,
			  struct tap *tap)
{
	struct l2_run_result run;
	struct l2_failure f;
	char exit_buf[24];
	int r;

	refusal_read(vm, &after->readback, &after->readback_err);
	r = l2_vm_run(vm, &run, &f);
	refusal_set_run(after, r, &run, &f);
	tap_fact("nestvm.refused.run", "%s", run_word(r, &run, &f, exit_buf));
	refusal_facts("nestvm.refused", after);
	refusal_check(tap, ppccompat_mode_name(c->mode), after);
}

static enum result run_l2(const struct choice *c, struct l2_run_result *run, struct l2_failure *f,
			  struct tap *tap)
{
	struct refusal after = { 0 };
	struct l2_vm vm;
	int r;

	*run = (struct l2_run_result){ .outcome = L2_FAILED };
	if (l2_vm_create(&vm, f))
		return RESULT_FAILED;
	if (c->previous != PPCCOMPAT_MODE_NONE) {
		r = l2_vm_set_arch_compat(&vm, ppccompat_generation(c->previous)->logical_pvr);
		if (r) {
			f->step = "KVM_SET_ONE_REG_previous";
			f->err = -r;
			l2_vm_destroy(&vm);
			return RESULT_FAILED;
		}
	}
	if (c->mode != PPCCOMPAT_MODE_NONE) {
		refusal_read(&vm, &after.previous, &after.previous_err);
		r = l2_vm_set_arch_compat(&vm, c->arch_compat);
		if (r) {
			probe_refusal(&vm, c, &after, tap);
			f->step = "KVM_SET_ONE_REG";
			f->err = -r;
			l2_vm_destroy(&vm);
			return r == -EINVAL ? RESULT_REFUSED : RESULT_FAILED;
		}
	}
	r = l2_vm_run(&vm, run, f);
	l2_vm_destroy(&vm);
	return r ? RESULT_FAILED : RESULT_RAN;
}

int main(int argc, char **argv)
{
	static const char *const source_names[] = { "library", "option", "raw-pvr" };
	struct l2_run_result run;
	struct l2_failure f = { .step = "", .err = 0 };
	struct tap tap = { 0 };
	struct choice c;
	enum result expect, result;
	int kmsg, r;

	r = parse_args(argc, argv, &c, &expect);
	if (r)
		return r > 0 ? 0 : 2;
	/* Before anything can make the kernel talk. */
	kmsg = kmsg_watch_start();

	tap_fact("nestvm.mode_source", "%s", source_names[c.source]);
	if ((c.source == FROM_LIBRARY && choose_from_library(&c)) ||
	    (c.source == FROM_RAW_PVR && choose_from_raw_pvr(&c))) {
		tap_fact("nestvm.result", "failed");
		tap_fact("nestvm.failed_at", "choose_mode");
		tap_check(&tap, expect == RESULT_FAILED, "nestvm could not choose a compat mode");
		kmsg_watch_print(kmsg);
		return tap_exit_status(&tap);
	}
	if (c.previous != PPCCOMPAT_MODE_NONE)
		tap_fact("nestvm.previous", "0x%08" PRIx32,
			 ppccompat_generation(c.previous)->logical_pvr);
	if (c.mode != PPCCOMPAT_MODE_NONE) {
		c.arch_compat = ppccompat_generation(c.mode)->logical_pvr;
		tap_fact("nestvm.mode", "%s", ppccompat_mode_name(c.mode));
		tap_fact("nestvm.arch_compat", "0x%08" PRIx32, c.arch_compat);
	} else {
		tap_fact("nestvm.mode", "host");
		tap_fact("nestvm.arch_compat", "unset");
	}

	result = run_l2(&c, &run, &f, &tap);
	tap_fact("nestvm.result", "%s", result_names[result]);
	if (result != RESULT_RAN) {
		char exit_buf[24];

		tap_fact("nestvm.failed_at", "%s", f.step);
		tap_fact("nestvm.errno", "%s", f.err ? tap_errno(f.err) : "none");
		if (run.runs && !f.err) {
			tap_fact("nestvm.exit_reason", "%s",
				 l2_exit_reason_name(run.exit_reason, exit_buf));
			/* the L1 kernel's trap number; a negative errno when entry failed */
			if (run.exit_reason == KVM_EXIT_UNKNOWN)
				tap_fact("nestvm.hw_exit_reason", "%" PRId64,
					 (int64_t)run.hw_exit_reason);
		}
		if (run.have_regs)
			tap_note("the L2 stopped at pc 0x%" PRIx64 ", MSR 0x%" PRIx64
				 ", SRR0 0x%" PRIx64 ", SRR1 0x%" PRIx64,
				 run.pc, run.msr, run.srr0, run.srr1);
		if (run.outcome == L2_HCALL_LOST)
			tap_note("an L2 hcall never reached this VMM: it returned %" PRId64
				 " (-3 is H_PRIVILEGE: the L0 answered it)",
				 (int64_t)run.lost_hcall_ret);
		if (run.outcome == L2_TRAPPED)
			tap_note("the L2 took interrupt 0x%" PRIx64 " at 0x%" PRIx64
				 " (SRR1 0x%" PRIx64 ")",
				 run.trap_vector, run.trap_srr0, run.trap_srr1);
	}
	if (run.output_len)
		fact_l2_output(&run);

	if (result == RESULT_RAN)
		tap_check(&tap, expect == RESULT_RAN,
			  "l2 ran and printed %s in mode %s (expected %s)", run.output,
			  c.mode ? ppccompat_mode_name(c.mode) : "host", result_names[expect]);
	else
		tap_check(&tap, expect == result, "l2 in mode %s %s at %s: %s (expected %s)",
			  c.mode ? ppccompat_mode_name(c.mode) : "host", result_names[result],
			  f.step, f.err ? tap_errno(f.err) : "unexpected answer",
			  result_names[expect]);
	if (result != RESULT_RAN)
		kmsg_watch_print(kmsg);
	else if (kmsg >= 0)
		close(kmsg);
	return tap_exit_status(&tap);
}
