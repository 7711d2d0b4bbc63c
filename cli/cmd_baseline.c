// SPDX-License-Identifier: GPL-2.0
/*
 * ppccompat baseline REPORT.json...: the highest mode every host of a
 * migration pool allows, from the hosts' `ppccompat --json` reports, and,
 * when they share none, the report that left the pool empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json_out.h"
#include "report.h"
#include "vmm_config.h"

/*
 * Whole report into a malloc'd buffer, bounded by the JSON reader's own limit.
 * A report is a regular file or a pipe (`<(...)`, /dev/stdin). It is opened
 * O_NONBLOCK so that a named FIFO with no writer cannot hang the open; once
 * fstat(2) has shown a file or a pipe, reads block again, so that a pipe whose
 * writer is still producing is read whole. A FIFO without a writer reads as
 * empty. Devices and sockets are refused before open(2), so no driver runs.
 */
static int read_report(const char *path, char **text, size_t *len)
{
	size_t cap = PPCCOMPAT_MAX_JSON_SIZE + 1, n = 0;
	struct stat st;
	int fd, flags;

	if (stat(path, &st) < 0)
		return cli_error("%s: cannot open: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return cli_error("%s: cannot read: %s", path, strerror(EISDIR));
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return cli_error("%s: cannot read: not a regular file or a pipe", path);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cli_error("%s: cannot open: %s", path, strerror(errno));
	/* the path may have changed between stat(2) and open(2) */
	if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))) {
		close(fd);
		return cli_error("%s: cannot read: not a regular file or a pipe", path);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		return cli_error("%s: cannot read: %s", path, strerror(e));
	}
	*text = malloc(cap);
	if (!*text) {
		close(fd);
		return cli_error("%s: out of memory", path);
	}
	while (n < cap) {
		ssize_t got = read(fd, *text + n, cap - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			close(fd);
			free(*text);
			return cli_error("%s: cannot read: %s", path, strerror(e));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (n == cap) {
		free(*text);
		return cli_error("%s: larger than %u bytes: not a ppccompat report", path,
				 PPCCOMPAT_MAX_JSON_SIZE);
	}
	*len = n;
	return EXIT_YES;
}

static int load_allowed_modes(const char *path, uint32_t *allowed)
{
	struct ppccompat_report report;
	struct ppccompat_error err = { 0 };
	char *text = NULL;
	size_t len = 0;
	int rc = read_report(path, &text, &len);

	if (rc != EXIT_YES)
		return rc;
	rc = ppccompat_report_parse_json(text, len, &report, &err);
	free(text);
	if (rc < 0) {
		snprintf(err.path, sizeof(err.path), "%s", path);
		return cli_library_error(&err);
	}
	/*
	 * Only a host report says what a host allows: the allowed_modes of a
	 * `check` answer are there too, but a file of any other format could
	 * mean something else by the same key.
	 */
	if (strcmp(report.command, "show"))
		return cli_error("%s: command: %s%s%s: not a report of `ppccompat --json` (show)", path,
				 report.command[0] ? "\"" : "", report.command[0] ? report.command
										 : "missing",
				 report.command[0] ? "\"" : "");
	if (report.format_version != REPORT_FORMAT_VERSION)
		return cli_error("%s: format_version: %u: this ppccompat reads format %d only", path,
				 report.format_version, REPORT_FORMAT_VERSION);
	*allowed = report.allowed_modes;
	return EXIT_YES;
}

/*
 * The report, in the order given, after which the pool had no mode left;
 * *before gets what the reports before it still shared. n if none did.
 */
static size_t emptied_by(const uint32_t *sets, size_t n, uint32_t *before)
{
	uint32_t common = PPCCOMPAT_MODES_ALL;

	for (size_t i = 0; i < n; i++) {
		if (!(common & sets[i])) {
			*before = common;
			return i;
		}
		common &= sets[i];
	}
	return n;
}

int cmd_baseline(const struct cli *cli)
{
	size_t n = (size_t)cli->n_operands, culprit = n;
	uint32_t *sets = calloc(n, sizeof(*sets));
	uint32_t common = 0, before = 0, culprit_modes = 0;
	enum ppccompat_mode best = PPCCOMPAT_MODE_NONE;
	int rc = EXIT_YES;

	if (!sets)
		return cli_error("baseline: out of memory");
	for (size_t i = 0; i < n && rc == EXIT_YES; i++)
		rc = load_allowed_modes(cli->operands[i], &sets[i]);
	if (rc == EXIT_YES) {
		int err = ppccompat_baseline(sets, n, &common, &best);

		if (err < 0 && err != PPCCOMPAT_ERR_NO_COMMON_MODE)
			rc = cli_error("baseline: %s", ppccompat_strerror(err));
		culprit = emptied_by(sets, n, &before);
		if (culprit < n)
			culprit_modes = sets[culprit];
	}
	free(sets);
	if (rc != EXIT_YES)
		return rc;

	if (cli->json) {
		struct json_out j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "command", "baseline");
		json_array_open(&j, "reports");
		for (size_t i = 0; i < n; i++)
			json_string(&j, NULL, cli->operands[i]);
		json_array_close(&j);
		json_modes(&j, "common_modes", common);
		json_mode(&j, "baseline_mode", best);
		json_string(&j, "emptied_by", culprit < n ? cli->operands[culprit] : NULL);
		json_object_close(&j);
		json_end(&j);
	} else {
		char machine[64];

		printf("%-17s %zu\n", "Hosts:", n);
		printf("%-17s ", "Common modes:");
		cli_print_modes(stdout, common, ", ");
		putchar('\n');
		if (best == PPCCOMPAT_MODE_NONE) {
			printf("%-17s none: the hosts share no compatibility mode\n", "Baseline:");
			if (culprit < n) {
				printf("%-17s %s, which allows ", "Emptied by:", cli->operands[culprit]);
				cli_print_modes(stdout, culprit_modes, ", ");
				if (culprit > 0) {
					printf("; the reports before it share ");
					cli_print_modes(stdout, before, ", ");
				}
				putchar('\n');
			}
		} else {
			printf("%-17s %s\n", "Baseline:", ppccompat_mode_name(best));
			if (vmm_qemu_machine(vmm_compat_name(best, NULL), machine, sizeof(machine)) >= 0)
				printf("%-17s -machine %s\n", "  QEMU:", machine);
		}
	}
	return best == PPCCOMPAT_MODE_NONE ? EXIT_NO : EXIT_YES;
}
