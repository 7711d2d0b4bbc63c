// SPDX-License-Identifier: GPL-2.0
/*
 * compat-test: which KVM_REG_PPC_ARCH_COMPAT values does this L1 kernel accept,
 * and can a vCPU that got one run? Every value gets a fresh VM and vCPU, then a
 * KVM_RUN of the L2 payload. Facts for every value let the scenarios assert
 * per kernel; where the kernel reports its compat capabilities, the accepted
 * set must be exactly what they allow (spec/ABI.md).
 */
#include "compat-caps-ioctl.h"
#include "l2-vm.h"
#include "refusal.h"
#include "tap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* What every kernel must do with a level, beyond reporting it as a fact. */
enum level_rule {
	RULE_FACT_ONLY,	   /* kernels legitimately differ (levels without a caps bit) */
	RULE_ALWAYS_RUNS,  /* 0: the host's own level */
	RULE_NEVER_VALID,  /* not a logical PVR any kernel knows */
	RULE_FOLLOWS_CAPS, /* accepted exactly when the compat capabilities allow it */
};

struct level {
	char name[24];
	uint32_t pvr;
	enum ppccompat_mode mode;
	enum level_rule rule;
};

struct outcome {
	bool created;
	int set_err; /* KVM_SET_ONE_REG: 0 or errno */
	bool ran;    /* the L2 ran to its end */
	/* "ran", the KVM_RUN errno, an unexpected exit, "trapped", "hcall_lost" or "misbehaved" */
	const char *run_word;
	char exit_buf[24];
	int run_err; /* errno of KVM_RUN when it failed, else 0 */
	/* ARCH_COMPAT before and after the write, and how the run ended */
	struct refusal after;
};

static uint32_t read_pvr(void)
{
	unsigned long pvr;

	/* Emulated for user space by the kernel: the raw PVR, also in a compat-mode partition. */
	__asm__ volatile("mfpvr %0" : "=r"(pvr));
	return (uint32_t)pvr;
}

/* 0, every logical PVR the kernel might know, and values no kernel may accept. */
static size_t build_levels(struct level *levels, size_t max)
{
	size_t n = 0;

	levels[n++] = (struct level){ "zero", 0, PPCCOMPAT_MODE_NONE, RULE_ALWAYS_RUNS };
	for (enum ppccompat_mode m = PPCCOMPAT_MODE_FIRST; m <= PPCCOMPAT_MODE_LAST; m++) {
		const struct ppccompat_generation *gen = ppccompat_generation(m);

		for (unsigned int i = 0; i < gen->n_logical_pvrs && n + 3 < max; i++) {
			struct level *l = &levels[n++];

			/* the second logical PVR of a generation (POWER7+) is named by its value */
			if (i == 0)
				snprintf(l->name, sizeof(l->name), "%s", gen->name);
			else
				snprintf(l->name, sizeof(l->name), "%s_%08" PRIx32, gen->name,
					 gen->logical_pvrs[i]);
			l->pvr = gen->logical_pvrs[i];
			l->mode = m;
			l->rule = gen->kvm_cap_bit ? RULE_FOLLOWS_CAPS : RULE_FACT_ONLY;
		}
	}
	levels[n++] =
		(struct level){ "all_ones", 0xffffffff, PPCCOMPAT_MODE_NONE, RULE_NEVER_VALID };
	levels[n++] = (struct level){ "junk", 0x12345678, PPCCOMPAT_MODE_NONE, RULE_NEVER_VALID };
	/* what a VMM that confuses raw and logical PVRs would pass */
	levels[n++] =
		(struct level){ "raw_pvr", read_pvr(), PPCCOMPAT_MODE_NONE, RULE_NEVER_VALID };
	return n;
}

