/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * libppccompat: which POWER compatibility modes may the guests of this host use?
 *
 * Conventions (libfdt style): functions that can fail return 0 or a positive
 * count on success and a negative PPCCOMPAT_ERR_* code on failure;
 * ppccompat_strerror() names the code. The library keeps no global state and
 * allocates no memory: every result lives in caller-provided structures.
 *
 * Stability: this header is the library's ABI (SONAME libppccompat.so.0,
 * symbol version LIBPPCCOMPAT_0), frozen in lib/libppccompat.abi; `make
 * check` compares the built library with that dump (abidiff) and fails on
 * any change it does not allow. Enumerators are only ever appended. For
 * structures there are two rules, so that a newer library never writes or
 * reads past an older caller's structure:
 *  - Sized: struct ppccompat_host and struct ppccompat_report (filled by the
 *    library) and struct ppccompat_probe_opts (read by it) may grow, at
 *    their end only. Their functions take the caller's sizeof, passed by the
 *    macros ppccompat_probe(), ppccompat_can_run() and
 *    ppccompat_report_parse_json(): the library touches no byte past it.
 *    Members an older caller lacks are not written; members an older
 *    library lacks are written as 0 and, from an older caller, read as 0,
 *    so 0 must always mean what the older version did.
 *  - Final: every other structure (struct ppccompat_error, the KVM ones,
 *    struct ppccompat_generation) never changes layout; what they would
 *    need later goes into new functions or a sized structure.
 */
#ifndef PPCCOMPAT_H
#define PPCCOMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

enum {
	PPCCOMPAT_OK = 0,
	PPCCOMPAT_ERR_NOT_FOUND = -1,       /* a file or directory does not exist */
	PPCCOMPAT_ERR_IO = -2,              /* open/read failed for another reason (sys_errno) */
	PPCCOMPAT_ERR_TRUNCATED = -3,       /* shorter than the format needs */
	PPCCOMPAT_ERR_MALFORMED = -4,       /* present but not in the expected format */
	PPCCOMPAT_ERR_UNKNOWN_PVR = -5,     /* a PVR / logical PVR no generation matches */
	PPCCOMPAT_ERR_UNKNOWN_MODE = -6,    /* a mode name no generation matches */
	PPCCOMPAT_ERR_TOO_BIG = -7,         /* input over the parser's bound */
	PPCCOMPAT_ERR_NOSPACE = -8,         /* caller's buffer too small */
	PPCCOMPAT_ERR_BAD_ARG = -9,         /* invalid argument (NULL, bad flags, ...) */
	PPCCOMPAT_ERR_NOT_POWER = -10,      /* the host is not a POWER system */
	PPCCOMPAT_ERR_KVM = -11,            /* a KVM step failed (see struct ppccompat_kvm_info) */
	PPCCOMPAT_ERR_INCONSISTENT = -12,   /* sources or cpus disagree with each other */
	PPCCOMPAT_ERR_NO_COMMON_MODE = -13, /* baseline: the hosts share no mode */
	PPCCOMPAT_ERR_NAME_TOO_LONG = -14,  /* sysroot + path does not fit PPCCOMPAT_PATH_MAX */
};

/* Never NULL; "unknown error" for codes this version does not define. */
const char *ppccompat_strerror(int err);

#define PPCCOMPAT_PATH_MAX 4096

/*
 * Where and why a call failed, so that a tool can print one line naming the
 * file and the field (final layout), e.g.
 *   /sys/proc/device-tree/cpus/PowerPC,POWER10@8/cpu-version: truncated: 2 bytes, need 4
 * Every function taking a struct ppccompat_error * accepts NULL.
 */
struct ppccompat_error {
	int code;                      /* PPCCOMPAT_ERR_*, 0 when no error */
	int sys_errno;                 /* errno of the failing system call, else 0 */
	char path[PPCCOMPAT_PATH_MAX]; /* file as opened (sysroot included), or "" */
	char field[64];                /* e.g. "cpu-version", "cpu", "allowed_modes", or "" */
	char detail[160];              /* short human explanation, or "" */
};

/*
 * Formats "<path>: <field>: <strerror>[: <detail>][ (<strerror(sys_errno)>)]"
 * (empty parts left out) into buf. Returns the length that the full text
 * needs (snprintf semantics), or PPCCOMPAT_ERR_BAD_ARG.
 */
