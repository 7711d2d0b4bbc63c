// SPDX-License-Identifier: GPL-2.0
/*
 * ppccompat: which POWER compatibility modes may this host's KVM guests use,
 * and the QEMU / libvirt settings that follow. Option parsing and dispatch
 * only; every subcommand is in its own file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
	"Usage: ppccompat [OPTIONS] [COMMAND [ARGS]]\n"
	"\n"
	"Which POWER processor compatibility modes may KVM guests of this host use?\n"
	"\n"
	"Commands:\n"
	"  show                 human report (the default)\n"
	"  check MODE           exit 0 if guests may use MODE, 1 (with the reason) if not\n"
	"  qemu-args            the QEMU option for a guest's mode: -machine max-cpu-compat=M\n"
	"  libvirt-xml          the libvirt <cpu> element for the same mode\n"
	"  baseline REPORT...   highest mode every host allows (REPORTs from --json, - stdin)\n"
	"  capture OUT.tar      archive exactly the files the probe reads ('-': stdout)\n"
	"\n"
	"Options:\n"
	"  -j, --json           machine-readable output (every command)\n"
	"  -s, --sysroot DIR    read /proc from DIR instead of the live system (no KVM)\n"
	"  -m, --mode MODE      qemu-args, libvirt-xml: this mode instead of the recommended one\n"
	"      --qemu-version X.Y  qemu-args, libvirt-xml: warn if this QEMU refuses the mode\n"
	"                       (default: ask qemu-system-ppc64 --version)\n"
	"      --no-kvm         do not ask the kernel (KVM_PPC_GET_COMPAT_CAPS)\n"
	"      --force          capture: replace an existing OUT.tar\n"
	"  -h, --help           this text\n"
	"  -V, --version        the version\n"
	"\n"
	"Exit status: 0 done (check: allowed), 1 not allowed or no usable mode, 2 error.\n";

enum { OPT_NO_KVM = 256, OPT_FORCE, OPT_QEMU_VERSION };

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "sysroot", required_argument, NULL, 's' },
	{ "mode", required_argument, NULL, 'm' },
	{ "no-kvm", no_argument, NULL, OPT_NO_KVM },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "qemu-version", required_argument, NULL, OPT_QEMU_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct {
	const char *name;
	int (*run)(const struct cli *cli);
	int min_operands;
	int max_operands; /* -1: no limit */
	const char *operands;
	bool takes_mode;
} commands[] = {
	{ "show", cmd_show, 0, 0, "", false },
	{ "check", cmd_check, 1, 1, " MODE", false },
	{ "qemu-args", cmd_qemu_args, 0, 0, "", true },
	{ "libvirt-xml", cmd_libvirt_xml, 0, 0, "", true },
	{ "baseline", cmd_baseline, 1, -1, " REPORT.json...", false },
	{ "capture", cmd_capture, 1, 1, " [--force] OUT.tar|-", false },
};

/*
 * Output cut short by a full disk or a closed pipe must not look like
 * success, whatever printed it (--help and --version too).
 */
static int flush_stdout(int rc)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	/* stdio may have failed earlier, in a buffered write; errno is its */
	return cli_error("standard output: %s", strerror(errno ? errno : EIO));
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	int opt;

	/*
	 * GNU getopt permutes argv, so options may also follow the command
	 * ("ppccompat qemu-args --mode power9"); errors are reported below, in
	 * the one-line form every error takes.
	 */
	/*
	 * --json changes how errors are reported, including errors in the
	 * options before it: look for it first. Short options may be bundled
	 * ("-jm power9"), so any "-...j..." cluster before the argument of an
	 * option counts.
	 */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--json") || (argv[i][0] == '-' && argv[i][1] != '-' &&
						   strcspn(argv[i] + 1, "sm") > strcspn(argv[i] + 1, "j")))
			cli_json_errors(true, NULL);
		/* the value of -s/-m/--sysroot/--mode/--qemu-version is no option */
		if (i + 1 < argc && (!strcmp(argv[i], "--sysroot") || !strcmp(argv[i], "--mode") ||
				     !strcmp(argv[i], "--qemu-version") ||
				     (argv[i][0] == '-' && argv[i][1] != '-' && argv[i][1] &&
				      strchr("sm", argv[i][strlen(argv[i]) - 1]))))
			i++;
	}
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":js:m:hV", long_options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			cli.json = true;
			break;
		case 's':
			/* The library reads "" as the live system: never what --sysroot "" meant. */
			if (!*optarg)
				return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
						    "--sysroot needs a directory");
			cli.sysroot = optarg;
			break;
		case 'm':
			cli.mode_option = optarg;
			break;
		case OPT_NO_KVM:
			cli.no_kvm = true;
			break;
		case OPT_FORCE:
			cli.force = true;
			break;
		case OPT_QEMU_VERSION:
			cli.qemu_version = optarg;
			break;
		case 'h': {
			char modes[128];

			cli_mode_list(modes, sizeof(modes));
			printf("%sModes: %s. See ppccompat(1).\n", usage_text, modes);
			return flush_stdout(EXIT_YES);
		}
		case 'V':
			printf("ppccompat %s\n", ppccompat_version());
			return flush_stdout(EXIT_YES);
		case ':':
			return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					    "option %s needs an argument (try --help)", argv[optind - 1]);
		default:
			return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					    "unknown option %s (try --help)", argv[optind - 1]);
		}
	}

	const char *name = optind < argc ? argv[optind++] : "show";

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		cli_json_errors(cli.json, commands[i].name);
		cli.operands = argv + optind;
		cli.n_operands = argc - optind;
		if (cli.n_operands < commands[i].min_operands ||
		    (commands[i].max_operands >= 0 && cli.n_operands > commands[i].max_operands))
			return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					    "usage: ppccompat [OPTIONS] %s%s", name, commands[i].operands);
		if (cli.mode_option && !commands[i].takes_mode)
			return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					    "%s: --mode applies to qemu-args and libvirt-xml only", name);
		if (cli.qemu_version && !commands[i].takes_mode)
			return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					    "%s: --qemu-version applies to qemu-args and libvirt-xml only",
					 name);
		if (cli.force && commands[i].run != cmd_capture)
			return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
					    "%s: --force applies to capture only", name);
		return flush_stdout(commands[i].run(&cli));
	}
	return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, NULL,
			    "unknown command '%s' (try --help)", name);
}
