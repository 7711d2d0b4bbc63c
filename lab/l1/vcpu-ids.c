// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu-ids: creates one VM and, in the order given, a vCPU of each ID, as a
 * VMM does when it spaces its IDs for an SMT mode or hot-plugs a core at a
 * free slot. KVM documents any ID below KVM_CAP_MAX_VCPU_ID, in any order
 * (Documentation/virt/kvm/api.rst, KVM_CREATE_VCPU); a nested-API-v2 L1
 * passes the ID on to its L0 with H_GUEST_CREATE_VCPU, where QEMU's L0
 * aborted on one past the next (doc/reliability.md, Findings 2).
 */
#include "args.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define PROG "vcpu-ids"
/* Each created vCPU holds an fd until the end: a bound on what one run keeps open. */
#define MAX_IDS 16

struct request {
	uint64_t id;
	const char *expect; /* "created" or an errno name */
};

static void usage(FILE *out)
{
	fputs("usage: vcpu-ids ID[=EXPECT]...\n"
	      "  Creates a VM, then a vCPU of each ID with KVM_CREATE_VCPU, in the order given,\n"
	      "  and reports each answer as TAP and '# fact vcpu_ids.idID=' lines.\n"
	      "  EXPECT  'created' (the default) or the errno name the call must fail with\n"
	      "  At most 16 IDs, each given once.\n",
	      out);
}

/* "created" or an errno name (EINVAL, EEXIST...): capitals, digits and '_' after 'E'. */
static bool valid_expect(const char *s)
{
	if (!strcmp(s, "created"))
		return true;
	if (s[0] != 'E' || !s[1])
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int parse(int argc, char **argv, struct request *req)
{
	int n = argc - 1;

	if (n < 1 || n > MAX_IDS) {
		fprintf(stderr, PROG ": %s\n", n < 1 ? "no vCPU ID given" : "more than 16 IDs");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char id[24];
		const char *eq = strchr(argv[i + 1], '=');
		size_t len = eq ? (size_t)(eq - argv[i + 1]) : strlen(argv[i + 1]);

		if (len >= sizeof(id)) {
			fprintf(stderr, PROG ": '%s': the ID is too long\n", argv[i + 1]);
			return -1;
		}
		memcpy(id, argv[i + 1], len);
		id[len] = '\0';
		if (args_u64(PROG, "ID", id, 0, UINT32_MAX, &req[i].id) < 0)
			return -1;
		req[i].expect = eq ? eq + 1 : "created";
		if (!valid_expect(req[i].expect)) {
			fprintf(stderr, PROG ": '%s': EXPECT must be 'created' or an errno name\n",
				argv[i + 1]);
			return -1;
		}
		for (int j = 0; j < i; j++) {
			if (req[j].id == req[i].id) {
				fprintf(stderr, PROG ": ID %" PRIu64 " given twice\n", req[i].id);
				return -1;
			}
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	struct request req[MAX_IDS];
	int vcpu_fd[MAX_IDS];
	struct tap tap = { 0 };
	int n, kvm_fd, vm_fd;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	n = parse(argc, argv, req);
	if (n < 0) {
		usage(stderr);
		return 2;
	}

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	/* Type 0: HV KVM where the kernel has it, as QEMU asks for by default. */
	vm_fd = kvm_fd < 0 ? -1 : ioctl(kvm_fd, KVM_CREATE_VM, 0);
	tap_fact("vcpu_ids.vm", "%s", vm_fd >= 0 ? "created" : tap_errno(errno));
	if (!tap_check(&tap, vm_fd >= 0, "a VM to create vCPUs in (%s)",
		       kvm_fd < 0 ? "open /dev/kvm" : "KVM_CREATE_VM"))
		return tap_exit_status(&tap);

	for (int i = 0; i < n; i++) {
		const char *answer;
		char fact[40];

		vcpu_fd[i] = ioctl(vm_fd, KVM_CREATE_VCPU, (unsigned long)req[i].id);
		answer = vcpu_fd[i] >= 0 ? "created" : tap_errno(errno);
		snprintf(fact, sizeof(fact), "vcpu_ids.id%" PRIu64, req[i].id);
		tap_fact(fact, "%s", answer);
		tap_check(&tap, !strcmp(answer, req[i].expect),
			  "KVM_CREATE_VCPU(%" PRIu64 ") as call %d: %s, expected %s", req[i].id,
			  i + 1, answer, req[i].expect);
	}

	for (int i = 0; i < n; i++)
		if (vcpu_fd[i] >= 0)
			close(vcpu_fd[i]);
	close(vm_fd);
	close(kvm_fd);
	return tap_exit_status(&tap);
}
