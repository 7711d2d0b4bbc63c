/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Declarations shared between the library's source files (and its unit and
 * fuzz tests, which link the internal static library). Not installed.
 */
#ifndef PPCCOMPAT_INTERNAL_H
#define PPCCOMPAT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppccompat.h"

#define PC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PC_PRINTF(fmt, args)
#endif

/* errors.c: fill err (if non-NULL) and return code. */
int pc_fail(struct ppccompat_error *err, int code, int sys_errno, const char *path,
	    const char *field, const char *detail_fmt, ...) PC_PRINTF(6, 7);
void pc_error_clear(struct ppccompat_error *err);
/* ASCII-only, locale-independent helpers. */
int pc_strcasecmp(const char *a, const char *b);
int pc_strncasecmp(const char *a, const char *b, size_t n);
/* Copy at most size-1 bytes and terminate; truncation is acceptable for display. */
void pc_strlcpy(char *dst, const char *src, size_t size);
void pc_strlcpy_n(char *dst, size_t size, const char *src, size_t len);

/* table.c: PowerPC processors without a mode here, and modes older than POWER6. */
const char *pc_older_pvr_name(uint32_t raw_pvr);
bool pc_logical_pvr_before_power6(uint32_t pvr);

/* sysroot.c: every file access of the probe goes through a reader. */
struct pc_reader {
	const char *sysroot;   /* "" for the live system, never NULL */
	void (*observe)(void *ctx, const char *path, int result);
	void *observe_ctx;
	/* tests: resolve with the component walk even where openat2 exists */
	bool no_openat2;
};

/* <sysroot><rel> into out[PPCCOMPAT_PATH_MAX]. */
int pc_full_path(const struct pc_reader *r, const char *rel, char *out,
		 struct ppccompat_error *err);
/*
 * Read a whole file of at most cap bytes into buf; *len gets its size.
 * PPCCOMPAT_ERR_NOT_FOUND, _IO or _TOO_BIG (named in err) otherwise.
 */
int pc_read_file(const struct pc_reader *r, const char *rel, void *buf, size_t cap,
		 size_t *len, struct ppccompat_error *err);
/* 1 if rel exists, 0 if not, negative on other errors. */
int pc_exists(const struct pc_reader *r, const char *rel, struct ppccompat_error *err);

/*
 * Stream a text file line by line (terminator stripped) to fn. Lines longer
 * than PPCCOMPAT_MAX_LINE and files longer than max_size are errors. A last
 * line without its newline comes with terminated false: the parser decides
 * whether that means the file was cut there.
 * fn returns 0 to go on or a negative code to stop (returned as is).
 */
typedef int (*pc_line_fn)(void *ctx, const char *line, size_t len, unsigned int lineno,
			  bool terminated, struct ppccompat_error *err);
int pc_read_lines(const struct pc_reader *r, const char *rel, size_t max_size, pc_line_fn fn,
		  void *ctx, struct ppccompat_error *err);

/*
 * Iterate the sub-directories of rel; fn gets each name. Same return rules.
 * A symbolic link among them is MALFORMED, named: device-tree nodes are
 * directories.
 */
typedef int (*pc_dir_fn)(void *ctx, const char *name, struct ppccompat_error *err);
int pc_for_each_subdir(const struct pc_reader *r, const char *rel, pc_dir_fn fn, void *ctx,
		       struct ppccompat_error *err);

/* cpuinfo.c */
struct pc_cpuinfo {
	const char *path;          /* for error messages */
	bool has_pvr_revision;     /* a "revision" line with "(pvr xxxx yyyy)" */
	bool foreign_arch;         /* lines only other architectures print */
	unsigned int processors;   /* "processor" lines */
	/*
	 * The lowest PVR of the revision lines; they may differ in revision
	 * (pvr_mixed), never in version: the kernel prints one processor type.
	 */
	uint32_t raw_pvr;
	uint32_t raw_pvr_max;      /* and the highest */
	bool pvr_mixed;
	enum ppccompat_mode cpu_mode; /* mode the first "cpu" line names, NONE if unknown */
	int cpu_qualifier;         /* PC_CPU_RAW, PC_CPU_ARCHITECTED or PC_CPU_PLAIN */
	unsigned int cpu_lines;
	size_t cpu_len;            /* of the first "cpu" value, cpu[] may hold less */
	char cpu[64];
	char revision[64];
	char platform[32];
	char model[64];
	char machine[64];
	enum ppccompat_mmu mmu;    /* "MMU" line (ISA 3.0 kernels) */
	char mmu_text[16];
	/* OR of the low three bits of every "processor" number: which thread
	   positions of an SMT8 (or SMT4) core are online */
	unsigned int thread_bits;
	/* line of each key cpuinfo.c tracks, where it was last met (0: not yet) */
	unsigned int key_line[10];
};
enum { PC_CPU_PLAIN = 0, PC_CPU_RAW, PC_CPU_ARCHITECTED };