int ppccompat_error_format(const struct ppccompat_error *err, char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* Processor generations and compatibility modes                            */

/*
 * Ordered: a larger value is a newer generation. POWER6 (ISA 2.05) is the
 * oldest mode KVM-HV, QEMU and libvirt accept (logical PVR 0x0f000002);
 * nothing older is a mode here.
 */
enum ppccompat_mode {
	PPCCOMPAT_MODE_NONE = 0,
	PPCCOMPAT_MODE_POWER6 = 1,
	PPCCOMPAT_MODE_POWER7 = 2,
	PPCCOMPAT_MODE_POWER8 = 3,
	PPCCOMPAT_MODE_POWER9 = 4,
	PPCCOMPAT_MODE_POWER10 = 5,
	PPCCOMPAT_MODE_POWER11 = 6,
};
#define PPCCOMPAT_MODE_FIRST PPCCOMPAT_MODE_POWER6
#define PPCCOMPAT_MODE_LAST PPCCOMPAT_MODE_POWER11

/* Sets of modes are bit masks of PPCCOMPAT_MODE_BIT(mode). */
#define PPCCOMPAT_MODE_BIT(mode) (UINT32_C(1) << (mode))
#define PPCCOMPAT_MODES_ALL                                                   \
	(PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER6) |                          \
	 PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER7) |                          \
	 PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER8) |                          \
	 PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER9) |                          \
	 PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER10) |                         \
	 PPCCOMPAT_MODE_BIT(PPCCOMPAT_MODE_POWER11))

/* One raw PVR version (upper 16 bits of the PVR) a generation ships as. */
/* Final layout (see Stability above). */
struct ppccompat_pvr_variant {
	uint16_t version;  /* e.g. 0x004b */
	const char *name;  /* e.g. "POWER8E" */
};

#define PPCCOMPAT_MAX_PVR_VARIANTS 4
#define PPCCOMPAT_MAX_LOGICAL_PVRS 2

/* Final layout (see Stability above). */
struct ppccompat_generation {
	enum ppccompat_mode mode;
	const char *name;             /* "power10": canonical lower-case name */
	const char *display_name;     /* "POWER10", "Power11": as IBM and the kernel spell it */
	const char *isa;              /* Power ISA level, "3.1" */
	uint32_t logical_pvr;         /* architected PVR of this mode, 0x0f000006 */
	/* every logical PVR that means this mode (POWER7+ has its own) */
	uint32_t logical_pvrs[PPCCOMPAT_MAX_LOGICAL_PVRS];
	unsigned int n_logical_pvrs;
	struct ppccompat_pvr_variant pvr_variants[PPCCOMPAT_MAX_PVR_VARIANTS];
	unsigned int n_pvr_variants;
	const char *qemu_compat;      /* -machine max-cpu-compat=<this> */
	const char *qemu_cpu_model;   /* -cpu <this> under TCG; NULL: QEMU has none (POWER6) */
	const char *libvirt_model;    /* libvirt cpu_map model name, "POWER10" */
	uint64_t kvm_cap_bit;         /* KVM_PPC_COMPAT_CAP_* bit, 0 if the ABI has none */
	uint32_t hw_modes;            /* modes this generation's hardware can run (own included) */
};

/* NULL for PPCCOMPAT_MODE_NONE or out-of-range values. */
const struct ppccompat_generation *ppccompat_generation(enum ppccompat_mode mode);

/* "power10", "none": never NULL. */
const char *ppccompat_mode_name(enum ppccompat_mode mode);

/*
 * Case-insensitive: accepts the canonical name ("power11"), the display name
 * ("Power11", "POWER11"), and raw variant names ("POWER8NVL", "power7+").
 */
int ppccompat_mode_from_name(const char *name, enum ppccompat_mode *mode);

enum ppccompat_pvr_kind {
	PPCCOMPAT_PVR_RAW = 1,     /* a processor's PVR (mfpvr, cpu-version in raw mode) */
	PPCCOMPAT_PVR_LOGICAL = 2, /* an architected 0x0f00000x value (compat mode) */
};

/*
 * Which generation / mode a 32-bit PVR value names, and whether it is raw or
 * logical. kind may be NULL. PPCCOMPAT_ERR_UNKNOWN_PVR for anything else.
 */
int ppccompat_mode_from_pvr(uint32_t pvr, enum ppccompat_mode *mode,
			    enum ppccompat_pvr_kind *kind);

/* The variant name of a raw PVR ("POWER8NVL"), NULL if unknown. */
const char *ppccompat_pvr_variant_name(uint32_t raw_pvr);

