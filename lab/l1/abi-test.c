// SPDX-License-Identifier: GPL-2.0
/*
 * abi-test: the whole KVM_PPC_GET_COMPAT_CAPS contract of spec/ABI.md, checked
 * against the running kernel. It must pass unchanged on stock Linux 7.3 (the
 * reference) and on our patched kernels; on a kernel without the feature
 * everything that needs it is skipped, never failed.
 *
 * Inputs the ABI accepts reach the backend last (ABI.md steps 6-7), so on a
 * kernel whose backend answers ENOTTY or EINVAL those inputs must give that
 * errno, while the malformed ones must still fail at their own step.
 */
#include "caps-model.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* What stale or untouched memory looks like: no valid caps value has these bits. */
#define POISON 0xaa

struct abi {
	struct tap tap;
	int kvm_fd;
	int vm_fd;
	size_t page;
	/* Two writable pages followed by an inaccessible one. */
	unsigned char *area;
	/* The kernel as caps-model sees it: is there an ioctl, what a well-formed request gets. */
	struct caps_kernel k;
	/* What a well-formed request returns: 0, or the backend's errno. */
	int backend_err;
	uint64_t caps;
};

static int get_caps(int fd, const void *arg)
{
	return ioctl(fd, KVM_PPC_GET_COMPAT_CAPS, arg) < 0 ? errno : 0;
}

static size_t rw_size(const struct abi *abi)
{
	return 2 * abi->page;
}

/*
 * A request at area + offset: size and flags set, the caps field poisoned
 * (an input the kernel must overwrite, not echo), bytes [24, zero_end) zero
 * and everything else in the writable pages poisoned. A field that would lie
 * in the inaccessible page is left out: that is where the straddling tests
 * want the kernel to fault.
 */
static unsigned char *request(struct abi *abi, size_t offset, uint64_t size, uint64_t flags,
			      size_t zero_end)
{
	unsigned char *p = abi->area + offset;
	size_t room = rw_size(abi) - offset;

	memset(abi->area, POISON, rw_size(abi));
	if (zero_end > CAPS_VER0)
		memset(p + CAPS_VER0, 0, zero_end - CAPS_VER0);
	if (room >= CAPS_OFF_SIZE + sizeof(size))
		caps_store64(p + CAPS_OFF_SIZE, size);
	if (room >= CAPS_OFF_FLAGS + sizeof(flags))
		caps_store64(p + CAPS_OFF_FLAGS, flags);
	return p;
}

/*
 * After a successful call on a request of user_size bytes at p: the kernel
 * wrote min(user_size, 24) as size, flags 0, caps within the mask and equal
 * to the first answer, zero up to user_size, and nothing after it.
 */
static bool success_ok(const struct abi *abi, const unsigned char *p, size_t user_size, char *why,
		       size_t why_size)
{
	const unsigned char *end = abi->area + rw_size(abi);
	uint64_t size = caps_load64(p + CAPS_OFF_SIZE), flags = caps_load64(p + CAPS_OFF_FLAGS);
	uint64_t caps = caps_load64(p + CAPS_OFF_CAPS);

	if (size != CAPS_VER0) {
		snprintf(why, why_size, "size written back is %" PRIu64 ", not %d", size, CAPS_VER0);
		return false;
	}
	if (flags != 0) {
		snprintf(why, why_size, "flags written back as 0x%" PRIx64, flags);
		return false;
	}
	if (caps & ~PPCCOMPAT_KVM_COMPAT_BITMASK) {
		snprintf(why, why_size, "compat_capabilities 0x%" PRIx64 " outside the bitmask",
			 caps);
		return false;
	}
	if (caps != abi->caps) {
		snprintf(why, why_size,
			 "compat_capabilities 0x%" PRIx64 ", first answer 0x%" PRIx64, caps,
			 abi->caps);
		return false;
	}
	for (size_t i = CAPS_VER0; i < user_size; i++) {
		if (p[i] != 0) {
			snprintf(why, why_size, "byte %zu of %zu is 0x%02x, not zero", i, user_size,
				 p[i]);
			return false;
		}
	}
	for (const unsigned char *q = p + user_size; q < end; q++) {
		if (*q != POISON) {
			snprintf(why, why_size, "byte %td past the user's size was written",
				 q - (p + user_size));
			return false;
		}
	}
	return true;
}

