// SPDX-License-Identifier: GPL-2.0
/*
 * caps-fuzz: random KVM_PPC_GET_COMPAT_CAPS calls - size, flags, unknown
 * bytes, pointer and fd all drawn from a seed - each judged against what
 * spec/ABI.md makes of that input (caps-model): the errno, and every byte
 * the call wrote or must have left alone. Single-threaded, so that one seed
 * gives the same calls every time: call K of seed S replays alone with
 * --seed S --only K.
 *
 * On a kernel without the ioctl the VM fd answers ENOTTY to everything, and
 * the other fd types still answer as they must.
 */
#include "args.h"
#include "caps-arena.h"
#include "caps-model.h"
#include "prng.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROG "caps-fuzz"
#define DEFAULT_CALLS 10000
/* How many unexpected calls are printed in full (all are counted). */
#define MAX_REPORTS 10
/* Every this many calls the whole arena is checked for stray writes. */
#define SCAN_EVERY 256

/* The fds a call can go to: what each is to the model, and how often it is drawn. */
enum fd_type { FD_VM, FD_DEV, FD_VCPU, FD_PIPE, FD_FILE, FD_CLOSED, FD_TYPES };

static const struct {
	const char *name;
	enum caps_fd_kind kind;
	unsigned int weight;
} fd_types[FD_TYPES] = {
	[FD_VM] = { "vm", CAPS_FD_VM, 70 },	       [FD_DEV] = { "dev_kvm", CAPS_FD_DEV, 6 },
	[FD_VCPU] = { "vcpu", CAPS_FD_VCPU, 6 },    [FD_PIPE] = { "pipe", CAPS_FD_OTHER, 6 },
	[FD_FILE] = { "file", CAPS_FD_OTHER, 6 }, [FD_CLOSED] = { "closed", CAPS_FD_CLOSED, 6 },
};

/* The answers counted by name; anything else is "other". */
static const int counted_errnos[] = { 0, EFAULT, E2BIG, EINVAL, ENOTTY, EBADF };
#define N_ANSWERS (sizeof(counted_errnos) / sizeof(counted_errnos[0]) + 1)

struct fuzz {
	struct tap tap;
	struct caps_arena arena;
	struct caps_kernel k;
	int fd[FD_TYPES];
	uint64_t seed, max_calls, seconds, only;
	uint64_t calls, bad_inputs, unexpected, first_unexpected, stray_scans_failed;
	uint64_t unwritten, first_unwritten; /* caps_model_unwritten_unchanged() */
	uint64_t by_fd[FD_TYPES], unexpected_by_fd[FD_TYPES];
	uint64_t by_size[CAPS_SIZE_CLASSES], by_ptr[CAPS_PTR_CLASSES];
	uint64_t by_answer[N_ANSWERS];
};

static void usage(FILE *out)
{
	fputs("usage: caps-fuzz [--calls N] [--seconds T] [--seed S] [--only K]\n"
	      "  random KVM_PPC_GET_COMPAT_CAPS calls judged against spec/ABI.md; stops after\n"
	      "  N calls (default 10000 unless --seconds) or T seconds, whichever first;\n"
	      "  --only K makes only call K of seed S, with its input and answer in full\n",
	      out);
}