/* ------------------------------------------------------------------------ */
/* The KVM ABI this library consumes (ABI-identical to Linux 7.3)           */

#define PPCCOMPAT_KVM_CAP_PPC_COMPAT_CAPS 250
/* 1 when KVM-HV can run hash-MMU (HPT) guests on an ISA 3.0 host (include/uapi/linux/kvm.h) */
#define PPCCOMPAT_KVM_CAP_PPC_MMU_HASH_V3 135
/* _IO(KVMIO, 0xb8): 0x2000aeb8 on powerpc, where _IOC_NONE is 1 */
#define PPCCOMPAT_KVM_PPC_GET_COMPAT_CAPS_NR 0xb8
#define PPCCOMPAT_KVM_COMPAT_CAPS_SIZE_VER0 24
#define PPCCOMPAT_KVM_COMPAT_CAP_POWER9 (UINT64_C(1) << 62)
#define PPCCOMPAT_KVM_COMPAT_CAP_POWER10 (UINT64_C(1) << 61)
#define PPCCOMPAT_KVM_COMPAT_CAP_POWER11 (UINT64_C(1) << 60)
#define PPCCOMPAT_KVM_COMPAT_BITMASK                                          \
	(PPCCOMPAT_KVM_COMPAT_CAP_POWER9 | PPCCOMPAT_KVM_COMPAT_CAP_POWER10 | \
	 PPCCOMPAT_KVM_COMPAT_CAP_POWER11)

/* Layout of struct kvm_ppc_compat_caps, version 0. */
struct ppccompat_kvm_compat_caps {
	uint64_t size;
	uint64_t flags;
	uint64_t compat_capabilities;
};

/* Modes whose bit is set in caps (bits outside the ABI's mask ignored). */
uint32_t ppccompat_modes_from_kvm_caps(uint64_t caps);
/* The KVM capability bits of modes (modes without a bit ignored). */
uint64_t ppccompat_kvm_caps_from_modes(uint32_t modes);
/*
 * What a nested-API-v1 kernel derives from an effective mode: that mode and
 * every older one the ABI has a bit for (Power11 -> P11|P10|P9). 0 for modes
 * without a bit (nested KVM-HV needs POWER9 or later).
 */
uint32_t ppccompat_modes_cumulative(enum ppccompat_mode effective);

/* Highest mode in a set, PPCCOMPAT_MODE_NONE if empty. */
enum ppccompat_mode ppccompat_highest_mode(uint32_t modes);

/*
 * How the probe reaches the kernel, so tests can script its answers.
 * open_kvm returns a file descriptor or -errno; ioctl returns the ioctl's
 * non-negative result or -errno; close never fails. request numbers are the
 * host's (KVM_CHECK_EXTENSION, KVM_CREATE_VM from <linux/kvm.h>,
 * _IO(KVMIO, PPCCOMPAT_KVM_PPC_GET_COMPAT_CAPS_NR)).
 */
/* Final layout (see Stability above). */
struct ppccompat_kvm_ops {
	int (*open_kvm)(void *ctx);
	int (*ioctl)(void *ctx, int fd, unsigned long request, unsigned long arg);
	void (*close)(void *ctx, int fd);
	void *ctx;
};

/* The real /dev/kvm and ioctl(2). */
const struct ppccompat_kvm_ops *ppccompat_kvm_default_ops(void);

enum ppccompat_kvm_status {
	PPCCOMPAT_KVM_NOT_PROBED = 0, /* skipped: flag, or a sysroot without ops */
	PPCCOMPAT_KVM_NO_DEVICE,      /* /dev/kvm does not exist (ENOENT/ENODEV) */
	PPCCOMPAT_KVM_OPEN_FAILED,    /* /dev/kvm exists but cannot be opened */
	PPCCOMPAT_KVM_CAP_ABSENT,     /* KVM_CHECK_EXTENSION(250) is 0: old kernel or not a nested HV */
	PPCCOMPAT_KVM_STEP_FAILED,    /* a step failed: see failed_step and sys_errno */
	PPCCOMPAT_KVM_OK,             /* caps holds the kernel's answer */
};

/* Final layout (see Stability above). */
struct ppccompat_kvm_info {
	enum ppccompat_kvm_status status;
	int cap;                 /* KVM_CHECK_EXTENSION answer, -1 if not asked */
	char failed_step[32];    /* "open", "KVM_CHECK_EXTENSION", "KVM_CREATE_VM",
				    "KVM_PPC_GET_COMPAT_CAPS", or "" */
	int sys_errno;           /* errno of failed_step, 0 if none */
	uint64_t caps;           /* compat_capabilities & PPCCOMPAT_KVM_COMPAT_BITMASK */
	uint64_t caps_raw;       /* compat_capabilities as the kernel wrote it */
	uint64_t kernel_size;    /* size the kernel wrote back (its struct size on E2BIG) */
	unsigned int e2big_retries;
};