static void try_level(const struct level *level, struct outcome *out)
{
	struct l2_run_result result;
	struct l2_failure f;
	struct l2_vm vm;
	int r;

	*out = (struct outcome){ .run_word = "not_run" };
	r = l2_vm_create(&vm, &f);
	if (r) {
		tap_note("%s: VM setup failed at %s: %s", level->name, f.step, tap_errno(f.err));
		return;
	}
	out->created = true;
	refusal_read(&vm, &out->after.previous, &out->after.previous_err);
	out->set_err = -l2_vm_set_arch_compat(&vm, level->pvr);
	refusal_read(&vm, &out->after.readback, &out->after.readback_err);
	/* Run even after a refusal: a refused vCPU must either keep its old level or not run. */
	r = l2_vm_run(&vm, &result, &f);
	refusal_set_run(&out->after, r, &result, &f);
	out->ran = r == 0;
	if (r == 0) {
		out->run_word = "ran";
	} else if (result.outcome == L2_TRAPPED) {
		out->run_word = "trapped";
	} else if (result.outcome == L2_HCALL_LOST) {
		out->run_word = "hcall_lost";
	} else if (!strcmp(f.step, "KVM_RUN") && f.err) {
		out->run_err = f.err;
		out->run_word = tap_errno(f.err);
	} else if (!strcmp(f.step, "KVM_RUN")) {
		out->run_word = l2_exit_reason_name(result.exit_reason, out->exit_buf);
	} else {
		out->run_word = "misbehaved";
	}
	if (r)
		tap_note("%s: run failed at %s: %s (exit reason %" PRIu32 ", hcall 0x%" PRIx64
			 ", vector 0x%" PRIx64 ", output \"%s\")",
			 level->name, f.step, tap_errno(f.err), result.exit_reason, result.hcall,
			 result.trap_vector, result.output);
	l2_vm_destroy(&vm);
}

/* With the kernel's compat capabilities known, what must happen to one level. */
static void assert_follows_caps(struct tap *tap, const struct level *level,
				const struct outcome *out, uint64_t caps, bool host_is_power11,
				bool zero_ran)
{
	bool allowed = caps & ppccompat_generation(level->mode)->kvm_cap_bit;
	enum refusal_kind kind = refusal_classify(&out->after);

	tap_check(tap, (out->set_err == 0) == allowed,
		  "ARCH_COMPAT %s (0x%08" PRIx32 ") %s, caps 0x%" PRIx64 " %s it", level->name,
		  level->pvr, out->set_err ? tap_errno(out->set_err) : "accepted", caps,
		  allowed ? "allow" : "do not allow");
	if (out->set_err == 0)
		tap_check(tap, out->ran, "vCPU with ARCH_COMPAT %s runs the L2: %s", level->name,
			  out->run_word);
	else if (level->mode == PPCCOMPAT_MODE_POWER11 && !host_is_power11)
		tap_check(tap, kind == REFUSAL_STOPPED,
			  "vCPU refused ARCH_COMPAT power11 on a non-Power11 host is stopped as "
			  "mainline stops it: %s",
			  out->run_word);
	else
		tap_check(tap, kind == REFUSAL_KEPT && out->ran == zero_ran,
			  "vCPU refused ARCH_COMPAT %s keeps level 0 and runs as level 0 %s: %s",
			  level->name, zero_ran ? "does" : "does not", out->run_word);
}

/* The facts of one level, and the assertions every kernel must pass whatever its caps. */
static void report_level(struct tap *tap, const struct level *level, const struct outcome *out)
{
	char name[sizeof(level->name) + sizeof("compat..readback")];

	snprintf(name, sizeof(name), "compat.%.*s", (int)sizeof(level->name), level->name);
	tap_fact(name, "%s", out->set_err ? tap_errno(out->set_err) : "accepted");
	snprintf(name, sizeof(name), "compat.%.*s.run", (int)sizeof(level->name), level->name);
	tap_fact(name, "%s", out->run_word);
	snprintf(name, sizeof(name), "compat.%.*s", (int)sizeof(level->name), level->name);
	refusal_facts(name, &out->after);

	if (out->set_err) {
		refusal_check(tap, level->name, &out->after);
		return;
	}
	if (out->after.readback_err)
		tap_check(tap, false, "accepted ARCH_COMPAT %s reads back as written: %s",
			  level->name, tap_errno(out->after.readback_err));
	else
		tap_check(tap, out->after.readback == level->pvr,
			  "accepted ARCH_COMPAT %s reads back as written: 0x%08" PRIx32,
			  level->name, out->after.readback);
}

