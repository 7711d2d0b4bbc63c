// SPDX-License-Identifier: GPL-2.0
/* ppccompat qemu-args / libvirt-xml: VMM settings for the recommended (or --mode) mode. */
#include <stdio.h>

#include "cli.h"
#include "json_out.h"
#include "qemu_probe.h"
#include "vmm_config.h"

/* Whether the QEMU that will run the guest knows the mode's max-cpu-compat name. */
struct qemu_check {
	bool known;               /* a version, from --qemu-version or the binary */
	struct vmm_version version;
	char source[96];          /* "--qemu-version", "qemu-system-ppc64 --version" */
	bool have_first;
	struct vmm_version first; /* the first release that accepts the mode */
	bool refuses;
};

static void version_string(struct vmm_version v, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u", v.major, v.minor);
}

/*
 * The version comes from --qemu-version, else from the installed QEMU. A
 * QEMU that would refuse the mode gets a warning, not a failure: the
 * options are right for the QEMU the guest may really run on (another host,
 * a container).
 */
static int check_qemu(const struct cli *cli, const char *command, const char *compat,
		      struct qemu_check *q)
{
	char why[128] = "", have[16], need[16];
	const char *binary;

	*q = (struct qemu_check){ .known = false };
	q->have_first = vmm_qemu_first_accepting(compat, &q->first);
	if (cli->qemu_version) {
		/* choose_mode() has refused a value that is no version */
		q->known = vmm_version_parse(cli->qemu_version, &q->version);
		snprintf(q->source, sizeof(q->source), "--qemu-version");
	} else {
		switch (qemu_probe_version(&q->version, &binary, why, sizeof(why))) {
		case QEMU_PROBE_FOUND:
			q->known = true;
			snprintf(q->source, sizeof(q->source), "%.80s --version", binary);
			break;
		case QEMU_PROBE_ABSENT:
			break;
		case QEMU_PROBE_UNKNOWN:
			fprintf(stderr, "ppccompat: %s: warning: %s: %s; whether it accepts "
				"max-cpu-compat=%s is unknown\n", command, binary, why, compat);
			break;
		}
	}
	q->refuses = q->known && q->have_first && vmm_version_before(q->version, q->first);
	if (q->refuses) {
		version_string(q->version, have, sizeof(have));
		version_string(q->first, need, sizeof(need));
		fprintf(stderr, "ppccompat: %s: warning: QEMU %s (%s) refuses max-cpu-compat=%s; "
			"QEMU %s and later accept it\n", command, have, q->source, compat, need);
	}
	return EXIT_YES;
}

static void json_qemu(struct json_out *j, const struct qemu_check *q)
{
	char buf[16];

	json_object_open(j, "qemu");
	version_string(q->version, buf, sizeof(buf));
	json_string(j, "version", q->known ? buf : NULL);
	json_string(j, "version_source", q->known ? q->source : NULL);
	version_string(q->first, buf, sizeof(buf));
	json_string(j, "first_accepting", q->have_first ? buf : NULL);
	if (q->known && q->have_first)
		json_bool(j, "accepts", !q->refuses);
	else
		json_null(j, "accepts");
	json_object_close(j);
}

/*
 * Why a host allows no mode at all: the rule check gives for the host's own
 * mode (its processor's when no mode is known; POWER9, the oldest nested
 * one, when not even that is), so that both commands give one reason.
 */
static enum ppccompat_reason nothing_allowed_why(const struct ppccompat_host *host)
{
	enum ppccompat_mode mode = host->effective_mode;
	enum ppccompat_reason why = PPCCOMPAT_REASON_UNKNOWN_HOST;

	if (mode == PPCCOMPAT_MODE_NONE)
		mode = host->processor;
	if (mode == PPCCOMPAT_MODE_NONE)
		mode = PPCCOMPAT_MODE_POWER9;
	if (ppccompat_can_run(host, mode, &why) != 0)
		why = PPCCOMPAT_REASON_UNKNOWN_HOST;
	return why;
}