/*
 * KVM_PPC_GET_COMPAT_CAPS on an existing VM fd, with the extensible-struct
 * protocol: on E2BIG retries once with the size the kernel wrote back (zero
 * tail, bounded to one page). Fills info (status OK or STEP_FAILED) and
 * returns 0, PPCCOMPAT_ERR_KVM or PPCCOMPAT_ERR_BAD_ARG.
 */
int ppccompat_kvm_get_compat_caps(const struct ppccompat_kvm_ops *ops, int vm_fd,
				  struct ppccompat_kvm_info *info);

/*
 * The whole KVM chain: open /dev/kvm, KVM_CHECK_EXTENSION(250), throw-away
 * KVM_CREATE_VM, KVM_PPC_GET_COMPAT_CAPS; every fd closed again. Always fills
 * info; returns 0 when the kernel answered (status OK), else PPCCOMPAT_ERR_KVM.
 */
int ppccompat_kvm_probe(const struct ppccompat_kvm_ops *ops, struct ppccompat_kvm_info *info);

/*
 * What the KVM chain's outcome means, as a constant phrase, e.g. for
 * KVM_PPC_GET_COMPAT_CAPS failing with ENOTTY: "the kernel has no compat-caps
 * backend for this KVM flavour". Never NULL. Callers add failed_step and errno.
 */
const char *ppccompat_kvm_status_string(const struct ppccompat_kvm_info *info);

/* ------------------------------------------------------------------------ */
/* Probing a host                                                           */

enum ppccompat_source {
	PPCCOMPAT_SOURCE_NONE = 0,
	PPCCOMPAT_SOURCE_KVM,      /* KVM_PPC_GET_COMPAT_CAPS */
	PPCCOMPAT_SOURCE_DEVTREE,  /* /proc/device-tree */
	PPCCOMPAT_SOURCE_CPUINFO,  /* /proc/cpuinfo */
	PPCCOMPAT_SOURCE_PLATFORM, /* implied by the platform (PowerVM offers only API v2) */
	PPCCOMPAT_SOURCE_TABLE,    /* the generation table: what the processor can run */
};
/* "kvm", "device-tree", "cpuinfo", "platform", "generation-table", "none". */
const char *ppccompat_source_name(enum ppccompat_source source);

enum ppccompat_platform {
	PPCCOMPAT_PLATFORM_UNKNOWN = 0,
	PPCCOMPAT_PLATFORM_NOT_POWER,      /* x86, arm, ...: nothing else applies */
	PPCCOMPAT_PLATFORM_POWERNV,        /* bare metal (OPAL): this host is the L0 */
	PPCCOMPAT_PLATFORM_PSERIES_POWERVM,/* LPAR under PowerVM */
	PPCCOMPAT_PLATFORM_PSERIES_KVM,    /* guest of a KVM L0 (/hypervisor "linux,kvm") */
	PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG,/* guest of QEMU without KVM (emulated L0) */
	PPCCOMPAT_PLATFORM_PSERIES_OTHER,  /* pseries, hypervisor not recognised */
	/* PowerPC, but no 64-bit POWER server of POWER6 or later (PPC970, Cell, 32-bit, embedded, POWER5) */
	PPCCOMPAT_PLATFORM_POWERPC_OTHER,
};
/* "unknown", "not-power", "powernv", "pseries-powervm", "pseries-kvm",
 * "pseries-qemu-tcg", "pseries-other", "powerpc-other". */
const char *ppccompat_platform_name(enum ppccompat_platform platform);

enum ppccompat_nested_api {
	PPCCOMPAT_NESTED_UNKNOWN = 0,
	PPCCOMPAT_NESTED_NONE,  /* not a nested hypervisor (bare metal, not POWER) */
	PPCCOMPAT_NESTED_V1,    /* KVM-on-KVM: H_SET_PARTITION_TABLE / H_ENTER_NESTED */
	PPCCOMPAT_NESTED_V2,    /* PAPR nested API: H_GUEST_* (PowerVM, QEMU cap-nested-papr) */
};
/* "unknown", "none", "v1", "v2". */
const char *ppccompat_nested_api_name(enum ppccompat_nested_api api);

