// SPDX-License-Identifier: GPL-2.0
/* can-run and baseline: pure functions over probe results. */
#include <string.h>

#include "testutil.h"

#define BIT(m) PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_##m)

static struct ppccompat_host host(enum ppccompat_platform platform, enum ppccompat_mode effective,
				  uint32_t allowed, enum ppccompat_source source)
{
	struct ppccompat_host h;

	memset(&h, 0, sizeof(h));
	h.platform = platform;
	h.effective_mode = effective;
	h.allowed_modes = allowed;
	h.allowed_source = source;
	h.recommended_mode = ppccompat_highest_mode(allowed);
	return h;
}

static void expect(const struct ppccompat_host *h, enum ppccompat_mode m, int can,
		   enum ppccompat_reason reason, const char *what)
{
	enum ppccompat_reason why = (enum ppccompat_reason)-1;
	int ret = ppccompat_can_run(h, m, &why);

	t_ok(ret == can && why == reason, "%s: %s -> %d (%s)", what, ppccompat_mode_name(m), ret,
	     ppccompat_reason_string(why));
}

static void can_run(void)
{
	struct ppccompat_host h = host(PPCCOMPAT_PLATFORM_PSERIES_POWERVM, PPCCOMPAT_MODE_POWER10,
				       BIT(POWER9) | BIT(POWER10), PPCCOMPAT_SOURCE_DEVTREE);

	expect(&h, PPCCOMPAT_MODE_POWER10, 1, PPCCOMPAT_REASON_OK, "P10 partition");
	expect(&h, PPCCOMPAT_MODE_POWER9, 1, PPCCOMPAT_REASON_OK, "P10 partition");
	expect(&h, PPCCOMPAT_MODE_POWER11, 0, PPCCOMPAT_REASON_NEWER_THAN_HOST, "P10 partition");
	expect(&h, PPCCOMPAT_MODE_POWER8, 0, PPCCOMPAT_REASON_TOO_OLD, "P10 partition");

	h = host(PPCCOMPAT_PLATFORM_PSERIES_POWERVM, PPCCOMPAT_MODE_POWER11, BIT(POWER10),
		 PPCCOMPAT_SOURCE_KVM);
	expect(&h, PPCCOMPAT_MODE_POWER9, 0, PPCCOMPAT_REASON_NOT_OFFERED, "KVM offers P10 only");
	expect(&h, PPCCOMPAT_MODE_POWER11, 0, PPCCOMPAT_REASON_NOT_OFFERED, "KVM offers P10 only");

	h = host(PPCCOMPAT_PLATFORM_PSERIES_KVM, PPCCOMPAT_MODE_POWER8, 0,
		 PPCCOMPAT_SOURCE_DEVTREE);
	expect(&h, PPCCOMPAT_MODE_POWER8, 0, PPCCOMPAT_REASON_NO_NESTED, "P8 partition");
	expect(&h, PPCCOMPAT_MODE_POWER7, 0, PPCCOMPAT_REASON_NO_NESTED, "P8 partition");
	/* no mode at all, not "newer than the host" for those above its own */
	expect(&h, PPCCOMPAT_MODE_POWER9, 0, PPCCOMPAT_REASON_NO_NESTED, "P8 partition");
	expect(&h, PPCCOMPAT_MODE_POWER11, 0, PPCCOMPAT_REASON_NO_NESTED, "P8 partition");
	h = host(PPCCOMPAT_PLATFORM_PSERIES_POWERVM, PPCCOMPAT_MODE_POWER7, 0,
		 PPCCOMPAT_SOURCE_DEVTREE);
	expect(&h, PPCCOMPAT_MODE_POWER8, 0, PPCCOMPAT_REASON_NO_NESTED, "P10 LPAR in P7 mode");
	expect(&h, PPCCOMPAT_MODE_POWER6, 0, PPCCOMPAT_REASON_NO_NESTED, "P10 LPAR in P7 mode");

	h = host(PPCCOMPAT_PLATFORM_POWERNV, PPCCOMPAT_MODE_POWER9,
		 BIT(POWER7) | BIT(POWER8) | BIT(POWER9), PPCCOMPAT_SOURCE_TABLE);
	expect(&h, PPCCOMPAT_MODE_POWER7, 1, PPCCOMPAT_REASON_OK, "bare-metal POWER9");
	expect(&h, PPCCOMPAT_MODE_POWER10, 0, PPCCOMPAT_REASON_NEWER_THAN_HOST,
	       "bare-metal POWER9");

	h = host(PPCCOMPAT_PLATFORM_NOT_POWER, PPCCOMPAT_MODE_NONE, 0, PPCCOMPAT_SOURCE_NONE);
	expect(&h, PPCCOMPAT_MODE_POWER9, 0, PPCCOMPAT_REASON_NOT_POWER, "x86");
	h = host(PPCCOMPAT_PLATFORM_UNKNOWN, PPCCOMPAT_MODE_NONE, 0, PPCCOMPAT_SOURCE_NONE);
	expect(&h, PPCCOMPAT_MODE_POWER9, 0, PPCCOMPAT_REASON_UNKNOWN_HOST, "unknown host");

	T_EQ_INT(ppccompat_can_run(&h, PPCCOMPAT_MODE_NONE, NULL), PPCCOMPAT_ERR_BAD_ARG,
		 "mode NONE");
	T_EQ_INT(ppccompat_can_run(NULL, PPCCOMPAT_MODE_POWER9, NULL), PPCCOMPAT_ERR_BAD_ARG,
		 "NULL host");
	for (int r = PPCCOMPAT_REASON_OK; r <= PPCCOMPAT_REASON_NO_NESTED; r++)
		t_ok(strcmp(ppccompat_reason_string(r), "unknown") != 0, "reason %d has text", r);
}

static void baseline(void)
{
	const uint32_t pool[] = { BIT(POWER9) | BIT(POWER10) | BIT(POWER11),
				  BIT(POWER9) | BIT(POWER10), BIT(POWER8) | BIT(POWER9) | BIT(POWER10) };
	const uint32_t disjoint[] = { BIT(POWER11), BIT(POWER9) };
	enum ppccompat_mode best;
	uint32_t common;

	T_EQ_INT(ppccompat_baseline(pool, 3, &common, &best), 0, "pool has a common mode");
	T_EQ_U64(common, BIT(POWER9) | BIT(POWER10), "intersection");
	T_EQ_INT(best, PPCCOMPAT_MODE_POWER10, "highest common");
	T_EQ_INT(ppccompat_baseline(pool, 1, &common, &best), 0, "one host");
	T_EQ_INT(best, PPCCOMPAT_MODE_POWER11, "its own best");
	T_EQ_INT(ppccompat_baseline(disjoint, 2, &common, &best), PPCCOMPAT_ERR_NO_COMMON_MODE,
		 "disjoint pool");
	T_EQ_U64(common, 0, "empty intersection");
	T_EQ_INT(best, PPCCOMPAT_MODE_NONE, "no best");
	T_EQ_INT(ppccompat_baseline(pool, 0, &common, &best), PPCCOMPAT_ERR_BAD_ARG, "no hosts");
}

int main(void)
{
	can_run();
	baseline();
	return t_done();
}
