// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The sized entry points (ppccompat.h, "Stability"): a caller's structure
 * may be older (smaller) or newer (larger) than the library's. Every call
 * works on a full structure of the library's own size and copies it in or
 * out, so no byte past the caller's size is ever touched, whatever the two
 * versions are.
 *
 * A rule for whoever appends a member: the library reads an older caller's
 * host as zeros from that member on (ppccompat_can_run), so a new member
 * that can_run consults must be one whose 0 allows no more than the older
 * library did.
 */
#include <string.h>

#include "internal.h"

/* Caller's structure into the library's: the part both know, zeros after. */
static void copy_in(void *mine, size_t my_size, const void *theirs, size_t their_size)
{
	memset(mine, 0, my_size);
	memcpy(mine, theirs, their_size < my_size ? their_size : my_size);
}

/* Library's structure into the caller's: the part both know, zeros in the caller's rest. */
static void copy_out(void *theirs, size_t their_size, const void *mine, size_t my_size)
{
	if (their_size <= my_size) {
		memcpy(theirs, mine, their_size);
		return;
	}
	memcpy(theirs, mine, my_size);
	memset((char *)theirs + my_size, 0, their_size - my_size);
}

static int bad_size(struct ppccompat_error *err, const char *what, size_t size, size_t least)
{
	return pc_fail(err, PPCCOMPAT_ERR_BAD_ARG, 0, NULL, what,
		       "caller's structure is %zu bytes, at least %zu needed", size, least);
}

int ppccompat_probe_sized(const struct ppccompat_probe_opts *opts, size_t opts_size,
			  struct ppccompat_host *host, size_t host_size,
			  struct ppccompat_error *err)
{
	struct ppccompat_probe_opts o;
	struct ppccompat_host h;
	int ret;

	pc_error_clear(err);
	if (!host)
		return pc_fail(err, PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL, NULL);
	if (host_size < PPCCOMPAT_HOST_SIZE_0)
		return bad_size(err, "host", host_size, PPCCOMPAT_HOST_SIZE_0);
	if (opts && opts_size < PPCCOMPAT_PROBE_OPTS_SIZE_0)
		return bad_size(err, "opts", opts_size, PPCCOMPAT_PROBE_OPTS_SIZE_0);
	if (opts)
		copy_in(&o, sizeof(o), opts, opts_size);
	/* an argument pc_probe refuses leaves h as it is: zeros, never stack garbage */
	memset(&h, 0, sizeof(h));
	ret = pc_probe(opts ? &o : NULL, &h, err);
	copy_out(host, host_size, &h, sizeof(h));
	return ret;
}

int ppccompat_can_run_sized(const struct ppccompat_host *host, size_t host_size,
			    enum ppccompat_mode mode, enum ppccompat_reason *why)
{
	struct ppccompat_host h;

	if (!host || host_size < PPCCOMPAT_HOST_SIZE_0)
		return PPCCOMPAT_ERR_BAD_ARG;
	copy_in(&h, sizeof(h), host, host_size);
	return pc_can_run(&h, mode, why);
}

int ppccompat_report_parse_json_sized(const char *text, size_t len,
				      struct ppccompat_report *report, size_t report_size,
				      struct ppccompat_error *err)
{
	struct ppccompat_error local, *e = err ? err : &local;
	struct ppccompat_report r;
	int ret;

	pc_error_clear(err);
	if (!report)
		return pc_fail(err, PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL, NULL);
	if (report_size < PPCCOMPAT_REPORT_SIZE_0)
		return bad_size(err, "report", report_size, PPCCOMPAT_REPORT_SIZE_0);
	memset(&r, 0, sizeof(r));
	r.effective_mode = PPCCOMPAT_MODE_NONE;
	r.recommended_mode = PPCCOMPAT_MODE_NONE;
	ret = pc_report_parse_json(text, len, &r, e);
	/* another command's whole object is handed back too (ppccompat.h) */
	if (ret == 0 || (ret == PPCCOMPAT_ERR_MALFORMED && !strcmp(e->field, "allowed_modes") &&
			 r.command[0]))
		copy_out(report, report_size, &r, sizeof(r));
	return ret;
}