enum ppccompat_certainty {
	PPCCOMPAT_CERTAINTY_NONE = 0, /* nothing known */
	PPCCOMPAT_CERTAINTY_INFERRED, /* follows from what the L0 is known to implement */
	PPCCOMPAT_CERTAINTY_CERTAIN,  /* read from an authoritative source */
};
/* "none", "inferred", "certain". */
const char *ppccompat_certainty_name(enum ppccompat_certainty certainty);

/* How strongly the files or the kernel support an answer. */
enum ppccompat_evidence {
	PPCCOMPAT_EVIDENCE_NONE = 0, /* nothing supports it */
	PPCCOMPAT_EVIDENCE_WEAK,     /* /proc/cpuinfo alone */
	/* the device tree: platform markers, hypervisor node or a logical PVR;
	   or the processor itself rules KVM-HV out */
	PPCCOMPAT_EVIDENCE_STRONG,
	PPCCOMPAT_EVIDENCE_CERTAIN,  /* the kernel answered (KVM ioctl) */
};
/* "none", "weak", "strong", "certain". */
const char *ppccompat_evidence_name(enum ppccompat_evidence evidence);

/* The host kernel's MMU mode (cpuinfo "MMU" line, ISA 3.0 and later). */
enum ppccompat_mmu {
	PPCCOMPAT_MMU_UNKNOWN = 0,
	PPCCOMPAT_MMU_HASH,
	PPCCOMPAT_MMU_RADIX,
};
/* "unknown", "hash", "radix". */
const char *ppccompat_mmu_name(enum ppccompat_mmu mmu);

/*
 * Conditions that shape the answer (struct ppccompat_host.notes), each named
 * by ppccompat_note_name() and explained by ppccompat_note_string().
 */
#define PPCCOMPAT_NOTE_SMT_ON 0x1u      /* POWER7/8 bare metal: KVM-HV needs secondary threads offline */
#define PPCCOMPAT_NOTE_NO_HPT 0x2u      /* radix host that cannot run hash-MMU (HPT) guests */
#define PPCCOMPAT_NOTE_NO_KVM_HV 0x4u   /* this partition or processor cannot run KVM-HV at all */
#define PPCCOMPAT_NOTE_UNVERIFIED 0x8u  /* the files do not show what the hypervisor below grants */
#define PPCCOMPAT_NOTE_NOT_SERVER 0x10u /* PowerPC, but no POWER6-or-later 64-bit server */
/* /hypervisor/compatible names no hypervisor this version knows, or is no string list */
#define PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR 0x20u
/* processors of one generation at different revisions (DD levels): the lowest decides */
#define PPCCOMPAT_NOTE_MIXED_REVISIONS 0x40u
/*
 * A Power11 PowerVM partition whose kernel did not answer the KVM ioctl and
 * whose release is not known to ask PowerVM for Power11 guests: power11 left out
 */
#define PPCCOMPAT_NOTE_POWER11_UNCONFIRMED 0x80u
/* a guest in a mode older than POWER9: nested KVM-HV, so its own guests, needs POWER9+ */
#define PPCCOMPAT_NOTE_NO_NESTED 0x100u
#define PPCCOMPAT_NOTES_ALL 0x1ffu
/* "smt-on", "no-hpt", "no-kvm-hv", "unverified", "not-server", "unknown-hypervisor",
   "mixed-revisions", "power11-unconfirmed", "no-nested"; NULL for other bits. */
const char *ppccompat_note_name(unsigned int note);
/* One sentence for a single note bit; NULL for other bits. */
const char *ppccompat_note_string(unsigned int note);

/* Probe flags */
#define PPCCOMPAT_PROBE_NO_KVM 0x1u /* never touch /dev/kvm (nor the ops) */

/* Sized (see Stability above): members are appended only, and 0 keeps the old behaviour. */
struct ppccompat_probe_opts {
	/* every file is read as <sysroot>/<path>; NULL or "" means the live system */
	const char *sysroot;
	/*
	 * NULL: the real /dev/kvm when sysroot is unset; no KVM at all when a
	 * sysroot is given (a captured tree says nothing about this kernel).
	 */
	const struct ppccompat_kvm_ops *kvm_ops;
	unsigned int flags;
	/*
	 * Called for every file or directory the probe tries, with its path
	 * relative to the sysroot ("/proc/cpuinfo") and 0 or -errno; this is
	 * exactly the set `ppccompat capture` must archive. May be NULL.
	 */
	void (*observe)(void *ctx, const char *path, int result);
	void *observe_ctx;
};