/* A request the ABI accepts: 0 and a correct answer, or the backend's errno. */
static void check_accepted(struct abi *abi, const unsigned char *p, size_t user_size,
			   const char *what)
{
	char why[160];
	int err = get_caps(abi->vm_fd, p);

	if (abi->backend_err) {
		tap_check(&abi->tap, err == abi->backend_err, "%s: %s (backend answers %s)", what,
			  tap_errno(err), tap_errno(abi->backend_err));
		return;
	}
	if (err) {
		tap_check(&abi->tap, false, "%s: %s, expected success", what, tap_errno(err));
		return;
	}
	if (success_ok(abi, p, user_size, why, sizeof(why)))
		tap_check(&abi->tap, true,
			  "%s: size %d, caps 0x%" PRIx64 ", zero tail, nothing past it", what, CAPS_VER0,
			  abi->caps);
	else
		tap_check(&abi->tap, false, "%s: %s", what, why);
}

static void check_errno(struct abi *abi, int fd, const void *arg, int expected, const char *what)
{
	int err = get_caps(fd, arg);

	tap_check(&abi->tap, err == expected, "%s: %s (expected %s)", what, tap_errno(err),
		  tap_errno(expected));
}

static void test_small_sizes(struct abi *abi)
{
	const unsigned char *p;
	int err;

	p = request(abi, 0, 0, 0, 0);
	check_errno(abi, abi->vm_fd, p, EINVAL, "size 0");
	for (uint64_t size = 1; size < CAPS_VER0; size++) {
		p = request(abi, 0, size, 0, 0);
		err = get_caps(abi->vm_fd, p);
		if (err != EINVAL) {
			tap_check(&abi->tap, false,
				  "sizes 1..23: size %" PRIu64 " gives %s, expected EINVAL", size,
				  tap_errno(err));
			return;
		}
	}
	tap_check(&abi->tap, true, "sizes 1..23: EINVAL");
}

static void test_accepted_sizes(struct abi *abi)
{
	const size_t sizes[] = { CAPS_VER0, CAPS_VER0 + 1, 32, 64, 4095, abi->page };
	char what[64];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const unsigned char *p = request(abi, 0, sizes[i], 0, sizes[i]);

		snprintf(what, sizeof(what), "size %zu with zero tail", sizes[i]);
		check_accepted(abi, p, sizes[i], what);
	}
}

static void test_too_big(struct abi *abi)
{
	const uint64_t sizes[] = {
		abi->page + 1,
		/* a kernel that truncated size to 32 bits would see 24 */
		(UINT64_C(1) << 32) + CAPS_VER0,
		UINT64_MAX,
	};
	char what[64];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const unsigned char *p = request(abi, 0, sizes[i], 0, rw_size(abi));

		snprintf(what, sizeof(what), "size %" PRIu64 " (over PAGE_SIZE)", sizes[i]);
		check_errno(abi, abi->vm_fd, p, E2BIG, what);
	}
}

