// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's KVM_PPC_GET_COMPAT_CAPS model (lab/l1/caps-model.c) and request
 * generator (caps-arena.c), on the host: random requests are answered by a
 * simulated kernel that follows spec/ABI.md's steps and touches user memory
 * for real (process_vm_readv/writev on ourselves fault where the kernel's
 * user accesses would), and every answer must be one the model allows. Then
 * each of a list of broken kernels must be caught within the same calls, so
 * that a model which accepts anything fails here.
 */
#include "caps-arena.h"
#include "caps-model.h"
#include "prng.h"
#include "testutil.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define CALLS 5000

/* Ways to break the simulated kernel, each a mistake a real series could make. */
enum mutant {
	FAITHFUL,
	NO_SIZE_WRITEBACK,  /* E2BIG without writing the kernel's size back */
	FLAGS_BEFORE_TAIL,  /* step 5 before step 4 */
	SIZE_AS_GIVEN,      /* success writes the user's size instead of 24 */
	CAPS_OUTSIDE_MASK,  /* success sets a bit outside the bitmask */
	WRITE_PAST_SIZE,    /* one byte past the user's size zeroed */
	PAGE_OFF_BY_ONE,    /* PAGE_SIZE + 1 accepted */
	WRITE_ON_FLAGS,     /* the size written back before the flags are refused */
	TAIL_FAULT_EINVAL,  /* an unreadable unknown byte refused as EINVAL */
	IGNORE_FD,          /* a vCPU fd answered as if it were the VM's */
	MUTANTS,
	/* Not a mutant: kernel/6.12 patch 6, which stores only the words that change. */
	CHANGED_ONLY = MUTANTS,
};

static const char *const mutant_names[MUTANTS] = {
	"faithful",	     "no size write-back on E2BIG", "flags checked before the tail",
	"user's size written back", "caps outside the mask",  "byte past the size zeroed",
	"PAGE_SIZE+1 accepted",	     "size written on bad flags", "tail fault as EINVAL",
	"vCPU fd answered as a VM",
};

static int user_read(uintptr_t addr, void *buf, size_t n)
{
	struct iovec local = { buf, n }, remote = { (void *)addr, n };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : EFAULT;
}

static int user_write(uintptr_t addr, const void *buf, size_t n)
{
	struct iovec local = { (void *)buf, n }, remote = { (void *)addr, n };

	return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : EFAULT;
}

/* [addr, addr + n) read a page at a time: 0, EFAULT, or E2BIG at a non-zero byte. */
static int check_zeroed(uintptr_t addr, uint64_t n, size_t page)
{
	static unsigned char buf[1 << 16];

	while (n) {
		size_t chunk = page - addr % page;

		if (chunk > n)
			chunk = n;
		if (chunk > sizeof(buf) || user_read(addr, buf, chunk))
			return EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (buf[i])
				return E2BIG;
		addr += chunk;
		n -= chunk;
	}
	return 0;
}

static int zero_user(uintptr_t addr, uint64_t n, size_t page)
{
	static const unsigned char zeros[1 << 16];

	while (n) {
		size_t chunk = page - addr % page;

		if (chunk > n)
			chunk = n;
		if (user_write(addr, zeros, chunk))
			return EFAULT;
		addr += chunk;
		n -= chunk;
	}
	return 0;
}

/* The ioctl as ABI.md describes it, one mutation optionally applied. */
static int sim_ioctl(const struct caps_kernel *k, enum caps_fd_kind kind, uintptr_t arg,
		     enum mutant m)
{
	uint64_t head[3], usize, limit = k->page + (m == PAGE_OFF_BY_ONE);
	int r;

	if (kind != CAPS_FD_VM && !(m == IGNORE_FD && kind == CAPS_FD_VCPU))
		return caps_fd_errno(k, kind);
	if (!k->present)
		return ENOTTY;
	if (user_read(arg, &usize, sizeof(usize)))
		return EFAULT;
	if (usize > limit)
		return E2BIG;
	if (usize < CAPS_VER0)
		return EINVAL;
	if (m == FLAGS_BEFORE_TAIL && !user_read(arg + CAPS_OFF_FLAGS, &head[1], 8) && head[1])
		return EINVAL;
	r = usize > CAPS_VER0 ? check_zeroed(arg + CAPS_VER0, usize - CAPS_VER0, k->page) : 0;
	if (r == EFAULT && m == TAIL_FAULT_EINVAL)
		return EINVAL;
	if (r == E2BIG) {
		uint64_t mine = CAPS_VER0;

		if (m != NO_SIZE_WRITEBACK && user_write(arg, &mine, sizeof(mine)))
			return EFAULT;
		return E2BIG;
	}
	if (r)
		return r;
	if (user_read(arg, head, sizeof(head)))
		return EFAULT;
	if (head[1]) {
		if (m == WRITE_ON_FLAGS) {
			uint64_t mine = CAPS_VER0;

			user_write(arg, &mine, sizeof(mine));
		}
		return EINVAL;
	}
	if (k->backend_err)
		return k->backend_err;
	head[0] = m == SIZE_AS_GIVEN ? usize : CAPS_VER0;
	head[1] = 0;
	head[2] = k->caps | (m == CAPS_OUTSIDE_MASK ? 1 : 0);
	if (m == CHANGED_ONLY) {
		uint64_t in[3];

		/* the tail was checked zero; of the head, only what differs from the input */
		user_read(arg, in, sizeof(in));
		for (int i = 0; i < 3; i++)
			if (head[i] != in[i] && user_write(arg + 8 * i, &head[i], 8))
				return EFAULT;
		return 0;
	}
	if (zero_user(arg + CAPS_VER0, usize - CAPS_VER0 + (m == WRITE_PAST_SIZE), k->page))
		return EFAULT;
	return user_write(arg, head, sizeof(head));
}