/* Bounds the probe enforces (bigger inputs are PPCCOMPAT_ERR_TOO_BIG). */
#define PPCCOMPAT_MAX_FILE_SIZE (1u << 20)  /* any single file but /proc/cpuinfo */
#define PPCCOMPAT_MAX_CPUINFO_SIZE (16u << 20) /* /proc/cpuinfo: ~100 bytes per thread */
#define PPCCOMPAT_MAX_LINE 1024             /* one /proc/cpuinfo line */
#define PPCCOMPAT_MAX_CPU_NODES 16384       /* /proc/device-tree/cpus children */

/* Sized (see Stability above): members are appended only. */
struct ppccompat_host {
	enum ppccompat_platform platform;
	enum ppccompat_source platform_source;

	/*
	 * The processor: raw PVR and the generation it belongs to. Where the
	 * processors differ in revision only (a multi-chip machine mixing DD
	 * levels: PPCCOMPAT_NOTE_MIXED_REVISIONS), the lowest PVR, the one
	 * whose limits (the POWER9 DD2.2 MMU rule) bind.
	 */
	uint32_t raw_pvr;                  /* 0 if no source gives it */
	enum ppccompat_source raw_pvr_source;
	enum ppccompat_mode processor;     /* generation of raw_pvr; NONE for platform POWERPC_OTHER */

	/* The mode the host's own CPUs run in. */
	enum ppccompat_mode effective_mode;
	enum ppccompat_source effective_mode_source;
	bool architected;                  /* effective mode is a compat (logical PVR) mode */
	uint32_t cpu_version;              /* device-tree cpu-version as read, 0 if none */
	unsigned int cpu_nodes;            /* cpu nodes carrying cpu-version */

	/* Nested KVM. */
	enum ppccompat_nested_api nested_api;
	enum ppccompat_source nested_api_source;
	enum ppccompat_certainty nested_api_certainty;
	struct ppccompat_kvm_info kvm;

	/* The answer. */
	uint32_t allowed_modes;            /* modes guests may use */
	enum ppccompat_source allowed_source;
	enum ppccompat_mode recommended_mode; /* highest allowed, NONE if none */

	/* /proc/cpuinfo as read, for display ("" when absent). */
	char cpuinfo_cpu[64];      /* "POWER10 (architected), altivec supported" */
	char cpuinfo_revision[64]; /* "2.0 (pvr 0082 0200)" */
	char cpuinfo_platform[32]; /* "pSeries" */
	char cpuinfo_model[64];    /* "IBM,9080-HEX" */
	char cpuinfo_machine[64];  /* "CHRP IBM,9080-HEX" */

	/* Appended in 0.2: how the answer is known and what limits it. */
	enum ppccompat_evidence evidence;  /* of allowed_modes */
	enum ppccompat_mmu mmu;            /* from cpuinfo's "MMU" line */
	/* KVM_CHECK_EXTENSION(KVM_CAP_PPC_MMU_HASH_V3) on bare metal, ISA 3.0 and later;
	   -1 if not asked, or KVM-HV is not loaded (it and KVM_CAP_PPC_MMU_RADIX both 0) */
	int kvm_mmu_hash_v3;
	unsigned int notes;                /* PPCCOMPAT_NOTE_* */
	char cpuinfo_mmu[16];              /* "Radix" */

	/*
	 * Appended in 0.3: the whole value of /proc/device-tree/hypervisor/
	 * compatible, when it names no hypervisor this version knows
	 * (PPCCOMPAT_NOTE_UNKNOWN_HYPERVISOR), as printable ASCII: each NUL
	 * byte, the terminating one too, as "\0", a backslash as "\\", any
	 * other byte outside 0x20..0x7e as "\xHH" ("xen\0", "linux,kvm\0\0",
	 * "linux,kvm" for one without its NUL); cut at 63 bytes at a whole
	 * byte's form. "" otherwise, and when the file is absent or empty.
	 */
	char hypervisor_compatible[64];
	/*
	 * /proc/sys/kernel/osrelease as read ("7.2.12+bpo-powerpc64le", cut at
	 * 63 bytes), "" when absent: what uname -r says of the kernel the
	 * files come from. Read on POWER hosts only.
	 */
	char kernel_release[64];
};