/* A non-zero byte the kernel does not know: E2BIG, its size written back, retry works. */
static void test_nonzero_tail(struct abi *abi, size_t user_size, size_t nonzero_at)
{
	unsigned char *p = request(abi, 0, user_size, 0, user_size);
	char what[96];
	uint64_t written;
	int err;

	p[nonzero_at] = 1;
	err = get_caps(abi->vm_fd, p);
	written = caps_load64(p + CAPS_OFF_SIZE);
	snprintf(what, sizeof(what), "size %zu, byte %zu non-zero", user_size, nonzero_at);
	if (!tap_check(&abi->tap, err == E2BIG && written == CAPS_VER0,
		       "%s: %s, size written back %" PRIu64 " (expected E2BIG, %d)", what,
		       tap_errno(err), written, CAPS_VER0))
		return;

	/* Retry as a program would: with the size the kernel gave, the rest of the buffer as is. */
	snprintf(what, sizeof(what), "retry with the size written back after E2BIG");
	err = get_caps(abi->vm_fd, p);
	if (abi->backend_err)
		tap_check(&abi->tap, err == abi->backend_err, "%s: %s (backend answers %s)", what,
			  tap_errno(err), tap_errno(abi->backend_err));
	else
		tap_check(&abi->tap,
			  err == 0 && caps_load64(p + CAPS_OFF_SIZE) == CAPS_VER0 &&
				  caps_load64(p + CAPS_OFF_CAPS) == abi->caps,
			  "%s: %s, caps 0x%" PRIx64, what, tap_errno(err), caps_load64(p + CAPS_OFF_CAPS));
}

static void test_flags(struct abi *abi)
{
	const uint64_t flags[] = { 1, UINT64_C(1) << 63, UINT64_MAX };
	unsigned char *p;
	char what[64];

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		p = request(abi, 0, CAPS_VER0, flags[i], 0);
		snprintf(what, sizeof(what), "flags 0x%" PRIx64, flags[i]);
		check_errno(abi, abi->vm_fd, p, EINVAL, what);
	}
	/* The struct is copied (and its tail checked) before its fields are looked at. */
	p = request(abi, 0, 32, 1, 32);
	p[31] = 1;
	check_errno(abi, abi->vm_fd, p, E2BIG, "flags 1 and a non-zero tail: the tail wins");
}

static void test_bad_pointers(struct abi *abi)
{
	unsigned char *guard = abi->area + rw_size(abi);
	unsigned char *p;

	check_errno(abi, abi->vm_fd, NULL, EFAULT, "NULL pointer");
	check_errno(abi, abi->vm_fd, guard, EFAULT, "pointer to an unmapped page");
	check_errno(abi, abi->vm_fd, (void *)UINT64_C(0xc000000000000000), EFAULT,
		    "pointer into the kernel's address space");

	/* size readable, flags and caps in the unmapped page */
	p = request(abi, rw_size(abi) - 8, CAPS_VER0, 0, 0);
	check_errno(abi, abi->vm_fd, p, EFAULT, "struct straddling into an unmapped page at flags");
	/* size and flags readable, caps in the unmapped page */
	p = request(abi, rw_size(abi) - 16, CAPS_VER0, 0, 0);
	check_errno(abi, abi->vm_fd, p, EFAULT, "struct straddling into an unmapped page at caps");
	/* the known part readable, the (zero) tail running into the unmapped page */
	p = request(abi, rw_size(abi) - abi->page / 2, abi->page, 0, abi->page / 2);
	check_errno(abi, abi->vm_fd, p, EFAULT, "tail straddling into an unmapped page");
}

static void test_read_only(struct abi *abi)
{
	unsigned char *p = request(abi, 0, CAPS_VER0, 0, 0);
	char what[96];

	/* The kernel can read the request but not write the answer. */
	if (mprotect(abi->area, abi->page, PROT_READ) < 0) {
		tap_check(&abi->tap, false, "mprotect(PROT_READ): %s", strerror(errno));
		return;
	}
	snprintf(what, sizeof(what), "read-only struct");
	if (abi->backend_err)
		check_errno(abi, abi->vm_fd, p, abi->backend_err,
			    "read-only struct (nothing to write: the backend's errno)");
	else
		check_errno(abi, abi->vm_fd, p, EFAULT, what);
	mprotect(abi->area, abi->page, PROT_READ | PROT_WRITE);

	/* E2BIG must write the size back; when it cannot, the caller is told EFAULT. */
	p = request(abi, 0, 32, 0, 32);
	p[31] = 1;
	mprotect(abi->area, abi->page, PROT_READ);
	check_errno(abi, abi->vm_fd, p, EFAULT, "read-only struct with a non-zero tail");
	mprotect(abi->area, abi->page, PROT_READ | PROT_WRITE);
}