/*
 * How many of calls random calls the model finds wrong on this simulated
 * kernel; *unwritten (if given) counts those it finds to be
 * CAPS_UNWRITTEN_UNCHANGED, the rest are refused outright.
 */
static unsigned int run(const struct caps_kernel *k, enum mutant m, uint64_t seed,
			unsigned int calls, char *first, size_t first_size, unsigned int *unwritten)
{
	struct caps_arena a;
	uint64_t rng = seed;
	unsigned int wrong = 0;
	char why[200];

	if (caps_arena_init(&a, (size_t)sysconf(_SC_PAGESIZE), true) < 0) {
		t_ok(false, "map the arena");
		return calls;
	}
	first[0] = '\0';
	for (unsigned int i = 0; i < calls; i++) {
		struct caps_request r;
		enum caps_fd_kind kind = prng_below(&rng, 5) ? CAPS_FD_VM :
							       (enum caps_fd_kind)prng_below(&rng, CAPS_FD_KINDS);
		enum caps_verdict v;
		int err;

		caps_request_random(&a, &rng, &r);
		caps_request_place(&a, &r);
		err = sim_ioctl(k, kind, r.arg, m);
		v = caps_request_judge(&a, k, 1u << kind, &r, err, why, sizeof(why));
		if (v == CAPS_UNWRITTEN_UNCHANGED && unwritten)
			++*unwritten;
		if (v != CAPS_ALLOWED) {
			if (!wrong++)
				snprintf(first, first_size, "call %u: %s", i + 1, why);
			caps_arena_reset(&a);
			continue;
		}
		caps_request_restore(&a, &r);
		if (!caps_arena_clean(&a, why, sizeof(why))) {
			if (!wrong++)
				snprintf(first, first_size, "call %u: %s", i + 1, why);
			caps_arena_reset(&a);
		}
	}
	caps_arena_fini(&a);
	return wrong;
}

static void test_kernels(void)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	const struct caps_kernel kernels[] = {
		{ .present = true, .backend_err = 0, .caps = UINT64_C(0x6000000000000000),
		  .page = page },
		{ .present = true, .backend_err = EINVAL, .page = page },
		{ .present = true, .backend_err = ENOTTY, .page = page },
		{ .present = false, .backend_err = ENOTTY, .page = page },
	};
	char first[256];

	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		unsigned int wrong = run(&kernels[i], FAITHFUL, 1 + i, CALLS, first, sizeof(first),
					 NULL);

		t_ok(wrong == 0, "%u random calls to a kernel %s (backend %d) all answer as the model says%s%s",
		     CALLS, kernels[i].present ? "with the ioctl" : "without the ioctl",
		     kernels[i].backend_err, wrong ? ": " : "", first);
	}
	for (int m = FAITHFUL + 1; m < MUTANTS; m++) {
		unsigned int unwritten = 0;
		unsigned int wrong = run(&kernels[0], m, 42, CALLS, first, sizeof(first), &unwritten);

		t_ok(wrong > unwritten, "a kernel with '%s' is caught (%u of %u calls: %s)",
		     mutant_names[m], wrong, CALLS, first);
	}
	{
		unsigned int unwritten = 0;
		unsigned int wrong = run(&kernels[0], CHANGED_ONLY, 42, CALLS, first, sizeof(first),
					 &unwritten);

		t_ok(unwritten > 0 && wrong == unwritten,
		     "a kernel that stores only the words that change differs from mainline on "
		     "read-only bytes alone, and is told apart (%u of %u calls, %u refused: %s)",
		     unwritten, CALLS, wrong - unwritten, first);
	}
}

/* Two draws from one seed are the same calls: what --seed S --only K relies on. */
static void test_replay(void)
{
	struct caps_arena a;
	uint64_t r1 = 7, r2 = 7;
	bool same = true;

	if (caps_arena_init(&a, (size_t)sysconf(_SC_PAGESIZE), true) < 0) {
		t_ok(false, "map the arena");
		return;
	}
	for (int i = 0; i < 1000; i++) {
		struct caps_request x, y;

		caps_request_random(&a, &r1, &x);
		caps_request_random(&a, &r2, &y);
		same &= !memcmp(&x, &y, sizeof(x));
	}
	t_ok(same, "one seed draws the same requests twice");
	caps_arena_fini(&a);
}

int main(void)
{
	test_kernels();
	test_replay();
	return t_done();
}