/*
 * Probe the host (or the tree under opts->sysroot): KVM ioctl, device tree,
 * /proc/cpuinfo. opts may be NULL (live system). Returns 0 when host is
 * filled (also for a non-POWER host: platform NOT_POWER, and a PowerPC that
 * is no POWER6-or-later server: POWERPC_OTHER; nothing allowed for either).
 * Absent optional parts (device-tree root properties, /cpus, cpu-version,
 * cpuinfo's closing lines) are taken from the next source, field by field.
 * On failure (content present and malformed, or sources that contradict each
 * other) a negative code with err naming the file and field; a sysroot that
 * does not exist is PPCCOMPAT_ERR_NOT_FOUND, one that is not a directory
 * PPCCOMPAT_ERR_IO with sys_errno ENOTDIR (field "sysroot"). A failing
 * KVM step is not an error: host->kvm says what happened and the answer
 * falls back to the device tree.
 */
int ppccompat_probe_sized(const struct ppccompat_probe_opts *opts, size_t opts_size,
			  struct ppccompat_host *host, size_t host_size,
			  struct ppccompat_error *err);
#define ppccompat_probe(opts, host, err)                                      \
	ppccompat_probe_sized((opts), sizeof(struct ppccompat_probe_opts), (host), \
			      sizeof(struct ppccompat_host), (err))

/*
 * The smallest sizes the sized functions accept: the structures of 0.1.0,
 * the first release (smaller is PPCCOMPAT_ERR_BAD_ARG).
 */
#define PPCCOMPAT_PROBE_OPTS_SIZE_0                                           \
	(offsetof(struct ppccompat_probe_opts, observe_ctx) + sizeof(void *))
#define PPCCOMPAT_HOST_SIZE_0                                                 \
	(offsetof(struct ppccompat_host, cpuinfo_mmu) +                       \
	 sizeof(((struct ppccompat_host *)0)->cpuinfo_mmu))

/* What ppccompat_read_host_file() found. */
enum ppccompat_file_type {
	PPCCOMPAT_FILE_REGULAR = 1,
	PPCCOMPAT_FILE_DIRECTORY = 2,
};

/*
 * One file of a host, read exactly as the probe reads it, so that a tool
 * archiving what the probe observed (ppccompat capture) can neither block
 * nor leave the tree:
 *  - path ("/proc/cpuinfo") resolves inside sysroot (NULL or "": the live
 *    system) as if sysroot were "/": absolute symlinks and ".." stay inside
 *    it (openat2 RESOLVE_IN_ROOT, or the same walk on kernels before 5.6);
 *  - a FIFO, device or socket is PPCCOMPAT_ERR_MALFORMED, found without
 *    blocking; so is a symlink whose target is missing;
 *  - a regular file is read whole into buf: at most size bytes and at most
 *    the probe's own bound for that path (PPCCOMPAT_MAX_CPUINFO_SIZE for
 *    /proc/cpuinfo, PPCCOMPAT_MAX_FILE_SIZE for any other file), else
 *    PPCCOMPAT_ERR_TOO_BIG.
 * Returns PPCCOMPAT_FILE_REGULAR (*len bytes in buf), PPCCOMPAT_FILE_DIRECTORY
 * (nothing read, *len 0), or a negative code named in err: NOT_FOUND, IO
 * (sys_errno), MALFORMED, TOO_BIG, NAME_TOO_LONG, BAD_ARG.
 */
int ppccompat_read_host_file(const char *sysroot, const char *path, void *buf, size_t size,
			     size_t *len, struct ppccompat_error *err);

/* ------------------------------------------------------------------------ */
/* Decisions                                                                */

enum ppccompat_reason {
	PPCCOMPAT_REASON_OK = 0,
	PPCCOMPAT_REASON_NOT_POWER,       /* the host is not POWER */
	PPCCOMPAT_REASON_UNKNOWN_HOST,    /* nothing tells what the host allows */
	PPCCOMPAT_REASON_NEWER_THAN_HOST, /* above the host's effective mode */
	PPCCOMPAT_REASON_NOT_OFFERED,     /* the L0 / kernel does not offer it (KVM caps) */
	PPCCOMPAT_REASON_TOO_OLD,         /* older than any mode this host can provide */
	PPCCOMPAT_REASON_NO_NESTED,       /* nested KVM-HV needs POWER9 or later */
	PPCCOMPAT_REASON_NOT_SERVER,      /* PowerPC, but no POWER6-or-later 64-bit server */
	PPCCOMPAT_REASON_NO_KVM_HV,       /* this partition or processor runs no KVM-HV */
	PPCCOMPAT_REASON_MMU,             /* a radix host that cannot run this HPT mode */
	PPCCOMPAT_REASON_UNVERIFIED,      /* the files cannot tell what the hypervisor grants */
	/* power11 in a PowerVM partition whose kernel is not known to ask for it */
	PPCCOMPAT_REASON_POWER11_UNCONFIRMED,
};
/* One sentence, e.g. "newer than the host's effective mode". */
const char *ppccompat_reason_string(enum ppccompat_reason reason);

