// SPDX-License-Identifier: GPL-2.0
#include "refusal.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>

void refusal_read(struct l2_vm *vm, uint32_t *value, int *err)
{
	*value = 0;
	*err = -l2_vm_get_arch_compat(vm, value);
}

void refusal_set_run(struct refusal *r, int r_run, const struct l2_run_result *result,
		     const struct l2_failure *f)
{
	r->ran = r_run == 0;
	r->run_err = r_run && !strcmp(f->step, "KVM_RUN") ? f->err : 0;
	r->exit_reason = result->exit_reason;
	r->suberror = result->suberror;
}

/* A register PR KVM does not have cannot be read either: nothing was there to change. */
static bool level_unchanged(const struct refusal *r)
{
	if (r->previous_err || r->readback_err)
		return r->previous_err == r->readback_err;
	return r->readback == r->previous;
}

enum refusal_kind refusal_classify(const struct refusal *r)
{
	if (level_unchanged(r) && r->run_err != EINVAL)
		return REFUSAL_KEPT;
	if (!r->readback_err && r->readback == REFUSAL_INVALID_MARKER && r->run_err == EINVAL &&
	    r->exit_reason == KVM_EXIT_INTERNAL_ERROR && r->suberror == L2_NOT_WRITTEN)
		return REFUSAL_STOPPED;
	return REFUSAL_NEITHER;
}

static const char *readback_word(const struct refusal *r, char buf[static 16])
{
	if (r->readback_err)
		return tap_errno(r->readback_err);
	snprintf(buf, 16, "0x%08" PRIx32, r->readback);
	return buf;
}

void refusal_facts(const char *prefix, const struct refusal *r)
{
	char name[96], value[16], exit_buf[24];

	snprintf(name, sizeof(name), "%s.readback", prefix);
	tap_fact(name, "%s", readback_word(r, value));
	snprintf(name, sizeof(name), "%s.exit_reason", prefix);
	tap_fact(name, "%s", l2_exit_reason_name(r->exit_reason, exit_buf));
	if (r->exit_reason != KVM_EXIT_INTERNAL_ERROR)
		return;
	snprintf(name, sizeof(name), "%s.suberror", prefix);
	if (r->suberror == L2_NOT_WRITTEN)
		tap_fact(name, "not_written");
	else
		tap_fact(name, "%" PRIu32, r->suberror);
}

enum refusal_kind refusal_check(struct tap *tap, const char *what, const struct refusal *r)
{
	enum refusal_kind kind = refusal_classify(r);
	char value[16], exit_buf[24], previous[16];
	const char *run = r->ran ? "ran" : r->run_err ? tap_errno(r->run_err) : "returned";

	if (r->previous_err)
		snprintf(previous, sizeof(previous), "%s", tap_errno(r->previous_err));
	else
		snprintf(previous, sizeof(previous), "0x%08" PRIx32, r->previous);
	tap_check(tap, kind != REFUSAL_NEITHER,
		  "refused ARCH_COMPAT %s leaves the vCPU %s: read back %s (before: %s), "
		  "KVM_RUN %s, exit reason %s%s",
		  what,
		  kind == REFUSAL_KEPT	  ? "as it was" :
		  kind == REFUSAL_STOPPED ? "stopped, as mainline does" :
					    "neither as it was nor stopped as mainline does",
		  readback_word(r, value), previous, run,
		  l2_exit_reason_name(r->exit_reason, exit_buf),
		  r->exit_reason == KVM_EXIT_INTERNAL_ERROR && r->suberror != L2_NOT_WRITTEN ?
			  " with a suberror" : "");
	return kind;
}