/* path (kept, not copied) names the file in errors. */
void pc_cpuinfo_init(struct pc_cpuinfo *ci, const char *path);
/*
 * One line without its terminator; lineno for error messages; terminated
 * false for a last line that had no newline.
 */
int pc_cpuinfo_line(struct pc_cpuinfo *ci, const char *line, size_t len, unsigned int lineno,
		    bool terminated, struct ppccompat_error *err);
/* Checks once all lines are in (no processor at all, ...). */
int pc_cpuinfo_finish(const struct pc_cpuinfo *ci, struct ppccompat_error *err);
/* A whole buffer, lines and finish (the fuzz target's entry point). */
int pc_cpuinfo_parse(struct pc_cpuinfo *ci, const char *buf, size_t len,
		     struct ppccompat_error *err);
int pc_cpuinfo_read(const struct pc_reader *r, struct pc_cpuinfo *ci,
		    struct ppccompat_error *err);

/* devtree.c: every part is optional; what is absent is left to the next source. */
struct pc_devtree {
	bool present;              /* /proc/device-tree exists */
	bool compatible_read;      /* root "compatible" was there */
	bool powernv;              /* root compatible has "ibm,powernv" */
	bool qemu_pseries;         /* root compatible has "qemu,pseries" */
	bool hypervisor_kvm;       /* /hypervisor compatible has "linux,kvm" */
	/* /hypervisor compatible is there and names nothing known, or is no string list */
	bool hypervisor_unknown;
	char hypervisor_compatible[64]; /* its whole value, escaped, cut, for the report */
	bool powervm;              /* the kernel's or lscpu's PowerVM markers */
	bool ibm_model;            /* root model is a machine type, "IBM,9080-HEX" */
	/*
	 * cpu-version of every cpu node carrying one (cpu_nodes of them, 0 when
	 * /cpus is absent or no node has one). cpu_mode is NONE for a value no
	 * generation knows; cpu_error then says so, naming the file, and the
	 * probe decides whether that is an error (a processor of another line
	 * shows its own raw PVR there).
	 */
	uint32_t cpu_version;
	enum ppccompat_mode cpu_mode;
	enum ppccompat_pvr_kind cpu_kind;
	unsigned int cpu_nodes;
	/* raw PVRs that differ in revision only: cpu_version is the lowest */
	bool mixed_revisions;
	uint32_t cpu_version_max;  /* the highest, cpu_version when not mixed */
	struct ppccompat_error cpu_error;
};

/* Decode one cpu-version property value (the fuzz target's entry point). */
int pc_cpu_version_decode(const void *buf, size_t len, uint32_t *value,
			  enum ppccompat_mode *mode, enum ppccompat_pvr_kind *kind,
			  const char *path, struct ppccompat_error *err);
/* A machine type as PowerVM names it ("IBM,8231-E2B"), in a model or machine string. */
/*
 * Bytes as printable ASCII a reader can tell apart from any other bytes:
 * NUL as \0 (a terminating one too: "linux,kvm" lacks it where
 * "linux,kvm\0\0" has an empty string after it), a backslash as \\, any
 * other byte outside 0x20..0x7e as \xHH. At most size bytes, NUL included,
 * cut at a whole byte's form.
 */
void pc_shown_bytes(char *dst, size_t size, const char *buf, size_t len);
bool pc_is_ibm_machine_type(const char *s);
/* 1 if the NUL-separated string list holds s, else 0. */
bool pc_stringlist_has(const char *list, size_t len, const char *s);
int pc_devtree_read(const struct pc_reader *r, struct pc_devtree *dt,
		    struct ppccompat_error *err);

/*
 * The full-size implementations behind the sized entry points of abi.c,
 * which copy the caller's structures in and out.
 */
int pc_probe(const struct ppccompat_probe_opts *opts, struct ppccompat_host *host,
	     struct ppccompat_error *err);
int pc_can_run(const struct ppccompat_host *host, enum ppccompat_mode mode,
	       enum ppccompat_reason *why);
int pc_report_parse_json(const char *text, size_t len, struct ppccompat_report *report,
			 struct ppccompat_error *err);

#endif /* PPCCOMPAT_INTERNAL_H */