/*
 * 1 if guests of host may use mode, 0 if not (why says which rule refused),
 * negative on bad arguments. why may be NULL.
 */
int ppccompat_can_run_sized(const struct ppccompat_host *host, size_t host_size,
			    enum ppccompat_mode mode, enum ppccompat_reason *why);
#define ppccompat_can_run(host, mode, why)                                    \
	ppccompat_can_run_sized((host), sizeof(struct ppccompat_host), (mode), (why))

/*
 * Migration pool: the modes every host allows (intersection of n sets) and
 * the highest of them. PPCCOMPAT_ERR_NO_COMMON_MODE if the intersection is
 * empty (common still set), PPCCOMPAT_ERR_BAD_ARG if n == 0.
 */
int ppccompat_baseline(const uint32_t *allowed_sets, size_t n, uint32_t *common,
		       enum ppccompat_mode *best);

/* ------------------------------------------------------------------------ */
/* Reading reports back (ppccompat baseline REPORT.json...)                 */

/*
 * The part of a `ppccompat --json` report a baseline needs. The reader takes
 * one JSON object (RFC 8259, UTF-8) and looks only at these top-level keys;
 * every other key and value is checked for syntax and skipped:
 *   "allowed_modes":    array of mode names (required; may be empty)
 *   "effective_mode":   mode name or null (optional)
 *   "recommended_mode": mode name or null (optional)
 *   "command":          string of at most 15 bytes, or null (optional; "show" for a report)
 *   "format_version":   non-negative integer of at most 9 digits (optional)
 * and, from 0.3 on (members appended to struct ppccompat_report):
 *   "evidence":         "none", "weak", "strong" or "certain" (optional)
 *   "notes":            array of note names (optional; names this version
 *                       does not know are skipped, a newer writer may add some)
 *   "hostname":         string of at most 64 bytes, or null (optional)
 *   "error":            object (optional): the JSON error of a failed run;
 *                       its "message" string is kept (cut to fit), and
 *                       "allowed_modes" is then not required
 * Mode names go through ppccompat_mode_from_name(). Which commands and
 * format versions a caller reads is the caller's decision.
 */
/* Sized (see Stability above): members are appended only. */
struct ppccompat_report {
	uint32_t allowed_modes;
	enum ppccompat_mode effective_mode;   /* NONE if absent or null */
	enum ppccompat_mode recommended_mode; /* NONE if absent or null */
	char command[16];                     /* "" if absent */
	unsigned int format_version;          /* 0 if absent */
	/* Appended in 0.3. */
	enum ppccompat_evidence evidence;     /* NONE if absent */
	unsigned int notes;                   /* PPCCOMPAT_NOTE_* of "notes", 0 if absent */
	char hostname[65];                    /* "" if absent or null */
	bool error;                           /* an "error" object: a failed run */
	char error_message[160];              /* its "message", cut; "" if none */
};

#define PPCCOMPAT_MAX_JSON_SIZE (1u << 20)
#define PPCCOMPAT_MAX_JSON_DEPTH 32

/*
 * Parse len bytes of text (need not be NUL-terminated). On error, err->field
 * names the key (or is empty) and err->detail gives the byte offset; err->path
 * is left empty for the caller to fill with the file name. A well-formed
 * object with neither "allowed_modes" nor "error" fails MALFORMED (field
 * "allowed_modes") but still fills report, whose command then tells what
 * the object is; on any other error report is left as it was.
 */
int ppccompat_report_parse_json_sized(const char *text, size_t len,
				      struct ppccompat_report *report, size_t report_size,
				      struct ppccompat_error *err);
#define ppccompat_report_parse_json(text, len, report, err)                   \
	ppccompat_report_parse_json_sized((text), (len), (report),            \
					  sizeof(struct ppccompat_report), (err))
#define PPCCOMPAT_REPORT_SIZE_0                                               \
	(offsetof(struct ppccompat_report, format_version) + sizeof(unsigned int))

/* "0.1.0" */
const char *ppccompat_version(void);

#ifdef __cplusplus
}
#endif

#endif /* PPCCOMPAT_H */
