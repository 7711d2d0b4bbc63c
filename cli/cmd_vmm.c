// SPDX-License-Identifier: GPL-2.0
/* ppccompat qemu-args / libvirt-xml: VMM settings for the recommended (or --mode) mode. */
#include "cli.h"
#include "json_out.h"
#include "vmm_config.h"

/* The mode to configure: --mode if guests may use it, else the recommendation. */
static int choose_mode(const struct cli *cli, const char *command, enum ppccompat_mode *mode)
{
	struct ppccompat_host host;
	enum ppccompat_reason why = PPCCOMPAT_REASON_OK;
	int rc = EXIT_YES;

	if (cli->mode_option)
		rc = cli_parse_mode(command, cli->mode_option, mode);
	if (rc == EXIT_YES)
		rc = cli_probe(cli, &host);
	if (rc != EXIT_YES)
		return rc;

	if (!cli->mode_option) {
		*mode = host.recommended_mode;
		if (*mode != PPCCOMPAT_MODE_NONE)
			return EXIT_YES;
		cli_error("%s: no compatibility mode is available to KVM guests on this host (%s)",
			  command, ppccompat_platform_name(host.platform));
		return EXIT_NO;
	}

	int can = ppccompat_can_run(&host, *mode, &why);

	if (can < 0)
		return cli_error("%s: %s: %s", command, cli->mode_option, ppccompat_strerror(can));
	if (can == 0) {
		cli_error("%s: %s: not allowed: %s", command, ppccompat_mode_name(*mode),
			  ppccompat_reason_string(why));
		return EXIT_NO;
	}
	return EXIT_YES;
}

int cmd_qemu_args(const struct cli *cli)
{
	enum ppccompat_mode mode = PPCCOMPAT_MODE_NONE;
	char machine[64];
	int rc = choose_mode(cli, "qemu-args", &mode);

	if (rc != EXIT_YES)
		return rc;
	if (vmm_qemu_machine(mode, machine, sizeof(machine)) < 0)
		return cli_error("qemu-args: %s: QEMU has no name for this mode",
				 ppccompat_mode_name(mode));

	if (cli->json) {
		struct json_out j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "command", "qemu-args");
		json_mode(&j, "mode", mode);
		json_array_open(&j, "args");
		json_string(&j, NULL, "-machine");
		json_string(&j, NULL, machine);
		json_string(&j, NULL, "-cpu");
		json_string(&j, NULL, VMM_QEMU_CPU);
		json_array_close(&j);
		json_object_close(&j);
		json_end(&j);
	} else {
		printf("-machine %s -cpu %s\n", machine, VMM_QEMU_CPU);
	}
	return EXIT_YES;
}

int cmd_libvirt_xml(const struct cli *cli)
{
	enum ppccompat_mode mode = PPCCOMPAT_MODE_NONE;
	char xml[128];
	int rc = choose_mode(cli, "libvirt-xml", &mode);

	if (rc != EXIT_YES)
		return rc;
	if (vmm_libvirt_cpu(mode, false, xml, sizeof(xml)) < 0)
		return cli_error("libvirt-xml: %s: libvirt has no name for this mode",
				 ppccompat_mode_name(mode));

	if (cli->json) {
		struct json_out j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "command", "libvirt-xml");
		json_mode(&j, "mode", mode);
		json_string(&j, "xml", xml);
		json_object_close(&j);
		json_end(&j);
	} else {
		fputs(xml, stdout);
	}
	return EXIT_YES;
}
