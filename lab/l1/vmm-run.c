// SPDX-License-Identifier: GPL-2.0
/*
 * vmm-run: boots the L2 Linux with a qemu-system-ppc64 inside the L1 (the optional
 * real-VMM payload) and says how far it got.
 *
 *   vmm-run --cpu-host | --ppccompat  [--qemu debian|ppccompat] [--max-cpu-compat MODE]
 *           [--count-kvm-run] [--expect booted|refused|failed] [--timeout S]
 *
 * --cpu-host: "-cpu host", the processor QEMU derives from the raw PVR, as a
 * VMM does today; --ppccompat: the options `ppccompat qemu-args` prints.
 * --qemu: Debian's binary (lab/vmm-qemu, the default) or the lab's build of qemu/vmm/
 * (qemu/build-vmm). --max-cpu-compat: with --cpu-host, the machine option an operator
 * adds by hand. --count-kvm-run: trace QEMU's vCPU ioctls and report how many KVM_RUN
 * calls it made (the trace is too verbose for a VM that boots).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kmsg.h"
#include "tap.h"

#define QEMU_DEBIAN "/usr/bin/qemu-system-ppc64"
#define QEMU_PPCCOMPAT "/usr/lib/ppccompat/qemu-system-ppc64"
#define PPCCOMPAT "/bin/ppccompat"
#define L2_KERNEL "/usr/share/ppccompat/l2/vmlinux"
#define L2_INITRD "/usr/share/ppccompat/l2/initramfs.cpio"
#define L2_MARKER "PPCCOMPAT-L2-INIT"
#define L2_FACT "# fact l2."
#define QEMU_NAME "qemu-system-ppc64"
/* QEMU prefixes its own messages with the program name; warnings say so. */
#define QEMU_MESSAGE QEMU_NAME ": "
#define QEMU_WARNING QEMU_NAME ": warning:"
#define QEMU_INFO QEMU_NAME ": info:"
/*
 * What qemu/vmm/ says at startup about the modes it found and where from: "This host
 * allows CPU compatibility modes power9, power10 (from KVM_PPC_GET_COMPAT_CAPS):
 * max-cpu-compat=power10 by default"; the other source is "the host's cpu-version".
 */
#define FROM_IOCTL "(from KVM_PPC_GET_COMPAT_CAPS)"
#define FROM_DT "(from the host's cpu-version)"
#define BY_DEFAULT " by default"
/*
 * What QEMU prints when KVM_RUN fails or returns an exit it cannot handle, then the
 * vCPU's registers; the VM then stays stopped in QEMU's internal-error state for good,
 * so there is no point waiting.
 */
#define KVM_RUN_FAILED "error: kvm run failed "
#define KVM_EXIT_UNKNOWN "KVM: unknown exit, hardware reason "
#define REGISTER_DUMP_S 1
/* ppc_set_compat()'s message when KVM_SET_ONE_REG(ARCH_COMPAT) fails. */
#define COMPAT_REFUSED "Unable to set CPU compatibility mode in KVM"
/*
 * QEMU's generic one-reg writes report a failure only through this trace event
 * (enabled below) and go on; the register id comes in decimal.
 */
#define ONE_REG_FAILED "kvm_failed_reg_set Warning: Unable to set ONEREG %llu to KVM: %63[^\n]"
#define KVM_REG_PPC_ARCH_COMPAT 0x10200000000000b7ULL
/* QEMU's trace of each vCPU ioctl; KVM_RUN is _IO(KVMIO, 0x80). */
#define VCPU_IOCTL "kvm_vcpu_ioctl cpu_index %*d, type 0x%lx"
#define KVM_RUN_IOCTL 0xae80UL
#define DEFAULT_TIMEOUT_S 100
#define MAX_VMM_ARGS 16
#define MAX_LINE 1024

struct vmm_args {
	char text[512];              /* what ppccompat printed, split in place */
	char *argv[MAX_VMM_ARGS + 1];
	int argc;
};

