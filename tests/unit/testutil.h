/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP for the unit tests, and throw-away sysroot trees built in a
 * temporary directory.
 */
#ifndef PPCCOMPAT_TESTUTIL_H
#define PPCCOMPAT_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppccompat.h"

#if defined(__GNUC__)
#define T_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define T_PRINTF(fmt, args)
#endif

/* One TAP line; returns cond so callers can stop early. */
bool t_ok(bool cond, const char *fmt, ...) T_PRINTF(2, 3);
/* Functions, not macros, so that every argument is evaluated once. */
#define T_EQ_INT(got, want, what) t_eq_int((long long)(got), (long long)(want), (what))
#define T_EQ_U64(got, want, what) \
	t_eq_u64((unsigned long long)(got), (unsigned long long)(want), (what))
bool t_eq_int(long long got, long long want, const char *what);
bool t_eq_u64(unsigned long long got, unsigned long long want, const char *what);
#define T_EQ_STR(got, want, what) t_eq_str((got), (want), (what))
bool t_eq_str(const char *got, const char *want, const char *what);
bool t_streq(const char *a, const char *b);
bool t_contains(const char *haystack, const char *needle);
/* Prints the plan and returns the process exit status. */
int t_done(void);

/* A sysroot under $TMPDIR; every helper aborts the test on I/O failure. */
char *t_tree_new(void);
void t_tree_free(char *root);
void t_write(const char *root, const char *rel, const void *data, size_t len);
void t_write_str(const char *root, const char *rel, const char *text);
/* A device-tree string list: the strings NUL-separated and terminated. */
void t_write_strings(const char *root, const char *rel, const char *const *strings);
void t_write_cell(const char *root, const char *rel, uint32_t value);
void t_mkdir(const char *root, const char *rel);

/*
 * /proc/cpuinfo as the powerpc kernel prints it: per thread "processor",
 * "cpu" (cpu_name + ", altivec supported"), "revision"; then the summary.
 */
void t_write_cpuinfo(const char *root, unsigned int threads, const char *cpu_name,
		     const char *revision, const char *platform, const char *model,
		     const char *machine);

/* Describes a host for t_build_host(). */
struct t_host {
	const char *cpu_name;      /* cpuinfo "cpu" before ", altivec supported" */
	const char *revision;      /* cpuinfo "revision" */
	const char *platform;      /* "pSeries", "PowerNV" */
	const char *model;
	const char *const *compatible; /* root compatible, NULL-terminated, or NULL */
	const char *hypervisor;    /* /hypervisor compatible, or NULL */
	bool powervm_markers;      /* ibm,powervm-partition + ibm,fw-net-version */
	const char *node_prefix;   /* "PowerPC,POWER10" */
	unsigned int cpu_nodes;
	uint32_t cpu_version;
	const char *os_release;    /* /proc/sys/kernel/osrelease, or NULL for none */
};
void t_build_host(const char *root, const struct t_host *h);

/*
 * The project's headline host, shared by the tests: a Power11 PowerVM
 * partition (IBM,9080-HEX, PowerVM markers) started in Power10 mode, three
 * cpu nodes PowerPC,POWER11@0/8/16 with logical PVR 0x0f000006, cpuinfo
 * "POWER10 (architected)" with the raw PVR 0x00821200.
 */
extern const struct t_host t_p11_lpar_in_p10;

/* Probe root without KVM; returns the probe's result. */
int t_probe(const char *root, struct ppccompat_host *host, struct ppccompat_error *err);
/* Probe a tree holding only /proc/cpuinfo with this text (the tree is gone after). */
int t_probe_cpuinfo(const char *text, struct ppccompat_host *host, struct ppccompat_error *err);

/* The formatted one-line error. */
const char *t_error_line(const struct ppccompat_error *err);

#endif