/* The mode to configure: --mode if guests may use it, else the recommendation. */
static int choose_mode(const struct cli *cli, const char *command, enum ppccompat_mode *mode,
		       uint32_t *allowed)
{
	struct ppccompat_host host;
	enum ppccompat_reason why = PPCCOMPAT_REASON_OK;
	int rc = EXIT_YES;

	struct vmm_version version;

	/* usage errors first, as for --mode: never hidden behind "no mode here" */
	if (cli->qemu_version && !vmm_version_parse(cli->qemu_version, &version))
		return cli_error_at(PPCCOMPAT_ERR_BAD_ARG, 0, NULL, "qemu-version",
				    "%s: --qemu-version %s: not a version (X.Y or X.Y.Z)", command,
				    cli->qemu_version);
	if (cli->mode_option)
		rc = cli_parse_mode(command, cli->mode_option, mode);
	if (rc == EXIT_YES)
		rc = cli_probe(cli, &host);
	if (rc != EXIT_YES)
		return rc;
	*allowed = host.allowed_modes;

	if (!cli->mode_option) {
		*mode = host.recommended_mode;
		if (*mode != PPCCOMPAT_MODE_NONE)
			return EXIT_YES;
		cli_error("%s: no compatibility mode is available to KVM guests on this host "
			  "(%s): %s",
			  command, ppccompat_platform_name(host.platform),
			  ppccompat_reason_string(nothing_allowed_why(&host)));
		return EXIT_NO;
	}

	int can = ppccompat_can_run(&host, *mode, &why);

	if (can < 0)
		return cli_error("%s: %s: %s", command, cli->mode_option, ppccompat_strerror(can));
	if (can == 0) {
		cli_error("%s: %s: not allowed: %s", command,
			  vmm_compat_name(*mode, cli->mode_option),
			  ppccompat_reason_string(why));
		return EXIT_NO;
	}
	return EXIT_YES;
}

int cmd_qemu_args(const struct cli *cli)
{
	enum ppccompat_mode mode = PPCCOMPAT_MODE_NONE;
	struct qemu_check q;
	char machine[64];
	const char *compat;
	uint32_t allowed = 0;
	int rc = choose_mode(cli, "qemu-args", &mode, &allowed);

	if (rc != EXIT_YES)
		return rc;
	compat = vmm_compat_name(mode, cli->mode_option);
	if (vmm_qemu_machine(compat, machine, sizeof(machine)) < 0)
		return cli_error("qemu-args: %s: QEMU has no name for this mode",
				 ppccompat_mode_name(mode));
	rc = check_qemu(cli, "qemu-args", compat, &q);
	if (rc != EXIT_YES)
		return rc;

	if (cli->json) {
		struct json_out j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "command", "qemu-args");
		json_mode(&j, "mode", mode);
		json_array_open(&j, "args");
		json_string(&j, NULL, "-machine");
		json_string(&j, NULL, machine);
		json_array_close(&j);
		json_qemu(&j, &q);
		json_object_close(&j);
		json_end(&j);
	} else {
		/* no machine type and no -cpu: they are the user's (see vmm_config.h) */
		printf("-machine %s\n", machine);
	}
	return EXIT_YES;
}

int cmd_libvirt_xml(const struct cli *cli)
{
	enum ppccompat_mode mode = PPCCOMPAT_MODE_NONE;
	struct qemu_check q;
	char xml[128];
	const char *compat;
	uint32_t allowed = 0;
	bool accepts;
	int rc = choose_mode(cli, "libvirt-xml", &mode, &allowed);

	if (rc != EXIT_YES)
		return rc;
	compat = vmm_compat_name(mode, cli->mode_option);
	if (vmm_libvirt_cpu(compat, false, xml, sizeof(xml)) < 0)
		return cli_error("libvirt-xml: %s: libvirt has no name for this mode",
				 ppccompat_mode_name(mode));
	/* libvirt hands the mode to the same QEMU, as max-cpu-compat */
	rc = check_qemu(cli, "libvirt-xml", compat, &q);
	if (rc != EXIT_YES)
		return rc;
	accepts = vmm_libvirt_accepts(compat);
	if (!accepts) {
		/* power7+ is still power7 to libvirt; else the newest mode it takes */
		enum ppccompat_mode instead = vmm_libvirt_accepts(vmm_compat_name(mode, NULL))
						      ? mode
						      : vmm_libvirt_highest(allowed);

		fprintf(stderr,
			"ppccompat: libvirt-xml: warning: libvirt refuses <model>%s</model>: "
			"its ppc64 host-model takes power6 to power10",
			compat);
		if (instead != PPCCOMPAT_MODE_NONE)
			fprintf(stderr, "; --mode %s gives one it takes",
				ppccompat_mode_name(instead));
		fputc('\n', stderr);
	}

	if (cli->json) {
		struct json_out j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "command", "libvirt-xml");
		json_mode(&j, "mode", mode);
		json_string(&j, "xml", xml);
		json_qemu(&j, &q);
		json_object_open(&j, "libvirt");
		json_bool(&j, "accepts", accepts);
		json_object_close(&j);
		json_object_close(&j);
		json_end(&j);
	} else {
		fputs(xml, stdout);
	}
	return EXIT_YES;
}