struct outcome {
	bool booted;
	double booted_after;         /* seconds from QEMU's start to the L2's marker */
	bool timed_out;
	double kill_at;              /* when to stop waiting for a VM that cannot go on; 0: never */
	int status;
	char error[MAX_LINE];        /* QEMU's first error line */
	char info[MAX_LINE];         /* QEMU's first info line */
	char run_error[64];          /* strerror text after KVM_RUN_FAILED */
	bool exit_unknown;           /* KVM_EXIT_UNKNOWN, with the L1 kernel's trap number: */
	long long hw_exit_reason;
	unsigned long long nip;      /* from the register dump that follows it */
	bool have_nip;
	unsigned long long failed_reg;   /* the first one-reg write KVM refused */
	char failed_reg_error[64];       /* its strerror text */
	unsigned long kvm_runs;          /* KVM_RUN calls traced (--count-kvm-run) */
};

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Runs `ppccompat qemu-args` and splits its one line of options; -1 after reporting why. */
static int ppccompat_args(struct vmm_args *args)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(PPCCOMPAT, PPCCOMPAT, "qemu-args", (char *)NULL);
		fprintf(stderr, "vmm-run: %s: %s\n", PPCCOMPAT, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], args->text + len, sizeof(args->text) - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	args->text[len] = '\0';
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		tap_note("ppccompat qemu-args failed (status 0x%x)", status);
		return -1;
	}
	if (n > 0 || len == sizeof(args->text) - 1) {
		tap_note("ppccompat qemu-args printed more than %zu bytes", sizeof(args->text) - 1);
		return -1;
	}
	args->text[strcspn(args->text, "\n")] = '\0';
	for (char *tok = strtok(args->text, " "); tok; tok = strtok(NULL, " ")) {
		if (args->argc == MAX_VMM_ARGS) {
			tap_note("ppccompat qemu-args printed more than %d options", MAX_VMM_ARGS);
			return -1;
		}
		args->argv[args->argc++] = tok;
	}
	args->argv[args->argc] = NULL;
	return args->argc ? 0 : -1;
}

/* The text after prefix when line starts with it, else NULL. */
static const char *after_prefix(const char *line, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(line, prefix, len) ? NULL : line + len;
}

/* One line of QEMU's output: what it means, then the line itself for the log. */
static void take_line(char *line, struct outcome *out, const struct timespec *start)
{
	const char *run_failed = after_prefix(line, KVM_RUN_FAILED);
	const char *exit_unknown = after_prefix(line, KVM_EXIT_UNKNOWN);
	unsigned long ioctl;

	if (!out->booted && strstr(line, L2_MARKER)) {
		out->booted = true;
		out->booted_after = seconds_since(start);
	}
	/* Counted, never echoed: there is one per guest exit. */
	if (sscanf(line, VCPU_IOCTL, &ioctl) == 1) {
		out->kvm_runs += ioctl == KVM_RUN_IOCTL;
		return;
	}
	/* The L2's own facts reach the runner as they are; everything else is marked as the L2's. */
	if (after_prefix(line, L2_FACT)) {
		printf("%s\n", line);
		return;
	}
	if (!out->info[0] && after_prefix(line, QEMU_INFO))
		snprintf(out->info, sizeof(out->info), "%s", line);
	if (!out->error[0] && (run_failed || exit_unknown ||
			       (after_prefix(line, QEMU_MESSAGE) && !after_prefix(line, QEMU_WARNING) &&
				!after_prefix(line, QEMU_INFO))))
		snprintf(out->error, sizeof(out->error), "%s", line);
	if (!out->kill_at && run_failed) {
		snprintf(out->run_error, sizeof(out->run_error), "%s", run_failed);
		out->kill_at = seconds_since(start) + REGISTER_DUMP_S;
	}
	if (!out->kill_at && exit_unknown) {
		out->exit_unknown = true;
		out->hw_exit_reason = (long long)strtoull(exit_unknown, NULL, 16);
		out->kill_at = seconds_since(start) + REGISTER_DUMP_S;
	}
	if (!out->failed_reg_error[0] &&
	    sscanf(line, ONE_REG_FAILED, &out->failed_reg, out->failed_reg_error) != 2)
		out->failed_reg_error[0] = '\0';
	if (out->kill_at && !out->have_nip && sscanf(line, "NIP %llx", &out->nip) == 1)
		out->have_nip = true;
	printf("l2| %s\n", line);
}

