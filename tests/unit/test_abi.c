// SPDX-License-Identifier: GPL-2.0
/*
 * The sized entry points (lib/abi.c) against callers built with older
 * (smaller) and newer (larger) structures. Each caller structure lives in a
 * heap block of exactly its size, so that ASan reports any access past it,
 * and the bytes the library must not touch are checked as well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define GUARD 0xa5

static unsigned char *block(size_t size, unsigned char fill)
{
	unsigned char *p = malloc(size);

	if (!p) {
		perror("malloc");
		exit(1);
	}
	memset(p, fill, size);
	return p;
}

static bool all(const unsigned char *p, size_t n, unsigned char value)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != value)
			return false;
	return true;
}

static struct ppccompat_probe_opts opts_for(const char *root)
{
	struct ppccompat_probe_opts o = { .sysroot = root, .flags = PPCCOMPAT_PROBE_NO_KVM };

	return o;
}

/* The reference answer, through the macro: the caller of this very header. */
static void reference(const char *root, struct ppccompat_host *ref)
{
	struct ppccompat_probe_opts o = opts_for(root);
	struct ppccompat_error err;

	t_ok(ppccompat_probe(&o, ref, &err) == 0, "probe through the macro (%s)", t_error_line(&err));
}

static void older_host(const char *root, const struct ppccompat_host *ref)
{
	size_t size = PPCCOMPAT_HOST_SIZE_0;
	struct ppccompat_probe_opts o = opts_for(root);
	struct ppccompat_error err;
	unsigned char *host = block(size, GUARD);
	enum ppccompat_reason why;
	int ret = ppccompat_probe_sized(&o, sizeof(o), (struct ppccompat_host *)host, size, &err);

	t_ok(ret == 0, "a host of the first release's size (%zu bytes) is filled", size);
	t_ok(!memcmp(host, ref, size), "... with the same bytes as a full one, as far as it goes");
	/* can_run on the smaller host reads zeros past it, not the heap */
	ret = ppccompat_can_run_sized((const struct ppccompat_host *)host, size,
				      PPCCOMPAT_MODE_POWER10, &why);
	T_EQ_INT(ret, 1, "can_run on that host: power10 allowed");
	ret = ppccompat_can_run_sized((const struct ppccompat_host *)host, size,
				      PPCCOMPAT_MODE_POWER11, &why);
	T_EQ_INT(ret, 0, "... power11 not");
	free(host);
}

static void newer_host(const char *root, const struct ppccompat_host *ref)
{
	/* a caller whose header has 64 more bytes of host than this library knows */
	size_t known = sizeof(struct ppccompat_host), size = known + 64;
	struct ppccompat_probe_opts o = opts_for(root);
	struct ppccompat_error err;
	unsigned char *host = block(size, GUARD);
	int ret = ppccompat_probe_sized(&o, sizeof(o), (struct ppccompat_host *)host, size, &err);

	t_ok(ret == 0 && !memcmp(host, ref, known), "a newer caller's larger host is filled");
	t_ok(all(host + known, size - known, 0), "... and the members this library lacks read 0");
	free(host);
}

static void sizes_refused(const char *root)
{
	struct ppccompat_probe_opts o = opts_for(root);
	struct ppccompat_error err;
	struct ppccompat_host h;
	int ret = ppccompat_probe_sized(&o, sizeof(o), &h, PPCCOMPAT_HOST_SIZE_0 - 1, &err);

	t_ok(ret == PPCCOMPAT_ERR_BAD_ARG && t_streq(err.field, "host"),
	     "a host smaller than the first release's is refused (%s)", t_error_line(&err));
	ret = ppccompat_probe_sized(&o, PPCCOMPAT_PROBE_OPTS_SIZE_0 - 1, &h, sizeof(h), &err);
	t_ok(ret == PPCCOMPAT_ERR_BAD_ARG && t_streq(err.field, "opts"), "so are opts");
	T_EQ_INT(ppccompat_can_run_sized(&h, 8, PPCCOMPAT_MODE_POWER9, NULL), PPCCOMPAT_ERR_BAD_ARG,
		 "can_run with an 8-byte host");
}

static void older_opts(const char *root, const struct ppccompat_host *ref)
{
	/*
	 * An older caller's opts end where the first release's did; what
	 * follows in memory is not theirs. 0xff there would be unknown flags.
	 */
	size_t size = PPCCOMPAT_PROBE_OPTS_SIZE_0;
	struct ppccompat_probe_opts full = opts_for(root);
	unsigned char *opts = block(size, 0xff);
	struct ppccompat_error err;
	struct ppccompat_host h;
	int ret;

	memcpy(opts, &full, size);
	ret = ppccompat_probe_sized((const struct ppccompat_probe_opts *)opts, size, &h, sizeof(h),
				    &err);
	t_ok(ret == 0 && !memcmp(&h, ref, sizeof(h)), "opts of the first release's size are read "
	     "as far as they go (%s)", ret ? t_error_line(&err) : "ok");
	free(opts);

	/* a newer caller's opts: members this library does not know must be 0 */
	size = sizeof(full) + 32;
	opts = block(size, 0);
	memcpy(opts, &full, sizeof(full));
	ret = ppccompat_probe_sized((const struct ppccompat_probe_opts *)opts, size, &h, sizeof(h),
				    &err);
	t_ok(ret == 0 && !memcmp(&h, ref, sizeof(h)), "a newer caller's larger opts are read");
	free(opts);
}

static void reports(void)
{
	static const char text[] = "{\"command\": \"show\", \"format_version\": 1, "
				   "\"allowed_modes\": [\"power9\", \"power10\"]}";
	size_t size = sizeof(struct ppccompat_report) + 16;
	unsigned char *r = block(size, GUARD);
	struct ppccompat_report ref;
	struct ppccompat_error err;
	int ret;

	T_EQ_INT(ppccompat_report_parse_json(text, strlen(text), &ref, &err), 0, "report: macro");
	ret = ppccompat_report_parse_json_sized(text, strlen(text), (struct ppccompat_report *)r,
						size, &err);
	t_ok(ret == 0 && !memcmp(r, &ref, sizeof(ref)) &&
	     all(r + sizeof(ref), size - sizeof(ref), 0),
	     "a newer caller's larger report: filled, and zeros after");
	free(r);
	size = PPCCOMPAT_REPORT_SIZE_0;
	r = block(size, GUARD);
	ret = ppccompat_report_parse_json_sized(text, strlen(text), (struct ppccompat_report *)r,
						size, &err);
	t_ok(ret == 0 && !memcmp(r, &ref, size), "a report of the first release's size");
	free(r);
	ret = ppccompat_report_parse_json_sized(text, strlen(text), &ref, 4, &err);
	T_EQ_INT(ret, PPCCOMPAT_ERR_BAD_ARG, "a 4-byte report is refused");
}

int main(void)
{
	char *root = t_tree_new();
	struct ppccompat_host ref;

	t_build_host(root, &t_p11_lpar_in_p10);
	reference(root, &ref);
	older_host(root, &ref);
	newer_host(root, &ref);
	sizes_refused(root);
	older_opts(root, &ref);
	reports();
	t_tree_free(root);
	return t_done();
}
