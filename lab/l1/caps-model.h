/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What KVM_PPC_GET_COMPAT_CAPS must answer, computed from spec/ABI.md alone:
 * the one model abi-test, caps-fuzz and stress judge the kernel by.
 *
 * The model is given what the kernel could see (the fd's kind, which bytes of
 * user memory it can read or write and what they hold) and what the running
 * kernel's detection found (is there an ioctl, what does a well-formed request
 * get), and returns every outcome the ABI allows: an errno and what the call
 * may have written. Where ABI.md leaves the outcome open, the model lists
 * each answer it allows, and nothing else.
 */
#ifndef PPCCOMPAT_LAB_CAPS_MODEL_H
#define PPCCOMPAT_LAB_CAPS_MODEL_H

#include "compat-caps-ioctl.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPS_VER0 PPCCOMPAT_KVM_COMPAT_CAPS_SIZE_VER0
#define CAPS_OFF_SIZE 0
#define CAPS_OFF_FLAGS 8
#define CAPS_OFF_CAPS 16

/* Native-endian 64-bit fields at any alignment. */
uint64_t caps_load64(const unsigned char *p);
void caps_store64(unsigned char *p, uint64_t v);

/* What the fd an ioctl is sent to is, as far as the answer depends on it. */
enum caps_fd_kind {
	CAPS_FD_VM,     /* a VM's fd: the ioctl's own */
	CAPS_FD_DEV,    /* /dev/kvm */
	CAPS_FD_VCPU,   /* a vCPU's fd */
	CAPS_FD_OTHER,  /* no KVM file: a pipe, a regular file, a directory, /proc */
	CAPS_FD_CLOSED, /* no file at all */
	CAPS_FD_KINDS,
};

/* "vm", "dev_kvm", "vcpu", "other", "closed". */
const char *caps_fd_kind_name(enum caps_fd_kind kind);

/* What the running kernel's detection found (caps_kernel_probe()). */
struct caps_kernel {
	/* the ioctl exists: a request over PAGE_SIZE is not ENOTTY */
	bool present;
	/* a well-formed request on a VM fd: 0 or its errno (ABI.md steps 6-7) */
	int backend_err;
	/* compat_capabilities of that request when backend_err is 0 */
	uint64_t caps;
	/* PAGE_SIZE, the bound of ABI.md step 2 */
	size_t page;
};

/*
 * Asks the kernel through vm_fd: a PAGE_SIZE + 1 request, which only a kernel
 * without the ioctl answers ENOTTY (one with it stops at step 2 before
 * reading more), then a well-formed one. Returns 0, or -errno when the
 * well-formed request wrote an answer ABI.md forbids (size not 24, flags not
 * 0, bits outside the mask): a kernel the model cannot describe.
 */
int caps_kernel_probe(int vm_fd, size_t page, struct caps_kernel *k);

/*
 * ABI.md on KVM_CHECK_EXTENSION against the well-formed answer: with the
 * capability a request succeeds or the backend cannot tell (EINVAL, step 7);
 * without it, ENOTTY (no backend, step 6) or EINVAL (one that cannot tell,
 * what stock 7.3 says on bare-metal PowerNV).
 */
bool caps_backend_agrees(int cap, int backend_err);

/*
 * The errno of KVM_PPC_GET_COMPAT_CAPS on an fd that is no VM's (or on a VM
 * fd of a kernel without the ioctl), whatever the argument: /dev/kvm EINVAL
 * (kvm_dev_ioctl() ends in kvm_arch_dev_ioctl()), a vCPU EINVAL
 * (kvm_arch_vcpu_ioctl()'s default), anything else ENOTTY (the VFS), a closed
 * fd EBADF, a VM fd without the ioctl ENOTTY (kvm_arch_vm_ioctl()'s
 * default). 0 for a VM fd of a kernel with it: the model decides.
 */
int caps_fd_errno(const struct caps_kernel *k, enum caps_fd_kind kind);

/* How the kernel may reach one page of user memory. */
enum caps_access {
	CAPS_NONE, /* unmapped: every access faults */
	CAPS_READ, /* read-only: reads work, writes fault */
	CAPS_RW,
};

/*
 * The user memory a call can reach: len bytes at user address base, in pages
 * of page bytes (base page-aligned), with their access and their contents
 * before the call (bytes of CAPS_NONE pages are never read). Every address
 * outside it is unmapped.
 */
struct caps_view {
	uintptr_t base;
	size_t len;
	size_t page;
	const enum caps_access *access; /* len / page entries */
	const unsigned char *before;
};

/* What a call may have written. */
enum caps_write {
	CAPS_WRITE_NOTHING,
	CAPS_WRITE_SIZE,   /* the kernel's struct size (24) into the size field (step 4) */
	CAPS_WRITE_ANSWER, /* size 24, flags 0, the caps, zeros up to the user's size (step 8) */
};

struct caps_outcome {
	int err;                /* 0 or the errno */
	enum caps_write write;
	/*
	 * The write faulted part way (EFAULT): each byte it covers may hold its
	 * old value or its new one. Otherwise the write is complete.
	 */
	bool partial;
	const char *step;       /* ABI.md's step that decides, for diagnostics */
};

#define CAPS_MAX_OUTCOMES 4

struct caps_expect {
	struct caps_outcome out[CAPS_MAX_OUTCOMES];
	unsigned int n;
	bool size_read;  /* the size field was readable */
	uint64_t usize;  /* its value then */
};

/* Every outcome ABI.md allows for this call. */
void caps_model_expect(const struct caps_kernel *k, enum caps_fd_kind kind,
		       const struct caps_view *v, uintptr_t arg, struct caps_expect *e);

/*
 * Judges a call's answer: err (0 or the errno) and the view's bytes after it,
 * compared over [lo, hi) (addresses; readable pages only; bytes outside the
 * call's struct must be unchanged). Returns the matching outcome, or NULL
 * with a reason in why.
 */
const struct caps_outcome *caps_model_check(const struct caps_kernel *k,
					    const struct caps_view *v, uintptr_t arg,
					    const struct caps_expect *e, int err,
					    const unsigned char *after, uintptr_t lo, uintptr_t hi,
					    char *why, size_t why_size);

/*
 * The one way a kernel is known to answer otherwise than mainline Linux 7.3
 * while leaving every byte as ABI.md's step 8 says: success where the
 * copy-back must fault, because every byte it could not write (read-only)
 * already held what it would have written (kernel/6.12 patch 6 stores only
 * the words that change). Mainline writes them all and answers EFAULT.
 * True when a refused answer (err, after) is exactly that; counted apart so
 * that it stays visible without hiding any other difference.
 */
bool caps_model_unwritten_unchanged(const struct caps_kernel *k, const struct caps_view *v,
				    uintptr_t arg, const struct caps_expect *e, int err,
				    const unsigned char *after, uintptr_t lo, uintptr_t hi);

/* "EFAULT|E2BIG" (the errnos of e's outcomes, "0" for success) into buf. */
const char *caps_expect_errnos(const struct caps_expect *e, char *buf, size_t size);

/* Thread-safe errno name: "EINVAL", "0", or "errno-N" written into buf. */
const char *caps_errno_name(int err, char buf[static 16]);

#endif