/* Copies QEMU's output line by line until it closes it or the deadline passes. */
static void follow(int fd, pid_t pid, unsigned int timeout_s, struct outcome *out,
		   const struct timespec *start)
{
	char buf[MAX_LINE];
	size_t len = 0;

	for (;;) {
		double now = seconds_since(start), left = timeout_s - now;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		char *nl;

		if (out->kill_at > 0 && out->kill_at - now < left)
			left = out->kill_at - now;
		if (left <= 0) {
			out->timed_out = out->kill_at == 0;
			kill(-pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n')) || len == sizeof(buf) - 1) {
			size_t used = nl ? (size_t)(nl - buf) + 1 : len;

			buf[used - (nl ? 1 : 0)] = '\0';
			if (used > 1 && buf[used - 2] == '\r')
				buf[used - 2] = '\0';
			take_line(buf, out, start);
			memmove(buf, buf + used, len - used);
			len -= used;
			buf[len] = '\0';
		}
	}
	if (len)
		take_line(buf, out, start);
}

static int run_qemu(char *const argv[], unsigned int timeout_s, struct outcome *out)
{
	struct timespec start;
	int fds[2];
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (pipe(fds) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		dup2(null, STDIN_FILENO);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		fprintf(stderr, "%s: cannot run: %s\n", QEMU_NAME, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(fds[1]);
	follow(fds[0], pid, timeout_s, out, &start);
	close(fds[0]);
	if (waitpid(pid, &out->status, 0) < 0)
		return -errno;
	return 0;
}

/* The max-cpu-compat= machine option among the VMM options, "none" without one. */
static const char *max_cpu_compat(const struct vmm_args *args)
{
	static char mode[32];
	const char *opt = "max-cpu-compat=";

	for (int i = 0; i < args->argc; i++) {
		const char *at = strstr(args->argv[i], opt);

		if (at) {
			at += strlen(opt);
			snprintf(mode, sizeof(mode), "%.*s", (int)strcspn(at, ","), at);
			return mode;
		}
	}
	return "none";
}

/* The facts of QEMU's info line: where the allowed modes came from, the default it chose. */
static void report_info(const char *info)
{
	const char *dflt = strstr(info, BY_DEFAULT), *mode;

	tap_note("vmm.info: %s", info);
	if (strstr(info, FROM_IOCTL))
		tap_fact("vmm.modes_from", "ioctl");
	else if (strstr(info, FROM_DT))
		tap_fact("vmm.modes_from", "device-tree");
	if (!dflt)
		return;
	for (mode = dflt; mode > info && mode[-1] != '='; mode--)
		;
	if (mode > info && dflt - mode < 32)
		tap_fact("vmm.default_compat", "%.*s", (int)(dflt - mode), mode);
}

/*
 * The processor modes QEMU's error line names ("power9", "POWER10", ...), lower case,
 * comma-separated, each once, in order: what a startup refusal tells the operator.
 */
static void modes_named(const char *line, char *list, size_t size)
{
	char found[8][16];
	size_t count = 0, len = 0;

	list[0] = '\0';
	for (const char *p = line; *p; p++) {
		char mode[16] = "power";
		size_t n = 5, i;

		if (strncasecmp(p, "power", 5) || (p > line && isalnum((unsigned char)p[-1])))
			continue;
		while (isdigit((unsigned char)p[n]) && n < sizeof(mode) - 1) {
			mode[n] = p[n];
			n++;
		}
		if (n == 5 || isalnum((unsigned char)p[n]))
			continue;
		p += n - 1;
		for (i = 0; i < count && strcmp(found[i], mode); i++)
			;
		if (i < count || count == sizeof(found) / sizeof(found[0]))
			continue;
		snprintf(found[count++], sizeof(found[0]), "%s", mode);
		if (len + n + 2 > size)
			break;
		len += (size_t)snprintf(list + len, size - len, "%s%s", len ? "," : "", mode);
	}
}

/* "Invalid argument" -> "EINVAL": QEMU prints strerror() of the failed ioctl. */
static const char *errno_of(const char *text)
{
	for (int e = 1; e < 200; e++)
		if (!strcmp(strerror(e), text))
			return tap_errno(e);
	return "unknown";
}

/*
 * The facts of one run; returns its result. refused: KVM said EINVAL to the vCPU
 * QEMU built, when QEMU set its compatibility level or at KVM_RUN; failed: any
 * other end short of the L2's init.
 */
static const char *report(const struct outcome *out, bool count_kvm_run)
{
	const char *compat_error = strstr(out->error, COMPAT_REFUSED ": ");
	const char *failure = compat_error ? compat_error + strlen(COMPAT_REFUSED ": ") :
			      out->run_error[0] ? out->run_error : NULL;
	const char *result = "failed";

	if (out->booted)
		result = "booted";
	else if (failure && !strcmp(errno_of(failure), "EINVAL"))
		result = "refused";
	tap_fact("vmm.result", "%s", result);
	if (!out->booted) {
		if (compat_error)
			tap_fact("vmm.failed_at", "ARCH_COMPAT");
		else if (out->run_error[0] || out->exit_unknown)
			tap_fact("vmm.failed_at", "KVM_RUN");
		else if (out->timed_out)
			tap_fact("vmm.failed_at", "timeout");
		else
			tap_fact("vmm.failed_at", "qemu_exit");
	}
	if (failure)
		tap_fact("vmm.errno", "%s", errno_of(failure));
	if (out->exit_unknown) {
		tap_fact("vmm.exit_reason", "KVM_EXIT_UNKNOWN");
		tap_fact("vmm.hw_exit_reason", "%lld", out->hw_exit_reason);
	}
	if (out->have_nip)
		tap_fact("vmm.nip", "0x%llx", out->nip);
	if (out->failed_reg_error[0]) {
		if (out->failed_reg == KVM_REG_PPC_ARCH_COMPAT)
			tap_fact("vmm.set_one_reg_failed", "ARCH_COMPAT");
		else
			tap_fact("vmm.set_one_reg_failed", "0x%llx", out->failed_reg);
		tap_fact("vmm.set_one_reg_errno", "%s", errno_of(out->failed_reg_error));
	}
	if (out->info[0])
		report_info(out->info);
	if (count_kvm_run)
		tap_fact("vmm.kvm_run_calls", "%lu", out->kvm_runs);
	if (!out->booted && out->error[0]) {
		char modes[128];

		modes_named(out->error, modes, sizeof(modes));
		tap_fact("vmm.error_modes", "%s", modes[0] ? modes : "none");
	}
	if (out->kill_at > 0)
		tap_note("QEMU stopped the VM for good: ended %d s later", REGISTER_DUMP_S);
	if (out->timed_out)
		tap_fact("vmm.exit", "timeout");
	else if (WIFSIGNALED(out->status))
		tap_fact("vmm.exit", "signal-%d", WTERMSIG(out->status));
	else
		tap_fact("vmm.exit", "%d", WEXITSTATUS(out->status));
	if (out->booted)
		tap_fact("vmm.l2_init_seconds", "%.0f", out->booted_after);
	if (out->error[0])
		tap_note("vmm.error: %s", out->error);
	return result;
}

static void usage(void)
{
	fprintf(stderr, "usage: vmm-run --cpu-host|--ppccompat [--qemu debian|ppccompat] "
			"[--max-cpu-compat MODE] [--count-kvm-run]\n"
			"               [--expect booted|refused|failed] [--timeout SECONDS]\n");
	exit(2);
}

/*
 * x-vof: QEMU's minimal firmware instead of SLOF, which under TCG costs tens of
 * seconds. A later -machine (ppccompat's) is merged into this one.
 */
static const char *const qemu_base[] = {
	"-L", "/usr/share/qemu", "-M", "pseries,x-vof=on", "-accel", "kvm",
	"-m", "256M", "-smp", "1", "-nographic", "-nodefaults", "-vga", "none",
	"-serial", "stdio", "-no-reboot", "-kernel", L2_KERNEL, "-initrd", L2_INITRD,
	"-append", "console=hvc0 panic=-1", "-trace", "kvm_failed_reg_set",
};
/* QEMU's path, the fixed options, what vmm-run adds, the trace option, NULL. */
#define MAX_QEMU_ARGS (1 + QEMU_BASE_ARGS + MAX_VMM_ARGS + 2 + 1)
#define QEMU_BASE_ARGS (sizeof(qemu_base) / sizeof(qemu_base[0]))

int main(int argc, char **argv)
{
	static struct vmm_args vmm;
	static struct outcome out;
	static char machine[64];
	const char *source = NULL, *expect = "booted", *result, *qemu = QEMU_DEBIAN;
	const char *qemu_name = "debian", *mode = NULL;
	unsigned long timeout_s = DEFAULT_TIMEOUT_S;
	char *qemu_argv[MAX_QEMU_ARGS];
	bool count_kvm_run = false;
	struct timespec start;
	struct tap tap = { 0 };
	int n = 0, kmsg, r;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpu-host") || !strcmp(argv[i], "--ppccompat")) {
			source = argv[i] + 2;
		} else if (!strcmp(argv[i], "--expect") && i + 1 < argc) {
			expect = argv[++i];
			if (strcmp(expect, "booted") && strcmp(expect, "refused") && strcmp(expect, "failed"))
				usage();
		} else if (!strcmp(argv[i], "--qemu") && i + 1 < argc) {
			qemu_name = argv[++i];
			if (!strcmp(qemu_name, "debian"))
				qemu = QEMU_DEBIAN;
			else if (!strcmp(qemu_name, "ppccompat"))
				qemu = QEMU_PPCCOMPAT;
			else
				usage();
		} else if (!strcmp(argv[i], "--max-cpu-compat") && i + 1 < argc) {
			mode = argv[++i];
			if (!*mode || strlen(mode) > 16 ||
			    strspn(mode, "abcdefghijklmnopqrstuvwxyz0123456789_.") != strlen(mode))
				usage();
		} else if (!strcmp(argv[i], "--count-kvm-run")) {
			count_kvm_run = true;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			char *end;

			timeout_s = strtoul(argv[++i], &end, 10);
			if (*end || timeout_s == 0 || timeout_s > 3600)
				usage();
		} else {
			usage();
		}
	}
	/* ppccompat's options carry their own max-cpu-compat. */
	if (!source || (mode && strcmp(source, "cpu-host")))
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);

	tap_fact("vmm.qemu", "%s", qemu_name);
	tap_fact("vmm.args_source", "%s", source);
	if (!strcmp(source, "ppccompat")) {
		if (ppccompat_args(&vmm) < 0) {
			tap_fact("vmm.result", "failed");
			tap_fact("vmm.failed_at", "ppccompat");
			tap_check(&tap, !strcmp(expect, "failed"), "vmm: ppccompat qemu-args gave no options");
			return tap_exit_status(&tap);
		}
	} else {
		if (mode) {
			snprintf(machine, sizeof(machine), "pseries,max-cpu-compat=%s", mode);
			vmm.argv[vmm.argc++] = "-machine";
			vmm.argv[vmm.argc++] = machine;
		}
		vmm.argv[vmm.argc++] = "-cpu";
		vmm.argv[vmm.argc++] = "host";
	}
	tap_fact("vmm.max_cpu_compat", "%s", max_cpu_compat(&vmm));

	qemu_argv[n++] = (char *)qemu;
	for (size_t i = 0; i < QEMU_BASE_ARGS; i++)
		qemu_argv[n++] = (char *)qemu_base[i];
	if (count_kvm_run) {
		qemu_argv[n++] = "-trace";
		qemu_argv[n++] = "kvm_vcpu_ioctl";
	}
	for (int i = 0; i < vmm.argc; i++)
		qemu_argv[n++] = vmm.argv[i];
	qemu_argv[n] = NULL;
	printf("# vmm:");
	for (int i = 0; i < vmm.argc; i++)
		printf(" %s", vmm.argv[i]);
	printf("\n# command:");
	for (int i = 0; i < n; i++)
		printf(" %s", qemu_argv[i]);
	printf("\n");

	kmsg = kmsg_watch_start();
	clock_gettime(CLOCK_MONOTONIC, &start);
	r = run_qemu(qemu_argv, (unsigned int)timeout_s, &out);
	if (r < 0) {
		tap_note("running %s: %s", qemu, strerror(-r));
		out.status = W_EXITCODE(127, 0);
	}
	result = report(&out, count_kvm_run);
	tap_fact("vmm.seconds", "%.0f", seconds_since(&start));
	kmsg_watch_print(kmsg);
	tap_check(&tap, !strcmp(result, expect), "vmm: %s QEMU, %s%s%s: L2 %s (expected %s)",
		  qemu_name, source, mode ? ", max-cpu-compat=" : "", mode ? mode : "", result, expect);
	return tap_exit_status(&tap);
}
