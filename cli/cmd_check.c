// SPDX-License-Identifier: GPL-2.0
/* ppccompat check MODE: may KVM guests of this host use MODE? */
#include "cli.h"
#include "json_out.h"
#include "report.h"
#include "vmm_config.h"

static const char *reason_code(enum ppccompat_reason reason)
{
	switch (reason) {
	case PPCCOMPAT_REASON_OK:
		return "ok";
	case PPCCOMPAT_REASON_NOT_POWER:
		return "not-power";
	case PPCCOMPAT_REASON_UNKNOWN_HOST:
		return "unknown-host";
	case PPCCOMPAT_REASON_NEWER_THAN_HOST:
		return "newer-than-host";
	case PPCCOMPAT_REASON_NOT_OFFERED:
		return "not-offered";
	case PPCCOMPAT_REASON_TOO_OLD:
		return "too-old";
	case PPCCOMPAT_REASON_NO_NESTED:
		return "no-nested";
	case PPCCOMPAT_REASON_NOT_SERVER:
		return "not-server";
	case PPCCOMPAT_REASON_NO_KVM_HV:
		return "no-kvm-hv";
	case PPCCOMPAT_REASON_MMU:
		return "mmu";
	case PPCCOMPAT_REASON_UNVERIFIED:
		return "unverified";
	case PPCCOMPAT_REASON_POWER11_UNCONFIRMED:
		return "power11-unconfirmed";
	}
	return "unknown";
}

int cmd_check(const struct cli *cli)
{
	enum ppccompat_mode mode;
	enum ppccompat_reason why = PPCCOMPAT_REASON_OK;
	struct ppccompat_host host;
	int rc = cli_parse_mode("check", cli->operands[0], &mode);

	if (rc != EXIT_YES)
		return rc;
	rc = cli_probe(cli, &host);
	if (rc != EXIT_YES)
		return rc;

	int can = ppccompat_can_run(&host, mode, &why);
	/* the name as given where it means more than the mode ("power7+") */
	const char *spelled = vmm_compat_name(mode, cli->operands[0]);

	if (can < 0)
		return cli_error("check: %s: %s", cli->operands[0], ppccompat_strerror(can));

	if (cli->json) {
		struct json_out j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "command", "check");
		json_mode(&j, "mode", mode);
		json_bool(&j, "allowed", can == 1);
		json_string(&j, "reason", reason_code(can == 1 ? PPCCOMPAT_REASON_OK : why));
		json_string(&j, "reason_text", can == 1 ? NULL : ppccompat_reason_string(why));
		json_mode(&j, "effective_mode", host.effective_mode);
		json_modes(&j, "allowed_modes", host.allowed_modes);
		json_string(&j, "evidence", ppccompat_evidence_name(host.evidence));
		json_string(&j, "condition", can == 1 && (host.notes & PPCCOMPAT_NOTE_SMT_ON)
						     ? ppccompat_note_string(PPCCOMPAT_NOTE_SMT_ON)
						     : NULL);
		json_object_close(&j);
		json_end(&j);
	} else if (can == 1) {
		printf("%s: allowed", spelled);
		if (host.notes & PPCCOMPAT_NOTE_SMT_ON)
			printf(", but %s", ppccompat_note_string(PPCCOMPAT_NOTE_SMT_ON));
		printf(" (evidence: %s, %s)\n", ppccompat_evidence_name(host.evidence),
		       report_evidence_basis(&host));
	} else {
		printf("%s: not allowed: %s (guests may use: ", spelled,
		       ppccompat_reason_string(why));
		cli_print_modes(stdout, host.allowed_modes, ", ");
		printf("; evidence: %s, %s)\n", ppccompat_evidence_name(host.evidence),
		       report_evidence_basis(&host));
	}
	return can == 1 ? EXIT_YES : EXIT_NO;
}
