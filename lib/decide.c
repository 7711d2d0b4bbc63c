// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/* Pure decisions over a probed host or over several hosts' answers. */
#include "internal.h"

static bool is_pseries(enum ppccompat_platform p)
{
	return p == PPCCOMPAT_PLATFORM_PSERIES_POWERVM || p == PPCCOMPAT_PLATFORM_PSERIES_KVM ||
	       p == PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG || p == PPCCOMPAT_PLATFORM_PSERIES_OTHER;
}

/* power6..power8 guests run with the hash MMU (HPT); POWER9 and later may use radix. */
static bool is_hpt_mode(enum ppccompat_mode mode)
{
	return mode < PPCCOMPAT_MODE_POWER9;
}

/* The first rule, most fundamental first, that keeps mode from guests. */
static enum ppccompat_reason refusal(const struct ppccompat_host *h, enum ppccompat_mode mode)
{
	if (h->platform == PPCCOMPAT_PLATFORM_NOT_POWER)
		return PPCCOMPAT_REASON_NOT_POWER;
	if (h->platform == PPCCOMPAT_PLATFORM_POWERPC_OTHER)
		return PPCCOMPAT_REASON_NOT_SERVER;
	if (h->allowed_source != PPCCOMPAT_SOURCE_KVM) {
		if (h->notes & PPCCOMPAT_NOTE_NO_KVM_HV)
			return PPCCOMPAT_REASON_NO_KVM_HV;
		if (h->notes & PPCCOMPAT_NOTE_UNVERIFIED)
			return PPCCOMPAT_REASON_UNVERIFIED;
	}
	if (h->effective_mode == PPCCOMPAT_MODE_NONE && !h->allowed_modes)
		return PPCCOMPAT_REASON_UNKNOWN_HOST;
	/* such a guest runs no KVM guests at all, whatever mode is asked */
	if (is_pseries(h->platform) && h->effective_mode != PPCCOMPAT_MODE_NONE &&
	    h->effective_mode < PPCCOMPAT_MODE_POWER9)
		return PPCCOMPAT_REASON_NO_NESTED;
	if (h->effective_mode != PPCCOMPAT_MODE_NONE && mode > h->effective_mode)
		return PPCCOMPAT_REASON_NEWER_THAN_HOST;
	if (mode == PPCCOMPAT_MODE_POWER11 && (h->notes & PPCCOMPAT_NOTE_POWER11_UNCONFIRMED))
		return PPCCOMPAT_REASON_POWER11_UNCONFIRMED;
	if (h->allowed_source == PPCCOMPAT_SOURCE_KVM)
		return PPCCOMPAT_REASON_NOT_OFFERED;
	if ((h->notes & PPCCOMPAT_NOTE_NO_HPT) && is_hpt_mode(mode))
		return PPCCOMPAT_REASON_MMU;
	/* a partition below POWER9 was refused above; this one's own mode is unknown */
	if (is_pseries(h->platform) && h->effective_mode == PPCCOMPAT_MODE_NONE)
		return PPCCOMPAT_REASON_NO_NESTED;
	return PPCCOMPAT_REASON_TOO_OLD;
}

int pc_can_run(const struct ppccompat_host *host, enum ppccompat_mode mode,
	       enum ppccompat_reason *why)
{
	enum ppccompat_reason reason = PPCCOMPAT_REASON_OK;

	if (!host || !ppccompat_generation(mode))
		return PPCCOMPAT_ERR_BAD_ARG;
	if (!(host->allowed_modes & PPCCOMPAT_MODE_BIT(mode)))
		reason = refusal(host, mode);
	if (why)
		*why = reason;
	return reason == PPCCOMPAT_REASON_OK;
}

int ppccompat_baseline(const uint32_t *allowed_sets, size_t n, uint32_t *common,
		       enum ppccompat_mode *best)
{
	uint32_t modes = PPCCOMPAT_MODES_ALL;

	if (!allowed_sets || n == 0 || !common || !best)
		return PPCCOMPAT_ERR_BAD_ARG;
	for (size_t i = 0; i < n; i++)
		modes &= allowed_sets[i];
	*common = modes;
	*best = ppccompat_highest_mode(modes);
	return modes ? 0 : PPCCOMPAT_ERR_NO_COMMON_MODE;
}
