// SPDX-License-Identifier: GPL-2.0
/* ppccompat show: probe, then print the report (report.c). */
#include <sys/utsname.h>

#include "cli.h"
#include "report.h"

int cmd_show(const struct cli *cli)
{
	struct ppccompat_host host;
	int rc = cli_probe(cli, &host);

	if (rc != EXIT_YES)
		return rc;
	if (cli->json) {
		struct utsname uts;

		/* a tree's host is not this one; the live host is named for baseline */
		report_json(stdout, &host, !cli->sysroot && uname(&uts) == 0 ? uts.nodename : NULL);
	} else {
		report_text(stdout, &host,
			    cli->sysroot ? "--sysroot reads files only"
			    : cli->no_kvm ? "--no-kvm"
					  : "the kernel is asked only on POWER hosts");
	}
	return EXIT_YES;
}