static void test_poisoned_fields(struct abi *abi)
{
	/* request() leaves the caps field POISON: an input the answer must replace. */
	unsigned char *p = request(abi, abi->page, abi->page, 0, abi->page);

	check_accepted(abi, p, abi->page,
		       "poisoned caps field, size PAGE_SIZE ending where the mapping ends");
	p = request(abi, 40, 64, 0, 64);
	check_accepted(abi, p, 64, "poisoned caps field, size 64 at an unaligned address");
}

static void test_wrong_fds(struct abi *abi)
{
	unsigned char *p = request(abi, 0, CAPS_VER0, 0, 0);
	int vcpu_fd, pipe_fds[2];

	/* The errnos are caps-model's (caps_fd_errno() says where each comes from). */
	check_errno(abi, abi->kvm_fd, p, caps_fd_errno(&abi->k, CAPS_FD_DEV), "on the /dev/kvm fd");

	vcpu_fd = ioctl(abi->vm_fd, KVM_CREATE_VCPU, 0);
	if (vcpu_fd < 0) {
		tap_check(&abi->tap, false, "KVM_CREATE_VCPU for the vcpu-fd test: %s",
			  tap_errno(errno));
	} else {
		check_errno(abi, vcpu_fd, p, caps_fd_errno(&abi->k, CAPS_FD_VCPU), "on a vcpu fd");
		close(vcpu_fd);
	}

	if (pipe(pipe_fds) < 0) {
		tap_check(&abi->tap, false, "pipe for the non-KVM-fd test: %s", strerror(errno));
		return;
	}
	check_errno(abi, pipe_fds[0], p, caps_fd_errno(&abi->k, CAPS_FD_OTHER), "on a pipe");
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

static const char *const feature_tests[] = {
	"size 0",
	"sizes 1..23",
	"size 24..PAGE_SIZE with zero tail",
	"size over PAGE_SIZE",
	"non-zero tail: E2BIG, size written back, retry",
	"flags != 0",
	"bad pointers",
	"read-only struct",
	"poisoned caps field",
};

/* ABI.md: 1 for HV KVM in a pseries (nested L1) kernel, 0 otherwise. */
static int expected_capability(struct abi *abi, const struct ppccompat_host *host)
{
	bool pseries = host->platform == PPCCOMPAT_PLATFORM_PSERIES_POWERVM ||
		       host->platform == PPCCOMPAT_PLATFORM_PSERIES_KVM ||
		       host->platform == PPCCOMPAT_PLATFORM_PSERIES_QEMU_TCG ||
		       host->platform == PPCCOMPAT_PLATFORM_PSERIES_OTHER;
	int hv_vm = ioctl(abi->kvm_fd, KVM_CREATE_VM, KVM_VM_PPC_HV);
	bool hv = hv_vm >= 0;

	if (hv)
		close(hv_vm);
	tap_fact("abi.platform", "%s", ppccompat_platform_name(host->platform));
	tap_fact("abi.kvm_hv", "%d", hv);
	return pseries && hv;
}

static int setup(struct abi *abi)
{
	long page = sysconf(_SC_PAGESIZE);

	abi->page = (size_t)page;
	abi->area = mmap(NULL, 3 * abi->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (abi->area == MAP_FAILED || mprotect(abi->area + rw_size(abi), abi->page, PROT_NONE)) {
		fprintf(stderr, "abi-test: cannot map the test pages: %s\n", strerror(errno));
		return -1;
	}
	abi->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (abi->kvm_fd < 0) {
		fprintf(stderr, "abi-test: /dev/kvm: %s\n", strerror(errno));
		return -1;
	}
	abi->vm_fd = ioctl(abi->kvm_fd, KVM_CREATE_VM, 0);
	if (abi->vm_fd < 0) {
		fprintf(stderr, "abi-test: KVM_CREATE_VM: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int main(void)
{
	struct ppccompat_probe_opts opts = { .flags = PPCCOMPAT_PROBE_NO_KVM };
	struct ppccompat_host host;
	struct ppccompat_error perr;
	struct abi abi = { .kvm_fd = -1, .vm_fd = -1 };
	int cap, cap_vm, expected, err;
	bool feature;

	if (setup(&abi) < 0) {
		tap_check(&abi.tap, false, "open /dev/kvm and create a VM");
		return 1;
	}
	if (ppccompat_probe(&opts, &host, &perr) < 0) {
		char line[512];

		ppccompat_error_format(&perr, line, sizeof(line));
		fprintf(stderr, "abi-test: %s\n", line);
		tap_check(&abi.tap, false, "probe the host platform");
		return 1;
	}

	cap = ioctl(abi.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_COMPAT_CAPS);
	tap_fact("cap_compat_caps", "%d", cap);
	expected = expected_capability(&abi, &host);
	/* VMMs such as QEMU ask the VM; a default VM is the flavour /dev/kvm describes. */
	cap_vm = ioctl(abi.vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_COMPAT_CAPS);
	tap_check(&abi.tap, cap_vm == cap, "KVM_CHECK_EXTENSION on the VM fd is %d, on /dev/kvm %d",
		  cap_vm, cap);

	/* Only a kernel with the ioctl checks the size before anything else. */
	err = caps_kernel_probe(abi.vm_fd, abi.page, &abi.k);
	feature = abi.k.present;
	tap_fact("abi.ioctl", "%s", feature ? "present" : "absent");

	if (!feature) {
		tap_fact("caps", "absent");
		tap_check(
			&abi.tap, cap == 0,
			"KVM_CHECK_EXTENSION(KVM_CAP_PPC_COMPAT_CAPS) is %d on a kernel without the ioctl",
			cap);
		for (size_t i = 0; i < sizeof(feature_tests) / sizeof(feature_tests[0]); i++)
			tap_skip(&abi.tap, "kernel has no KVM_PPC_GET_COMPAT_CAPS (ENOTTY)", "%s",
				 feature_tests[i]);
		test_wrong_fds(&abi);
		return tap_exit_status(&abi.tap);
	}

	tap_check(&abi.tap, cap == expected,
		  "KVM_CHECK_EXTENSION(KVM_CAP_PPC_COMPAT_CAPS) is %d (expected %d)", cap,
		  expected);

	if (!tap_check(&abi.tap, err == 0,
		       "a well-formed request is answered with size 24, flags 0 and caps within "
		       "the bitmask, or fails"))
		return tap_exit_status(&abi.tap);
	err = abi.backend_err = abi.k.backend_err;
	abi.caps = abi.k.caps;
	tap_fact("abi.backend", "%s", err ? tap_errno(err) : "ok");
	if (err == 0)
		tap_fact("caps", "0x%016" PRIx64, abi.caps);
	else
		tap_fact("caps", "%s", tap_errno(err));
	/*
	 * The capability promises an answer unless the backend cannot tell
	 * (ABI.md 7). Without it the request must fail: ENOTTY where the flavour
	 * has no backend (6), EINVAL where it has one that cannot answer - what
	 * stock 7.3 says on bare-metal PowerNV.
	 */
	if (cap == 1)
		tap_check(
			&abi.tap, caps_backend_agrees(cap, err),
			"with the capability, a well-formed request succeeds or the backend cannot tell: %s",
			tap_errno(err));
	else
		tap_check(
			&abi.tap, caps_backend_agrees(cap, err),
			"without the capability, a well-formed request fails with ENOTTY or EINVAL: %s",
			tap_errno(err));

	test_small_sizes(&abi);
	test_accepted_sizes(&abi);
	test_too_big(&abi);
	test_nonzero_tail(&abi, CAPS_VER0 + 1, CAPS_VER0);
	test_nonzero_tail(&abi, 32, 31);
	test_nonzero_tail(&abi, abi.page, abi.page - 1);
	test_flags(&abi);
	test_bad_pointers(&abi);
	test_read_only(&abi);
	test_poisoned_fields(&abi);
	test_wrong_fds(&abi);
	return tap_exit_status(&abi.tap);
}