static int parse_args(struct fuzz *f, int argc, char **argv)
{
	bool have_seed = false, have_calls = false;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *out;
		uint64_t min = 1;

		if (!strcmp(opt, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(opt, "--calls")) {
			out = &f->max_calls;
			have_calls = true;
		} else if (!strcmp(opt, "--seconds")) {
			out = &f->seconds;
		} else if (!strcmp(opt, "--seed")) {
			out = &f->seed;
			min = 0;
			have_seed = true;
		} else if (!strcmp(opt, "--only")) {
			out = &f->only;
		} else {
			fprintf(stderr, PROG ": unknown option '%s'\n", opt);
			usage(stderr);
			return -1;
		}
		if (args_u64(PROG, opt, arg, min, UINT64_MAX, out) < 0)
			return -1;
		i++;
	}
	if (!have_calls && !f->seconds)
		f->max_calls = DEFAULT_CALLS;
	if (f->only) {
		f->max_calls = f->only;
		f->seconds = 0;
	}
	if (!have_seed) {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		f->seed = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The fds of every type; a closed one last, so that no later open reuses its number. */
static int open_fds(struct fuzz *f)
{
	int pipe_fds[2], closed;
	struct stat st;

	f->fd[FD_DEV] = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (f->fd[FD_DEV] < 0)
		return fprintf(stderr, PROG ": /dev/kvm: %s\n", strerror(errno)), -1;
	f->fd[FD_VM] = ioctl(f->fd[FD_DEV], KVM_CREATE_VM, 0);
	if (f->fd[FD_VM] < 0)
		return fprintf(stderr, PROG ": KVM_CREATE_VM: %s\n", strerror(errno)), -1;
	f->fd[FD_VCPU] = ioctl(f->fd[FD_VM], KVM_CREATE_VCPU, 0);
	if (f->fd[FD_VCPU] < 0)
		return fprintf(stderr, PROG ": KVM_CREATE_VCPU: %s\n", strerror(errno)), -1;
	if (pipe2(pipe_fds, O_CLOEXEC) < 0)
		return fprintf(stderr, PROG ": pipe: %s\n", strerror(errno)), -1;
	f->fd[FD_PIPE] = pipe_fds[0];
	f->fd[FD_FILE] = memfd_create(PROG, MFD_CLOEXEC);
	if (f->fd[FD_FILE] < 0 || fstat(f->fd[FD_FILE], &st) < 0 || !S_ISREG(st.st_mode))
		return fprintf(stderr, PROG ": memfd_create: no regular file\n"), -1;
	closed = dup(f->fd[FD_VM]);
	if (closed < 0 || close(closed) < 0)
		return fprintf(stderr, PROG ": dup: %s\n", strerror(errno)), -1;
	f->fd[FD_CLOSED] = closed;
	return 0;
}

static unsigned int answer_index(int err)
{
	for (unsigned int i = 0; i < N_ANSWERS - 1; i++)
		if (counted_errnos[i] == err)
			return i;
	return N_ANSWERS - 1;
}

/* One call: draw it (always, so that the RNG stays in step), make it unless skip. */
static void one_call(struct fuzz *f, uint64_t *rng, uint64_t number, bool skip)
{
	unsigned int w[FD_TYPES];
	enum fd_type t;
	struct caps_request r;
	char why[200], desc[200], errbuf[16];
	enum caps_verdict verdict;
	int err;

	for (int i = 0; i < FD_TYPES; i++)
		w[i] = fd_types[i].weight;
	t = prng_weighted(rng, w, FD_TYPES);
	caps_request_random(&f->arena, rng, &r);
	if (skip)
		return;

	caps_request_place(&f->arena, &r);
	err = ioctl(f->fd[t], KVM_PPC_GET_COMPAT_CAPS, r.arg) < 0 ? errno : 0;
	verdict = caps_request_judge(&f->arena, &f->k, 1u << fd_types[t].kind, &r, err, why,
				     sizeof(why));

	f->calls++;
	f->by_fd[t]++;
	f->by_size[r.size_class]++;
	f->by_ptr[r.ptr_class]++;
	f->by_answer[answer_index(err)]++;
	if (t != FD_VM || !caps_request_well_formed(&f->arena, &r))
		f->bad_inputs++;
	if (verdict == CAPS_UNWRITTEN_UNCHANGED) {
		if (++f->unwritten <= MAX_REPORTS / 2) {
			caps_request_describe(&f->arena, &r, desc, sizeof(desc));
			tap_note("not mainline's: call %" PRIu64 " fd=%s %s -> 0, the read-only "
				 "bytes left unwritten held the answer already; mainline: %s",
				 number, fd_types[t].name, desc, why);
		}
		if (!f->first_unwritten)
			f->first_unwritten = number;
	} else if (verdict == CAPS_REFUSED) {
		if (++f->unexpected <= MAX_REPORTS) {
			caps_request_describe(&f->arena, &r, desc, sizeof(desc));
			tap_note("unexpected: call %" PRIu64 " fd=%s %s -> %s: %s", number,
				 fd_types[t].name, desc, caps_errno_name(err, errbuf), why);
		}
		f->unexpected_by_fd[t]++;
		if (!f->first_unexpected) {
			f->first_unexpected = number;
			tap_note("replay: caps-fuzz --seed %" PRIu64 " --only %" PRIu64, f->seed,
				 number);
		}
	} else if (f->only) {
		caps_request_describe(&f->arena, &r, desc, sizeof(desc));
		tap_note("call %" PRIu64 " fd=%s %s -> %s", number, fd_types[t].name, desc,
			 caps_errno_name(err, errbuf));
	}
	caps_request_restore(&f->arena, &r);
	if (f->calls % SCAN_EVERY == 0 && !caps_arena_clean(&f->arena, why, sizeof(why))) {
		if (++f->stray_scans_failed <= MAX_REPORTS)
			tap_note("stray write found after call %" PRIu64 ": %s", number, why);
		/* start clean, so that the next scan speaks of later calls */
		caps_arena_reset(&f->arena);
	}
}

static void report(struct fuzz *f, double elapsed)
{
	char name[64], errbuf[16];

	tap_fact("fuzz.calls", "%" PRIu64, f->calls);
	tap_fact("fuzz.seconds", "%.1f", elapsed);
	tap_fact("fuzz.bad_inputs", "%" PRIu64, f->bad_inputs);
	tap_fact("fuzz.unexpected", "%" PRIu64, f->unexpected);
	if (f->first_unexpected)
		tap_fact("fuzz.first_unexpected", "%" PRIu64, f->first_unexpected);
	else
		tap_fact("fuzz.first_unexpected", "none");
	tap_fact("fuzz.stray_writes", "%" PRIu64, f->stray_scans_failed);
	tap_fact("fuzz.unwritten_unchanged", "%" PRIu64, f->unwritten);
	if (f->first_unwritten)
		tap_note("replay: caps-fuzz --seed %" PRIu64 " --only %" PRIu64
			 " (the first success where mainline faults)",
			 f->seed, f->first_unwritten);
	for (int i = 0; i < FD_TYPES; i++) {
		snprintf(name, sizeof(name), "fuzz.fd.%s", fd_types[i].name);
		tap_fact(name, "%" PRIu64, f->by_fd[i]);
	}
	for (int i = 0; i < CAPS_SIZE_CLASSES; i++) {
		snprintf(name, sizeof(name), "fuzz.size.%s", caps_size_class_name(i));
		tap_fact(name, "%" PRIu64, f->by_size[i]);
	}
	for (int i = 0; i < CAPS_PTR_CLASSES; i++) {
		snprintf(name, sizeof(name), "fuzz.ptr.%s", caps_ptr_class_name(i));
		tap_fact(name, "%" PRIu64, f->by_ptr[i]);
	}
	for (unsigned int i = 0; i < N_ANSWERS; i++) {
		if (i < N_ANSWERS - 1)
			snprintf(name, sizeof(name), "fuzz.answer.%s",
				 counted_errnos[i] ? caps_errno_name(counted_errnos[i], errbuf) : "ok");
		else
			snprintf(name, sizeof(name), "fuzz.answer.other");
		tap_fact(name, "%" PRIu64, f->by_answer[i]);
	}
	for (int i = 0; i < FD_TYPES; i++)
		tap_check(&f->tap, f->by_fd[i] > 0 && f->unexpected_by_fd[i] == 0,
			  "caps-fuzz on a %s fd: %" PRIu64 " calls, %" PRIu64
			  " answered otherwise than ABI.md computes",
			  fd_types[i].name, f->by_fd[i], f->unexpected_by_fd[i]);
	tap_check(&f->tap, f->unwritten == 0,
		  "caps-fuzz: no success where mainline's copy-back faults on read-only bytes "
		  "that held the answer already (%" PRIu64 " calls)",
		  f->unwritten);
	tap_check(&f->tap, f->stray_scans_failed == 0,
		  "caps-fuzz: no byte outside a request's struct was written (%" PRIu64
		  " arena scans failed)",
		  f->stray_scans_failed);
}

int main(int argc, char **argv)
{
	struct fuzz f = { 0 };
	uint64_t rng;
	double start, deadline;
	char errbuf[16];
	bool agrees;
	int cap, r;

	if (parse_args(&f, argc, argv) < 0)
		return 2;
	tap_fact("fuzz.seed", "%" PRIu64, f.seed);
	/* Single-threaded, and nothing in the loop maps memory: the arena may have real holes. */
	r = caps_arena_init(&f.arena, (size_t)sysconf(_SC_PAGESIZE), true);
	if (r < 0 || open_fds(&f) < 0) {
		tap_check(&f.tap, false, "caps-fuzz: set up the arena and the fds%s%s",
			  r < 0 ? ": " : "", r < 0 ? strerror(-r) : "");
		return 1;
	}
	tap_fact("fuzz.page_size", "%zu", f.arena.page);

	cap = ioctl(f.fd[FD_DEV], KVM_CHECK_EXTENSION, KVM_CAP_PPC_COMPAT_CAPS);
	r = caps_kernel_probe(f.fd[FD_VM], f.arena.page, &f.k);
	tap_fact("fuzz.ioctl", "%s", f.k.present ? "present" : "absent");
	tap_fact("fuzz.backend", "%s",
		 f.k.backend_err ? caps_errno_name(f.k.backend_err, errbuf) : "ok");
	agrees = f.k.present ? caps_backend_agrees(cap, f.k.backend_err) : cap == 0;
	if (!tap_check(&f.tap, r == 0 && agrees,
		       "caps-fuzz: the kernel's answer to a well-formed request (%s) is one ABI.md "
		       "allows with KVM_CHECK_EXTENSION %d",
		       r ? "bad fields" : caps_errno_name(f.k.backend_err, errbuf), cap))
		return 1;

	rng = f.seed;
	start = now_s();
	deadline = f.seconds ? start + (double)f.seconds : 0;
	for (uint64_t n = 1; !f.max_calls || n <= f.max_calls; n++) {
		one_call(&f, &rng, n, f.only && n != f.only);
		if (deadline && n % 64 == 0 && now_s() >= deadline)
			break;
	}
	if (f.only)
		tap_check(&f.tap, f.unexpected == 0 && f.unwritten == 0,
			  "caps-fuzz: call %" PRIu64 " of seed %" PRIu64 " answers as ABI.md computes",
			  f.only, f.seed);
	else
		report(&f, now_s() - start);
	caps_arena_fini(&f.arena);
	return tap_exit_status(&f.tap);
}