/* Whether the capabilities include the host's own mode (a mode without a bit: yes). */
static bool host_mode_granted(const struct ppccompat_host *host, uint64_t caps)
{
	const struct ppccompat_generation *gen = ppccompat_generation(host->effective_mode);

	return !gen || !gen->kvm_cap_bit || (caps & gen->kvm_cap_bit);
}

int main(void)
{
	struct ppccompat_probe_opts opts = { .flags = PPCCOMPAT_PROBE_NO_KVM };
	struct ppccompat_kvm_info kvm;
	struct ppccompat_host host;
	struct ppccompat_error perr;
	struct level levels[24];
	struct tap tap = { 0 };
	size_t n = build_levels(levels, sizeof(levels) / sizeof(levels[0]));
	bool caps_known, host_is_power11, zero_ran = false;

	if (ppccompat_probe(&opts, &host, &perr) < 0) {
		char line[512];

		ppccompat_error_format(&perr, line, sizeof(line));
		fprintf(stderr, "compat-test: %s\n", line);
		tap_check(&tap, false, "probe the host");
		return 1;
	}
	host_is_power11 = host.effective_mode == PPCCOMPAT_MODE_POWER11;
	tap_fact("compat.host_mode", "%s", ppccompat_mode_name(host.effective_mode));

	ppccompat_kvm_probe(ppccompat_kvm_default_ops(), &kvm);
	caps_known = kvm.status == PPCCOMPAT_KVM_OK;
	if (caps_known)
		tap_fact("compat.caps", "0x%016" PRIx64, kvm.caps);
	else
		tap_fact("compat.caps", "unknown");

	for (size_t i = 0; i < n; i++) {
		struct outcome out;

		try_level(&levels[i], &out);
		if (!out.created) {
			tap_check(&tap, false, "ARCH_COMPAT %s: could not create the VM",
				  levels[i].name);
			continue;
		}
		report_level(&tap, &levels[i], &out);
		if (levels[i].rule == RULE_ALWAYS_RUNS)
			zero_ran = out.ran;

		switch (levels[i].rule) {
		case RULE_FACT_ONLY:
			break;
		case RULE_ALWAYS_RUNS:
			/*
			 * Mainline checks 0 as the host's own level against what a nested
			 * API v2 L0 granted, and refuses it when the L0 did not grant that.
			 */
			if (caps_known && !host_mode_granted(&host, kvm.caps))
				break;
			tap_check(&tap, out.set_err == 0 && out.ran,
				  "ARCH_COMPAT 0 (the host's level) is accepted and runs: %s, %s",
				  out.set_err ? tap_errno(out.set_err) : "accepted", out.run_word);
			break;
		case RULE_NEVER_VALID:
			tap_check(&tap,
				  out.set_err == EINVAL &&
					  refusal_classify(&out.after) == REFUSAL_KEPT,
				  "ARCH_COMPAT %s (0x%08" PRIx32 ") is EINVAL and keeps level 0: %s",
				  levels[i].name, levels[i].pvr,
				  out.set_err ? tap_errno(out.set_err) : "accepted");
			break;
		case RULE_FOLLOWS_CAPS:
			if (caps_known)
				assert_follows_caps(&tap, &levels[i], &out, kvm.caps,
						    host_is_power11, zero_ran);
			break;
		}
	}
	if (!caps_known)
		tap_skip(&tap, "the kernel does not report compat capabilities",
			 "accepted ARCH_COMPAT levels equal the reported capabilities");
	return tap_exit_status(&tap);
}
